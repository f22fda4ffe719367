//! Feature-agnostic UI: form parts that show errors inline, and formatting.

pub mod form;
pub mod format;
