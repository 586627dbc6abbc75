//! SHA-1 digests of user data.
//!
//! The AWS provider stores `user_data` of `aws_instance` and `aws_launch_configuration` as
//! the hex SHA-1 of the text (its `StateFunc`), so a plan shows only the digest: comparing
//! it with the digest of the text the sources evaluate to tells whether that text is the
//! plan's. Not used for security.

/// The lowercase hex SHA-1 digest of `data` (the RustCrypto `sha1` crate).
pub fn sha1_hex(data: &[u8]) -> String {
    use sha1::{Digest, Sha1};
    use std::fmt::Write;
    Sha1::digest(data)
        .iter()
        .fold(String::with_capacity(40), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

#[cfg(test)]
mod tests {
    use super::sha1_hex;

    #[test]
    fn digests_of_a_standard_example_and_a_user_data_script() {
        // The FIPS 180 example "abc" (aws-standin's tests check more known answers).
        assert_eq!(sha1_hex(b"abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        // A user data script as the provider stores it (checked with sha1sum).
        assert_eq!(
            sha1_hex(b"#!/bin/bash\necho ECS_CLUSTER=edge >> /etc/ecs/ecs.config\n"),
            "abcecfe9ab19ab31296f7686be0119b25b6d0702"
        );
    }
}
