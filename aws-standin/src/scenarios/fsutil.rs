//! Temporary directories and the file copies a scenario run makes.

use std::cell::RefCell;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use super::discover::CREATE_PLAN;

/// A fresh directory under the system's temporary directory, removed with everything in it
/// when dropped, unless [`TempDir::keep`] was called.
#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
    keep: bool,
}

impl TempDir {
    /// Creates `<tmp>/<prefix>-<pid>-<n>-<nanos>`.
    pub fn new(prefix: &str) -> io::Result<TempDir> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let base = std::env::temp_dir();
        loop {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0);
            let path = base.join(format!("{prefix}-{}-{n}-{nanos:08x}", std::process::id()));
            match fs::create_dir(&path) {
                Ok(()) => return Ok(TempDir { path, keep: false }),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Leaves the directory in place when dropped (to look at a failed run).
    pub fn keep(&mut self) {
        self.keep = true;
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

/// Copies the tree `src` into the existing directory `dst`, replacing files of the same
/// name. `skip` sees each entry's path relative to `src` and whether it is a directory;
/// entries it returns `true` for are not copied. Symbolic links are followed.
pub fn copy_tree(src: &Path, dst: &Path, skip: &dyn Fn(&Path, bool) -> bool) -> io::Result<()> {
    copy_tree_at(src, dst, Path::new(""), skip)
}

fn copy_tree_at(
    src: &Path,
    dst: &Path,
    rel: &Path,
    skip: &dyn Fn(&Path, bool) -> bool,
) -> io::Result<()> {
    for entry in sorted_entries(&src.join(rel))? {
        let rel = rel.join(entry.file_name());
        let from = src.join(&rel);
        let is_dir = fs::metadata(&from)?.is_dir();
        if skip(&rel, is_dir) {
            continue;
        }
        let to = dst.join(&rel);
        if is_dir {
            fs::create_dir_all(&to)?;
            copy_tree_at(src, dst, &rel, skip)?;
        } else {
            fs::copy(&from, &to)?;
        }
    }
    Ok(())
}

/// The entries of a directory, sorted by name.
pub fn sorted_entries(dir: &Path) -> io::Result<Vec<fs::DirEntry>> {
    let mut entries = fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    entries.sort_by_key(|e| e.file_name());
    Ok(entries)
}

/// Suffix of a file in `update/` that deletes the file of the same name without it.
pub const DELETE_SUFFIX: &str = ".delete";

/// Lays `update` over `work`: every file is copied to the same relative path (replacing
/// what is there), except that a file `NAME.delete` deletes `NAME` (a file or a directory),
/// which must exist, and the plan generated from the overlay, kept beside it
/// (`update/plan.json`, see [`UPDATE_PLAN`](super::discover::UPDATE_PLAN)), is left out. Deletions happen after the copies.
pub fn overlay(update: &Path, work: &Path) -> Result<(), String> {
    let deletes = RefCell::new(Vec::new());
    copy_tree(update, work, &|rel, is_dir| {
        if rel == Path::new(CREATE_PLAN) {
            return true;
        }
        let name = rel.to_string_lossy();
        match name.strip_suffix(DELETE_SUFFIX) {
            Some(target) if !is_dir => {
                deletes.borrow_mut().push(PathBuf::from(target));
                true
            }
            _ => false,
        }
    })
    .map_err(|e| format!("copying update/: {e}"))?;
    for rel in deletes.into_inner() {
        let target = work.join(&rel);
        let removed = match fs::symlink_metadata(&target) {
            Ok(m) if m.is_dir() => fs::remove_dir_all(&target),
            Ok(_) => fs::remove_file(&target),
            Err(_) => {
                return Err(format!(
                    "update/{}{DELETE_SUFFIX}: there is no {} to delete",
                    rel.display(),
                    rel.display()
                ))
            }
        };
        removed.map_err(|e| format!("deleting {}: {e}", rel.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    #[test]
    fn overlay_copies_and_deletes_but_leaves_the_update_plan_out() {
        let tmp = TempDir::new("ecsnet-fsutil-test").unwrap();
        let (update, work) = (tmp.path().join("update"), tmp.path().join("work"));
        write(&work.join("main.tf"), "old main");
        write(&work.join("plan.json"), "the create plan");
        write(&work.join("gone.tf"), "to delete");
        write(&update.join("main.tf"), "new main");
        write(&update.join("modules/app/app.tf"), "module");
        write(&update.join("gone.tf.delete"), "");
        write(&update.join("plan.json"), "the update plan");
        overlay(&update, &work).unwrap();
        let read = |name: &str| fs::read_to_string(work.join(name)).ok();
        assert_eq!(read("main.tf").as_deref(), Some("new main"));
        assert_eq!(read("modules/app/app.tf").as_deref(), Some("module"));
        assert_eq!(read("gone.tf"), None);
        assert_eq!(read("gone.tf.delete"), None);
        // The update plan is what the overlay produced, not part of it.
        assert_eq!(read("plan.json").as_deref(), Some("the create plan"));
    }

    #[test]
    fn overlay_copies_a_plan_json_below_the_top_of_update() {
        let tmp = TempDir::new("ecsnet-fsutil-test").unwrap();
        let (update, work) = (tmp.path().join("update"), tmp.path().join("work"));
        fs::create_dir_all(&work).unwrap();
        write(
            &update.join("files/plan.json"),
            "a file the configuration reads",
        );
        overlay(&update, &work).unwrap();
        assert!(work.join("files/plan.json").is_file());
    }

    #[test]
    fn overlay_refuses_to_delete_what_is_not_there() {
        let tmp = TempDir::new("ecsnet-fsutil-test").unwrap();
        let (update, work) = (tmp.path().join("update"), tmp.path().join("work"));
        fs::create_dir_all(&work).unwrap();
        write(&update.join("nothing.tf.delete"), "");
        let err = overlay(&update, &work).unwrap_err();
        assert!(err.contains("there is no nothing.tf to delete"), "{err}");
    }
}
