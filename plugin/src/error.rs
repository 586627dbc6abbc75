//! User-facing errors. Every error a user can cause becomes one line saying what is
//! wrong and what to do, and exit code 2.

/// An error caused by input or usage (exit code 2). The message is one line, starts with
/// what is wrong, and says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct UserError {
    pub message: String,
}

impl UserError {
    pub fn new(message: impl Into<String>) -> Self {
        UserError {
            message: message.into(),
        }
    }
}

pub type Result<T, E = UserError> = std::result::Result<T, E>;

/// Process exit codes, shared by every command.
pub mod exit {
    /// Nothing reached `--fail-on`.
    pub const OK: u8 = 0;
    /// A finding reached `--fail-on`.
    pub const FINDINGS: u8 = 1;
    /// Bad input, bad configuration or bad usage.
    pub const USAGE: u8 = 2;
}
