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
    /// Any other control character (an escape sequence quoted from a plan, say) is written
    /// escaped, so nothing a plan holds can steer the terminal it is printed on.
    pub fn new(message: impl Into<String>) -> Self {
        let message = message.into();
        let message = if message.contains(['\n', '\r']) {
            message
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            message
        };
        if !message.contains(|c: char| c.is_control()) {
            return UserError { message };
        }
        UserError {
            message: escape_controls(&message),
        }
    }
}

/// `text` with every control character written as `\u{..}` (a tab as a space).
pub(crate) fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push(' '),
            c if c.is_control() => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    out
}

/// How many characters of a value from the input an error message quotes at most.
pub const EXCERPT_CHARS: usize = 40;

/// A short, quoted and escaped excerpt of text from the input, for an error message: at
/// most [`EXCERPT_CHARS`] characters, control characters and quotes escaped, and when cut,
/// an ellipsis and the full length. Never use it on a value Terraform marks sensitive.
pub fn excerpt(text: &str) -> String {
    let mut out = String::from("\"");
    for (shown, c) in text.chars().enumerate() {
        if shown == EXCERPT_CHARS {
            out.push_str(&format!("…\" ({} bytes)", text.len()));
            return out;
        }
        out.extend(c.escape_debug());
    }
    out.push('"');
    out
}

/// `message` cut to at most `max` characters (on a character boundary), with an ellipsis
/// when cut: for messages of other libraries that may quote input at any length.
pub fn shorten(message: &str, max: usize) -> String {
    match message.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &message[..i]),
        None => message.to_string(),
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
    fn control_characters_are_escaped() {
        let e = super::UserError::new("bad \u{1b}[31mred\u{7} value");
        assert_eq!(e.message, "bad \\u{1b}[31mred\\u{7} value");
        assert!(!e.message.contains(|c: char| c.is_control()));
    }

    #[test]
    fn excerpts_are_short_quoted_and_escaped() {
        assert_eq!(super::excerpt("awsvpc"), "\"awsvpc\"");
        assert_eq!(super::excerpt("a\"b\u{1b}"), "\"a\\\"b\\u{1b}\"");
        let long = "x".repeat(20 << 20);
        let e = super::excerpt(&long);
        assert!(e.len() < 80, "{e}");
        assert!(e.ends_with(&format!("…\" ({} bytes)", 20 << 20)), "{e}");
        assert_eq!(super::shorten("abcdef", 3), "abc…");
        assert_eq!(super::shorten("abc", 3), "abc");
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
