//! SHA-1 as specified in FIPS 180-4 (Secure Hash Standard, NIST, 2015), sections 5.1.1
//! (padding), 6.1.2 (computation) and 4.1.1/4.2.1 (functions and constants).
//!
//! The AWS provider stores `user_data` of `aws_instance` and `aws_launch_configuration` as
//! the hex SHA-1 of the text (its `StateFunc`), so a plan shows only the digest: comparing
//! it with the digest of the text the sources evaluate to tells whether that text is the
//! plan's. Not used for security.

/// The lowercase hex SHA-1 digest of `data`.
pub fn sha1_hex(data: &[u8]) -> String {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xefcd_ab89,
        0x98ba_dcfe,
        0x1032_5476,
        0xc3d2_e1f0,
    ];
    // Padding: a 1 bit, zeros up to 56 bytes modulo 64, then the bit length (big endian).
    let mut msg = data.to_vec();
    let bits = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bits.to_be_bytes());
    let mut w = [0u32; 80];
    for block in msg.chunks_exact(64) {
        for (t, word) in block.chunks_exact(4).enumerate() {
            w[t] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for t in 16..80 {
            w[t] = (w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (t, wt) in w.iter().enumerate() {
            let (f, k) = match t {
                0..=19 => ((b & c) | (!b & d), 0x5a82_7999),
                20..=39 => (b ^ c ^ d, 0x6ed9_eba1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8f1b_bcdc),
                _ => (b ^ c ^ d, 0xca62_c1d6),
            };
            let temp = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wt);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = temp;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    h.iter().map(|x| format!("{x:08x}")).collect()
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
