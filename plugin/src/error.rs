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
    /// The message is folded onto one line: parts of it can come from elsewhere (a serde
    /// error quoting a pretty-printed fragment of the input, terraform's output), and CI logs
    /// and gRPC statuses expect exactly one line.
    pub fn new(message: impl Into<String>) -> Self {
        let message = message.into();
        if !message.contains(['\n', '\r']) {
            return UserError { message };
        }
        let folded = message
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        UserError { message: folded }
    }
}

pub type Result<T, E = UserError> = std::result::Result<T, E>;

/// What went wrong with a file, in words a user acts on, without the OS error number
/// (`No such file or directory (os error 2)` becomes `it does not exist`).
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "it does not exist".to_string(),
        K::PermissionDenied => "permission denied".to_string(),
        K::IsADirectory => "it is a directory, not a file".to_string(),
        K::NotADirectory => "a part of the path is not a directory".to_string(),
        K::ReadOnlyFilesystem => "the file system is read-only".to_string(),
        K::StorageFull => "the disk is full".to_string(),
        _ => {
            // Keep the OS's words, minus the trailing "(os error N)".
            let text = e.to_string();
            match text.rfind(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::io_reason;
    use std::io::{Error, ErrorKind};

    #[test]
    fn messages_are_one_line() {
        let e = super::UserError::new("found [\n       false\n      ] at line 208\r\n");
        assert_eq!(e.message, "found [ false ] at line 208");
    }

    #[test]
    fn io_reasons_are_plain_words() {
        assert_eq!(
            io_reason(&Error::from(ErrorKind::NotFound)),
            "it does not exist"
        );
        assert_eq!(
            io_reason(&Error::from_raw_os_error(21)),
            "it is a directory, not a file"
        );
        let other = io_reason(&Error::from_raw_os_error(5));
        assert!(!other.contains("os error"), "{other}");
    }
}

/// Process exit codes, shared by every command.
pub mod exit {
    /// Nothing reached `--fail-on`.
    pub const OK: u8 = 0;
    /// A finding reached `--fail-on`.
    pub const FINDINGS: u8 = 1;
    /// Bad input, bad configuration or bad usage.
    pub const USAGE: u8 = 2;
}
