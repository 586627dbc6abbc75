//! The end of a JSON string, found the way [`super::scan::Scanner`] needs it: checking what
//! serde_json checks when it skips a string (escapes, no control characters) and that the
//! text is UTF-8.
//!
//! Bytes are classified a block at a time: quotes, backslashes, and the rest that stops a
//! run of plain text (control characters, bytes of non-ASCII characters). Where a block's
//! only escapes are `\"`, not one just after another, each backslash escapes the byte after
//! it, so the block is read at once: the string ends at the first quote that no backslash
//! comes just before. That is the common case that matters, a JSON document held in a
//! string (a task definition's `container_definitions`), with an escaped quote every few
//! bytes. A block with any other escape, or bytes past the end of the text, is read stop by
//! stop.
//!
//! On x86_64 a block is 16 bytes (SSE2, always there) or 32 (AVX2, when the CPU has it:
//! [`Width::detect`]); elsewhere eight bytes in a word.

/// One block: a bit per byte, the lowest for the first.
#[derive(Clone, Copy)]
struct Masks {
    quote: u64,
    backslash: u64,
    /// Control characters and bytes of non-ASCII characters.
    other: u64,
}

impl Masks {
    fn stops(self) -> u64 {
        self.quote | self.backslash | self.other
    }
}

/// A way to classify a block of bytes.
trait Blocks {
    /// Bytes in a block (at most 32: a backslash last needs the bit after it).
    const WIDTH: usize;
    /// The masks of the [`Self::WIDTH`] bytes at `i`; `None` when fewer are left.
    ///
    /// # Safety
    /// The CPU has the features the implementation needs.
    unsafe fn masks(b: &[u8], i: usize) -> Option<Masks>;
    /// [`end_from`] for the last bytes of the text, fewer than a block.
    ///
    /// # Safety
    /// As for [`Self::masks`].
    unsafe fn tail(b: &[u8], i: usize, escaped: bool) -> Option<(usize, bool)>;
}

/// The blocks every CPU of the target has.
#[cfg(target_arch = "x86_64")]
type Narrow = Sse2;
#[cfg(not(target_arch = "x86_64"))]
type Narrow = Words;

/// Which blocks [`end`] reads in: wide (AVX2) only when the CPU has them, which only
/// [`Width::detect`] can say (so no caller can ask for blocks the CPU lacks).
#[derive(Clone, Copy, Debug)]
pub(super) struct Width {
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    wide: bool,
}

impl Width {
    /// The widest blocks this CPU has (asked once per scanner; the answer is cached).
    pub(super) fn detect() -> Width {
        #[cfg(target_arch = "x86_64")]
        let wide = std::is_x86_feature_detected!("avx2");
        #[cfg(not(target_arch = "x86_64"))]
        let wide = false;
        Width { wide }
    }

    /// The narrow blocks, which every CPU of the target has.
    #[cfg(test)]
    pub(super) fn narrow() -> Width {
        Width { wide: false }
    }
}

/// The position after the closing quote of the string whose inside starts at `i`, when it
/// ends within the first two narrow blocks with nothing else to look at before its quote:
/// most member names and short values, read where the scanner is, without a call.
#[inline(always)]
pub(super) fn short_end(b: &[u8], i: usize) -> Option<usize> {
    let mut at = i;
    for _ in 0..2 {
        // SAFETY: the narrow blocks need no feature the target lacks.
        let m = unsafe { Narrow::masks(b, at) }?;
        let stops = m.stops();
        if stops != 0 {
            let first = stops & stops.wrapping_neg();
            return (first & m.quote != 0).then(|| at + first.trailing_zeros() as usize + 1);
        }
        at += Narrow::WIDTH;
    }
    None
}

/// The position after the closing quote of the string whose inside starts at `i`, and
/// whether it holds an escape; `None` when it is not a string serde_json accepts, or its
/// text is not UTF-8. Inline: one call, to the search itself.
#[inline(always)]
pub(super) fn end(b: &[u8], i: usize, width: Width) -> Option<(usize, bool)> {
    #[cfg(target_arch = "x86_64")]
    if width.wide {
        // SAFETY: only `Width::detect` makes a wide `Width`, when the CPU has AVX2.
        return unsafe { end_avx2(b, i) };
    }
    let _ = width;
    end_narrow(b, i)
}

/// [`end`] in narrow blocks.
#[inline(never)]
fn end_narrow(b: &[u8], i: usize) -> Option<(usize, bool)> {
    // SAFETY: the narrow blocks need no feature the target lacks.
    unsafe { end_from::<Narrow>(b, i, false) }
}

/// [`end`] in blocks of 32 bytes.
///
/// # Safety
/// The CPU has AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn end_avx2(b: &[u8], i: usize) -> Option<(usize, bool)> {
    // SAFETY: the CPU has AVX2.
    unsafe { end_from::<Avx2>(b, i, false) }
}

/// [`end`] in blocks of `B`, `escaped` for an escape already read.
///
/// # Safety
/// As for [`Blocks::masks`].
#[inline(always)]
unsafe fn end_from<B: Blocks>(b: &[u8], mut i: usize, mut escaped: bool) -> Option<(usize, bool)> {
    let block = u64::MAX >> (64 - B::WIDTH);
    loop {
        // SAFETY: passed on from the caller.
        let Some(m) = (unsafe { B::masks(b, i) }) else {
            return unsafe { B::tail(b, i, escaped) };
        };
        let stops = if m.backslash == 0 {
            let stops = m.quote | m.other;
            if stops == 0 {
                // Plain text: the loop most bytes of a long string go round.
                i += B::WIDTH;
                continue;
            }
            stops
        } else {
            // Were every escape `\"`: the bytes escaped, and the quote or other byte that
            // stops.
            let escapes = m.backslash << 1;
            let stops = (m.quote & !escapes) | m.other;
            // The bytes up to the first stop, that one included (all when there is none).
            let upto = (stops ^ stops.wrapping_sub(1)) & block;
            if ((m.backslash & escapes) | (escapes & !m.quote)) & upto != 0 {
                // Another escape, or `\\`: stop by stop.
                match stop_by_stop(b, i, m.stops(), B::WIDTH, &mut escaped)? {
                    Step::Next(next) => i = next,
                    Step::End(end) => return Some((end, escaped)),
                }
                continue;
            }
            escaped |= m.backslash & upto != 0;
            if stops == 0 {
                // A backslash last escapes the next block's first byte: read it again there.
                i += B::WIDTH - (m.backslash >> (B::WIDTH - 1)) as usize;
                continue;
            }
            stops
        };
        let at = i + stops.trailing_zeros() as usize;
        match b[at] {
            b'"' => return Some((at + 1, escaped)),
            0..=0x1F => return None,
            _ => i = utf8_char(b, at)?,
        }
    }
}

/// Where reading a block stop by stop leaves off.
enum Step {
    /// The position to go on from.
    Next(usize),
    /// The position after the closing quote.
    End(usize),
}

/// The stops of `mask` (every stop of the `width` bytes at `base`) in turn, without loading
/// the block again.
#[inline(always)]
fn stop_by_stop(
    b: &[u8],
    base: usize,
    mut mask: u64,
    width: usize,
    escaped: &mut bool,
) -> Option<Step> {
    loop {
        let at = base + mask.trailing_zeros() as usize;
        let next = match b[at] {
            b'"' => return Some(Step::End(at + 1)),
            b'\\' => {
                *escaped = true;
                escape(b, at + 1)?
            }
            0..=0x1F => return None,
            _ => utf8_char(b, at)?,
        };
        let used = next - base;
        if used >= width {
            return Some(Step::Next(next));
        }
        mask &= u64::MAX << used;
        if mask == 0 {
            // Plain text up to the end of the block.
            return Some(Step::Next(base + width));
        }
    }
}

/// [`end_from`] a byte at a time (the last bytes of the text).
fn bytewise(b: &[u8], mut i: usize, mut escaped: bool) -> Option<(usize, bool)> {
    loop {
        match *b.get(i)? {
            b'"' => return Some((i + 1, escaped)),
            b'\\' => {
                escaped = true;
                i = escape(b, i + 1)?;
            }
            0..=0x1F => return None,
            0x80.. => i = utf8_char(b, i)?,
            _ => i += 1,
        }
    }
}

/// The position after the escape whose backslash is just before `i` (what serde_json
/// accepts when it skips a string: lone surrogates included).
#[inline(always)]
fn escape(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Some(i + 1),
        b'u' => unicode_escape(b, i),
        _ => None,
    }
}

/// [`escape`] of `\uXXXX`, `i` at the `u`.
#[inline(never)]
fn unicode_escape(b: &[u8], i: usize) -> Option<usize> {
    let hex = b.get(i + 1..i + 5)?;
    hex.iter().all(u8::is_ascii_hexdigit).then_some(i + 5)
}

/// The position after the UTF-8 character that starts with the non-ASCII byte at `i`, when
/// it is well formed as `std::str::from_utf8` requires (shortest form, no surrogates, at
/// most U+10FFFF).
#[inline]
fn utf8_char(b: &[u8], i: usize) -> Option<usize> {
    let cont = |k: usize| b.get(i + k).is_some_and(|c| c & 0xC0 == 0x80);
    let second = |lo: u8, hi: u8| b.get(i + 1).is_some_and(|c| (lo..=hi).contains(c));
    let len = match b[i] {
        0xC2..=0xDF => 2,
        0xE0 => 3 * usize::from(second(0xA0, 0xBF)),
        0xE1..=0xEC | 0xEE..=0xEF => 3 * usize::from(cont(1)),
        0xED => 3 * usize::from(second(0x80, 0x9F)),
        0xF0 => 4 * usize::from(second(0x90, 0xBF)),
        0xF1..=0xF3 => 4 * usize::from(cont(1)),
        0xF4 => 4 * usize::from(second(0x80, 0x8F)),
        _ => 0,
    };
    match len {
        2 => cont(1).then_some(i + 2),
        3 => cont(2).then_some(i + 3),
        4 => (cont(2) && cont(3)).then_some(i + 4),
        _ => None,
    }
}

/// Blocks of 16 bytes in an SSE2 register.
#[cfg(target_arch = "x86_64")]
struct Sse2;

#[cfg(target_arch = "x86_64")]
impl Blocks for Sse2 {
    const WIDTH: usize = 16;

    #[inline(always)]
    unsafe fn masks(b: &[u8], i: usize) -> Option<Masks> {
        use std::arch::x86_64::{
            _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
        };
        let chunk = b.get(i..i + Self::WIDTH)?;
        // SAFETY: SSE2 is part of every x86_64 target; the load reads the bytes of `chunk`
        // (unaligned loads allowed).
        let x = unsafe { _mm_loadu_si128(chunk.as_ptr().cast()) };
        let bits = |m| u64::from(_mm_movemask_epi8(m) as u32 & 0xFFFF);
        Some(Masks {
            quote: bits(_mm_cmpeq_epi8(x, _mm_set1_epi8(b'"' as i8))),
            backslash: bits(_mm_cmpeq_epi8(x, _mm_set1_epi8(b'\\' as i8))),
            // Signed: below 0x20 are the control characters and every byte from 0x80 up.
            other: bits(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20))),
        })
    }

    unsafe fn tail(b: &[u8], i: usize, escaped: bool) -> Option<(usize, bool)> {
        bytewise(b, i, escaped)
    }
}

/// Blocks of 32 bytes in an AVX2 register.
#[cfg(target_arch = "x86_64")]
struct Avx2;

#[cfg(target_arch = "x86_64")]
impl Blocks for Avx2 {
    const WIDTH: usize = 32;

    #[inline]
    #[target_feature(enable = "avx2")]
    unsafe fn masks(b: &[u8], i: usize) -> Option<Masks> {
        use std::arch::x86_64::{
            _mm256_cmpeq_epi8, _mm256_cmpgt_epi8, _mm256_loadu_si256, _mm256_movemask_epi8,
            _mm256_set1_epi8,
        };
        let chunk = b.get(i..i + Self::WIDTH)?;
        // SAFETY: the load reads the bytes of `chunk` (unaligned loads allowed).
        let x = unsafe { _mm256_loadu_si256(chunk.as_ptr().cast()) };
        let quote = _mm256_cmpeq_epi8(x, _mm256_set1_epi8(b'"' as i8));
        let backslash = _mm256_cmpeq_epi8(x, _mm256_set1_epi8(b'\\' as i8));
        // Signed, as in `Sse2`.
        let other = _mm256_cmpgt_epi8(_mm256_set1_epi8(0x20), x);
        Some(Masks {
            quote: u64::from(_mm256_movemask_epi8(quote) as u32),
            backslash: u64::from(_mm256_movemask_epi8(backslash) as u32),
            other: u64::from(_mm256_movemask_epi8(other) as u32),
        })
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    unsafe fn tail(b: &[u8], i: usize, escaped: bool) -> Option<(usize, bool)> {
        // SAFETY: SSE2 is part of every x86_64 target.
        unsafe { end_from::<Sse2>(b, i, escaped) }
    }
}

/// Blocks of eight bytes in a word, for targets without SSE2 (and tested on all).
#[cfg(any(test, not(target_arch = "x86_64")))]
struct Words;

#[cfg(any(test, not(target_arch = "x86_64")))]
const LO: u64 = 0x0101_0101_0101_0101;
#[cfg(any(test, not(target_arch = "x86_64")))]
const HI: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `v` that is zero. Exact for every byte: no sum carries from
/// one byte into the next (at most 0x7F + 0x7F).
#[cfg(any(test, not(target_arch = "x86_64")))]
fn zero_bytes(v: u64) -> u64 {
    !((v & !HI).wrapping_add(!HI) | v | !HI)
}

/// The high bit of each byte of `v` below 0x20 (exact, as [`zero_bytes`]).
#[cfg(any(test, not(target_arch = "x86_64")))]
fn below_space(v: u64) -> u64 {
    !((v & !HI).wrapping_add(LO * 0x60) | v) & HI
}

/// The high bits of the eight bytes of `h` (nothing else set) as the eight lowest bits: each
/// lands alone on its bit from 56 up, the products of distinct powers of two never meeting.
#[cfg(any(test, not(target_arch = "x86_64")))]
fn dense(h: u64) -> u64 {
    h.wrapping_mul(0x0002_0408_1020_4081) >> 56
}

#[cfg(any(test, not(target_arch = "x86_64")))]
impl Blocks for Words {
    const WIDTH: usize = 8;

    #[inline(always)]
    unsafe fn masks(b: &[u8], i: usize) -> Option<Masks> {
        let chunk: [u8; 8] = b.get(i..i + Self::WIDTH)?.try_into().ok()?;
        let w = u64::from_le_bytes(chunk);
        Some(Masks {
            quote: dense(zero_bytes(w ^ (LO * u64::from(b'"')))),
            backslash: dense(zero_bytes(w ^ (LO * u64::from(b'\\')))),
            other: dense(below_space(w) | (w & HI)),
        })
    }

    unsafe fn tail(b: &[u8], i: usize, escaped: bool) -> Option<(usize, bool)> {
        bytewise(b, i, escaped)
    }
}

#[cfg(test)]
mod tests {
    use super::super::scan::tests::Rng;
    use super::*;

    /// Every way to find a string's end this target has, each against the byte-by-byte one.
    fn all_agree(text: &[u8]) {
        let want = bytewise(text, 0, false);
        // SAFETY: the words and SSE2 need nothing x86_64 lacks; AVX2 is asked first.
        let words = unsafe { end_from::<Words>(text, 0, false) };
        assert_eq!(words, want, "words: {:?}", String::from_utf8_lossy(text));
        #[cfg(target_arch = "x86_64")]
        {
            let sse2 = unsafe { end_from::<Sse2>(text, 0, false) };
            assert_eq!(sse2, want, "SSE2: {:?}", String::from_utf8_lossy(text));
            if Width::detect().wide {
                let avx2 = unsafe { end_avx2(text, 0) };
                assert_eq!(avx2, want, "AVX2: {:?}", String::from_utf8_lossy(text));
            }
        }
        assert_eq!(end(text, 0, Width::detect()), want);
        assert_eq!(end(text, 0, Width::narrow()), want);
        if let Some(short) = short_end(text, 0) {
            assert_eq!(Some((short, false)), want);
        }
    }

    /// What can stop a run of plain text, escapes whole and broken.
    const STOPS: &[&[u8]] = &[
        b"\"",
        b"\\\"",
        b"\\\\",
        b"\\\\\"",
        b"\\\\\\\"",
        b"\\n",
        b"\\/",
        b"\\u00e9",
        b"\\u00",
        b"\\x",
        b"\\",
        b"\x00",
        b"\x1f",
        b"\x7f",
        b"\xc3\xa9",
        b"\xe2\x9c\x93",
        b"\xf0\x9d\x84\x9e",
        b"\xc3",
        b"\xed\xa0\x80",
        b"\xff",
    ];

    #[test]
    fn every_block_width_ends_strings_where_the_byte_by_byte_search_does() {
        // One or two stops at every offset of a 64-byte window (two blocks of the widest),
        // then a closing quote, or the end of the text.
        for first in STOPS {
            for at in 0..64 {
                for second in STOPS.iter().step_by(3) {
                    for gap in [0, 1, 2, 5, 17] {
                        let mut text = vec![b'a'; at];
                        text.extend_from_slice(first);
                        text.extend(std::iter::repeat_n(b'b', gap));
                        text.extend_from_slice(second);
                        all_agree(&text);
                        text.extend_from_slice(b"tail\"");
                        all_agree(&text);
                        text.extend_from_slice(&[b' '; 40]);
                        all_agree(&text);
                    }
                }
            }
        }
    }

    #[test]
    fn every_block_width_agrees_on_strings_dense_with_escaped_quotes() {
        // A JSON document held in a string: `\"` every few bytes, now and then another
        // stop; texts long enough for several blocks and for the tail.
        let mut r = Rng(0x2545_f491_4f6c_dd1d);
        let mut next = |n: usize| r.below(n);
        for _ in 0..20_000 {
            let mut text = Vec::new();
            for _ in 0..next(40) {
                match next(10) {
                    0..=5 => text.extend(std::iter::repeat_n(b'x', next(9))),
                    6 | 7 => text.extend_from_slice(b"\\\""),
                    _ => text.extend_from_slice(STOPS[next(STOPS.len())]),
                }
            }
            text.push(b'"');
            text.extend(std::iter::repeat_n(b'y', next(40)));
            all_agree(&text);
        }
    }

    #[test]
    fn the_word_masks_are_exact_for_every_byte() {
        for c in 0..=255u8 {
            for at in 0..8 {
                let mut w = [b'a'; 8];
                w[at] = c;
                // SAFETY: words need no CPU feature.
                let m = unsafe { Words::masks(&w, 0) }.unwrap();
                let bit = 1 << at;
                assert_eq!(m.quote == bit, c == b'"', "{c:#x} at {at}");
                assert_eq!(m.backslash == bit, c == b'\\', "{c:#x} at {at}");
                assert_eq!(m.other == bit, !(0x20..0x80).contains(&c), "{c:#x} at {at}");
                assert_eq!(m.stops() & !bit, 0, "{c:#x} at {at}");
            }
            // The same byte all along: no byte's answer leaks into the next.
            let m = unsafe { Words::masks(&[c; 8], 0) }.unwrap();
            let all = |yes: bool| if yes { 0xFF } else { 0 };
            assert_eq!(m.quote, all(c == b'"'), "{c:#x}");
            assert_eq!(m.backslash, all(c == b'\\'), "{c:#x}");
            assert_eq!(m.other, all(!(0x20..0x80).contains(&c)), "{c:#x}");
        }
    }
}
