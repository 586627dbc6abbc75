//! `judged`: over every scenario plan, how many ECS services ecsnet judged without an
//! unverifiable note, for create plans (`plan.json`) and update plans (`update/plan.json`)
//! apart, and each twice: from the plan alone (`--no-source`) and with the scenario's
//! Terraform sources (`--source`: its directory, with `update/` laid over a copy for the
//! update plan). A service is one of `ecsnet inventory PLAN --format json`'s `services`; it
//! is judged when no diagnostic of `ecsnet check PLAN --format json` (with the scenario's
//! `.ecsnet.hcl` when it has one) is `unverifiable` with the service's address.
//! The services not judged are broken down by the `kind` of the inputs their notes name
//! (`missing[].kind` in the report): held only by values known after apply, only by
//! objects outside the plan, by both, by sensitive values, by inputs ecsnet could not
//! follow the configuration to (`hidden`: ecsnet's limitation), or by a note that names no
//! input; `-v` lists the hidden ones.
//! Run `judged --help`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use aws_standin::scenarios::discover::tf_files;
use aws_standin::scenarios::{
    default_root, discover, filter, sources_of, Scenario, CREATE_PLAN, UPDATE_DIR, UPDATE_PLAN,
};
use serde_json::Value;

const HELP: &str = "\
judged: how many services ecsnet judged without an unverifiable note, over the scenario plans,
from the plan alone and with the scenario's Terraform sources

usage: judged [-v] [--only SUBSTRING]... [--root DIR] [--ecsnet BIN]
       judged [-v] [--ecsnet BIN] --plan FILE...

  -v, --verbose   one line per plan: services judged, and the unverifiable rules of the others;
                  then every service held by a hidden input (ecsnet's limitation), with the input
  --only S        only scenarios whose name (topic/name/) contains S; repeatable
  --root DIR      the scenarios directory (default: testdata/scenarios of this repository)
  --ecsnet BIN    the ecsnet binary (default: ecsnet beside this program)
  --plan FILE     judge this plan JSON instead of the scenarios (e.g. real plans kept outside
                  the repository); repeatable, counted together as \"given plans\"; with
                  sources when the plan's directory holds .tf files (for a scenario's
                  update/plan.json: the scenario with update/ laid over it)";

/// The two ways each plan is checked.
const MODES: [Mode; 2] = [Mode::PlanOnly, Mode::Sources];

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Mode {
    PlanOnly,
    Sources,
}

impl Mode {
    fn label(self) -> &'static str {
        match self {
            Mode::PlanOnly => "plan only",
            Mode::Sources => "with sources",
        }
    }
}

/// What holds an unjudged service back, from the kinds of the inputs its notes name.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Held {
    AfterApply,
    OutsidePlan,
    AfterApplyAndOutside,
    Sensitive,
    Hidden,
    Unnamed,
}

impl Held {
    const ALL: [Held; 6] = [
        Held::AfterApply,
        Held::OutsidePlan,
        Held::AfterApplyAndOutside,
        Held::Sensitive,
        Held::Hidden,
        Held::Unnamed,
    ];

    fn label(self) -> &'static str {
        match self {
            Held::AfterApply => "only after apply",
            Held::OutsidePlan => "only outside the plan",
            Held::AfterApplyAndOutside => "after apply and outside the plan",
            Held::Sensitive => "sensitive",
            Held::Hidden => "hidden (ecsnet's limitation)",
            Held::Unnamed => "a note naming no input",
        }
    }

    /// The class of a service whose notes name inputs of `kinds` (`""` for a note that
    /// names none): any hidden input makes it ecsnet's limitation.
    fn of(kinds: &BTreeSet<String>) -> Held {
        let has = |k: &str| kinds.contains(k);
        if has("hidden") {
            Held::Hidden
        } else if has("") {
            Held::Unnamed
        } else if has("sensitive") {
            Held::Sensitive
        } else if has("after_apply") && has("outside_plan") {
            Held::AfterApplyAndOutside
        } else if has("after_apply") {
            Held::AfterApply
        } else {
            Held::OutsidePlan
        }
    }
}

#[derive(Default)]
struct Tally {
    plans: usize,
    services: usize,
    judged: usize,
    held: BTreeMap<Held, usize>,
    hidden: Vec<String>,
}

impl Tally {
    fn add(&mut self, name: &str, plan: &PlanJudgement) {
        self.plans += 1;
        self.services += plan.services;
        self.judged += plan.services - plan.unjudged.len();
        for (address, notes) in &plan.unjudged {
            let held = Held::of(&notes.kinds);
            *self.held.entry(held).or_default() += 1;
            if held == Held::Hidden {
                self.hidden
                    .push(format!("{name}: {address}: {}", notes.hidden.join("; ")));
            }
        }
    }

    fn print(&self, label: &str, mode: Mode, verbose: bool) {
        println!(
            "{label} plans, {}: {} of {} services judged without an unverifiable note ({} plans)",
            mode.label(),
            self.judged,
            self.services,
            self.plans
        );
        let held: Vec<String> = Held::ALL
            .iter()
            .map(|h| format!("{} {}", self.held.get(h).copied().unwrap_or(0), h.label()))
            .collect();
        println!("  not judged, held by inputs: {}", held.join(", "));
        if verbose {
            for h in &self.hidden {
                println!("  hidden: {h}");
            }
        }
    }
}

fn exit_code(errors: usize) -> ExitCode {
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn main() -> ExitCode {
    let mut verbose = false;
    let mut only = Vec::new();
    let mut root = None;
    let mut ecsnet = None;
    let mut given: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => {
                println!("{HELP}");
                return ExitCode::SUCCESS;
            }
            "-v" | "--verbose" => verbose = true,
            "--only" | "--root" | "--ecsnet" | "--plan" => {
                let Some(value) = args.next() else {
                    eprintln!("judged: {arg} needs a value");
                    return ExitCode::from(2);
                };
                match arg.as_str() {
                    "--only" if !value.is_empty() => only.push(value),
                    "--only" => {}
                    "--root" => root = Some(PathBuf::from(value)),
                    "--plan" => given.push(PathBuf::from(value)),
                    _ => ecsnet = Some(PathBuf::from(value)),
                }
            }
            _ => {
                eprintln!("judged: unknown argument {arg:?} (see --help)");
                return ExitCode::from(2);
            }
        }
    }
    let root = root.unwrap_or_else(default_root);
    let ecsnet = match ecsnet.map(Ok).unwrap_or_else(default_ecsnet) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("judged: {e}");
            return ExitCode::from(2);
        }
    };
    if !given.is_empty() {
        return judge_given(&ecsnet, &given, verbose);
    }
    let scenarios = match discover(&root) {
        Ok(found) => filter(found.scenarios, &only),
        Err(e) => {
            eprintln!("judged: reading {}: {e}", root.display());
            return ExitCode::from(2);
        }
    };

    let mut tallies: BTreeMap<(&str, Mode), Tally> = BTreeMap::new();
    let mut errors = 0;
    for scenario in &scenarios {
        for file in [CREATE_PLAN, UPDATE_PLAN] {
            if !scenario.dir.join(file).is_file() {
                continue;
            }
            let name = format!("{}/{file}", scenario.name);
            let sources = match sources_of(scenario, file) {
                Ok(s) => s,
                Err(e) => {
                    errors += 1;
                    eprintln!("judged: {name}: {e}");
                    continue;
                }
            };
            for mode in MODES {
                let dir = (mode == Mode::Sources).then_some(sources.0.as_path());
                match judge(&ecsnet, scenario, file, dir) {
                    Ok(plan) => {
                        tallies.entry((file, mode)).or_default().add(&name, &plan);
                        if verbose {
                            println!("{} ({})", plan.line(&name), mode.label());
                        }
                    }
                    Err(e) => {
                        errors += 1;
                        eprintln!("judged: {name} ({}): {e}", mode.label());
                    }
                }
            }
        }
    }
    for (file, label) in [(CREATE_PLAN, "create"), (UPDATE_PLAN, "update")] {
        for mode in MODES {
            tallies
                .remove(&(file, mode))
                .unwrap_or_default()
                .print(label, mode, verbose);
        }
    }
    exit_code(errors)
}

/// `--plan FILE...`: each plan judged in its own directory, counted together.
fn judge_given(ecsnet: &Path, plans: &[PathBuf], verbose: bool) -> ExitCode {
    let mut tallies: BTreeMap<Mode, Tally> = BTreeMap::new();
    let mut errors = 0;
    for path in plans {
        let (Some(dir), Some(file)) = (path.parent(), path.file_name()) else {
            eprintln!("judged: {}: not a file path", path.display());
            errors += 1;
            continue;
        };
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        // A scenario's update plan (`<scenario>/update/plan.json`) was planned from the
        // scenario with `update/` laid over it, not from the overlay alone.
        let scenario_dir = dir
            .parent()
            .filter(|p| file == CREATE_PLAN && dir.ends_with(UPDATE_DIR) && has_tf_files(p));
        let (scenario, file) = match scenario_dir {
            Some(p) => (p.to_path_buf(), UPDATE_PLAN.to_owned()),
            None => (dir.to_path_buf(), file.to_string_lossy().into_owned()),
        };
        let scenario = Scenario {
            name: path.display().to_string(),
            dir: scenario,
        };
        let sources = if has_tf_files(&scenario.dir) {
            match sources_of(&scenario, &file) {
                Ok(s) => Some(s),
                Err(e) => {
                    errors += 1;
                    eprintln!("judged: {}: {e}", path.display());
                    continue;
                }
            }
        } else {
            None
        };
        for mode in MODES {
            let dir = match (mode, &sources) {
                (Mode::PlanOnly, _) => None,
                (Mode::Sources, Some((dir, _guard))) => Some(dir.as_path()),
                (Mode::Sources, None) => continue,
            };
            match judge(ecsnet, &scenario, &file, dir) {
                Ok(plan) => {
                    tallies.entry(mode).or_default().add(&scenario.name, &plan);
                    if verbose {
                        println!("{} ({})", plan.line(&scenario.name), mode.label());
                    }
                }
                Err(e) => {
                    errors += 1;
                    eprintln!("judged: {} ({}): {e}", path.display(), mode.label());
                }
            }
        }
    }
    for mode in MODES {
        tallies
            .remove(&mode)
            .unwrap_or_default()
            .print("given", mode, verbose);
    }
    exit_code(errors)
}

fn has_tf_files(dir: &Path) -> bool {
    !tf_files(dir).is_empty()
}

/// One plan's services: how many, and those with an unverifiable note.
struct PlanJudgement {
    services: usize,
    unjudged: BTreeMap<String, Notes>,
}

/// The unverifiable notes of one service.
#[derive(Default)]
struct Notes {
    rules: Vec<String>,
    /// The `kind` of every input the notes name; `""` for a note that names none.
    kinds: BTreeSet<String>,
    /// "NET045: what" for each hidden input.
    hidden: Vec<String>,
}

impl PlanJudgement {
    fn line(&self, name: &str) -> String {
        let judged = self.services - self.unjudged.len();
        let mut line = format!("{name}: {judged} of {} services judged", self.services);
        if !self.unjudged.is_empty() {
            let notes: Vec<String> = self
                .unjudged
                .iter()
                .map(|(address, notes)| format!("{address} [{}]", notes.rules.join(", ")))
                .collect();
            line.push_str(&format!("; unverifiable: {}", notes.join("; ")));
        }
        line
    }
}

/// Judge one plan: from the plan alone (`sources` `None`) or with the sources in that
/// directory.
fn judge(
    ecsnet: &Path,
    scenario: &Scenario,
    file: &str,
    sources: Option<&Path>,
) -> Result<PlanJudgement, String> {
    let source_args: Vec<String> = match sources {
        Some(dir) => {
            let dir = std::fs::canonicalize(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            vec!["--source".to_string(), dir.to_string_lossy().into_owned()]
        }
        None => vec!["--no-source".to_string()],
    };
    let with = |args: &[&str]| -> Vec<String> {
        args.iter()
            .map(|a| a.to_string())
            .chain(source_args.iter().cloned())
            .collect()
    };
    let inventory = run_json(
        ecsnet,
        scenario,
        &with(&["inventory", file, "--format", "json"]),
    )?;
    let report = run_json(
        ecsnet,
        scenario,
        &with(&["check", file, "--format", "json", "--fail-on", "never"]),
    )?;
    let services: Vec<&str> = inventory["services"]
        .as_array()
        .ok_or("the inventory has no services array")?
        .iter()
        .filter_map(|s| s["address"].as_str())
        .collect();
    let diagnostics = report["diagnostics"]
        .as_array()
        .ok_or("the report has no diagnostics array")?;
    let mut unjudged: BTreeMap<String, Notes> = BTreeMap::new();
    for d in diagnostics {
        if d["unverifiable"] != Value::Bool(true) {
            continue;
        }
        let Some(address) = d["address"].as_str() else {
            continue;
        };
        if services.contains(&address) {
            let notes = unjudged.entry(address.to_owned()).or_default();
            let rule = d["rule"].as_str().unwrap_or("?").to_owned();
            let missing = d["missing"].as_array().map(Vec::as_slice).unwrap_or(&[]);
            if missing.is_empty() {
                notes.kinds.insert(String::new());
            }
            for m in missing {
                let kind = m["kind"].as_str().unwrap_or("").to_owned();
                if kind == "hidden" {
                    notes
                        .hidden
                        .push(format!("{rule}: {}", m["what"].as_str().unwrap_or("?")));
                }
                notes.kinds.insert(kind);
            }
            if !notes.rules.contains(&rule) {
                notes.rules.push(rule);
            }
        }
    }
    Ok(PlanJudgement {
        services: services.len(),
        unjudged,
    })
}

/// Runs ecsnet in the scenario's directory (so no other `.ecsnet.hcl` is picked up), with
/// `--config .ecsnet.hcl` when the scenario has one, and parses what it prints.
fn run_json(ecsnet: &Path, scenario: &Scenario, args: &[String]) -> Result<Value, String> {
    let mut cmd = Command::new(ecsnet);
    cmd.args(args)
        .current_dir(&scenario.dir)
        .stdin(Stdio::null());
    if scenario.dir.join(".ecsnet.hcl").is_file() {
        cmd.args(["--config", ".ecsnet.hcl"]);
    }
    let out = cmd
        .output()
        .map_err(|e| format!("running {}: {e}", ecsnet.display()))?;
    if !out.status.success() {
        return Err(format!(
            "`ecsnet {}` failed ({}): {}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("`ecsnet {}`: {e}", args[0]))
}

fn default_ecsnet() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("locating this program: {e}"))?;
    let ecsnet = exe.with_file_name("ecsnet");
    if ecsnet.is_file() {
        Ok(ecsnet)
    } else {
        Err(format!(
            "no ecsnet at {}: build it with `cargo build -p ecsnet` or pass --ecsnet",
            ecsnet.display()
        ))
    }
}
