//! Finding and reading the Terraform sources of a plan: the root module, the modules it
//! calls (through `.terraform/modules/modules.json`, or local `source` paths when
//! `terraform init` has not run here), their `.tf` files, and inline suppressions.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::address::{parse_attr_path, Borrowed, PathStep};
use crate::tree::{self, Attr, Block, Body};

/// Most modules read for one configuration (guards against a module calling itself).
const MAX_MODULES: usize = 100_000;
/// Deepest module nesting followed.
const MAX_DEPTH: usize = 32;
/// Heap reserved before parsing, per byte of text (see [`crate::reserve_thread_heap`]).
const HEAP_PER_TEXT_BYTE: usize = 32;
/// Largest `.tf` file read.
const MAX_FILE_BYTES: u64 = 16 << 20;

/// Why sources could not be read: one line, naming the file (and line) concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError(pub String);

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SourceError {}

/// A `.tf` file read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path shown to users: relative to the repository root (the nearest directory up
    /// from the root module holding `.git`), or to the current directory outside a
    /// repository. Never absolute; `/` separators.
    pub display: String,
}

/// A top-level item of a module and the file it is in. The parsed node is shared (read it
/// through `Arc`'s `Deref`): byte-identical files, such as the copies `terraform init` makes
/// of a registry module for each call, are parsed once.
#[derive(Debug, Clone)]
pub struct Item<T> {
    pub file: usize,
    pub node: Arc<T>,
}

/// One module directory, parsed.
#[derive(Debug, Clone, Default)]
pub struct Module {
    /// Directory relative to the root module (`.` for the root), `/` separators; what
    /// `path.module` evaluates to.
    pub rel_dir: String,
    /// `resource` and `data` blocks by `TYPE.NAME` / `data.TYPE.NAME`.
    pub resources: BTreeMap<String, Item<Block>>,
    pub variables: BTreeMap<String, Item<Block>>,
    pub locals: BTreeMap<String, Item<Attr>>,
    pub outputs: BTreeMap<String, Item<Block>>,
    /// `module "NAME"` calls.
    pub calls: BTreeMap<String, Item<Block>>,
}

/// An inline suppression: `# ecsnet:ignore NET044 -- reason` (or `//`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub file: usize,
    /// Line of the comment.
    pub line: u32,
    /// The line it applies to: its own when it trails code, else the next line of code.
    pub target: u32,
    pub rules: Vec<String>,
    pub reason: String,
}

/// Where a finding points in the sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// Display path of the file.
    pub file: String,
    /// Line of the deepest block or attribute of the attribute path found, else of the
    /// resource block.
    pub line: u32,
    /// Every (file index, line) from the resource block down to `line`: a suppression on
    /// any of them applies.
    pub chain: Vec<(usize, u32)>,
}

/// The Terraform sources of one configuration.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// The root module directory as given (may be relative).
    pub root_dir: PathBuf,
    pub files: Vec<SourceFile>,
    /// Parsed module directories; a directory called several times is parsed once.
    pub modules: Vec<Module>,
    /// Module key as in `modules.json` (`""` root, `svc`, `svc.inner`) → index in `modules`.
    pub by_key: HashMap<String, usize>,
    pub suppressions: Vec<Suppression>,
    /// Module calls whose source could not be found (registry modules without
    /// `modules.json`): their keys.
    pub unresolved: Vec<String>,
}

/// Does this directory hold `.tf` files?
pub fn has_tf_files(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .any(|e| e.path().extension().is_some_and(|x| x == "tf") && e.path().is_file())
        })
        .unwrap_or(false)
}

impl Sources {
    /// Read the configuration whose root module is `root`.
    ///
    /// Errors (one line each): `root` is not a directory or has no `.tf` file, a file
    /// cannot be read or parsed (`path:line:column: message`), a malformed
    /// `modules.json`, a suppression without a reason.
    pub fn load(root: &Path) -> Result<Sources, SourceError> {
        if !root.is_dir() {
            return Err(SourceError(format!(
                "--source {}: not a directory",
                root.display()
            )));
        }
        if !has_tf_files(root) {
            return Err(SourceError(format!(
                "--source {}: no .tf file in this directory",
                root.display()
            )));
        }
        let base = display_base(root);
        let manifest = read_manifest(root)?;
        let mut s = Sources {
            root_dir: root.to_path_buf(),
            ..Sources::default()
        };
        let mut cache = ParseCache {
            texts: TextIndex::default(),
            parsed: Vec::new(),
            by_texts: FastMap::default(),
            dirs: Resolver::new(root),
        };
        let mut dirs = ModuleDirs::default();
        let root_dir = dirs.id_of(PathBuf::from("."));
        // Breadth-first over module keys: (key, directory, depth).
        let mut queue: Vec<(String, usize, usize)> = vec![(String::new(), root_dir, 0)];
        let mut qi = 0;
        while qi < queue.len() {
            // Each entry is visited once: taken, not copied.
            let (key, dir, depth) = std::mem::take(&mut queue[qi]);
            qi += 1;
            let idx = match dirs.read[dir] {
                Some(i) => i,
                None => {
                    if s.modules.len() >= MAX_MODULES {
                        return Err(SourceError(format!(
                            "{}: more than {MAX_MODULES} module directories",
                            root.display()
                        )));
                    }
                    let m = s.read_module(root, &dirs.paths[dir], &base, &mut cache)?;
                    s.modules.push(m);
                    dirs.read[dir] = Some(s.modules.len() - 1);
                    s.modules.len() - 1
                }
            };
            let calls = &s.modules[idx].calls;
            if depth < MAX_DEPTH && !calls.is_empty() {
                s.by_key.reserve(calls.len());
                let parent = dirs.paths[dir].clone();
                // The calls of one module naming one local source (a module called many
                // times) find its directory once.
                let mut by_src: FastMap<&str, Option<usize>> = FastMap::default();
                // The calls are read in place (fields of `s` apart from `modules` are written).
                for (name, c) in calls {
                    let child = if key.is_empty() {
                        name.clone()
                    } else {
                        format!("{key}.{name}")
                    };
                    let src = c.node.body.attr("source").and_then(|a| match &a.expr {
                        hcl::Expression::String(s) => Some(s.as_str()),
                        _ => None,
                    });
                    let found = match (&manifest, src) {
                        (Some(m), _) if m.contains_key(&child) => {
                            dirs.existing(root, PathBuf::from(&m[&child]))
                        }
                        (_, Some(src)) if src.starts_with("./") || src.starts_with("../") => {
                            *by_src.entry(src).or_insert_with(|| {
                                dirs.existing(root, joined(&parent, Path::new(src)))
                            })
                        }
                        _ => None,
                    };
                    match found {
                        Some(d) => queue.push((child, d, depth + 1)),
                        None => s.unresolved.push(child),
                    }
                }
            }
            s.by_key.insert(key, idx);
        }
        Ok(s)
    }

    fn read_module(
        &mut self,
        root: &Path,
        rel: &Path,
        base: &Base,
        cache: &mut ParseCache,
    ) -> Result<Module, SourceError> {
        let dir = joined(root, rel);
        // The `.tf` files (symbolic links to files included), with the entry's type from the
        // directory listing, so only links cost a `stat`.
        let mut paths: Vec<(PathBuf, bool)> = std::fs::read_dir(&dir)
            .map_err(|e| SourceError(format!("{}: {e}", base.show(&dir))))?
            .flatten()
            .filter_map(|e| {
                let name = e.file_name();
                if Path::new(&name).extension().is_none_or(|x| x != "tf") {
                    return None;
                }
                let p = joined(&dir, Path::new(&name));
                let link = e.file_type().ok()?.is_symlink();
                let file = if link {
                    p.is_file()
                } else {
                    e.file_type().ok()?.is_file()
                };
                file.then_some((p, link))
            })
            .collect();
        paths.sort();
        // The directory is resolved once; a file that is a link is resolved on its own.
        let dir_abs = cache.dirs.resolve(root, rel);
        // What the display paths of the directory's files start with, worked out once.
        let shown_dir = dir_abs.as_deref().and_then(|d| base.prefix_of(d));
        let first = self.files.len();
        // The texts of the files, in order, as indexes in `cache.parsed`.
        let mut texts = Vec::with_capacity(paths.len());
        for (path, link) in paths {
            let display = match (&shown_dir, &dir_abs, path.file_name(), link) {
                (_, _, _, true) | (_, None, _, _) | (_, _, None, _) => base.show(&path),
                (Some(prefix), _, Some(name), false) => match name.to_str() {
                    Some(name) => {
                        let mut shown = String::with_capacity(prefix.len() + name.len());
                        shown.push_str(prefix);
                        shown.push_str(name);
                        shown
                    }
                    None => base.show(&path),
                },
                (None, Some(d), Some(name), false) => base.show_resolved(&d.join(name), &path),
            };
            let text = cache.parse(read_tf(&path, &display)?, &display)?;
            let file = self.files.len();
            self.files.push(SourceFile { display });
            self.suppressions.extend(
                cache.parsed[text]
                    .suppressions
                    .iter()
                    .map(|s| Suppression { file, ..s.clone() }),
            );
            texts.push(text);
        }
        let (rel_dir, idx) = (slash(rel), self.modules.len());
        match cache.by_texts.entry(texts) {
            // Another copy of a module (its texts in the same order): its items, in the
            // files of this directory (which come in the same order).
            Entry::Occupied(e) => {
                let (prev, prev_first) = *e.get();
                Ok(self.modules[prev].moved(rel_dir, prev_first, first))
            }
            Entry::Vacant(e) => {
                let files: Vec<(&FileItems, usize)> = (e.key().iter().enumerate())
                    .map(|(k, &text)| (&cache.parsed[text].items, first + k))
                    .collect();
                let m = FileItems::module(rel_dir, &files);
                // The caller adds the module read at this index.
                e.insert((idx, first));
                Ok(m)
            }
        }
    }

    /// The module read for a module key (`""`, `svc`, `svc.inner`).
    pub fn module(&self, key: &str) -> Option<&Module> {
        self.by_key.get(key).map(|&i| &self.modules[i])
    }

    /// The `resource`/`data` block of a plan address, through module calls.
    pub fn resource_block(&self, address: &str) -> Option<&Item<Block>> {
        // The module key (`a.b`) written as the address is read; nothing else is copied.
        let mut key = String::new();
        let b = Borrowed::scan(address, |name, _| {
            if !key.is_empty() {
                key.push('.');
            }
            key.push_str(name);
        })?;
        self.module(&key)?.resources.get(b.block_name)
    }

    /// Does the configuration declare this plan address (resource or data source)?
    pub fn declares(&self, address: &str) -> bool {
        self.resource_block(address).is_some()
    }

    /// Where a finding about `address` (and optionally an attribute path inside it,
    /// `network_configuration[0].subnets`) points: the deepest attribute or nested block
    /// of the path present in the sources (through `dynamic` blocks), else the resource
    /// block. `None` when the sources do not declare the address.
    pub fn locate(&self, address: &str, attribute: Option<&str>) -> Option<Located> {
        let item = self.resource_block(address)?;
        let mut chain = vec![(item.file, item.node.line)];
        let steps = attribute.and_then(parse_attr_path).unwrap_or_default();
        let mut body: &Body = &item.node.body;
        let mut i = 0;
        while let Some(PathStep::Name(name)) = steps.get(i) {
            i += 1;
            if let Some(a) = body.attr(name) {
                chain.push((item.file, a.line));
                break;
            }
            let index = match steps.get(i) {
                Some(PathStep::Index(crate::address::Key::Int(n))) => {
                    i += 1;
                    Some(*n as usize)
                }
                _ => None,
            };
            let statics: Vec<&Block> = body.blocks_of(name).collect();
            let dynamics: Vec<&Block> = body.dynamic_of(name).collect();
            let next = if dynamics.is_empty() {
                statics.get(index.unwrap_or(0)).copied()
            } else if statics.is_empty() && dynamics.len() == 1 {
                // The instances of a dynamic block all come from its one `content`.
                let d = dynamics[0];
                chain.push((item.file, d.line));
                d.body.blocks_of("content").next()
            } else {
                None
            };
            match next {
                Some(b) => {
                    chain.push((item.file, b.line));
                    body = &b.body;
                }
                None => break,
            }
        }
        let (file, line) = *chain.last().expect("chain starts with the resource");
        Some(Located {
            file: self.files[file].display.clone(),
            line,
            chain,
        })
    }

    /// The suppression of `rule` on a located finding, if any: its reason.
    pub fn suppression_for(&self, located: &Located, rule: &str) -> Option<&Suppression> {
        self.suppressions.iter().find(|s| {
            s.rules.iter().any(|r| r.eq_ignore_ascii_case(rule))
                && located.chain.contains(&(s.file, s.target))
        })
    }
}

/// A `.tf` file's bytes; files over [`MAX_FILE_BYTES`] are refused before they are read.
/// Only a text not read before is checked to be UTF-8 ([`not_utf8`]).
fn read_tf(path: &Path, display: &str) -> Result<Vec<u8>, SourceError> {
    let f = std::fs::File::open(path).map_err(|e| cannot_read(display, e))?;
    let len = f.metadata().map(|md| md.len()).unwrap_or(0);
    if len > MAX_FILE_BYTES {
        return Err(SourceError(format!(
            "{display}: larger than {} MiB",
            MAX_FILE_BYTES >> 20
        )));
    }
    // `File::read_to_end` would ask the file's size again (`statx` and `lseek`); through
    // `Take` it reads into the room made here, one more read finding the end.
    let mut bytes = Vec::with_capacity(len as usize + 1);
    f.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| cannot_read(display, e))?;
    Ok(bytes)
}

fn cannot_read(display: &str, e: std::io::Error) -> SourceError {
    SourceError(format!("{display}: cannot read: {e}"))
}

/// The error `read_to_string` gives for a file that is not UTF-8.
fn not_utf8(display: &str) -> SourceError {
    cannot_read(
        display,
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        ),
    )
}

/// The `.tf` texts parsed during one load, by content: a file byte-identical to one read
/// before (each call of a registry module gets its own copy) is not parsed again; its items
/// are shared and its suppressions copied (their `file` is set for each copy).
struct ParseCache {
    texts: TextIndex,
    /// What parsing each text gave (by its index in `texts`).
    parsed: Vec<Parsed>,
    /// Module read (index in [`Sources::modules`]) and its first file, by the texts of its
    /// files in order (indexes in `parsed`).
    by_texts: FastMap<Vec<usize>, (usize, usize)>,
    dirs: Resolver,
}

impl ParseCache {
    /// The index in `parsed` of a file's text, parsed if it was not read before.
    fn parse(&mut self, bytes: Vec<u8>, display: &str) -> Result<usize, SourceError> {
        // A byte-identical file was read before: same items, same comments.
        if let Some(id) = self.texts.find(&bytes) {
            return Ok(id);
        }
        let text = std::str::from_utf8(&bytes).map_err(|_| not_utf8(display))?;
        // Parsing allocates about 27 bytes per byte of text (hcl-edit's tree, then ours);
        // sources are read on a thread of their own.
        crate::reserve_thread_heap(text.len() * HEAP_PER_TEXT_BYTE);
        let body = tree::parse(text).map_err(|err| SourceError(format!("{display}:{err}")))?;
        let suppressions = scan_suppressions(text, 0)
            .map_err(|(line, msg)| SourceError(format!("{display}:{line}: {msg}")))?;
        self.parsed.push(Parsed {
            items: FileItems::of(body),
            suppressions,
        });
        Ok(self.texts.add(bytes))
    }
}

/// Texts read, found again by content: first among the few read of the same length (the
/// copies of a module are; comparing costs less than hashing), past those by a seeded
/// hash of the whole text (so that crafted texts cannot be made to pile up on one length).
#[derive(Default)]
struct TextIndex {
    texts: Vec<Vec<u8>>,
    /// The first [`FEW_OF_A_LENGTH`] texts of each length.
    by_len: FastMap<usize, Vec<usize>>,
    /// The others.
    by_hash: FastMap<u64, Vec<usize>>,
    seed: Seeded,
}

/// Texts of one length compared before hashing.
const FEW_OF_A_LENGTH: usize = 4;

impl TextIndex {
    /// The index of a text equal to `bytes`.
    fn find(&self, bytes: &[u8]) -> Option<usize> {
        let same_len = self.by_len.get(&bytes.len())?;
        let equal = |&id: &usize| self.texts[id] == bytes;
        if let Some(&id) = same_len.iter().find(|id| equal(id)) {
            return Some(id);
        }
        if same_len.len() < FEW_OF_A_LENGTH {
            return None;
        }
        let by_hash = self.by_hash.get(&self.seed.hash_one(bytes))?;
        by_hash.iter().find(|id| equal(id)).copied()
    }

    /// Add a text not found; its index.
    fn add(&mut self, bytes: Vec<u8>) -> usize {
        let id = self.texts.len();
        let same_len = self.by_len.entry(bytes.len()).or_default();
        if same_len.len() < FEW_OF_A_LENGTH {
            same_len.push(id);
        } else {
            let hash = self.seed.hash_one(&bytes[..]);
            self.by_hash.entry(hash).or_default().push(id);
        }
        self.texts.push(bytes);
        id
    }
}

/// The module directories calls lead to, each once, by their normalized path relative to
/// the root.
#[derive(Default)]
struct ModuleDirs {
    paths: Vec<PathBuf>,
    /// The module read from each (index in [`Sources::modules`]), once it is.
    read: Vec<Option<usize>>,
    /// Index by path (normalized paths are plain components joined by the separator, so
    /// their bytes compare as the paths do, and hash faster than a path's components).
    ids: FastMap<OsString, usize>,
}

impl ModuleDirs {
    /// The index of directory `d` (relative to the root, as a call names it); `None` when
    /// it is not a directory.
    fn existing(&mut self, root: &Path, d: PathBuf) -> Option<usize> {
        joined(root, &d).is_dir().then(|| self.id_of(d))
    }

    fn id_of(&mut self, d: PathBuf) -> usize {
        let norm = normalize(&d);
        if let Some(&id) = self.ids.get(norm.as_os_str()) {
            return id;
        }
        let id = self.paths.len();
        self.ids.insert(norm.as_os_str().to_owned(), id);
        self.paths.push(norm);
        self.read.push(None);
        id
    }
}

/// Resolves module directories to their canonical paths as `std::fs::canonicalize` does, but
/// from the canonical root one component at a time, remembering each one: a module
/// directory next to one already resolved costs one `lstat`, not a walk of its whole path.
struct Resolver {
    root_abs: Option<PathBuf>,
    /// By canonical parent joined with one name (bytes compare as the paths do).
    memo: FastMap<OsString, Resolved>,
}

/// What a path below a canonical directory resolves to.
enum Resolved {
    /// The path itself: not a symbolic link.
    Itself,
    Link(PathBuf),
    Missing,
}

impl Resolver {
    fn new(root: &Path) -> Resolver {
        Resolver {
            root_abs: std::fs::canonicalize(root).ok(),
            memo: FastMap::default(),
        }
    }

    /// The canonical path of `root/rel` (`rel` normalized); `None` when it cannot be
    /// resolved.
    fn resolve(&mut self, root: &Path, rel: &Path) -> Option<PathBuf> {
        let root_abs = self.root_abs.as_deref()?;
        // Room for the whole path (most are the root and plain names).
        let mut cur =
            PathBuf::with_capacity(root_abs.as_os_str().len() + rel.as_os_str().len() + 1);
        cur.push(root_abs);
        for c in rel.components() {
            match c {
                Component::CurDir => {}
                // The parent of a canonical path is its last component removed.
                Component::ParentDir => {
                    cur.pop();
                }
                Component::Normal(name) => {
                    cur.push(name);
                    if !self.memo.contains_key(cur.as_os_str()) {
                        let found = match std::fs::symlink_metadata(&cur) {
                            Ok(md) if md.file_type().is_symlink() => std::fs::canonicalize(&cur)
                                .map_or(Resolved::Missing, Resolved::Link),
                            Ok(_) => Resolved::Itself,
                            Err(_) => Resolved::Missing,
                        };
                        self.memo.insert(cur.as_os_str().to_owned(), found);
                    }
                    match &self.memo[cur.as_os_str()] {
                        Resolved::Itself => {}
                        Resolved::Link(target) => cur.clone_from(target),
                        Resolved::Missing => return None,
                    }
                }
                // An absolute directory (a manifest may name one): resolved whole.
                Component::RootDir | Component::Prefix(_) => {
                    return std::fs::canonicalize(root.join(rel)).ok();
                }
            }
        }
        Some(cur)
    }
}

struct Parsed {
    items: FileItems,
    suppressions: Vec<Suppression>,
}

/// The top-level items of one file, in source order, by kind.
#[derive(Default)]
struct FileItems {
    resources: Vec<(String, Arc<Block>)>,
    variables: Vec<(String, Arc<Block>)>,
    locals: Vec<(String, Arc<Attr>)>,
    outputs: Vec<(String, Arc<Block>)>,
    calls: Vec<(String, Arc<Block>)>,
}

impl Module {
    /// The same items in other files: those of this module's files (from `first`) at the
    /// same places from `to`.
    fn moved(&self, rel_dir: String, first: usize, to: usize) -> Module {
        fn moved<T: Clone>(
            map: &BTreeMap<String, Item<T>>,
            first: usize,
            to: usize,
        ) -> BTreeMap<String, Item<T>> {
            let mut map = map.clone();
            for item in map.values_mut() {
                item.file = item.file - first + to;
            }
            map
        }
        Module {
            rel_dir,
            resources: moved(&self.resources, first, to),
            variables: moved(&self.variables, first, to),
            locals: moved(&self.locals, first, to),
            outputs: moved(&self.outputs, first, to),
            calls: moved(&self.calls, first, to),
        }
    }
}

impl FileItems {
    fn of(body: Body) -> FileItems {
        let mut f = FileItems::default();
        for b in body.blocks {
            let label = |i: usize| b.labels.get(i).cloned().unwrap_or_default();
            match b.kind.as_str() {
                "resource" if b.labels.len() == 2 => {
                    let key = format!("{}.{}", label(0), label(1));
                    f.resources.push((key, Arc::new(b)));
                }
                "data" if b.labels.len() == 2 => {
                    let key = format!("data.{}.{}", label(0), label(1));
                    f.resources.push((key, Arc::new(b)));
                }
                "variable" if b.labels.len() == 1 => f.variables.push((label(0), Arc::new(b))),
                "output" if b.labels.len() == 1 => f.outputs.push((label(0), Arc::new(b))),
                "module" if b.labels.len() == 1 => f.calls.push((label(0), Arc::new(b))),
                "locals" => {
                    for a in b.body.attrs {
                        f.locals.push((a.name.clone(), Arc::new(a)));
                    }
                }
                _ => {}
            }
        }
        f
    }

    /// The module of the items of `files`, each file's as those of the file of its index (a
    /// later item of a name replaces an earlier one's).
    fn module(rel_dir: String, files: &[(&FileItems, usize)]) -> Module {
        Module {
            rel_dir,
            resources: Self::by_name(files, |f| &f.resources),
            variables: Self::by_name(files, |f| &f.variables),
            locals: Self::by_name(files, |f| &f.locals),
            outputs: Self::by_name(files, |f| &f.outputs),
            calls: Self::by_name(files, |f| &f.calls),
        }
    }

    /// One kind of item of `files` by name: sorted, then made into a map at once (a map
    /// built one insertion at a time searches and shifts its nodes for each).
    fn by_name<T>(
        files: &[(&FileItems, usize)],
        kind: impl Fn(&FileItems) -> &[(String, Arc<T>)],
    ) -> BTreeMap<String, Item<T>> {
        let mut all: Vec<(&String, usize, &Arc<T>)> = (files.iter())
            .flat_map(|&(f, file)| kind(f).iter().map(move |(key, node)| (key, file, node)))
            .collect();
        // Stable: of the items of one name, the last read stays last.
        all.sort_by(|a, b| a.0.cmp(b.0));
        let mut sorted: Vec<(String, Item<T>)> = Vec::with_capacity(all.len());
        for (i, &(key, file, node)) in all.iter().enumerate() {
            if all.get(i + 1).is_some_and(|next| next.0 == key) {
                continue; // replaced by the next
            }
            let node = node.clone();
            sorted.push((key.clone(), Item { file, node }));
        }
        sorted.into_iter().collect()
    }
}

/// A fast, non-cryptographic hash for whole file texts and the evaluator's maps (equal
/// keys are still compared by the maps): eight bytes at a time, multiply and rotate, from
/// a per-map random seed ([`Seeded`]) so that crafted names cannot be made to collide
/// without knowing it, and mixed at the end so that every bit of the input reaches the
/// low bits the maps index with.
#[derive(Default)]
pub(crate) struct WordHasher(u64);

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes(c.try_into().expect("8 bytes"));
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        let h = self.0;
        (h ^ (h >> 31)).wrapping_mul(0xbf58_476d_1ce4_e5b9) ^ (h >> 29)
    }
}

/// Builds [`WordHasher`]s that start from one random seed (each map its own).
#[derive(Clone, Copy)]
pub(crate) struct Seeded(u64);

impl Default for Seeded {
    fn default() -> Self {
        Seeded(std::collections::hash_map::RandomState::new().hash_one(0u64))
    }
}

impl BuildHasher for Seeded {
    type Hasher = WordHasher;
    fn build_hasher(&self) -> WordHasher {
        WordHasher(self.0)
    }
}

/// A map with [`Seeded`] hashing.
pub(crate) type FastMap<K, V> = HashMap<K, V, Seeded>;

/// `.terraform/modules/modules.json`: module key → directory relative to the root.
fn read_manifest(root: &Path) -> Result<Option<HashMap<String, String>>, SourceError> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        #[serde(rename = "Modules", default)]
        modules: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        #[serde(rename = "Key")]
        key: String,
        #[serde(rename = "Dir")]
        dir: String,
    }
    let path = root.join(".terraform").join("modules").join("modules.json");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(_) => return Ok(None),
    };
    let m: Manifest = serde_json::from_str(&text).map_err(|e| {
        SourceError(format!(
            ".terraform/modules/modules.json in {}: {e}",
            root.display()
        ))
    })?;
    Ok(Some(
        m.modules
            .into_iter()
            .filter(|e| !e.key.is_empty())
            .map(|e| (e.key, e.dir))
            .collect(),
    ))
}

/// `a.join(b)` in one allocation (`Path::join` copies `a`, then grows the copy for `b`).
fn joined(a: &Path, b: &Path) -> PathBuf {
    let mut p = PathBuf::with_capacity(a.as_os_str().len() + b.as_os_str().len() + 1);
    p.push(a);
    p.push(b);
    p
}

/// Remove `.` and resolve `..` lexically.
fn normalize(p: &Path) -> PathBuf {
    match p.to_str() {
        Some(s) if std::path::MAIN_SEPARATOR == '/' && !s.starts_with('/') => {
            PathBuf::from(normalize_relative(s))
        }
        _ => normalize_components(p),
    }
}

/// [`normalize_components`] of a relative path written with `/`, done on its text (the
/// components a path splits into are its text's between separators, empty ones and `.`
/// left out but for a leading `.`, which is left out here too).
fn normalize_relative(s: &str) -> String {
    // Most are names after leading `./` (a call's `./modules/x` from the root).
    let mut rest = s;
    while let Some(r) = rest.strip_prefix("./") {
        rest = r;
    }
    let plain = |c: &[u8]| !c.is_empty() && c != b"." && c != b"..";
    if rest.as_bytes().split(|&b| b == b'/').all(plain) {
        return rest.to_string();
    }
    let mut out: Vec<&str> = Vec::new();
    for c in s.split('/') {
        match c {
            "" | "." => {}
            ".." if out.last().is_some_and(|&l| l != "..") => {
                out.pop();
            }
            name => out.push(name),
        }
    }
    if out.is_empty() {
        ".".to_string()
    } else {
        out.join("/")
    }
}

/// Remove `.` and resolve `..` lexically, component by component.
fn normalize_components(p: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.is_empty() {
        PathBuf::from(".")
    } else {
        out.iter().collect()
    }
}

fn slash(p: &Path) -> String {
    // Plain names joined by `/` (a normalized or canonical path) are already what the
    // components would be joined into.
    match p.to_str() {
        Some(s)
            if std::path::MAIN_SEPARATOR == '/'
                && s.as_bytes()
                    .split(|&b| b == b'/')
                    .all(|c| !c.is_empty() && c != b".") =>
        {
            s.to_string()
        }
        _ => slash_components(p),
    }
}

/// The components of `p` joined by `/` (`.` when there are none).
fn slash_components(p: &Path) -> String {
    let s: Vec<String> = p
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if s.is_empty() {
        ".".to_string()
    } else {
        s.join("/")
    }
}

/// The directory display paths are relative to.
struct Base {
    abs: Option<PathBuf>,
}

fn display_base(root: &Path) -> Base {
    let cwd = std::env::current_dir().ok();
    let abs_root = std::fs::canonicalize(root).ok();
    let repo = abs_root.as_ref().and_then(|r| {
        r.ancestors()
            .find(|a| a.join(".git").exists())
            .map(Path::to_path_buf)
    });
    Base {
        abs: repo.or_else(|| cwd.and_then(|c| std::fs::canonicalize(c).ok())),
    }
}

impl Base {
    /// A path relative to the base, `/`-separated; never absolute (falls back to the
    /// file name).
    fn show(&self, path: &Path) -> String {
        match std::fs::canonicalize(path) {
            Ok(abs) => self.show_resolved(&abs, path),
            Err(_) => self.show_resolved(Path::new(""), path),
        }
    }

    /// What [`Base::show_resolved`] shows of every file directly in the canonical directory
    /// `dir` before the file's name: the directory's path under the base and `/` (nothing
    /// for the base itself). `None` outside the base.
    fn prefix_of(&self, dir: &Path) -> Option<String> {
        let base = self.abs.as_deref()?;
        // Canonical paths: the base's text, then a separator, is the base's components.
        let rel = match (dir.to_str(), base.to_str()) {
            (Some(d), Some(b)) if std::path::MAIN_SEPARATOR == '/' && !b.ends_with('/') => {
                match d.strip_prefix(b) {
                    Some("") => Path::new(""),
                    Some(rest) => Path::new(rest.strip_prefix('/')?),
                    None => return None,
                }
            }
            _ => dir.strip_prefix(base).ok()?,
        };
        if rel.as_os_str().is_empty() {
            return Some(String::new());
        }
        let mut shown = slash(rel);
        shown.push('/');
        Some(shown)
    }

    /// [`Base::show`] for a path already resolved to `abs` (empty: could not be).
    fn show_resolved(&self, abs: &Path, path: &Path) -> String {
        if let Some(base) = &self.abs {
            // Under the base (the usual case), [`relative`] is this prefix removed.
            if let Ok(rel) = abs.strip_prefix(base) {
                return slash(rel);
            }
            if let Some(rel) = relative(abs, base) {
                return slash(&rel);
            }
        }
        path.file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_else(|| "?".to_string())
    }
}

fn relative(path: &Path, base: &Path) -> Option<PathBuf> {
    let p: Vec<Component> = path.components().collect();
    let b: Vec<Component> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return None;
    }
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c.as_os_str());
    }
    Some(out)
}

/// Find `ecsnet:ignore` comments. Err((line, message)) for a malformed one.
fn scan_suppressions(text: &str, file: usize) -> Result<Vec<Suppression>, (u32, String)> {
    const TAG: &str = "ecsnet:ignore";
    if !text.contains(TAG) {
        return Ok(Vec::new());
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(at) = l.find(TAG) else { continue };
        let before = l[..at].trim_end();
        let code = if let Some(c) = before.strip_suffix('#') {
            c
        } else if let Some(c) = before.strip_suffix("//") {
            c
        } else {
            continue; // not in a comment (e.g. inside a string)
        };
        let line = i as u32 + 1;
        let rest = &l[at + TAG.len()..];
        let (ids, reason) = match rest.split_once("--") {
            Some((ids, reason)) => (ids, reason.trim()),
            None => (rest, ""),
        };
        let rules: Vec<String> = ids
            .split([',', ' ', '\t'])
            .filter(|s| !s.is_empty())
            .map(|s| s.to_ascii_uppercase())
            .collect();
        if rules.is_empty() {
            return Err((
                line,
                "ecsnet:ignore names no rule: write `# ecsnet:ignore NET044 -- reason`".into(),
            ));
        }
        if let Some(bad) = rules.iter().find(|r| !is_rule_id(r)) {
            return Err((
                line,
                format!("ecsnet:ignore: `{bad}` is not a rule id (NET001 ... NET099)"),
            ));
        }
        if reason.is_empty() {
            return Err((
                line,
                format!(
                    "ecsnet:ignore {} has no reason: write `# ecsnet:ignore {} -- why it is acceptable`",
                    rules.join(","),
                    rules.join(",")
                ),
            ));
        }
        let target = if code.trim().is_empty() {
            // The next line of code below the comment (further comments skipped).
            lines[i + 1..]
                .iter()
                .position(|n| {
                    let t = n.trim();
                    !(t.is_empty() || t.starts_with('#') || t.starts_with("//"))
                })
                .map(|p| (i + 1 + p) as u32 + 1)
                .unwrap_or(line)
        } else {
            line
        };
        out.push(Suppression {
            file,
            line,
            target,
            rules,
            reason: reason.to_string(),
        });
    }
    Ok(out)
}

fn is_rule_id(s: &str) -> bool {
    s.len() == 6 && s.starts_with("NET") && s[3..].bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppressions_apply_to_the_next_line_of_code_or_their_own() {
        let text = "# ecsnet:ignore NET044 -- batch only\n\nresource \"a\" \"b\" {\n  x = 1 // ecsnet:ignore net010,NET011 -- legacy\n}\n";
        let s = scan_suppressions(text, 0).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].line, s[0].target), (1, 3));
        assert_eq!(s[0].reason, "batch only");
        assert_eq!((s[1].line, s[1].target), (4, 4));
        assert_eq!(s[1].rules, vec!["NET010", "NET011"]);
    }

    #[test]
    fn a_suppression_without_reason_or_rule_is_an_error() {
        let e = scan_suppressions("x = 1\n# ecsnet:ignore NET044\n", 0).unwrap_err();
        assert_eq!(e.0, 2);
        assert!(e.1.contains("has no reason"), "{}", e.1);
        let e = scan_suppressions("# ecsnet:ignore NET044 --   \n", 0).unwrap_err();
        assert!(e.1.contains("has no reason"));
        let e = scan_suppressions("# ecsnet:ignore -- why\n", 0).unwrap_err();
        assert!(e.1.contains("names no rule"));
        let e = scan_suppressions("# ecsnet:ignore NET4 -- why\n", 0).unwrap_err();
        assert!(e.1.contains("not a rule id"));
    }

    #[test]
    fn the_tag_inside_a_string_is_not_a_suppression() {
        let s = scan_suppressions("x = \"ecsnet:ignore NET044\"\n", 0).unwrap();
        assert!(s.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn module_directories_resolve_as_canonicalize_does() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("live");
        std::fs::create_dir_all(root.join("modules/a")).unwrap();
        std::fs::create_dir_all(d.path().join("shared/b")).unwrap();
        std::fs::write(root.join("modules/a/main.tf"), "").unwrap();
        std::os::unix::fs::symlink("../../shared/b", root.join("modules/b")).unwrap();
        std::os::unix::fs::symlink(d.path().join("shared"), root.join("s")).unwrap();
        let mut r = Resolver::new(&root);
        // Twice: the second round answers from what the first remembered.
        for _ in 0..2 {
            for rel in [
                ".",
                "modules/a",
                "modules/b",
                "../shared/b",
                "s/b",
                "s/b/..",
                "missing/x",
                "modules/a/main.tf/x",
            ] {
                let rel = normalize(Path::new(rel));
                let want = std::fs::canonicalize(root.join(&rel)).ok();
                assert_eq!(r.resolve(&root, &rel), want, "{}", rel.display());
            }
        }
        assert_eq!(
            r.resolve(&root, Path::new("s/b")).unwrap(),
            std::fs::canonicalize(d.path().join("shared/b")).unwrap()
        );
    }

    #[test]
    fn relative_paths_climb_with_dotdot() {
        assert_eq!(
            relative(Path::new("/a/b/c.tf"), Path::new("/a/d")).unwrap(),
            PathBuf::from("../b/c.tf")
        );
        assert_eq!(normalize(Path::new("./x/../y/./z")), PathBuf::from("y/z"));
    }

    #[test]
    fn copies_of_a_module_of_several_files_keep_their_own_files() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        let calls: String = ["x", "y", "z"]
            .iter()
            .map(|m| format!("module \"{m}\" {{\n  source = \"./m/{m}\"\n}}\n"))
            .collect();
        std::fs::write(root.join("main.tf"), calls).unwrap();
        let first = "variable \"v\" {}\nresource \"r\" \"a\" {\n  k = 1\n}\n";
        // Read after `a.tf`: its `r.a` replaces the first one.
        let second = "\n\nresource \"r\" \"a\" {\n  k = 2\n}\n";
        for (m, files) in [
            ("x", vec![("a.tf", first), ("b.tf", second)]),
            ("y", vec![("a.tf", first), ("b.tf", second)]),
            ("z", vec![("a.tf", second), ("b.tf", first)]),
        ] {
            std::fs::create_dir_all(root.join("m").join(m)).unwrap();
            for (name, text) in files {
                std::fs::write(root.join("m").join(m).join(name), text).unwrap();
            }
        }
        let src = Sources::load(root).unwrap();
        assert_eq!(src.modules.len(), 4);
        for (m, file, line) in [("x", "b.tf", 3), ("y", "b.tf", 3), ("z", "b.tf", 2)] {
            let at = src.locate(&format!("module.{m}.r.a"), Some("k")).unwrap();
            assert!(
                at.file.ends_with(&format!("m/{m}/{file}")),
                "{m}: {}",
                at.file
            );
            assert_eq!(at.line, line + 1, "{m}");
            let v = &src.module(m).unwrap().variables["v"];
            let v_file = if m == "z" { "b.tf" } else { "a.tf" };
            assert!(src.files[v.file]
                .display
                .ends_with(&format!("m/{m}/{v_file}")));
        }
    }

    #[test]
    fn texts_are_found_again_past_the_few_of_their_length() {
        let mut index = TextIndex::default();
        let texts: Vec<Vec<u8>> = (0..10u8).map(|k| vec![b'a' + k; 8]).collect();
        for (k, t) in texts.iter().enumerate() {
            assert_eq!(index.find(t), None);
            assert_eq!(index.add(t.clone()), k);
        }
        index.add(b"short".to_vec());
        for (k, t) in texts.iter().enumerate() {
            assert_eq!(index.find(t), Some(k), "{k}");
        }
        assert_eq!(index.find(b"short"), Some(10));
        assert_eq!(index.find(b"zzzzzzzz"), None);
        assert_eq!(index.find(b"other"), None);
    }

    #[test]
    fn relative_paths_normalize_on_their_text_as_by_components() {
        for p in [
            "",
            ".",
            "./",
            "a",
            "./a/b",
            "a//b/",
            "a/./b",
            "a/..",
            "a/../..",
            "../a",
            "../../a/b",
            "./../a",
            "a/b/../../c",
            "a/../../b/..",
            "..",
            "../..",
            "a/.../b",
            ".a/b.",
        ] {
            assert_eq!(
                PathBuf::from(normalize_relative(p)),
                normalize_components(Path::new(p)),
                "{p}"
            );
        }
    }

    #[test]
    fn plain_paths_are_shown_as_their_components_joined() {
        for p in [
            "", ".", "a", "a/b.tf", "./a", "a/./b", "a//b", "a/", "/a/b", "../a", "a/../b", "..",
        ] {
            assert_eq!(slash(Path::new(p)), slash_components(Path::new(p)), "{p}");
        }
        let base = Base {
            abs: Some(PathBuf::from("/r/repo")),
        };
        for abs in [
            "/r/repo/m/x.tf",
            "/r/other/x.tf",
            "/r/repo",
            "/r/repox/a.tf",
        ] {
            let want = relative(Path::new(abs), Path::new("/r/repo")).unwrap();
            let shown = base.show_resolved(Path::new(abs), Path::new("x.tf"));
            assert_eq!(shown, slash_components(&want), "{abs}");
        }
        // A directory's prefix and a file's name: what the file in it is shown as.
        for dir in [
            "/r/repo",
            "/r/repo/m",
            "/r/repo/m/n",
            "/r/repox",
            "/r/other/m",
            "/",
        ] {
            let file = Path::new(dir).join("main.tf");
            let shown = base.show_resolved(&file, &file);
            match base.prefix_of(Path::new(dir)) {
                Some(prefix) => assert_eq!(prefix + "main.tf", shown, "{dir}"),
                None => assert!(shown.starts_with(".."), "{dir}: {shown}"),
            }
        }
    }
}
