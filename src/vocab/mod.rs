//! The vocabulary: its model, the file loader with positioned errors, and the embedded default.

pub mod embedded;
pub mod load;
pub mod model;
mod raw;

pub use load::{VocabError, VocabFile, line_col, load};
pub use model::{Entry, EntryId, Kind, Vocabulary};
