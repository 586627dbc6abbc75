//! Getting the bytes of a plan: a file or stdin, capped in size; text encodings
//! (UTF-8 ± BOM, UTF-16 LE/BE, which Windows PowerShell writes); binary plans (zip files),
//! which only terraform or tofu can read, so they are converted with `show -json`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::{errors, LoadOptions, TERRAFORM_BIN_ENV};
use crate::error::UserError;

/// What the first bytes say the input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// UTF-8 JSON starting at `start` (3 when a BOM is skipped).
    Utf8 {
        start: usize,
    },
    Utf16Le {
        start: usize,
    },
    Utf16Be {
        start: usize,
    },
    /// A zip archive: a binary plan file.
    Zip,
}

pub(crate) fn classify(b: &[u8]) -> Encoding {
    match b {
        [0xEF, 0xBB, 0xBF, ..] => Encoding::Utf8 { start: 3 },
        [0xFF, 0xFE, ..] => Encoding::Utf16Le { start: 2 },
        [0xFE, 0xFF, ..] => Encoding::Utf16Be { start: 2 },
        [b'P', b'K', 3, 4, ..] | [b'P', b'K', 5, 6, ..] => Encoding::Zip,
        // UTF-16 without BOM (Out-File -Encoding unicode variants): JSON starts with an
        // ASCII character, so one of the first two bytes is zero.
        [c, 0, ..] if *c != 0 => Encoding::Utf16Le { start: 0 },
        [0, c, ..] if *c != 0 => Encoding::Utf16Be { start: 0 },
        _ => Encoding::Utf8 { start: 0 },
    }
}

pub(crate) fn check_size(len: u64, name: &str, opts: &LoadOptions) -> Result<(), UserError> {
    if len > opts.max_bytes {
        return Err(errors::too_large(name, opts.max_bytes));
    }
    Ok(())
}

/// The bytes of an input and, for a file, its path (needed to hand a binary plan to
/// terraform).
pub(crate) struct Raw {
    pub bytes: Buf,
    pub path: Option<PathBuf>,
}

/// Bytes read into memory, or a large regular file mapped (see [`mapped`]).
pub(crate) enum Buf {
    Owned(Vec<u8>),
    #[cfg(target_os = "linux")]
    Mapped(mapped::Mapping),
}

impl std::ops::Deref for Buf {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Buf::Owned(v) => v,
            #[cfg(target_os = "linux")]
            Buf::Mapped(m) => m,
        }
    }
}

impl From<Vec<u8>> for Buf {
    fn from(v: Vec<u8>) -> Buf {
        Buf::Owned(v)
    }
}

pub(crate) fn read_input(input: &str, opts: &LoadOptions) -> Result<Raw, UserError> {
    if input == "-" {
        return read_stdin(opts).map(|bytes| Raw {
            bytes: bytes.into(),
            path: None,
        });
    }
    let path = PathBuf::from(input);
    let cannot = |e: std::io::Error| {
        UserError::new(format!(
            "cannot read {input}: {}: check the path and permissions",
            io_reason(&e)
        ))
    };
    let meta = std::fs::metadata(&path).map_err(cannot)?;
    if meta.is_dir() {
        return Err(UserError::new(format!(
            "{input} is a directory: pass a plan file (`terraform show -json tfplan > plan.json`) or `-` for stdin"
        )));
    }
    check_size(meta.len(), input, opts)?;
    let file = std::fs::File::open(&path).map_err(cannot)?;
    if !meta.is_file() {
        // A device or a named pipe: its length says nothing, read it as a stream.
        let bytes = read_capped(&file, input, opts)?;
        return Ok(Raw {
            bytes: bytes.into(),
            path: Some(path),
        });
    }
    #[cfg(target_os = "linux")]
    if let Some(m) = mapped::map(&file, meta.len()) {
        return Ok(Raw {
            bytes: Buf::Mapped(m),
            path: Some(path),
        });
    }
    let bytes = match read_in_parallel(&file, meta.len()) {
        Some(bytes) => bytes,
        None => {
            // Exact capacity: the buffer is the largest allocation of a run, avoid doubling it.
            let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
            (&file)
                .take(opts.max_bytes.saturating_add(1))
                .read_to_end(&mut bytes)
                .map_err(cannot)?;
            bytes
        }
    };
    check_size(bytes.len() as u64, input, opts)?;
    Ok(Raw {
        bytes: bytes.into(),
        path: Some(path),
    })
}

/// Large plan files are mapped into memory rather than read. Reading a file that is in the
/// page cache copies every byte into fresh memory, whose pages the kernel must first clear
/// and fault in: on the 100 MB benchmark plan that took 70–85 ms of CPU, more than half of
/// the parse floor, where mapping it (with `MAP_POPULATE`, all page-table entries at once)
/// takes about 12 ms and copies nothing.
///
/// The catch of a mapping: if the file shrinks while it is mapped (rewritten by `>` during
/// the check), touching a page past the new end raises SIGBUS. A handler turns that into one
/// error line and exit code 2, as for any unreadable input, instead of a crash; a SIGBUS
/// anywhere else keeps its default action.
#[cfg(target_os = "linux")]
pub(crate) mod mapped {
    use std::os::unix::io::AsRawFd;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Files smaller than this are read: a mapping is not worth it.
    pub const MIN_LEN: u64 = 8 << 20;

    /// The mapping live at the moment (one at a time: plans are loaded one after another),
    /// for the SIGBUS handler.
    static START: AtomicUsize = AtomicUsize::new(0);
    static LEN: AtomicUsize = AtomicUsize::new(0);

    const TRUNCATED: &[u8] = b"error: a plan file shrank while ecsnet was reading it (was it being written?): let the writer finish, then run ecsnet again\n";

    /// A read-only private mapping of a whole file, unmapped on drop.
    pub struct Mapping {
        ptr: *mut libc::c_void,
        len: usize,
    }

    // SAFETY: the mapping is read-only and owned by this value alone.
    unsafe impl Send for Mapping {}
    unsafe impl Sync for Mapping {}

    impl std::ops::Deref for Mapping {
        type Target = [u8];
        fn deref(&self) -> &[u8] {
            // SAFETY: `ptr` is a live mapping of `len` readable bytes until drop.
            unsafe { std::slice::from_raw_parts(self.ptr as *const u8, self.len) }
        }
    }

    impl Drop for Mapping {
        fn drop(&mut self) {
            let _ =
                START.compare_exchange(self.ptr as usize, 0, Ordering::SeqCst, Ordering::SeqCst);
            // SAFETY: unmapping exactly what `map` mapped; no borrow of it outlives `self`.
            unsafe {
                libc::munmap(self.ptr, self.len);
            }
        }
    }

    /// Map a regular file of `len` bytes, or `None` (read it instead): small files, files
    /// that cannot be mapped, or a file that grew meanwhile.
    pub fn map(file: &std::fs::File, len: u64) -> Option<Mapping> {
        if len < MIN_LEN {
            return None;
        }
        let len = usize::try_from(len).ok()?;
        install_handler();
        // SAFETY: a fresh read-only private mapping of an open file; checked for failure.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE | libc::MAP_POPULATE,
                file.as_raw_fd(),
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return None;
        }
        let m = Mapping { ptr, len };
        // Only one mapping is watched; another live one (a library caller loading plans on
        // several threads) is simply not covered by the handler.
        if START
            .compare_exchange(0, ptr as usize, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
        {
            LEN.store(len, Ordering::SeqCst);
        }
        // Nothing past the length seen at the start: the file did not grow meanwhile.
        use std::os::unix::fs::FileExt;
        matches!(file.read_at(&mut [0u8; 1], len as u64), Ok(0)).then_some(m)
    }

    /// Gaps between the parts still to be read shorter than this stay: the kernel maps up
    /// to 64 KiB of a file around a page read again (fault-around), so giving back less
    /// saves little memory and costs a call, and the faults to read the pages again.
    pub const KEPT_GAP: usize = 128 << 10;

    /// Give back the memory of the mapping `text` lies in, when it lies in one, except the
    /// pages of `keep` (byte ranges of `text` still to be read, in order) and the gaps
    /// between them shorter than [`KEPT_GAP`]: one call per longer gap. The pages given back
    /// are dropped from this process, and a later read of them faults them in again from
    /// the page cache (a private mapping never written to reads as the file, `madvise(2)`).
    /// The plan reader calls it once it has walked the whole text, which from then on reads
    /// only the resources it keeps: resident memory stays near the size of the file instead
    /// of the file plus everything built from it. (Giving back everything, the kept
    /// resources were then faulted in again, most of the section that holds them.)
    pub fn release_except(text: &[u8], keep: &[(usize, usize)]) {
        let (start, len) = (START.load(Ordering::SeqCst), LEN.load(Ordering::SeqCst));
        let at = text.as_ptr() as usize;
        if start == 0 || at < start || at - start >= len {
            return;
        }
        for (from, to) in given_back(start, len, at, keep, page_size()) {
            // SAFETY: `from..to` lies inside the live read-only private file mapping
            // `start..start + len` (`map`, rounded up to whole pages), page-aligned;
            // dropping its pages changes no byte that can be read from it.
            unsafe {
                libc::madvise(from as *mut libc::c_void, to - from, libc::MADV_DONTNEED);
            }
        }
    }

    /// The page-aligned address ranges [`release_except`] gives back from the mapping of
    /// `len` bytes at `start` (page-aligned), for `keep` ranges of the text at `at`.
    pub(super) fn given_back(
        start: usize,
        len: usize,
        at: usize,
        keep: &[(usize, usize)],
        page: usize,
    ) -> Vec<(usize, usize)> {
        let end = (start + len).next_multiple_of(page);
        let mut out = Vec::new();
        // The whole pages from the one after `from` (or at it) to the one holding `to`.
        let mut give_back = |from: usize, to: usize| {
            let from = from.next_multiple_of(page).max(start);
            let to = (to & !(page - 1)).min(end);
            if to > from {
                out.push((from, to));
            }
        };
        let mut from = start;
        for &(s, e) in keep {
            let (s, e) = (at + s, at + e);
            if s >= from + KEPT_GAP {
                give_back(from, s);
            }
            from = from.max(e);
        }
        give_back(from, end);
        out
    }

    fn page_size() -> usize {
        // SAFETY: sysconf has no preconditions.
        let n = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        usize::try_from(n)
            .ok()
            .filter(|n| n.is_power_of_two())
            .unwrap_or(4096)
    }

    fn install_handler() {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            // SAFETY: installs an async-signal-safe handler (atomics, write, _exit) with a
            // zeroed, then filled, sigaction.
            unsafe {
                let mut sa: libc::sigaction = std::mem::zeroed();
                sa.sa_sigaction = on_sigbus as *const () as libc::sighandler_t;
                sa.sa_flags = libc::SA_SIGINFO;
                libc::sigemptyset(&mut sa.sa_mask);
                libc::sigaction(libc::SIGBUS, &sa, std::ptr::null_mut());
            }
        });
    }

    extern "C" fn on_sigbus(_: libc::c_int, info: *mut libc::siginfo_t, _: *mut libc::c_void) {
        // SAFETY: the kernel passes a valid siginfo to an SA_SIGINFO handler.
        let addr = unsafe { (*info).si_addr() } as usize;
        let start = START.load(Ordering::SeqCst);
        let len = LEN.load(Ordering::SeqCst);
        if start != 0 && addr >= start && addr - start < len {
            // SAFETY: write and _exit are async-signal-safe.
            unsafe {
                libc::write(2, TRUNCATED.as_ptr().cast(), TRUNCATED.len());
                libc::_exit(2);
            }
        }
        // Not in the plan: back to the default action, which the retried access meets.
        // SAFETY: signal() with SIG_DFL is async-signal-safe.
        unsafe {
            libc::signal(libc::SIGBUS, libc::SIG_DFL);
        }
    }
}

/// Files at least this large are read by two threads (see [`read_in_parallel`]).
const PARALLEL_READ_MIN: u64 = 8 << 20;

/// Read a large regular file of `len` bytes as two halves at once. Reading a file that is in
/// the page cache is a memory copy plus the faults on the fresh buffer, bound by one core;
/// on a plan of hundreds of MB that is a noticeable share of the run, and the second core is
/// otherwise idle at that point. `None` (read it the ordinary way) for small files, on any
/// error, or when the file's length changed meanwhile (a file still being written).
fn read_in_parallel(file: &std::fs::File, len: u64) -> Option<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    if len < PARALLEL_READ_MIN || usize::try_from(len).is_err() {
        return None;
    }
    let len = len as usize;
    // Zeroed allocation of this size comes straight from the OS: no pass to clear it.
    let mut bytes = vec![0u8; len];
    advise_huge_pages(&mut bytes);
    let (head, tail) = bytes.split_at_mut(len / 2);
    let tail_at = head.len() as u64;
    let ok = std::thread::scope(|s| {
        let helper = s.spawn(|| file.read_exact_at(tail, tail_at).is_ok());
        let head_ok = file.read_exact_at(head, 0).is_ok();
        helper.join().unwrap_or(false) && head_ok
    });
    // Nothing past the length seen at the start: the file did not grow while being read.
    let at_end = matches!(file.read_at(&mut [0u8; 1], len as u64), Ok(0));
    (ok && at_end).then_some(bytes)
}

/// Ask for 2 MiB pages for a large buffer not yet touched: filling it then takes one page
/// fault per 2 MiB instead of one per 4 KiB, which is much of the cost of reading a file
/// that is in the page cache. Only advice: without transparent huge pages it does nothing.
#[cfg(target_os = "linux")]
pub(super) fn advise_huge_pages(buf: &mut [u8]) {
    const HUGE: usize = 2 << 20;
    let start = buf.as_mut_ptr() as usize;
    let aligned = start.next_multiple_of(HUGE);
    let end = (start + buf.len()) & !(HUGE - 1);
    if end > aligned {
        // SAFETY: the range lies inside `buf`, which this function borrows mutably;
        // MADV_HUGEPAGE changes how pages are backed, never their contents.
        unsafe {
            libc::madvise(
                aligned as *mut libc::c_void,
                end - aligned,
                libc::MADV_HUGEPAGE,
            );
        }
    }
}

/// Transparent huge pages are a Linux feature.
#[cfg(not(target_os = "linux"))]
pub(super) fn advise_huge_pages(_buf: &mut [u8]) {}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

fn read_stdin(opts: &LoadOptions) -> Result<Vec<u8>, UserError> {
    // SAFETY: isatty only inspects the descriptor.
    if unsafe { libc::isatty(0) } == 1 {
        return Err(UserError::new(
            "stdin is a terminal, not a plan: pipe one in, e.g. `terraform show -json tfplan | ecsnet check -`",
        ));
    }
    read_capped(std::io::stdin().lock(), "stdin", opts)
}

/// How much of a stream is read before deciding whether it can be a plan at all.
const SNIFF_LEN: usize = 64 << 10;

/// Read all of `r` (stdin, a pipe, a device), refusing more than the cap without reading
/// past it. A stream longer than its first [`SNIFF_LEN`] bytes is read on only if those
/// bytes can start a plan (see [`cannot_start_a_plan`]): `/dev/zero` or random bytes are
/// refused at once instead of being collected up to the cap.
pub(crate) fn read_capped(
    r: impl Read,
    name: &str,
    opts: &LoadOptions,
) -> Result<Vec<u8>, UserError> {
    let cannot = |e: std::io::Error| {
        UserError::new(format!("cannot read {name}: {e}: pipe a plan into ecsnet"))
    };
    let cap = opts.max_bytes.saturating_add(1);
    let mut r = r.take(cap);
    let mut bytes = Vec::new();
    (&mut r)
        .take(SNIFF_LEN as u64)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() == SNIFF_LEN {
        if let Some(why) = cannot_start_a_plan(&bytes) {
            return Err(UserError::new(format!(
                "{name} is not a plan ({why}), and ecsnet stopped reading it: {}",
                "pass the output of `terraform show -json tfplan` (or the binary tfplan itself)"
            )));
        }
        r.read_to_end(&mut bytes).map_err(cannot)?;
    }
    check_size(bytes.len() as u64, name, opts)?;
    Ok(bytes)
}

/// Why the first bytes of a long stream cannot begin a plan in any accepted form (JSON text
/// in UTF-8 or UTF-16, or a zip), or `None` when they can.
fn cannot_start_a_plan(head: &[u8]) -> Option<String> {
    fn first_text(mut units: impl Iterator<Item = u32>) -> Option<u32> {
        units.find(|&u| !matches!(u, 0x20 | 0x09 | 0x0A | 0x0D))
    }
    let first = match classify(head) {
        Encoding::Zip => return None,
        Encoding::Utf8 { start } => first_text(head[start..].iter().map(|&b| u32::from(b))),
        Encoding::Utf16Le { start } => first_text(
            head[start..]
                .chunks_exact(2)
                .map(|c| u32::from(u16::from_le_bytes([c[0], c[1]]))),
        ),
        Encoding::Utf16Be { start } => first_text(
            head[start..]
                .chunks_exact(2)
                .map(|c| u32::from(u16::from_be_bytes([c[0], c[1]]))),
        ),
    };
    match first {
        Some(0x7B) => None,
        None => Some(format!("its first {} bytes are blank", head.len())),
        Some(c) => Some(format!(
            "it does not start with `{{` but with the character U+{c:04X}"
        )),
    }
}

/// UTF-8 JSON text, possibly starting after a BOM inside the buffer.
pub(crate) struct Json {
    buf: Buf,
    start: usize,
}

impl Json {
    pub fn as_slice(&self) -> &[u8] {
        &self.buf[self.start..]
    }
}

/// Turn any accepted input into UTF-8 JSON.
pub(crate) fn to_json_utf8(raw: Raw, name: &str, opts: &LoadOptions) -> Result<Json, UserError> {
    match classify(&raw.bytes) {
        Encoding::Utf8 { start } => Ok(Json {
            buf: raw.bytes,
            start,
        }),
        Encoding::Utf16Le { start } => decode_utf16(&raw.bytes[start..], name, u16::from_le_bytes),
        Encoding::Utf16Be { start } => decode_utf16(&raw.bytes[start..], name, u16::from_be_bytes),
        Encoding::Zip => {
            let json = match &raw.path {
                Some(p) => terraform_show(p, name, opts)?,
                None => {
                    // stdin or in-memory bytes: terraform needs a file.
                    let mut tmp = tempfile::Builder::new()
                        .prefix("ecsnet-plan-")
                        .tempfile()
                        .map_err(|e| {
                            UserError::new(format!(
                                "cannot create a temporary file for {name}: {e}"
                            ))
                        })?;
                    std::io::Write::write_all(&mut tmp, &raw.bytes[..]).map_err(|e| {
                        UserError::new(format!("cannot write a temporary file for {name}: {e}"))
                    })?;
                    drop(raw);
                    terraform_show(tmp.path(), name, opts)?
                }
            };
            // What terraform printed is itself one of the text encodings (UTF-8 in practice).
            match classify(&json) {
                Encoding::Zip => Err(UserError::new(format!(
                    "{name}: `terraform show -json` printed a binary file, not JSON: check --terraform-bin"
                ))),
                _ => to_json_utf8(
                    Raw {
                        bytes: json.into(),
                        path: None,
                    },
                    name,
                    opts,
                ),
            }
        }
    }
}

fn decode_utf16(b: &[u8], name: &str, unit: fn([u8; 2]) -> u16) -> Result<Json, UserError> {
    if !b.len().is_multiple_of(2) {
        return Err(UserError::new(format!(
            "{name} is UTF-16 text with an odd number of bytes: the file is truncated; write it again"
        )));
    }
    let units = b.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    let mut s = String::with_capacity(b.len() / 2);
    for ch in char::decode_utf16(units) {
        match ch {
            Ok(c) => s.push(c),
            Err(e) => {
                return Err(UserError::new(format!(
                    "{name} is not valid UTF-16 (unpaired surrogate 0x{:04x}): write it again, e.g. `terraform show -json tfplan | Out-File -Encoding utf8 plan.json`",
                    e.unpaired_surrogate()
                )))
            }
        }
    }
    Ok(Json {
        buf: s.into_bytes().into(),
        start: 0,
    })
}

/// The terraform (or tofu) binary: option, then `ECSNET_TERRAFORM_BIN`, then PATH.
pub(crate) fn find_terraform(opts: &LoadOptions) -> Option<PathBuf> {
    if let Some(b) = &opts.terraform_bin {
        return Some(b.clone());
    }
    if let Some(b) = std::env::var_os(TERRAFORM_BIN_ENV).filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(b));
    }
    search_path(&["terraform", "tofu"], std::env::var_os("PATH"))
}

/// The first of `names` found as an executable file in the directories of `path_var`.
pub(crate) fn search_path(names: &[&str], path_var: Option<std::ffi::OsString>) -> Option<PathBuf> {
    let path = path_var?;
    let dirs: Vec<PathBuf> = std::env::split_paths(&path)
        .filter(|d| !d.as_os_str().is_empty())
        .collect();
    names
        .iter()
        .find_map(|n| dirs.iter().map(|d| d.join(n)).find(|p| is_executable(p)))
}

pub(crate) fn terraform_missing_message(name: &str) -> String {
    format!(
        "{name} is a binary plan file, and reading it needs terraform or tofu, but neither is on PATH: \
         install one, pass --terraform-bin <path> (or set {TERRAFORM_BIN_ENV}), or pipe `terraform show -json tfplan | ecsnet check -`"
    )
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

fn terraform_show(plan: &Path, name: &str, opts: &LoadOptions) -> Result<Vec<u8>, UserError> {
    let Some(bin) = find_terraform(opts) else {
        return Err(UserError::new(terraform_missing_message(name)));
    };
    let out = Command::new(&bin)
        .arg("show")
        .arg("-json")
        .arg("-no-color")
        .arg(plan)
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| {
            UserError::new(format!(
                "{name} is a binary plan file, but `{}` could not be run ({}): pass --terraform-bin <path> (or set {TERRAFORM_BIN_ENV}) to a terraform or tofu binary",
                bin.display(),
                io_reason(&e)
            ))
        })?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        // Terraform reads any zip it is given; its verdict on a zip that is not a plan ends
        // a long box of text, so look for it rather than quoting the first line.
        if stderr.contains("not a valid plan file") {
            return Err(UserError::new(format!(
                "{name} is not a Terraform plan file (`{} show -json` says: the given file is not a valid plan file): pass the file written by `terraform plan -out FILE`, or its `terraform show -json` output",
                bin.display()
            )));
        }
        return Err(UserError::new(format!(
            "`{} show -json {name}` failed ({}): run ecsnet in the Terraform working directory after `terraform init`, or pipe `terraform show -json tfplan | ecsnet check -`",
            bin.display(),
            first_error_line(&stderr).unwrap_or_else(|| out.status.to_string())
        )));
    }
    // (UTF-16 or binary output is left to the decoding that follows, which names it.)
    if matches!(classify(&out.stdout), Encoding::Utf8 { .. })
        && !looks_like_json_object(&out.stdout)
    {
        return Err(UserError::new(format!(
            "`{} show -json {name}` printed text that is not JSON ({}): check that --terraform-bin (or {TERRAFORM_BIN_ENV}) names terraform or tofu",
            bin.display(),
            first_text_line(&out.stdout)
        )));
    }
    check_size(out.stdout.len() as u64, name, opts)?;
    Ok(out.stdout)
}

/// Does `text` start (after whitespace or a BOM) like a JSON object, as `show -json` output does?
fn looks_like_json_object(text: &[u8]) -> bool {
    let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    text.iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{')
}

/// The first non-empty line of some output, shortened, for an error message.
fn first_text_line(text: &[u8]) -> String {
    let text = String::from_utf8_lossy(text);
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let mut short: String = line.chars().take(80).collect();
    if short.len() < line.len() {
        short.push('…');
    }
    format!("it starts with {short:?}")
}

/// The gist of terraform's boxed error output: the `Error:` line and the sentence after.
fn first_error_line(stderr: &str) -> Option<String> {
    let lines: Vec<&str> = stderr
        .lines()
        .map(|l| l.trim_start_matches(['│', '╷', '╵', ' ']).trim())
        .filter(|l| !l.is_empty())
        .collect();
    let i = lines
        .iter()
        .position(|l| l.starts_with("Error:"))
        .unwrap_or(0);
    let mut s = lines.get(i)?.to_string();
    if let Some(next) = lines.get(i + 1) {
        s.push_str(": ");
        s.push_str(next);
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_file_read_in_two_halves_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.json");
        // Not a multiple of anything convenient, with every byte value, so a misplaced or
        // missing piece shows.
        let len = PARALLEL_READ_MIN as usize + 12_345;
        let data: Vec<u8> = (0..len).map(|i| (i * 7 + i / 4099) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        assert!(read_in_parallel(&file, len as u64) == Some(data.clone()));
        // A length that is no longer the file's (it grew or shrank): left to the plain read.
        assert!(read_in_parallel(&file, len as u64 - 1).is_none());
        assert!(read_in_parallel(&file, len as u64 + 1).is_none());
        let raw = read_input(path.to_str().unwrap(), &LoadOptions::default()).unwrap();
        assert!(raw.bytes[..] == data[..]);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_released_mapping_still_reads_as_the_file_and_a_buffer_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.json");
        let len = mapped::MIN_LEN as usize + 4099;
        let data: Vec<u8> = (0..len).map(|i| (i * 13 + i / 4093) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        let m = mapped::map(&file, len as u64).expect("a large file is mapped");
        mapped::release_except(&m[100..], &[]);
        assert!(m[..] == data[..], "read again from the file after release");
        mapped::release_except(&m[10..], &[(5000, 6000), (len / 2, len / 2 + 10)]);
        assert!(m[..] == data[..], "read again from the file after release");
        // Memory that is not the mapping (a buffer read from a pipe) is never released.
        let copy = data.clone();
        mapped::release_except(&copy, &[]);
        assert!(copy == data);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn what_is_given_back_spares_the_parts_still_to_be_read_and_short_gaps() {
        use mapped::{given_back, KEPT_GAP};
        let page = 4096;
        let (start, len) = (1 << 30, 40 * KEPT_GAP + 123);
        let end = (start + len).next_multiple_of(page);
        // Nothing to keep: everything.
        assert_eq!(given_back(start, len, start, &[], page), [(start, end)]);
        // The text starts 3 bytes in (a byte-order mark); kept ranges in order, two close
        // together (the gap between them stays), one far.
        let at = start + 3;
        let keep = [
            (10 * KEPT_GAP, 10 * KEPT_GAP + 100),
            (10 * KEPT_GAP + 5000, 11 * KEPT_GAP + 7),
            (30 * KEPT_GAP + 1, 30 * KEPT_GAP + 2),
        ];
        let out = given_back(start, len, at, &keep, page);
        assert_eq!(
            out,
            [
                (start, (at + 10 * KEPT_GAP) & !(page - 1)),
                (
                    (at + 11 * KEPT_GAP + 7).next_multiple_of(page),
                    (at + 30 * KEPT_GAP + 1) & !(page - 1)
                ),
                ((at + 30 * KEPT_GAP + 2).next_multiple_of(page), end),
            ]
        );
        for &(from, to) in &out {
            assert!(from % page == 0 && to % page == 0 && from < to);
            for &(s, e) in &keep {
                assert!(
                    to <= at + s || from >= at + e,
                    "{from}..{to} overlaps {s}..{e}"
                );
            }
        }
        // Ranges close to the start and to each other: only whole pages far from them.
        let keep = [(0, 10), (KEPT_GAP - 1, KEPT_GAP)];
        assert_eq!(
            given_back(start, len, start, &keep, page),
            [((start + KEPT_GAP).next_multiple_of(page), end)]
        );
    }

    /// Where the child of the test below finds its file.
    #[cfg(target_os = "linux")]
    const SHRINK_CHILD: &str = "ECSNET_TEST_SHRINK_CHILD";

    #[cfg(target_os = "linux")]
    #[test]
    fn a_mapped_plan_file_that_shrinks_is_an_error_line_and_exit_2() {
        use std::io::Write;
        if let Some(path) = std::env::var_os(SHRINK_CHILD) {
            // The child: map the file, cut it short, touch its last byte.
            let file = std::fs::File::open(&path).unwrap();
            let len = file.metadata().unwrap().len();
            let m = mapped::map(&file, len).expect("a large file is mapped");
            std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .unwrap()
                .set_len(0)
                .unwrap();
            let last = std::hint::black_box(m[m.len() - 1]);
            // Not reached: the access above ends the process.
            std::process::exit(i32::from(last) + 100);
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.json");
        let mut f = std::fs::File::create(&path).unwrap();
        f.write_all(&vec![b' '; mapped::MIN_LEN as usize + 4096])
            .unwrap();
        drop(f);
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "plan::input::tests::a_mapped_plan_file_that_shrinks_is_an_error_line_and_exit_2",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(SHRINK_CHILD, &path)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{:?}: {stderr}", out.status);
        assert!(
            stderr.contains("error: a plan file shrank while ecsnet was reading it"),
            "{stderr}"
        );
    }
}
