//! Finding the scenarios under `testdata/scenarios`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::fsutil::sorted_entries;

/// The create plan every scenario generates.
pub const CREATE_PLAN: &str = "plan.json";
/// The update plan a scenario with an `update/` directory generates: in `update/`, beside
/// the overlay it was planned from, so every directory holding `*.tf` files of a scenario
/// (other than its local modules) holds the plan made from it.
pub const UPDATE_PLAN: &str = "update/plan.json";
/// Files and directories of a scenario that are not part of its Terraform configuration.
pub const EXPECT: &str = "expect.json";
pub const UPDATE_DIR: &str = "update";
pub const MODULES_DIR: &str = "modules";
pub const WORLD: &str = "world.json";

/// One scenario: a directory with `*.tf` files and an `expect.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    /// Path relative to the scenarios root with `/` separators, e.g. `capacity/eni-exhausted`.
    pub name: String,
    pub dir: PathBuf,
}

impl Scenario {
    /// Whether the scenario has an update: an `update/` directory holding files to lay over
    /// the configuration (its generated `plan.json` is not one of them; an `update/` left
    /// with only that plan is a stale plan, not an update).
    pub fn has_update(&self) -> bool {
        sorted_entries(&self.dir.join(UPDATE_DIR))
            .is_ok_and(|entries| entries.iter().any(|e| e.file_name() != CREATE_PLAN))
    }

    /// The plan files this scenario generates, in order.
    pub fn plan_files(&self) -> Vec<&'static str> {
        if self.has_update() {
            vec![CREATE_PLAN, UPDATE_PLAN]
        } else {
            vec![CREATE_PLAN]
        }
    }

    /// The topic: the first component of the name.
    pub fn topic(&self) -> &str {
        self.name.split('/').next().unwrap_or(&self.name)
    }

    /// Whether one of the scenario's own `*.tf` files mentions `"<version>"` (how scenarios
    /// pin the AWS provider). A quick textual look, good enough to tell 5.100.0 from 6.47.0.
    pub fn pins_provider(&self, version: &str) -> bool {
        let quoted = format!("\"{version}\"");
        tf_files(&self.dir).iter().any(|f| {
            fs::read_to_string(f)
                .map(|text| text.contains(&quoted))
                .unwrap_or(false)
        })
    }
}

/// The repository's `testdata/scenarios`: from the current directory when it has one, else
/// from where this crate was built.
pub fn default_root() -> PathBuf {
    let here = PathBuf::from("testdata/scenarios");
    if here.is_dir() {
        return here;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/scenarios")
}

/// The scenarios under `root` (sorted by name), and warnings about directories that look
/// like unfinished scenarios.
#[derive(Debug, Default)]
pub struct Discovery {
    pub scenarios: Vec<Scenario>,
    pub warnings: Vec<String>,
}

/// Walks `root`. A directory holding `*.tf` files and `expect.json` is a scenario and is not
/// descended into (its `modules/` and `update/` are part of it). A directory holding `*.tf`
/// files but no `expect.json` two levels below the root (`<topic>/<name>`) gets a warning.
pub fn discover(root: &Path) -> io::Result<Discovery> {
    let mut found = Discovery::default();
    walk(root, root, &mut found)?;
    found.scenarios.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

fn walk(root: &Path, dir: &Path, found: &mut Discovery) -> io::Result<()> {
    let has_tf = !tf_files(dir).is_empty();
    let rel = relative_name(root, dir);
    if has_tf && dir.join(EXPECT).is_file() {
        found.scenarios.push(Scenario {
            name: rel,
            dir: dir.to_path_buf(),
        });
        return Ok(());
    }
    if has_tf && rel.split('/').count() == 2 {
        found.warnings.push(format!(
            "{rel}: has *.tf files but no {EXPECT}, so it is not a scenario yet"
        ));
        return Ok(());
    }
    for entry in sorted_entries(dir)? {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        if entry.file_type()?.is_dir() {
            walk(root, &entry.path(), found)?;
        }
    }
    Ok(())
}

fn relative_name(root: &Path, dir: &Path) -> String {
    let rel = dir.strip_prefix(root).unwrap_or(dir);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// The `*.tf` files directly in `dir`, sorted.
pub fn tf_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = sorted_entries(dir) else {
        return Vec::new();
    };
    entries
        .into_iter()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "tf") && p.is_file())
        .collect()
}

/// Keeps the scenarios whose name contains one of `only` (all of them when `only` is empty).
pub fn filter(scenarios: Vec<Scenario>, only: &[String]) -> Vec<Scenario> {
    if only.is_empty() {
        return scenarios;
    }
    scenarios
        .into_iter()
        .filter(|s| {
            let with_slash = format!("{}/", s.name);
            only.iter().any(|o| with_slash.contains(o.as_str()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::fsutil::TempDir;
    use super::*;

    #[test]
    fn the_update_plan_is_the_plan_of_the_update_directory() {
        assert_eq!(UPDATE_PLAN, format!("{UPDATE_DIR}/{CREATE_PLAN}"));
    }

    #[test]
    fn an_update_directory_holding_only_its_plan_is_no_update() {
        let tmp = TempDir::new("ecsnet-discover-test").unwrap();
        let scenario = Scenario {
            name: "topic/name".to_owned(),
            dir: tmp.path().to_path_buf(),
        };
        assert!(!scenario.has_update());
        assert_eq!(scenario.plan_files(), [CREATE_PLAN]);
        let update = tmp.path().join(UPDATE_DIR);
        fs::create_dir(&update).unwrap();
        fs::write(update.join(CREATE_PLAN), "{}").unwrap();
        assert!(!scenario.has_update(), "a stale update/plan.json alone");
        fs::write(update.join("terraform.tfvars"), "x = 1\n").unwrap();
        assert!(scenario.has_update());
        assert_eq!(scenario.plan_files(), [CREATE_PLAN, UPDATE_PLAN]);
    }
}
