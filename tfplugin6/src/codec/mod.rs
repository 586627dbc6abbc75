//! cty values and types, and their msgpack and JSON encodings.

pub mod compare;
pub mod json;
pub mod msgpack;
pub mod types;
pub mod value;

pub use types::Type;
pub use value::{object, Number, Value};
