//! Planning one scenario with Terraform, and many of them a few at a time.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::discover::{Scenario, CREATE_PLAN, UPDATE_DIR, UPDATE_PLAN};
use super::fsutil::{copy_tree, overlay, TempDir};
use super::normalize::normalize_plan;
use super::terraform::{CommandFailure, Terraform};

/// The plans a scenario generated: file name and contents, in [`Scenario::plan_files`] order.
#[derive(Debug, Clone)]
pub struct Plans {
    pub files: Vec<(&'static str, Vec<u8>)>,
}

/// Why a scenario could not be planned.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The step that failed: `terraform plan`, `terraform apply (create)`, `copying update/`...
    pub step: String,
    /// One line saying why.
    pub summary: String,
    /// Everything the failing command printed.
    pub output: String,
    /// The work directory, when it was kept.
    pub kept: Option<PathBuf>,
}

impl Failure {
    fn other(step: &str, summary: String) -> Failure {
        Failure {
            step: step.to_owned(),
            summary,
            output: String::new(),
            kept: None,
        }
    }

    fn command(stage: &str, f: CommandFailure) -> Failure {
        Failure {
            step: if stage.is_empty() {
                f.command
            } else {
                format!("{} ({stage})", f.command)
            },
            summary: f.summary,
            output: f.output,
            kept: None,
        }
    }
}

/// What to keep of a scenario's work directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    Nothing,
    Failed,
}

/// Where the create plan's JSON is written in the work directory for the apply.
const CREATE_PLAN_FOR_APPLY: &str = ".aws-standin-create-plan.json";

/// Entries of a scenario directory that are not copied to the work directory: its
/// create plan, its `update/` (the overlay and the update plan), and anything Terraform
/// may have left there.
fn skip_in_scenario(rel: &Path, is_dir: bool) -> bool {
    let name = rel.to_string_lossy();
    let top = rel.components().count() == 1;
    (top && (name == CREATE_PLAN || (is_dir && name == UPDATE_DIR)))
        || name.ends_with(".terraform")
        || name.ends_with(".terraform.lock.hcl")
        || name.contains(".tfstate")
        || name.ends_with(".tfplan")
}

/// The Terraform sources a scenario plan was made from: the scenario directory for the
/// create plan; for the update plan, a temporary copy with `update/` laid over it (as
/// [`generate`] plans it), removed when the returned guard is dropped.
pub fn sources_of(
    scenario: &Scenario,
    plan_file: &str,
) -> Result<(PathBuf, Option<TempDir>), String> {
    if plan_file != UPDATE_PLAN || !scenario.has_update() {
        return Ok((scenario.dir.clone(), None));
    }
    let work = TempDir::new("ecsnet-sources").map_err(|e| e.to_string())?;
    copy_tree(&scenario.dir, work.path(), &skip_in_scenario)
        .map_err(|e| format!("copying the scenario: {e}"))?;
    overlay(&scenario.dir.join(UPDATE_DIR), work.path())?;
    Ok((work.path().to_path_buf(), Some(work)))
}

/// Plans `scenario` in a temporary copy: `init`, `plan -out`, `show -json` for the create
/// plan; with `update/`: `apply` that plan, lay `update/` over the copy, `init -upgrade`,
/// `plan -out`, `show -json` for the update plan. The scenario directory is only read.
pub fn generate(tf: &Terraform, scenario: &Scenario, keep: Keep) -> Result<Plans, Failure> {
    let mut work = TempDir::new("ecsnet-scenario")
        .map_err(|e| Failure::other("creating a work directory", e.to_string()))?;
    let result = generate_in(tf, scenario, work.path());
    match result {
        Err(mut failure) if keep == Keep::Failed => {
            work.keep();
            failure.kept = Some(work.path().to_path_buf());
            Err(failure)
        }
        other => other,
    }
}

fn generate_in(tf: &Terraform, scenario: &Scenario, work: &Path) -> Result<Plans, Failure> {
    copy_tree(&scenario.dir, work, &skip_in_scenario)
        .map_err(|e| Failure::other("copying the scenario", e.to_string()))?;
    let has_update = scenario.has_update();
    let stage = if has_update { "create" } else { "" };
    let step = |args: &[&str]| tf.run(work, args).map_err(|f| Failure::command(stage, f));
    step(&["init", "-input=false", "-no-color"])?;
    step(&["plan", "-input=false", "-no-color", "-out=create.tfplan"])?;
    let create = show(tf, work, "create.tfplan", stage)?;
    if has_update {
        // The stand-in numbers the task definitions of a family from the create plan
        // (aws-standin/README.md, "How it applies").
        let plan_file = work.join(CREATE_PLAN_FOR_APPLY);
        std::fs::write(&plan_file, &create)
            .map_err(|e| Failure::other("writing the create plan", e.to_string()))?;
        tf.run_with(
            work,
            &[
                "apply",
                "-input=false",
                "-no-color",
                "-auto-approve",
                "create.tfplan",
            ],
            &[(crate::apply::revisions::PLAN_ENV, plan_file.as_path())],
        )
        .map_err(|f| Failure::command(stage, f))?;
    }
    let mut files = vec![(CREATE_PLAN, create)];
    if has_update {
        overlay(&scenario.dir.join(UPDATE_DIR), work)
            .map_err(|e| Failure::other("copying update/", e))?;
        let step = |args: &[&str]| {
            tf.run(work, args)
                .map_err(|f| Failure::command("update", f))
        };
        step(&["init", "-input=false", "-no-color", "-upgrade"])?;
        step(&["plan", "-input=false", "-no-color", "-out=update.tfplan"])?;
        files.push((UPDATE_PLAN, show(tf, work, "update.tfplan", "update")?));
    }
    Ok(Plans { files })
}

fn show(tf: &Terraform, work: &Path, plan: &str, stage: &str) -> Result<Vec<u8>, Failure> {
    let json = tf
        .run(work, &["show", "-json", "-no-color", plan])
        .map_err(|f| Failure::command(stage, f))?;
    normalize_plan(&json).map_err(|e| Failure::other("terraform show -json", e))
}

/// One scenario's result.
#[derive(Debug)]
pub struct Outcome {
    pub scenario: Scenario,
    pub result: Result<Plans, Failure>,
    pub elapsed: Duration,
}

/// Generates `scenarios`, `jobs` at a time. `on_done` sees each outcome as it finishes
/// (from the worker threads, one at a time); the outcomes come back in input order.
pub fn generate_all(
    tf: &Terraform,
    scenarios: &[Scenario],
    jobs: usize,
    keep: Keep,
    on_done: &(dyn Fn(&Outcome) + Sync),
) -> Vec<Outcome> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new(scenarios.iter().map(|_| None).collect());
    let report = Mutex::new(());
    std::thread::scope(|s| {
        for _ in 0..jobs.clamp(1, scenarios.len().max(1)) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(scenario) = scenarios.get(i) else {
                    break;
                };
                let started = Instant::now();
                let result = generate(tf, scenario, keep);
                let outcome = Outcome {
                    scenario: scenario.clone(),
                    result,
                    elapsed: started.elapsed(),
                };
                {
                    let _one_at_a_time = report.lock().unwrap_or_else(|e| e.into_inner());
                    on_done(&outcome);
                }
                results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(outcome);
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .flatten()
        .collect()
}
