//! A planned attribute value as Terraform knows it at plan time.
//!
//! Every attribute ecsnet reads is one of three things: a value Terraform already
//! knows, an explicit null (absent / not set), or a value that is only "known after
//! apply". Rules must never confuse unknown with absent: an unknown input makes a
//! finding unverifiable, an absent one usually means "use the AWS default".
//!
//! Independently of that, a value may be *sensitive*. Sensitive values may be used
//! in computation but must never be printed: [`Field::show`] is the only way rules
//! and reports turn a field into text.

use std::fmt::Display;

/// What Terraform knows about a value at plan time.
#[derive(Debug, Clone, PartialEq)]
pub enum Val<T> {
    Known(T),
    /// Not set (JSON null or the key is absent and not marked unknown).
    Null,
    /// Known only after apply (`after_unknown` marks it).
    Unknown,
}

/// A value plus whether Terraform marks it sensitive.
#[derive(Debug, Clone, PartialEq)]
pub struct Field<T> {
    pub val: Val<T>,
    pub sensitive: bool,
}

impl<T> Default for Field<T> {
    fn default() -> Self {
        Field::null()
    }
}

impl<T> Field<T> {
    pub fn known(v: T) -> Self {
        Field {
            val: Val::Known(v),
            sensitive: false,
        }
    }
    pub fn null() -> Self {
        Field {
            val: Val::Null,
            sensitive: false,
        }
    }
    pub fn unknown() -> Self {
        Field {
            val: Val::Unknown,
            sensitive: false,
        }
    }
    pub fn with_sensitive(mut self, sensitive: bool) -> Self {
        self.sensitive = self.sensitive || sensitive;
        self
    }
    /// The value when known.
    pub fn get(&self) -> Option<&T> {
        match &self.val {
            Val::Known(v) => Some(v),
            _ => None,
        }
    }
    pub fn is_known(&self) -> bool {
        matches!(self.val, Val::Known(_))
    }
    pub fn is_null(&self) -> bool {
        matches!(self.val, Val::Null)
    }
    pub fn is_unknown(&self) -> bool {
        matches!(self.val, Val::Unknown)
    }
    /// Known value, or `default` when null. `None` when unknown.
    pub fn or_default_when_null(&self, default: T) -> Option<T>
    where
        T: Clone,
    {
        match &self.val {
            Val::Known(v) => Some(v.clone()),
            Val::Null => Some(default),
            Val::Unknown => None,
        }
    }
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Field<U> {
        let val = match self.val {
            Val::Known(v) => Val::Known(f(v)),
            Val::Null => Val::Null,
            Val::Unknown => Val::Unknown,
        };
        Field {
            val,
            sensitive: self.sensitive,
        }
    }
    pub fn as_ref(&self) -> Field<&T> {
        let val = match &self.val {
            Val::Known(v) => Val::Known(v),
            Val::Null => Val::Null,
            Val::Unknown => Val::Unknown,
        };
        Field {
            val,
            sensitive: self.sensitive,
        }
    }
}

/// How every output shows a value Terraform marks sensitive.
pub const SENSITIVE: &str = "(sensitive)";

impl<T: Display> Field<T> {
    /// Text for messages: the value, `(sensitive)`, `(known after apply)` or `(not set)`.
    /// A sensitive value is never shown, whatever its state.
    pub fn show(&self) -> String {
        if self.sensitive {
            return SENSITIVE.to_string();
        }
        match &self.val {
            Val::Known(v) => v.to_string(),
            Val::Null => "(not set)".to_string(),
            Val::Unknown => "(known after apply)".to_string(),
        }
    }
}

/// Redacting display for a plain value that came from a sensitive source.
pub fn show_value<T: Display>(v: &T, sensitive: bool) -> String {
    if sensitive {
        SENSITIVE.to_string()
    } else {
        v.to_string()
    }
}

impl<T: serde::Serialize> serde::Serialize for Field<T> {
    /// JSON form used by `inventory --format json`: the value, `null`, or
    /// `{"unknown": true}`; sensitive values become `{"sensitive": true}`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        if self.sensitive {
            let mut m = s.serialize_map(Some(1))?;
            m.serialize_entry("sensitive", &true)?;
            return m.end();
        }
        match &self.val {
            Val::Known(v) => v.serialize(s),
            Val::Null => s.serialize_none(),
            Val::Unknown => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("unknown", &true)?;
                m.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitive_is_never_shown() {
        let f = Field::known("hunter2".to_string()).with_sensitive(true);
        assert_eq!(f.show(), "(sensitive)");
        assert_eq!(serde_json::to_string(&f).unwrap(), r#"{"sensitive":true}"#);
    }

    #[test]
    fn unknown_and_null_differ() {
        let u: Field<i64> = Field::unknown();
        let n: Field<i64> = Field::null();
        assert_eq!(u.show(), "(known after apply)");
        assert_eq!(n.show(), "(not set)");
        assert_eq!(n.or_default_when_null(200), Some(200));
        assert_eq!(u.or_default_when_null(200), None);
    }
}
