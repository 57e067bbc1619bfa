//! Text handling that knows nothing of medicine: what is prose, where sentences are, the words in
//! them, and a normalised copy for matching with a map back to the original bytes.

pub mod normalize;
pub mod prose;
pub mod sentences;
pub mod tokens;
