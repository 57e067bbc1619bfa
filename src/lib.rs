//! immuno-ls: a language server and command-line checker for clinical notes and patient-education
//! text about immunology, starting with atopic dermatitis.
//!
//! The crate is split into an analysis core that knows nothing of any protocol (text in, mentions
//! and findings out, as UTF-8 byte ranges) and the front ends that call it:
//!
//! - [`vocab`]: the vocabulary model, its TOML loader and the embedded default;
//! - [`text`]: prose detection, normalisation, sentences and tokens;
//! - [`matcher`]: finding vocabulary terms;
//! - [`context`]: negation, hedging, hypothesis, reported belief and contrast (NegEx / ConText);
//! - [`rules`]: the claim rules;
//! - [`analysis`]: the pipeline tying them together;
//! - [`describe`]: the text shown for an entry (hover, `explain`);
//! - [`complete`]: completion candidates (prefix and sentence context);
//! - [`config`]: the project file `.immuno-ls.toml`;
//! - [`cli`]: the command line;
//! - [`server`]: the language server.

pub mod analysis;
pub mod cli;
pub mod complete;
pub mod config;
pub mod context;
pub mod describe;
pub mod matcher;
pub mod rules;
pub mod server;
pub mod text;
pub mod vocab;
