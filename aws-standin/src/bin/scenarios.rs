//! `scenarios`: plans the Terraform configurations under `testdata/scenarios` with real
//! Terraform through the stand-in provider and writes (or, with `--check`, compares) their
//! `plan.json` and `update/plan.json`. Run `scenarios --help`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use aws_standin::scenarios::{
    default_root, discover, filter, find_on_path, generate_all, terraform_version, Keep, Outcome,
    Scenario, Terraform, TERRAFORM_VERSION, UPDATE_DIR, UPDATE_PLAN,
};

const HELP: &str = "\
scenarios: generate the plans of testdata/scenarios with real Terraform and the stand-in provider

usage: scenarios [--only SUBSTRING]... [--check] [options]

  --only S        only scenarios whose name (topic/name/) contains S; repeatable
  --check         plan into a temporary directory and report which committed plans differ
                  from what their sources give now (exit 1), writing nothing
  --list          list the scenarios that would run, and stop
  --root DIR      the scenarios directory (default: testdata/scenarios of this repository)
  --provider BIN  the stand-in binary (default: terraform-provider-aws beside this program,
                  built with cargo when missing)
  --terraform BIN Terraform (default: terraform on PATH); must be 1.11.4
  --jobs N        scenarios planned at once (default 2)
  --keep-failed   keep the work directory of a failed scenario and say where
  -v, --verbose   print everything Terraform said for a failed scenario

Each scenario is copied to a temporary directory and planned there, so testdata stays
clean: terraform init, plan -out, show -json > plan.json; with update/: apply, copy update/
over (NAME.delete deletes NAME), init -upgrade, plan -out, show -json > update/plan.json.
The JSON is kept as Terraform printed it, except the top-level timestamp (fixed).

exit: 0 all generated (and, with --check, all up to date), 1 a scenario failed or differs,
2 bad usage or set-up";

struct Args {
    only: Vec<String>,
    check: bool,
    list: bool,
    root: Option<PathBuf>,
    provider: Option<PathBuf>,
    terraform: Option<PathBuf>,
    jobs: usize,
    keep_failed: bool,
    verbose: bool,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut args = Args {
        only: Vec::new(),
        check: false,
        list: false,
        root: None,
        provider: None,
        terraform: None,
        jobs: 2,
        keep_failed: false,
        verbose: false,
    };
    let mut it = std::env::args_os().skip(1);
    while let Some(arg) = it.next() {
        let arg = arg.to_string_lossy().into_owned();
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next().map(|v| v.to_string_lossy().into_owned()))
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--only" => {
                let v = value("--only")?;
                // `make fixtures ONLY=` passes an empty value: no filter.
                if !v.is_empty() {
                    args.only.push(v);
                }
            }
            "--check" => args.check = true,
            "--list" => args.list = true,
            "--root" => args.root = Some(value("--root")?.into()),
            "--provider" => args.provider = Some(value("--provider")?.into()),
            "--terraform" => args.terraform = Some(value("--terraform")?.into()),
            "--jobs" => {
                let v = value("--jobs")?;
                args.jobs = v
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("--jobs: {v:?} is not a positive number"))?;
            }
            "--keep-failed" => args.keep_failed = true,
            "-v" | "--verbose" => args.verbose = true,
            _ => return Err(format!("unknown argument {arg:?} (see --help)")),
        }
    }
    Ok(Some(args))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("scenarios: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("scenarios: {e}");
            ExitCode::from(2)
        }
    }
}

/// The stand-in beside this program (same cargo profile), built when missing.
fn default_provider() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("locating this program: {e}"))?;
    let dir = exe.parent().unwrap_or(Path::new("."));
    let provider = dir.join("terraform-provider-aws");
    if provider.is_file() {
        return Ok(provider);
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut build = Command::new(cargo);
    build.args([
        "build",
        "-p",
        "aws-standin",
        "--bin",
        "terraform-provider-aws",
    ]);
    if dir.file_name().is_some_and(|n| n == "release") {
        build.arg("--release");
    }
    eprintln!(
        "scenarios: building the stand-in provider ({})",
        provider.display()
    );
    let status = build
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .map_err(|e| format!("running cargo build: {e}"))?;
    if status.success() && provider.is_file() {
        Ok(provider)
    } else {
        Err(format!(
            "no stand-in at {}: build it with `cargo build -p aws-standin --bins` or pass --provider",
            provider.display()
        ))
    }
}

fn run(args: &Args) -> Result<bool, String> {
    let root = args.root.clone().unwrap_or_else(default_root);
    let found = discover(&root).map_err(|e| format!("reading {}: {e}", root.display()))?;
    // With --only, only the warnings about the directories asked for.
    for w in found.warnings.iter().filter(|w| {
        let dir = format!("{}/", w.split(':').next().unwrap_or(w));
        args.only.is_empty() || args.only.iter().any(|o| dir.contains(o.as_str()))
    }) {
        eprintln!("warning: {w}");
    }
    let total = found.scenarios.len();
    let scenarios = filter(found.scenarios, &args.only);
    if args.list {
        for s in &scenarios {
            println!("{}", s.name);
        }
        return Ok(true);
    }
    if scenarios.is_empty() {
        return Err(if args.only.is_empty() {
            format!("no scenario under {}", root.display())
        } else {
            format!(
                "no scenario name contains {} ({total} scenarios under {})",
                args.only.join(" or "),
                root.display()
            )
        });
    }
    let terraform = match &args.terraform {
        Some(t) => t.clone(),
        None => {
            find_on_path("terraform").ok_or("terraform is not on PATH (or pass --terraform)")?
        }
    };
    let version = terraform_version(&terraform)?;
    if version != TERRAFORM_VERSION {
        return Err(format!(
            "{} is Terraform {version}; the committed plans are made with {TERRAFORM_VERSION}",
            terraform.display()
        ));
    }
    let provider = match &args.provider {
        Some(p) => p.clone(),
        None => default_provider()?,
    };
    let tf = Terraform::new(terraform, &provider)?;

    let started = Instant::now();
    let verb = if args.check { "checking" } else { "generating" };
    eprintln!(
        "{verb} {} of {total} scenarios, {} at a time",
        scenarios.len(),
        args.jobs
    );
    let keep = if args.keep_failed {
        Keep::Failed
    } else {
        Keep::Nothing
    };
    let check = args.check;
    let outcomes = generate_all(&tf, &scenarios, args.jobs, keep, &|o: &Outcome| {
        println!("{}", progress_line(o, check));
    });

    let mut failed = Vec::new();
    let mut problems = Vec::new();
    let mut written = 0;
    for o in &outcomes {
        match &o.result {
            Err(f) => failed.push((o, f)),
            Ok(plans) if check => problems.extend(compare(&o.scenario, &plans.files)),
            Ok(plans) => {
                let (n, p) = write(&o.scenario, &plans.files);
                written += n;
                problems.extend(p);
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    if !failed.is_empty() {
        println!("\n{} scenario(s) failed:", failed.len());
        for (o, f) in &failed {
            println!("  {}: {}: {}", o.scenario.name, f.step, f.summary);
            if let Some(dir) = &f.kept {
                println!("    work directory kept: {}", dir.display());
            }
            if args.verbose {
                for line in f.output.lines() {
                    println!("    | {line}");
                }
            }
        }
        if !args.verbose {
            println!(
                "  (-v prints everything Terraform said, --keep-failed keeps the work directory)"
            );
        }
    }
    if !problems.is_empty() {
        println!();
        for p in &problems {
            println!("{p}");
        }
    }
    let ok = outcomes.len() - failed.len();
    if check {
        println!(
            "{ok} of {} scenarios planned in {secs:.1} s; {} committed plan(s) out of date{}",
            outcomes.len(),
            problems.len(),
            if problems.is_empty() {
                String::new()
            } else {
                ": run `make fixtures` (ONLY=<name> for one) and commit the plans".to_owned()
            }
        );
    } else {
        println!(
            "{ok} of {} scenarios planned in {secs:.1} s; {written} file(s) written",
            outcomes.len()
        );
    }
    Ok(failed.is_empty() && problems.is_empty())
}

fn progress_line(o: &Outcome, check: bool) -> String {
    let secs = o.elapsed.as_secs_f64();
    match &o.result {
        Ok(plans) => {
            let mut states = Vec::new();
            for (file, bytes) in &plans.files {
                let committed = fs::read(o.scenario.dir.join(file)).ok();
                let state = match committed {
                    Some(c) if c == *bytes => "same",
                    Some(_) if check => "DIFFERS",
                    Some(_) => "updated",
                    None if check => "NOT COMMITTED",
                    None => "new",
                };
                states.push(format!("{file} {state}"));
            }
            format!(
                "ok     {} ({}) {secs:.1} s",
                o.scenario.name,
                states.join(", ")
            )
        }
        Err(f) => format!("FAILED {} at {} ({secs:.1} s)", o.scenario.name, f.step),
    }
}

/// Writes the plans that changed and removes an `update/plan.json` whose overlay is gone
/// (with `update/` when nothing else is left in it). Returns how many files were written
/// and the errors.
fn write(scenario: &Scenario, files: &[(&str, Vec<u8>)]) -> (usize, Vec<String>) {
    let mut written = 0;
    let mut errors = Vec::new();
    for (file, bytes) in files {
        let path = scenario.dir.join(file);
        if fs::read(&path).ok().as_deref() == Some(bytes.as_slice()) {
            continue;
        }
        match fs::write(&path, bytes) {
            Ok(()) => written += 1,
            Err(e) => errors.push(format!("writing {}: {e}", path.display())),
        }
    }
    let stale = scenario.dir.join(UPDATE_PLAN);
    if !files.iter().any(|(f, _)| *f == UPDATE_PLAN) && stale.is_file() {
        match fs::remove_file(&stale) {
            Ok(()) => {
                // Only when empty: anything else in it is someone's work.
                let _ = fs::remove_dir(scenario.dir.join(UPDATE_DIR));
                println!(
                    "removed {}/{UPDATE_PLAN} (update/ holds nothing else any more)",
                    scenario.name
                )
            }
            Err(e) => errors.push(format!("removing {}: {e}", stale.display())),
        }
    }
    (written, errors)
}

/// The committed plans that differ from `files`, one line each.
fn compare(scenario: &Scenario, files: &[(&str, Vec<u8>)]) -> Vec<String> {
    let mut lines = Vec::new();
    for (file, bytes) in files {
        let name = format!("{}/{file}", scenario.name);
        match fs::read(scenario.dir.join(file)) {
            Err(_) => lines.push(format!("missing: {name} is not committed")),
            Ok(committed) if committed != *bytes => lines.push(format!(
                "differs: {name} ({})",
                first_difference(&committed, bytes)
            )),
            Ok(_) => {}
        }
    }
    if !files.iter().any(|(f, _)| *f == UPDATE_PLAN) && scenario.dir.join(UPDATE_PLAN).is_file() {
        lines.push(format!(
            "stale: {}/{UPDATE_PLAN} is committed but update/ holds nothing else to plan from",
            scenario.name
        ));
    }
    lines
}

/// Where two plans first differ: the byte offset and a little of each side.
fn first_difference(committed: &[u8], generated: &[u8]) -> String {
    let at = committed
        .iter()
        .zip(generated)
        .position(|(a, b)| a != b)
        .unwrap_or(committed.len().min(generated.len()));
    let excerpt = |b: &[u8]| {
        let start = at.saturating_sub(30);
        let end = (at + 50).min(b.len());
        String::from_utf8_lossy(&b[start.min(end)..end]).replace('\n', "\\n")
    };
    format!(
        "from byte {at}: committed …{}… generated …{}…",
        excerpt(committed),
        excerpt(generated)
    )
}
