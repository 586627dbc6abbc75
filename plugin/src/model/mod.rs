//! The ECS model: entities extracted from plans and linked together.

pub mod entities;
pub mod field;
#[doc(hidden)]
pub mod testing;

pub use entities::*;
pub use field::{show_value, Field, Val};
