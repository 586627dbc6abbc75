//! Deterministic made-up identifiers: every one is derived from a SHA-256 of the resource
//! type and its planned value (plus a label per identifier), so the same configuration always
//! gets the same ids, on every machine.

use sha2::{Digest, Sha256};

/// A source of deterministic hex and digits for one resource.
#[derive(Clone)]
pub struct Ids {
    seed: [u8; 32],
}

impl Ids {
    pub fn new(parts: &[&[u8]]) -> Ids {
        let mut h = Sha256::new();
        for p in parts {
            h.update((p.len() as u64).to_be_bytes());
            h.update(p);
        }
        Ids {
            seed: h.finalize().into(),
        }
    }

    fn digest(&self, label: &str) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(self.seed);
        h.update(label.as_bytes());
        h.finalize().into()
    }

    /// `n` lowercase hex digits.
    pub fn hex(&self, label: &str, n: usize) -> String {
        let mut out = String::with_capacity(n);
        let mut round = 0u32;
        while out.len() < n {
            for b in self.digest(&format!("{label}#{round}")) {
                out.push_str(&format!("{b:02x}"));
            }
            round += 1;
        }
        out.truncate(n);
        out
    }

    /// `n` characters from `alphabet`.
    pub fn chars(&self, label: &str, n: usize, alphabet: &[u8]) -> String {
        let mut out = String::with_capacity(n);
        let mut round = 0u32;
        while out.len() < n {
            for b in self.digest(&format!("{label}#{round}")) {
                if out.len() < n {
                    out.push(alphabet[usize::from(b) % alphabet.len()] as char);
                }
            }
            round += 1;
        }
        out
    }

    /// `n` decimal digits.
    pub fn digits(&self, label: &str, n: usize) -> String {
        self.chars(label, n, b"0123456789")
    }

    /// A number in `0..m`.
    pub fn below(&self, label: &str, m: u64) -> u64 {
        let d = self.digest(label);
        u64::from_be_bytes(d[..8].try_into().expect("8 bytes")) % m.max(1)
    }

    /// An EC2-style id: `prefix-0` and 16 hex digits (`subnet-0a1b…`).
    pub fn ec2(&self, prefix: &str) -> String {
        format!("{prefix}-0{}", self.hex(prefix, 16))
    }

    /// A UUID-shaped id.
    pub fn uuid(&self, label: &str) -> String {
        let h = self.hex(label, 32);
        format!(
            "{}-{}-4{}-a{}-{}",
            &h[..8],
            &h[8..12],
            &h[13..16],
            &h[17..20],
            &h[20..32]
        )
    }

    /// What the provider's `id.PrefixedUniqueId` appends: 26 digits (a timestamp and a counter).
    pub fn unique_suffix(&self, label: &str) -> String {
        format!("20250101000000{}", self.digits(label, 12))
    }

    /// An IAM unique id: `prefix` and 17 upper-case letters and digits.
    pub fn iam_unique(&self, prefix: &str) -> String {
        format!(
            "{prefix}{}",
            self.chars(prefix, 17, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        )
    }

    /// A plausible private IPv4 address in 10.0.0.0/8.
    pub fn private_ip(&self, label: &str) -> String {
        let d = self.digest(label);
        format!("10.{}.{}.{}", d[0], d[1], 4 + d[2] % 250)
    }

    /// A plausible public IPv4 address (documentation-style ranges avoided).
    pub fn public_ip(&self, label: &str) -> String {
        let d = self.digest(label);
        format!(
            "{}.{}.{}.{}",
            [3u8, 18, 34, 52, 54][usize::from(d[0]) % 5],
            d[1],
            d[2],
            1 + d[3] % 254
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_and_well_formed() {
        let a = Ids::new(&[b"aws_subnet", b"x"]);
        let b = Ids::new(&[b"aws_subnet", b"x"]);
        let c = Ids::new(&[b"aws_subnet", b"y"]);
        assert_eq!(a.ec2("subnet"), b.ec2("subnet"));
        assert_ne!(a.ec2("subnet"), c.ec2("subnet"));
        let id = a.ec2("subnet");
        assert_eq!(id.len(), "subnet-0".len() + 16);
        assert!(id["subnet-".len()..].chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(a.hex("x", 40).len(), 40);
        assert_eq!(a.unique_suffix("n").len(), 26);
        assert_eq!(a.uuid("u").len(), 36);
        assert!(a.below("b", 3) < 3);
        // Pinned: ids must not change across platforms or releases, or committed plans would
        // stop regenerating byte for byte.
        assert_eq!(a.ec2("subnet"), "subnet-056f58eb416160d9f");
        assert_eq!(a.unique_suffix("name"), "20250101000000949014291346");
    }
}
