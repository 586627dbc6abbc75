//! The first pass over a plan as a byte scan of its own, instead of serde_json's generic walk.
//!
//! Nearly all of a plan is values ecsnet never reads: the `after`, `values` and `before` of
//! tens of thousands of resources of other types. serde_json skips them correctly but at a
//! cost (a generic visitor per value, keys matched as identifiers, the strings' bytes looked
//! at once for the UTF-8 check and again for the closing quote). This scanner walks the
//! same structure the seeds of the parent module walk (the top level, `planned_values`,
//! `resource_changes`, `deferred_changes`, `prior_state`, their modules and resources) and
//! fills the same [`Collected`], with the same raw slices, through the same
//! `add_change` / `add_values_resource`. Everything else it skips with a tight loop over
//! the structure and, inside strings, a block of bytes at a time (see [`super::strings`]).
//! It checks as it goes what serde_json checks when it skips a value (escapes, control
//! characters in strings, the number grammar, literals, commas and colons, only whitespace
//! after the document) and also that the text inside strings is UTF-8, so the separate
//! `from_utf8` pass over the whole file is not needed when the scan succeeds (outside
//! strings, any byte that is not ASCII is a syntax error).
//!
//! It gives up (`None`) on anything it does not handle exactly as the seeds do, and the
//! caller then reads the document with serde_json as before, which gives every message
//! (JSON path, expected shape, line and column) exactly as it was: every error; a member
//! name with an escape where names are matched; a `mode`, `type`, `name` or action word with
//! an escape; a member given twice where the seeds match names (serde refuses some of these
//! and reads others twice; the sequential reader decides); a value of another type than
//! the seeds accept (a resource given as an array, which serde would read as a struct's
//! fields in order, say); modules nested deeper than `split::MAX_MODULE_DEPTH`.

use std::borrow::Cow;

use serde::de::IgnoredAny;

use super::split::{self, guess, skip_ws, MAX_MODULE_DEPTH};
use super::strings;
use super::{
    Actions, Collected, Frame, Lit, RawChange, RawChangeBody, RawValuesResource, Span, A_CREATE,
    A_DELETE, A_FORGET, A_NOOP, A_OTHER, A_READ, A_UPDATE,
};

/// The bytes of a JSON document and a position in them.
pub(super) struct Scanner<'a> {
    b: &'a [u8],
    pos: usize,
    /// The closing brackets of the containers [`Scanner::skip`] is inside (reused).
    stack: Vec<u8>,
    /// Whether whitespace read so far held a newline.
    newline: bool,
    /// The blocks strings are read in.
    width: strings::Width,
}

impl<'a> Scanner<'a> {
    pub(super) fn new(b: &'a [u8], pos: usize) -> Self {
        Scanner {
            b,
            pos,
            stack: Vec::new(),
            newline: false,
            width: strings::Width::detect(),
        }
    }

    /// The text of `start..end`, a range this scanner has read through without error.
    fn text(&self, start: usize, end: usize) -> &'a str {
        let bytes = &self.b[start..end];
        debug_assert!(std::str::from_utf8(bytes).is_ok());
        // SAFETY: every range handed here is one whole JSON value (or a string's inside)
        // the scanner has just read without error: outside strings it accepted only ASCII
        // bytes, inside strings only ASCII and characters `strings` found well formed
        // (the rules of `std::str::from_utf8`); the range starts and ends at ASCII bytes.
        unsafe { std::str::from_utf8_unchecked(bytes) }
    }

    #[inline(always)]
    fn ws(&mut self) {
        while let Some(&c @ (b' ' | b'\n' | b'\r' | b'\t')) = self.b.get(self.pos) {
            self.newline |= c == b'\n';
            self.pos += 1;
        }
    }

    /// The next byte after whitespace (not consumed).
    #[inline(always)]
    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.b.get(self.pos).copied()
    }

    /// Consume `c` after whitespace.
    #[inline(always)]
    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.pos += 1)
    }

    /// The string whose opening quote is at the position; after it, the position is past
    /// the closing quote. Whether it holds an escape.
    #[inline(always)]
    fn string(&mut self) -> Option<bool> {
        if let Some(end) = strings::short_end(self.b, self.pos + 1) {
            self.pos = end;
            return Some(false);
        }
        let (end, escaped) = strings::end(self.b, self.pos + 1, self.width)?;
        self.pos = end;
        Some(escaped)
    }

    #[inline]
    fn literal(&mut self, word: &[u8]) -> Option<()> {
        self.b[self.pos..]
            .starts_with(word)
            .then(|| self.pos += word.len())
    }

    fn digits(&mut self) -> Option<()> {
        if !self.b.get(self.pos)?.is_ascii_digit() {
            return None;
        }
        while self.b.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        Some(())
    }

    /// A number, in JSON's grammar (as serde_json skips one: its value is not computed).
    fn number(&mut self) -> Option<()> {
        if self.b[self.pos] == b'-' {
            self.pos += 1;
        }
        if *self.b.get(self.pos)? == b'0' {
            self.pos += 1;
            if self.b.get(self.pos).is_some_and(u8::is_ascii_digit) {
                return None;
            }
        } else {
            self.digits()?;
        }
        if self.b.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            self.digits()?;
        }
        if let Some(b'e' | b'E') = self.b.get(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.b.get(self.pos) {
                self.pos += 1;
            }
            self.digits()?;
        }
        Some(())
    }

    /// A member name and its colon (inline: [`Scanner::skip`] reads one for every member).
    #[inline(always)]
    fn key(&mut self) -> Option<()> {
        if self.peek()? != b'"' {
            return None;
        }
        self.string()?;
        self.eat(b':')
    }

    /// Skip one value of any kind and depth (no recursion), checking it as serde_json does.
    pub(super) fn skip(&mut self) -> Option<()> {
        self.stack.clear();
        let b = self.b;
        loop {
            match self.peek()? {
                b'"' => {
                    self.string()?;
                }
                b'{' => {
                    self.pos += 1;
                    if self.peek()? == b'}' {
                        self.pos += 1;
                    } else {
                        self.stack.push(b'}');
                        self.key()?;
                        continue;
                    }
                }
                b'[' => {
                    self.pos += 1;
                    if self.peek()? == b']' {
                        self.pos += 1;
                    } else {
                        self.stack.push(b']');
                        continue;
                    }
                }
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                b'-' | b'0'..=b'9' => self.number()?,
                _ => return None,
            }
            // After a value: close what ends here, up to the next value.
            loop {
                let Some(&close) = self.stack.last() else {
                    return Some(());
                };
                self.ws();
                let c = *b.get(self.pos)?;
                self.pos += 1;
                if c == b',' {
                    if close == b'}' {
                        self.key()?;
                    }
                    break;
                }
                if c != close {
                    return None;
                }
                self.stack.pop();
            }
        }
    }

    /// One value as its text.
    fn raw(&mut self) -> Option<&'a str> {
        self.ws();
        let start = self.pos;
        self.skip()?;
        Some(self.text(start, self.pos))
    }

    /// Whether the value here is `null` (consumed if so).
    fn null(&mut self) -> Option<bool> {
        if self.peek()? == b'n' {
            self.literal(b"null")?;
            return Some(true);
        }
        Some(false)
    }

    /// An `Option<&RawValue>` as serde_json reads it: `null` is `None`.
    fn opt_raw(&mut self) -> Option<Option<Span<'a>>> {
        if self.null()? {
            return Some(None);
        }
        self.raw().map(|r| Some(Span(r)))
    }

    /// A string literal, quotes and escapes included (see [`Lit`]).
    fn lit(&mut self) -> Option<Cow<'a, str>> {
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.pos;
        self.string()?;
        Some(Cow::Borrowed(self.text(start, self.pos)))
    }

    /// An `Option<Lit>`.
    fn opt_lit(&mut self) -> Option<Option<Lit<'a>>> {
        if self.null()? {
            return Some(None);
        }
        self.lit().map(|l| Some(Lit(l)))
    }

    /// A string without escapes, as the text between its quotes (an escaped one is left
    /// to serde, which unescapes it).
    fn plain(&mut self) -> Option<&'a [u8]> {
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.pos + 1;
        if self.string()? {
            return None;
        }
        Some(&self.b[start..self.pos - 1])
    }

    fn plain_str(&mut self) -> Option<Cow<'a, str>> {
        let inner = self.plain()?;
        let end = self.pos - 1;
        Some(Cow::Borrowed(self.text(end - inner.len(), end)))
    }

    /// The members of an object: `f` gets each name (without escapes) with the position at
    /// its value, and reads the value.
    fn object(&mut self, mut f: impl FnMut(&mut Self, &'a [u8]) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.pos += 1;
            return Some(());
        }
        loop {
            let key = self.plain()?;
            self.eat(b':')?;
            f(self, key)?;
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// The elements of an array, each read by `f`.
    fn array(&mut self, mut f: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'[')?;
        if self.peek()? == b']' {
            self.pos += 1;
            return Some(());
        }
        loop {
            f(self)?;
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// An array, or `null` for none (`OrNull` of a sequence seed).
    fn or_null_array(&mut self, f: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        if self.null()? {
            return Some(());
        }
        self.array(f)
    }

    /// `actions`: `null` or a list of action words.
    fn actions(&mut self) -> Option<Actions> {
        if self.null()? {
            return Some(Actions(0));
        }
        let mut bits = 0;
        self.array(|s| {
            bits |= match s.plain()? {
                b"no-op" => A_NOOP,
                b"create" => A_CREATE,
                b"read" => A_READ,
                b"update" => A_UPDATE,
                b"delete" => A_DELETE,
                b"forget" => A_FORGET,
                _ => A_OTHER,
            };
            Some(())
        })?;
        Some(Actions(bits))
    }

    /// A resource change's `change` object, as `RawChangeBody`.
    fn change_body(&mut self) -> Option<RawChangeBody<'a>> {
        let mut body = RawChangeBody {
            actions: Actions(0),
            after: None,
            after_unknown: None,
            after_sensitive: None,
            before: None,
            before_sensitive: None,
        };
        let mut seen = 0u16;
        self.object(|s, key| {
            let (bit, slot) = match key {
                b"actions" => {
                    once(&mut seen, 1)?;
                    body.actions = s.actions()?;
                    return Some(());
                }
                b"after" => (2, &mut body.after),
                b"after_unknown" => (4, &mut body.after_unknown),
                b"after_sensitive" => (8, &mut body.after_sensitive),
                b"before" => (16, &mut body.before),
                b"before_sensitive" => (32, &mut body.before_sensitive),
                _ => return s.skip(),
            };
            once(&mut seen, bit)?;
            *slot = s.opt_raw()?;
            Some(())
        })?;
        Some(body)
    }

    /// A member a change and a values resource share (`address`, `mode`, `type`, `name`,
    /// `index`), read into `n`; `false` for another member (not read).
    fn shared(&mut self, key: &[u8], seen: &mut u16, n: &mut Shared<'a>) -> Option<bool> {
        match key {
            b"address" => {
                once(seen, 1)?;
                n.address = self.opt_lit()?;
            }
            b"mode" => {
                once(seen, 2)?;
                n.mode = self.plain_str()?;
            }
            b"type" => {
                once(seen, 4)?;
                n.type_ = self.plain_str()?;
            }
            b"name" => {
                once(seen, 8)?;
                n.name = self.plain_str()?;
            }
            b"index" => {
                once(seen, 16)?;
                n.index = self.opt_raw()?;
            }
            _ => return Some(false),
        }
        Some(true)
    }

    /// One element of `resource_changes`, as `RawChange`.
    fn change(&mut self) -> Option<RawChange<'a>> {
        let mut n = Shared::default();
        let (mut module_address, mut deposed, mut change) = (None, None, None);
        let mut seen = 0u16;
        self.object(|s, key| {
            if s.shared(key, &mut seen, &mut n)? {
                return Some(());
            }
            match key {
                b"module_address" => {
                    once(&mut seen, 32)?;
                    module_address = s.opt_lit()?;
                }
                b"deposed" => {
                    once(&mut seen, 64)?;
                    deposed = s.opt_raw()?.map(|_| IgnoredAny);
                }
                b"change" => {
                    once(&mut seen, 128)?;
                    if !s.null()? {
                        change = Some(s.change_body()?);
                    }
                }
                _ => s.skip()?,
            }
            Some(())
        })?;
        Some(RawChange {
            address: n.address,
            module_address,
            mode: n.mode,
            type_: n.type_,
            name: n.name,
            index: n.index,
            deposed,
            change,
        })
    }

    /// One resource of a values representation, as `RawValuesResource`.
    fn values_resource(&mut self) -> Option<RawValuesResource<'a>> {
        let mut n = Shared::default();
        let (mut values, mut sensitive_values) = (None, None);
        let mut seen = 0u16;
        self.object(|s, key| {
            if s.shared(key, &mut seen, &mut n)? {
                return Some(());
            }
            match key {
                b"values" => {
                    once(&mut seen, 32)?;
                    values = s.opt_raw()?;
                }
                b"sensitive_values" => {
                    once(&mut seen, 64)?;
                    sensitive_values = s.opt_raw()?;
                }
                _ => s.skip()?,
            }
            Some(())
        })?;
        Some(RawValuesResource {
            address: n.address,
            mode: n.mode,
            type_: n.type_,
            name: n.name,
            index: n.index,
            values,
            sensitive_values,
        })
    }

    /// A module of a values representation (`ModuleSeed`), or `null`.
    fn module(&mut self, c: &mut Collected<'a>, prior: bool, child: bool) -> Option<()> {
        if self.null()? {
            return Some(());
        }
        c.module_depth += 1;
        c.deepest_module = c.deepest_module.max(c.module_depth);
        if c.module_depth > MAX_MODULE_DEPTH {
            return None;
        }
        let mut frame = Frame {
            child,
            addr: None,
            pending: Vec::new(),
        };
        let mut seen = 0u16;
        self.object(|s, key| {
            match key {
                b"resources" => {
                    once(&mut seen, 1)?;
                    s.or_null_array(|s| {
                        crate::cancel::check();
                        let r = s.values_resource()?;
                        if let Some(r) = frame.absolute(r) {
                            c.add_values_resource(r, prior);
                        }
                        Some(())
                    })?;
                }
                b"child_modules" => {
                    once(&mut seen, 2)?;
                    s.or_null_array(|s| s.module(c, prior, true))?;
                }
                b"address" => {
                    once(&mut seen, 4)?;
                    let a = s.lit()?;
                    if !prior && a.len() > 2 {
                        c.note_module(&a);
                    }
                    frame.addr = Some(a);
                }
                _ => s.skip()?,
            }
            Some(())
        })?;
        if frame.addr.is_none() {
            frame.addr = Some(Cow::Borrowed("\"\""));
        }
        for r in std::mem::take(&mut frame.pending) {
            if let Some(r) = frame.absolute(r) {
                c.add_values_resource(r, prior);
            }
        }
        c.module_depth -= 1;
        Some(())
    }

    /// A values representation (`ValuesSeed`), or `null`.
    fn values(&mut self, c: &mut Collected<'a>, prior: bool) -> Option<()> {
        if self.null()? {
            return Some(());
        }
        if !prior {
            c.keys.planned_object = true;
        }
        let mut seen = 0u16;
        self.object(|s, key| match key {
            b"root_module" => {
                once(&mut seen, 1)?;
                s.module(c, prior, false)
            }
            _ => s.skip(),
        })
    }

    /// `prior_state` (`PriorSeed`), or `null`.
    fn prior(&mut self, c: &mut Collected<'a>) -> Option<()> {
        if self.null()? {
            return Some(());
        }
        let mut seen = 0u16;
        self.object(|s, key| match key {
            b"values" => {
                once(&mut seen, 1)?;
                s.values(c, true)
            }
            _ => s.skip(),
        })
    }

    /// `resource_changes` or `deferred_changes` (`ChangesSeed`), or `null`.
    fn changes(&mut self, c: &mut Collected<'a>, deferred: bool) -> Option<()> {
        if self.null()? {
            return Some(());
        }
        if self.peek()? != b'[' {
            return None;
        }
        if !deferred {
            c.keys.changes_list = true;
        }
        self.array(|s| {
            crate::cancel::check();
            if !deferred {
                let rc = s.change()?;
                c.add_change(rc, false);
                return Some(());
            }
            let mut seen = 0u16;
            let mut change = None;
            s.object(|s, key| match key {
                b"resource_change" => {
                    once(&mut seen, 1)?;
                    if !s.null()? {
                        change = Some(s.change()?);
                    }
                    Some(())
                }
                _ => s.skip(),
            })?;
            if let Some(rc) = change {
                c.add_change(rc, true);
            }
            Some(())
        })
    }
}

/// The members of a resource that changes and values representations share.
#[derive(Default)]
struct Shared<'a> {
    address: Option<Lit<'a>>,
    mode: Cow<'a, str>,
    type_: Cow<'a, str>,
    name: Cow<'a, str>,
    index: Option<Span<'a>>,
}

/// Where a member of an object lies in its text: the name between its quotes (`escaped`
/// when it holds an escape, the name is then that literal's meaning) and the value.
pub(in crate::plan) struct MemberSpan {
    pub name: (usize, usize),
    pub escaped: bool,
    pub value: (usize, usize),
}

/// The members of the object at the start of `text`, each handed to `each` in order (what
/// follows the object is not looked at); `None` when it is not an object or not valid JSON
/// (or when `each` says `None`).
pub(in crate::plan) fn members(
    text: &str,
    mut each: impl FnMut(MemberSpan) -> Option<()>,
) -> Option<()> {
    let mut s = Scanner::new(text.as_bytes(), 0);
    s.eat(b'{')?;
    if s.peek()? == b'}' {
        return Some(());
    }
    loop {
        if s.peek()? != b'"' {
            return None;
        }
        let name_start = s.pos + 1;
        let escaped = s.string()?;
        let name = (name_start, s.pos - 1);
        s.eat(b':')?;
        s.ws();
        let value_start = s.pos;
        s.skip()?;
        each(MemberSpan {
            name,
            escaped,
            value: (value_start, s.pos),
        })?;
        match s.peek()? {
            b',' => s.pos += 1,
            b'}' => return Some(()),
            _ => return None,
        }
    }
}

/// Mark a member as read; `None` when it was already (left to the sequential reader).
#[inline]
fn once(seen: &mut u16, bit: u16) -> Option<()> {
    if *seen & bit != 0 {
        return None;
    }
    *seen |= bit;
    Some(())
}

/// `resource_changes` read ahead on the second thread: where it starts, its reading and
/// where it ends.
type Ahead<'a> = Option<(usize, Option<(Collected<'a>, usize)>)>;

/// Where the value after the last `"key":` in the text starts (a guess, see `split`).
fn guess_last(b: &[u8], quoted_key: &[u8]) -> Option<usize> {
    rfind_map(b, quoted_key, REV_CHUNK, |at| {
        let colon = skip_ws(b, at + quoted_key.len());
        (b.get(colon) == Some(&b':')).then(|| skip_ws(b, colon + 1))
    })
}

/// The bytes [`rfind_map`] searches at a time.
const REV_CHUNK: usize = 256 << 10;

/// The first `Some` of `f` over the occurrences of `needle` (not empty) that
/// `memmem::rfind_iter` gives, in its order: from the end, each ending where the one before
/// starts or earlier. Found by forward searches over `chunk` bytes at a time from the end:
/// the forward search has a SIMD prefilter the reverse one lacks, and the last
/// `"prior_state"` of a plan lies before that whole section (a fifth of the benchmark plan,
/// where the reverse search took 1.5% of the CPU time of a check).
fn rfind_map<T>(
    b: &[u8],
    needle: &[u8],
    chunk: usize,
    mut f: impl FnMut(usize) -> Option<T>,
) -> Option<T> {
    let n = needle.len();
    let finder = memchr::memmem::Finder::new(needle);
    // Where an occurrence must end to be given (the start of the last one given).
    let mut limit = b.len();
    let mut starts = Vec::new();
    let mut hi = b.len();
    while hi > 0 && n > 0 {
        let lo = hi.saturating_sub(chunk);
        // Occurrences starting in `lo..hi`, overlapping ones too: which of them the reverse
        // search gives depends on the occurrences after them.
        let window = &b[lo..(hi + n - 1).min(b.len())];
        starts.clear();
        let mut from = 0;
        while let Some(at) = finder.find(&window[from..]) {
            starts.push(lo + from + at);
            from += at + 1;
        }
        for &at in starts.iter().rev() {
            if at + n <= limit {
                if let Some(t) = f(at) {
                    return Some(t);
                }
                limit = at;
            }
        }
        hi = lo;
    }
    None
}

/// Read one section starting at `at` into a fresh [`Collected`].
fn section<'a>(
    b: &'a [u8],
    at: usize,
    read: impl FnOnce(&mut Scanner<'a>, &mut Collected<'a>) -> Option<()>,
) -> Option<(Collected<'a>, usize)> {
    let mut s = Scanner::new(b, at);
    let mut c = Collected::default();
    read(&mut s, &mut c)?;
    c.newline_seen |= s.newline;
    Some((c, s.pos))
}

/// Collect the whole document as the serde reader would, and the document as text; `None`
/// when it must be read by serde instead. A document of at least `split_min` bytes is
/// read on two threads: `resource_changes` (guessed where it starts, as in `split`) on a
/// second one.
pub(super) fn collect(bytes: &[u8], split_min: usize) -> Option<(&str, Collected<'_>)> {
    if bytes.len() < split_min {
        let mut c = walk(bytes, None, None)?;
        c.one_line = !c.newline_seen;
        return Some((whole(bytes), c));
    }
    // `resource_changes` is read on another thread ([`crate::par::with_background`]) while
    // this one walks the rest; the walk takes that reading when it reaches the section.
    let c = crate::par::with_background(
        || {
            let at = guess(bytes, b"\"resource_changes\"", 0)?;
            Some((at, section(bytes, at, |s, c| s.changes(c, false))))
        },
        |join| {
            // Terraform writes `prior_state` after `resource_changes`, near the end: searched
            // from the end (its last use as a member name).
            let prior = guess_last(bytes, b"\"prior_state\"")
                .map(|at| (at, section(bytes, at, |s, c| s.prior(c))));
            let mut join = || join().flatten();
            walk(bytes, Some(&mut join), prior)
        },
    )?;
    let mut c = c;
    c.one_line = !c.newline_seen;
    Some((whole(bytes), c))
}

/// The document, once the walk has read all of it without error.
fn whole(bytes: &[u8]) -> &str {
    // SAFETY: `walk` succeeded: every byte of the document was read by a scanner (the walk
    // itself, or a section read ahead whose start and end the walk reached), which accepts
    // only ASCII outside strings and well-formed UTF-8 inside them (see `Scanner::text`).
    unsafe { std::str::from_utf8_unchecked(bytes) }
}

/// The top-level object, key by key, as `TopSeed` reads it; sections read ahead are used
/// when they start where the walk finds them.
fn walk<'a>(
    b: &'a [u8],
    mut changes: Option<&mut dyn FnMut() -> Ahead<'a>>,
    mut prior: Option<(usize, Option<(Collected<'a>, usize)>)>,
) -> Option<Collected<'a>> {
    let mut s = Scanner::new(b, 0);
    let mut c = Collected::default();
    let mut seen_sections = 0u16;
    s.object(|s, key| {
        c.keys.any = true;
        let bit = match key {
            b"planned_values" => 1,
            b"resource_changes" => 2,
            b"prior_state" => 4,
            b"deferred_changes" => 8,
            b"configuration" => 16,
            b"variables" => 32,
            _ => 0,
        };
        if seen_sections & bit != 0 {
            return None;
        }
        seen_sections |= bit;
        match key {
            b"format_version" => {
                c.keys.format_version = true;
                c.format_version = Some(s.raw()?);
            }
            b"terraform_version" => c.terraform_version = Some(s.raw()?),
            b"errored" => c.errored = s.raw()? == "true",
            b"variables" => {
                c.keys.variables = true;
                c.variables = Some(s.raw()?);
            }
            b"configuration" => {
                c.keys.configuration = true;
                c.configuration = Some(s.raw()?);
            }
            b"planned_values" => {
                c.keys.planned_values = true;
                s.values(&mut c, false)?;
            }
            b"resource_changes" => {
                c.keys.resource_changes = true;
                s.ws();
                let at = s.pos;
                match changes.take().and_then(|join| join()) {
                    Some((guessed, result)) if guessed == at => {
                        let (part, end) = result?;
                        split::merge(&mut c, part);
                        s.pos = end;
                    }
                    _ => s.changes(&mut c, false)?,
                }
            }
            b"deferred_changes" => s.changes(&mut c, true)?,
            b"prior_state" => {
                c.keys.prior_state = true;
                s.ws();
                let at = s.pos;
                match prior.take() {
                    Some((guessed, result)) if guessed == at => {
                        let (part, end) = result?;
                        split::merge(&mut c, part);
                        s.pos = end;
                    }
                    _ => s.prior(&mut c)?,
                }
            }
            other => {
                match other {
                    b"output_changes" => c.keys.output_changes = true,
                    b"values" => c.keys.values = true,
                    b"provider_schemas" => c.keys.provider_schemas = true,
                    b"plan_format_version" => c.keys.plan_format_version = true,
                    b"lineage" | b"serial" => c.keys.raw_state = true,
                    b"valid" => c.keys.validate_output = true,
                    _ => {}
                }
                s.skip()?;
            }
        }
        Some(())
    })?;
    // (A newline after the document comes after every address: not counted.)
    c.newline_seen |= s.newline;
    // Only whitespace may follow the document.
    s.ws();
    (s.pos == b.len()).then_some(c)
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::{collect_with_serde, parse_splitting_from};
    use super::*;

    #[test]
    fn the_chunked_reverse_search_gives_what_rfind_gives() {
        // Small alphabets make occurrences close together, overlapping and across chunk
        // boundaries; every text is compared for several chunk sizes.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let needles: [&[u8]; 4] = [b"\"a\"", b"aa", b"\"", b"\"a\"a\""];
        for round in 0..2000 {
            let len = next(60);
            let text: Vec<u8> = (0..len).map(|_| b"\"a:b"[next(4)]).collect();
            let needle = needles[round % needles.len()];
            let want: Vec<usize> = memchr::memmem::rfind_iter(&text, needle).collect();
            for chunk in [1, 2, 3, 7, 64] {
                let mut got = Vec::new();
                let none: Option<()> = rfind_map(&text, needle, chunk, |at| {
                    got.push(at);
                    None
                });
                assert!(none.is_none());
                assert_eq!(got, want, "{:?} in {:?}, chunk {chunk}", needle, text);
                // Stops at the first hit `f` takes.
                if let Some(&second) = want.get(1) {
                    let mut calls = 0;
                    let hit = rfind_map(&text, needle, chunk, |at| {
                        calls += 1;
                        (calls == 2).then_some(at)
                    });
                    assert_eq!(hit, Some(second));
                }
            }
        }
        let b = br#"{"prior_state": 1, "x": "\"prior_state\"", "prior_state" :2}"#;
        assert_eq!(guess_last(b, b"\"prior_state\""), Some(b.len() - 2));
    }

    /// What the first pass collected, in a form to compare (maps sorted; each borrowed
    /// address with its offset in the text, which gives the findings' line and column).
    fn digest(text: &[u8], c: &Collected<'_>) -> String {
        let base = text.as_ptr() as usize;
        let at = |s: &str| {
            let p = s.as_ptr() as usize;
            (p >= base && p <= base + text.len()).then(|| p - base)
        };
        let mut flags = std::collections::BTreeMap::new();
        for (k, v) in &c.flagged {
            *flags.entry(k.lit.to_string()).or_insert(0) |= *v;
        }
        let seen: Vec<String> = flags.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let mut modules: Vec<&str> = c.module_instances.iter().map(|m| m.as_ref()).collect();
        modules.sort();
        let mut keyed: Vec<String> = c
            .keyed_bases
            .iter()
            .map(|(k, &at)| {
                let mut v: Vec<&&str> = c.keyed_keys[at].iter().collect();
                v.sort();
                format!("{k}:{v:?}")
            })
            .collect();
        keyed.sort();
        let entries: Vec<String> = c
            .entries
            .iter()
            .map(|e| {
                format!(
                    "{:?} {}@{:?} {:?} {:?} {} {} {:?} {:?} {:?} {:?} {:?} {:?}",
                    e.source,
                    e.address,
                    at(&e.address),
                    e.module_address,
                    e.mode,
                    e.type_,
                    e.name,
                    e.index,
                    e.action,
                    e.values.map(|v| (v, at(v))),
                    e.unknown,
                    e.sensitive,
                    e.before
                )
            })
            .collect();
        format!(
            "{:?}\n{:?} {:?} {} {:?} {:?}\n{seen:?}\n{:?}\n{entries:#?}\n{modules:?}\n{keyed:?}\n{} {}",
            c.keys,
            c.format_version,
            c.terraform_version,
            c.errored,
            c.variables,
            c.configuration,
            c.prior_data,
            c.has_sensitivity,
            c.deepest_module
        )
    }

    /// The scan (on one thread and on two) either leaves the document to serde, or
    /// collects exactly what serde collects; it never accepts what serde refuses. Whether
    /// the scan read it.
    fn agrees(text: &[u8], what: &str) -> bool {
        let serde = collect_with_serde(text, "p.json", usize::MAX);
        let mut read = false;
        for split_min in [usize::MAX, 0] {
            if let Some((t, c)) = collect(text, split_min) {
                assert_eq!(t.as_bytes(), text, "{what}");
                let Ok((_, ref s)) = serde else {
                    panic!("{what}: scanned, but serde refuses it");
                };
                assert_eq!(
                    digest(text, &c),
                    digest(text, s),
                    "{what} (split {split_min})"
                );
                read = true;
            }
        }
        read
    }

    /// A small deterministic generator (splitmix64), so that failures repeat.
    pub(in crate::plan::document) struct Rng(pub(in crate::plan::document) u64);
    impl Rng {
        pub(in crate::plan::document) fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }
        pub(in crate::plan::document) fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
        fn pick<T: Copy>(&mut self, items: &[T]) -> T {
            items[self.below(items.len())]
        }
    }

    const STRINGS: &[&str] = &[
        "",
        "a",
        "plain text",
        "ünïcödé ✓ 𝄞",
        r#"q\"uote"#,
        r"back\\slash",
        r"\n\t\r\b\f\/",
        r"\u00e9\u0000",
        r"\ud800 lone",
        "a longer string of text that runs past several eight-byte words",
        "abcdefg\u{7f}",
    ];
    const NUMBERS: &[&str] = &[
        "0",
        "-0",
        "1",
        "-12",
        "3.25",
        "1e5",
        "1E+5",
        "2.5e-3",
        "123456789012345678901234567890",
        "1e400",
    ];

    fn value(r: &mut Rng, depth: u32, out: &mut String) {
        let ws = |r: &mut Rng, out: &mut String| {
            out.push_str(r.pick(&["", "", "", " ", "\n", "\t", "\r\n  "]));
        };
        let kind = if depth > 4 { r.below(4) } else { r.below(6) };
        match kind {
            0 => {
                out.push('"');
                out.push_str(r.pick(STRINGS));
                out.push('"');
            }
            1 => out.push_str(r.pick(NUMBERS)),
            2 => out.push_str(r.pick(&["true", "false", "null"])),
            3 => out.push_str(r.pick(&["[]", "{}", "[ ]", "{ }"])),
            4 => {
                out.push('[');
                for i in 0..r.below(4) {
                    if i > 0 {
                        out.push(',');
                    }
                    ws(r, out);
                    value(r, depth + 1, out);
                    ws(r, out);
                }
                out.push(']');
            }
            _ => {
                out.push('{');
                for i in 0..r.below(4) {
                    if i > 0 {
                        out.push(',');
                    }
                    ws(r, out);
                    out.push('"');
                    out.push_str(r.pick(STRINGS));
                    out.push('"');
                    ws(r, out);
                    out.push(':');
                    ws(r, out);
                    value(r, depth + 1, out);
                }
                out.push('}');
            }
        }
    }

    /// Bytes that break JSON, strings or UTF-8 in interesting ways.
    const INSERTS: &[&[u8]] = &[
        b"\"",
        b"\\",
        b"\\x",
        b"\\u12g4",
        b"\\u12",
        b"\x01",
        b"\x1f",
        b"\x7f",
        b"\xff",
        b"\xc3",
        b"\xc3\xa9",
        b"\xc0\x80",
        b"\xe0\x80\x80",
        b"\xed\xa0\x80",
        b"\xf4\x90\x80\x80",
        b"\xf0\x9d\x84\x9e",
        b"\xe2\x9c",
        b",",
        b":",
        b"{",
        b"}",
        b"[",
        b"]",
        b"0",
        b"-",
        b".",
        b"e",
        b"01",
        b"1.",
        b"1e",
        b".5",
        b"-x",
        b"tru",
        b"nul",
        b" ",
        b"\n",
        b"\xc2\xa0",
    ];

    fn mutate(r: &mut Rng, text: &[u8]) -> Vec<u8> {
        let mut m = text.to_vec();
        match r.below(4) {
            0 => m.truncate(r.below(text.len() + 1)),
            1 => {
                let at = r.below(m.len() + 1);
                let with: &[u8] = r.pick(INSERTS);
                m.splice(at..at, with.iter().copied());
            }
            2 if !m.is_empty() => {
                let at = r.below(m.len());
                let with: &[u8] = r.pick(INSERTS);
                m.splice(at..at + 1, with.iter().copied());
            }
            _ if !m.is_empty() => {
                m.remove(r.below(m.len()));
            }
            _ => {}
        }
        m
    }

    /// The scanner's skip against serde_json's, with the UTF-8 check the reader does.
    fn skip_agrees(text: &[u8]) {
        let serde =
            std::str::from_utf8(text).is_ok() && serde_json::from_slice::<IgnoredAny>(text).is_ok();
        // Strings in the narrow blocks, then in the wide ones if this CPU has them.
        for width in [strings::Width::narrow(), strings::Width::detect()] {
            let mut s = Scanner::new(text, 0);
            s.width = width;
            let scan = s.skip().is_some() && {
                s.ws();
                s.pos == text.len()
            };
            assert_eq!(
                scan,
                serde,
                "scan {scan} ({width:?}), serde {serde}: {:?}",
                String::from_utf8_lossy(text)
            );
        }
    }

    #[test]
    fn skipping_accepts_and_refuses_what_serde_json_does_on_generated_texts() {
        let mut r = Rng(0x9e37_79b9_7f4a_7c15);
        let (mut valid, mut invalid) = (0, 0);
        for _ in 0..20_000 {
            let mut text = String::new();
            value(&mut r, 0, &mut text);
            skip_agrees(text.as_bytes());
            let mut m = text.into_bytes();
            for _ in 0..r.below(3) + 1 {
                m = mutate(&mut r, &m);
                skip_agrees(&m);
            }
            if serde_json::from_slice::<IgnoredAny>(&m).is_ok() && std::str::from_utf8(&m).is_ok() {
                valid += 1;
            } else {
                invalid += 1;
            }
        }
        // Both sides are exercised.
        assert!(
            valid > 2_000 && invalid > 2_000,
            "{valid} valid, {invalid} invalid"
        );
    }

    #[test]
    fn skipping_checks_strings_numbers_and_nesting_as_serde_json_does() {
        let cases: &[&[u8]] = &[
            b"\"\xff\"",
            b"\"\xed\xa0\x80\"",
            b"\"\xc0\xaf\"",
            b"\"\xf4\x90\x80\x80\"",
            b"\"abc\xe2\x9c\"",
            b"\"\xe2\x9c\x93\"",
            b"\"tab\there\"",
            b"\"\\ud800\"",
            b"\"\\u00\"",
            b"\"\\a\"",
            b"\"unterminated",
            b"\"12345678\\",
            b"01",
            b"-",
            b"-0",
            b"1.",
            b"1.e5",
            b"1e",
            b"1e+",
            b"+1",
            b".5",
            b"1.5E-07",
            b"[1,]",
            b"{\"a\":1,}",
            b"{\"a\" 1}",
            b"{1:1}",
            b"[1 2]",
            b"{\"a\":1}}",
            b"[}",
            b"truex",
            b"nul",
            b" \n\t\r[ ] \n",
            b"\xef\xbb\xbf{}",
            b"{\"a\":1,\"a\":2}",
        ];
        for c in cases {
            skip_agrees(c);
        }
        // Nesting far deeper than serde_json's limit for structures: skipping has none.
        for depth in [127, 128, 129, 10_000, 100_000] {
            let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            skip_agrees(deep.as_bytes());
            skip_agrees(&deep.as_bytes()[..deep.len() - 1]);
            let objects = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
            skip_agrees(objects.as_bytes());
        }
    }

    fn fixtures() -> Vec<std::path::PathBuf> {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "json") {
                    out.push(p);
                }
            }
        }
        let mut out = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata"),
            &mut out,
        );
        out.sort();
        out
    }

    #[test]
    fn every_fixture_is_collected_as_serde_collects_it() {
        let (mut scanned, mut serde_read) = (0, 0);
        for f in fixtures() {
            let bytes = std::fs::read(&f).unwrap();
            let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
            let what = f.display().to_string();
            let read = agrees(bytes, &what);
            scanned += usize::from(read);
            if collect_with_serde(bytes, "p.json", usize::MAX).is_ok() {
                serde_read += 1;
                // What serde reads, the scan reads too, unless a name the reader matches
                // is escaped or given twice: fixtures have neither.
                assert!(read, "{what}: read by serde, left by the scan");
            }
        }
        assert!(scanned > 300, "{scanned} of {serde_read} scanned");
    }

    /// The plan as the serde reader alone makes it.
    fn plan_by_serde(text: &[u8]) -> Result<crate::plan::Plan, String> {
        let (t, mut c) = collect_with_serde(text, "p.json", usize::MAX).map_err(|e| e.message)?;
        super::super::assemble(text, t, &mut c, "p.json").map_err(|e| e.message)
    }

    #[test]
    fn plans_read_through_the_scan_equal_plans_read_by_serde_line_and_column_included() {
        let mut compared = 0;
        for f in fixtures() {
            let Ok(text) = std::fs::read_to_string(&f) else {
                continue;
            };
            let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
                continue;
            };
            let what = f.display().to_string();
            // As written (one line, mostly), and spread over lines with indentation.
            for t in [text.clone(), serde_json::to_string_pretty(&value).unwrap()] {
                let (Ok(a), Ok(b)) = (
                    parse_splitting_from(t.as_bytes(), "p.json", usize::MAX),
                    plan_by_serde(t.as_bytes()),
                ) else {
                    continue;
                };
                assert_eq!(a.resources, b.resources, "{what}");
                let lines: Vec<_> = a.resources.iter().filter_map(|r| r.position).collect();
                assert_eq!(
                    lines,
                    b.resources
                        .iter()
                        .filter_map(|r| r.position)
                        .collect::<Vec<_>>()
                );
                assert_eq!(a.resource_count, b.resource_count, "{what}");
                assert_eq!(a.module_instances, b.module_instances, "{what}");
                assert_eq!(a.keyed_bases, b.keyed_bases, "{what}");
                compared += 1;
            }
        }
        assert!(compared > 300, "{compared} compared");
    }

    #[test]
    fn mutated_plans_are_collected_as_serde_collects_them_or_left_to_it() {
        let mut r = Rng(0x0123_4567_89ab_cdef);
        let plans: Vec<Vec<u8>> = fixtures()
            .iter()
            .filter_map(|f| std::fs::read(f).ok())
            .filter(|b| b.len() < 40_000 && serde_json::from_slice::<IgnoredAny>(b).is_ok())
            .take(40)
            .collect();
        assert!(plans.len() >= 20);
        // Members the reader matches, given again or escaped, and values of other types.
        let edits: &[(&[u8], &[u8])] = &[
            (b"\"type\":", b"\"type\":\"x\",\"type\":"),
            (b"\"address\":", b"\"address\":null,\"address\":"),
            (b"\"address\":", b"\"addr\\u0065ss\":"),
            (b"\"mode\":\"managed\"", b"\"mode\":\"man\\u0061ged\""),
            (b"\"actions\":[", b"\"actions\":[\"cre\\u0061te\","),
            (b"\"actions\":[", b"\"actions\":[1,"),
            (b"\"change\":", b"\"change\":[],\"x\":"),
            (b"\"resources\":[", b"\"resources\":[null,"),
            (b"\"resources\":[", b"\"resources\":[[],"),
            (b"\"child_modules\":[", b"\"child_modules\":[null,"),
            (
                b"\"root_module\":",
                b"\"root_module\":null,\"root_module\":",
            ),
            (b"\"planned_values\":", b"\"planned_values\":[],\"x\":"),
            (b"\"resource_changes\":", b"\"resource_changes\":{},\"x\":"),
            (b"\"index\":", b"\"index\":null,\"x\":"),
            (b"\"after\":", b"\"after\":null,\"x\":"),
            (
                b"\"format_version\":",
                b"\"format_version\":1,\"format_version\":",
            ),
            (b"{\"", b"{\"planned_values\":null,\""),
        ];
        let (mut scanned, mut total) = (0, 0);
        for (i, plan) in plans.iter().enumerate() {
            for (from, to) in edits {
                if let Some(at) = memchr::memmem::find(plan, from) {
                    let mut m = plan.clone();
                    m.splice(at..at + from.len(), to.iter().copied());
                    scanned += usize::from(agrees(&m, &format!("plan {i} edit {to:?}")));
                    total += 1;
                }
            }
            for k in 0..60 {
                let m = mutate(&mut r, plan);
                scanned += usize::from(agrees(&m, &format!("plan {i} mutant {k}")));
                total += 1;
            }
        }
        assert!(
            scanned > 0 && scanned < total,
            "{scanned} of {total} scanned"
        );
    }

    #[test]
    fn a_plan_is_known_to_be_one_line_when_no_newline_comes_before_its_end() {
        let one = |t: &[u8], split_min| collect(t, split_min).unwrap().1.one_line;
        for split_min in [usize::MAX, 0] {
            assert!(one(b"{\"a\":\"x\\ny\"}\n", split_min));
            assert!(!one(b"{\"a\":\n1}", split_min));
            assert!(!one(b"{\"resource_changes\":[\n],\"x\":1}", split_min));
            assert!(!one(
                b"{\"x\":1,\"prior_state\":{\"values\":\n{}}}",
                split_min
            ));
        }
    }

    #[test]
    fn deep_module_nesting_and_every_error_go_to_serde_for_the_message() {
        let doc = split::modules_nested(MAX_MODULE_DEPTH + 1);
        assert!(collect(doc.as_bytes(), usize::MAX).is_none());
        // The message is serde's, as before (here: none; the plan reads).
        assert!(parse_splitting_from(doc.as_bytes(), "p.json", usize::MAX).is_ok());
        let bad: &[(&[u8], &str)] = &[
            (
                b"{\"format_version\":\"1.2\",\"x\":\"\xff\"}",
                "is not UTF-8",
            ),
            (
                b"{\"format_version\":\"1.2\",\"planned_values\":[]}",
                "planned_values",
            ),
            (
                b"{\"format_version\":\"1.2\",\"resource_changes\":[{\"type\":1}]}",
                "line 1",
            ),
            (b"{\"format_version\":\"1.2\",\"x\":01}", "line 1"),
        ];
        for (text, expect) in bad {
            assert!(collect(text, usize::MAX).is_none());
            let e = parse_splitting_from(text, "p.json", usize::MAX).unwrap_err();
            assert!(e.message.contains(expect), "{}", e.message);
        }
    }
}
