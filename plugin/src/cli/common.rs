//! Plumbing shared by the commands that read plans (`check`, `inventory`, `capacity`):
//! find the configuration, load the plans, and write the result to `--output` or stdout.
//! One place, so the three commands keep the same flags' behaviour, messages and exit codes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tfsource::Sources;

use crate::config::{self, Config};
use crate::error::{io_reason, Result, UserError};
use crate::plan::{LoadOptions, Plan};

/// Name of the configuration file looked up in the working directory.
pub const CONFIG_FILE: &str = ".ecsnet.hcl";

/// The plan arguments of every plan-reading command. The `PLAN` positional is listed on its
/// own in `--help`, so flattening it with `--terraform-bin` keeps each command's help as it was.
#[derive(Debug, clap::Args)]
pub struct PlanSource {
    /// Plan files: `terraform show -json` output, binary plan files, or `-` for stdin.
    #[arg(value_name = "PLAN", required = true)]
    pub plans: Vec<String>,

    /// terraform or tofu binary used to read binary plan files [default: $ECSNET_TERRAFORM_BIN,
    /// else terraform or tofu from PATH].
    // Not a clap `env` argument: CI templates often export the variable empty, which clap would
    // reject as a missing value; the plan reader reads it and treats empty as unset.
    #[arg(long, value_name = "PATH")]
    pub terraform_bin: Option<PathBuf>,

    /// Root module of the Terraform configuration the plans were made from: findings point at
    /// its .tf lines and its `# ecsnet:ignore` comments apply [default: $ECSNET_SOURCE, else
    /// the working directory when its .tf files declare the plan's resources].
    // Not a clap `env` argument, for the same reason as --terraform-bin: empty means unset.
    #[arg(long = "source", value_name = "DIR")]
    pub source_dir: Option<PathBuf>,

    /// Read no Terraform sources: judge the plan alone (ignores --source, $ECSNET_SOURCE
    /// and the working directory's .tf files).
    #[arg(long = "no-source", conflicts_with = "source_dir")]
    pub no_source: bool,
}

/// The configuration in force and the plans, as a plan-reading command starts from.
pub struct Inputs {
    pub config: Config,
    pub plans: Vec<Plan>,
    /// The Terraform sources of each plan (indexed like `plans`), when read.
    pub sources: Vec<Option<Arc<Sources>>>,
}

impl Inputs {
    /// Check the plan arguments, then load the configuration (`--config`, else `.ecsnet.hcl` in
    /// the working directory) and the plans (binary plans through `terraform_bin`), in that order
    /// so the first problem reported is the same whichever command the user ran.
    pub fn load(source: &PlanSource, config: Option<&Path>, outputs: &[&Path]) -> Result<Self> {
        // First of all, while nothing has been read or written: a large plan is read with
        // huge pages for the heap, which takes starting again (see the module).
        super::hugepages::restart_for_large_plans(&source.plans);
        if source.plans.iter().filter(|p| p.as_str() == "-").count() > 1 {
            return Err(UserError::new(
                "standard input (`-`) is given more than once; pass it once, other plans as files",
            ));
        }
        for output in outputs {
            refuse_output_over_input(source, Some(output))?;
        }
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let config = load_config(config, &cwd)?;
        let load = LoadOptions {
            terraform_bin: source.terraform_bin.clone(),
            ..LoadOptions::from_env()?
        };
        // The sources are read on the second core while the plans are read; a problem with
        // a plan is still reported first. `--no-source` reads none.
        let pending =
            (!source.no_source).then(|| PendingSources::start(source.source_dir.as_deref(), &cwd));
        let plans = crate::plan::load_all(&source.plans, &load)?;
        crate::timings::mark("plans read");
        let sources = match pending {
            Some(p) => p.finish(&plans)?,
            None => vec![None; plans.len()],
        };
        crate::timings::mark("sources ready");
        Ok(Inputs {
            config,
            plans,
            sources,
        })
    }
}

/// The root module directory to read, and whether the user chose it (`--source`,
/// `$ECSNET_SOURCE`) rather than it being the working directory; `None`: no sources.
fn source_dir(explicit: Option<&Path>, cwd: &Path) -> Option<(PathBuf, bool)> {
    let env = std::env::var_os(tfsource::SOURCE_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    match (explicit, env) {
        (Some(d), _) => Some((d.to_path_buf(), true)),
        (None, Some(d)) => Some((d, true)),
        (None, None) if tfsource::has_tf_files(cwd) => Some((PathBuf::from("."), false)),
        (None, None) => None,
    }
}

/// The Terraform sources for each plan: `--source DIR`, else `$ECSNET_SOURCE` (empty means
/// unset), else the working directory when it holds `.tf` files. Sources given explicitly
/// are used for every plan (with a note for a plan none of whose resources they declare);
/// the working directory only for plans some of whose resources it declares. A source
/// that cannot be read or parsed, or a suppression without a reason, is an error.
fn assign_sources(
    dir: &Path,
    chosen: bool,
    src: std::result::Result<Sources, tfsource::SourceError>,
    plans: &[Plan],
) -> Result<Vec<Option<Arc<Sources>>>> {
    let src = Arc::new(src.map_err(|e| UserError::new(e.to_string()))?);
    Ok(plans
        .iter()
        .map(|p| {
            let declares = p.resources.is_empty() || p.resources.iter().any(|r| src.declares(&r.address));
            if !declares && chosen {
                eprintln!(
                    "note: the Terraform sources in {} declare none of the resources of {}; its findings point at the plan",
                    dir.display(),
                    if p.name == "-" { "stdin" } else { &p.name }
                );
            }
            (declares || chosen).then(|| src.clone())
        })
        .collect())
}

/// The Terraform sources, read in two halves: [`PendingSources::start`] reads them on
/// another thread, so they are parsed while the plans are read, and
/// [`PendingSources::finish`] waits for them and gives them to the plans
/// ([`assign_sources`]).
pub struct PendingSources {
    dir: Option<(PathBuf, bool)>,
    reading: Option<std::thread::JoinHandle<std::result::Result<Sources, tfsource::SourceError>>>,
}

impl PendingSources {
    pub fn start(explicit: Option<&Path>, cwd: &Path) -> PendingSources {
        let dir = source_dir(explicit, cwd);
        let reading = dir.as_ref().map(|(d, _)| {
            let d = d.clone();
            std::thread::Builder::new()
                .name("sources".into())
                .spawn(move || {
                    let sources = Sources::load(&d);
                    crate::timings::mark("sources read");
                    sources
                })
                .unwrap_or_else(|e| panic!("cannot start a thread to read the sources: {e}"))
        });
        PendingSources { dir, reading }
    }

    pub fn finish(self, plans: &[Plan]) -> Result<Vec<Option<Arc<Sources>>>> {
        let (Some((dir, chosen)), Some(reading)) = (self.dir, self.reading) else {
            return Ok(vec![None; plans.len()]);
        };
        let src = reading
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        assign_sources(&dir, chosen, src, plans)
    }
}

/// `--output` naming one of the plans would replace the user's plan with the report: refuse
/// before anything is read or written.
fn refuse_output_over_input(source: &PlanSource, output: Option<&Path>) -> Result<()> {
    let Some(out) = output else { return Ok(()) };
    // Only an existing file can be an input; compare resolved paths so `./plan.json` and
    // `plan.json` (or a symlink) are the same file.
    let Ok(out_real) = std::fs::canonicalize(out) else {
        return Ok(());
    };
    for plan in source.plans.iter().filter(|p| p.as_str() != "-") {
        if std::fs::canonicalize(plan).is_ok_and(|p| p == out_real) {
            return Err(UserError::new(format!(
                "{} is an input plan and an output of this run; writing there would replace the plan: choose another output file",
                out.display()
            )));
        }
    }
    Ok(())
}

/// Warn (stderr) about plans saved after a failed `terraform plan`: they may lack resources.
pub fn warn_errored(plans: &[Plan]) {
    for p in plans.iter().filter(|p| p.errored) {
        eprintln!(
            "warning: {} was saved after a failed plan and may be incomplete; fix the plan errors and re-run",
            p.name
        );
    }
}

/// Environment variable naming the configuration file when `--config` is not given.
pub const CONFIG_ENV: &str = "ECSNET_CONFIG";

/// The configuration in force: `--config FILE`, else `$ECSNET_CONFIG` (empty means unset),
/// else `.ecsnet.hcl` in `dir` or its nearest parent, up to the repository root (the first
/// directory holding `.git`), else defaults.
pub fn load_config(explicit: Option<&Path>, dir: &Path) -> Result<Config> {
    if let Some(path) = explicit {
        return Ok(config::load(path)?);
    }
    if let Some(path) = std::env::var_os(CONFIG_ENV).filter(|p| !p.is_empty()) {
        return config::load(Path::new(&path))
            .map_err(|e| UserError::new(format!("{e} (the file {CONFIG_ENV} names)")));
    }
    let Some((implicit, shown)) = find_config(dir) else {
        return Ok(Config::default());
    };
    // Name it as the user knows it (`.ecsnet.hcl`, `../.ecsnet.hcl`), not with the absolute
    // path of the working directory.
    let text = std::fs::read(&implicit).map_err(|e| {
        UserError::new(format!(
            "{shown}: cannot read configuration: {}",
            io_reason(&e)
        ))
    })?;
    let text = String::from_utf8(text).map_err(|_| {
        UserError::new(format!(
            "{shown}: configuration is not UTF-8 text; save it as UTF-8"
        ))
    })?;
    Ok(config::parse_str(&text, &shown)?)
}

/// `.ecsnet.hcl` in `dir` or the nearest parent holding one, not looking above the
/// repository root: its path, and how to name it relative to `dir`.
fn find_config(dir: &Path) -> Option<(PathBuf, String)> {
    let mut shown = String::new();
    for d in dir.ancestors() {
        let candidate = d.join(CONFIG_FILE);
        if candidate.is_file() {
            return Some((candidate, format!("{shown}{CONFIG_FILE}")));
        }
        if d.join(".git").exists() {
            return None;
        }
        shown.push_str("../");
    }
    None
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour a report. `auto`: only on a terminal (`to_stdout` and stdout is
    /// one), never when `NO_COLOR` is set to anything non-empty, always when
    /// `CLICOLOR_FORCE` is set to anything but `0` (and `NO_COLOR` is not).
    pub fn enabled(
        self,
        to_stdout: bool,
        env: &dyn Fn(&str) -> Option<std::ffi::OsString>,
    ) -> bool {
        let set = |k: &str| env(k).filter(|v| !v.is_empty());
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                if set("NO_COLOR").is_some() {
                    false
                } else if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
                    true
                } else {
                    use std::io::IsTerminal;
                    to_stdout && std::io::stdout().is_terminal()
                }
            }
        }
    }
}

/// Write `text` to `--output FILE` when given, else to standard output.
pub fn emit(output: Option<&Path>, text: &str) -> Result<()> {
    match output {
        Some(path) => write_file(path, text),
        None => print_stdout(text),
    }
}

/// [`emit`] of a text that `write` hands over in pieces (a large report is never held
/// whole): to the file, created first, or to stdout. Errors as [`emit`]'s.
pub fn emit_pieces(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn FnMut(&str) -> std::io::Result<()>) -> std::io::Result<()>,
) -> Result<()> {
    match output {
        Some(path) => {
            let written = std::fs::File::create(path).and_then(|mut f| {
                write(&mut |piece: &str| f.write_all(piece.as_bytes()))?;
                f.flush()
            });
            written.map_err(|e| file_error(path, &e))
        }
        None => {
            let mut out = std::io::stdout().lock();
            stdout_result(
                write(&mut |piece: &str| out.write_all(piece.as_bytes())).and_then(|_| out.flush()),
            )
        }
    }
}

/// Write a report file; a failure is a usage error (exit 2).
pub fn write_file(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|e| file_error(path, &e))
}

fn file_error(path: &Path, e: &std::io::Error) -> UserError {
    {
        let fix = match e.kind() {
            std::io::ErrorKind::IsADirectory => "give --output a file name",
            std::io::ErrorKind::NotFound => "create the directory first or choose another path",
            _ => "choose a path you can write to",
        };
        UserError::new(format!(
            "cannot write {}: {}; {fix}",
            path.display(),
            io_reason(e)
        ))
    }
}

/// Print to stdout. A closed pipe (`ecsnet check plan.json | head`) is not an error.
pub fn print_stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    stdout_result(out.write_all(text.as_bytes()).and_then(|_| out.flush()))
}

fn stdout_result(written: std::io::Result<()>) -> Result<()> {
    match written {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(UserError::new(format!(
            "cannot write to standard output: {e}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FailOn;
    use crate::diagnostics::Severity;

    #[test]
    fn explicit_config_wins_and_missing_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "fail_on = \"warning\"\n").unwrap();
        let c = load_config(None, dir.path()).unwrap();
        assert_eq!(c.fail_on, Some(FailOn::Severity(Severity::Warning)));
        assert_eq!(c.source.as_deref(), Some(CONFIG_FILE));
        let other = dir.path().join("other.hcl");
        std::fs::write(&other, "fail_on = \"never\"\n").unwrap();
        let c = load_config(Some(&other), dir.path()).unwrap();
        assert_eq!(c.fail_on, Some(FailOn::Never));
        let e = load_config(Some(&dir.path().join("nope.hcl")), dir.path()).unwrap_err();
        assert!(
            e.message.contains("nope.hcl: cannot read configuration"),
            "{e}"
        );
    }

    #[test]
    fn config_is_found_in_a_parent_up_to_the_repository_root() {
        let root = tempfile::tempdir().unwrap();
        let repo = root.path().join("repo");
        let deep = repo.join("stacks/prod");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::create_dir(repo.join(".git")).unwrap();
        // Above the repository root: never read.
        std::fs::write(root.path().join(CONFIG_FILE), "fail_on = \"never\"\n").unwrap();
        assert!(find_config(&deep).is_none());
        std::fs::write(repo.join(CONFIG_FILE), "fail_on = \"warn\"\n").unwrap();
        let (path, shown) = find_config(&deep).unwrap();
        assert_eq!(path, repo.join(CONFIG_FILE));
        assert_eq!(shown, "../../.ecsnet.hcl");
        std::fs::write(deep.join(CONFIG_FILE), "fail_on = \"info\"\n").unwrap();
        assert_eq!(find_config(&deep).unwrap().1, CONFIG_FILE);
    }

    #[test]
    fn colour_follows_the_choice_and_the_environment() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                vars.iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| std::ffi::OsString::from(v))
            }
        };
        assert!(ColorChoice::Always.enabled(false, &env(&[("NO_COLOR", "1")])));
        assert!(!ColorChoice::Never.enabled(true, &env(&[("CLICOLOR_FORCE", "1")])));
        assert!(ColorChoice::Auto.enabled(false, &env(&[("CLICOLOR_FORCE", "1")])));
        assert!(!ColorChoice::Auto.enabled(false, &env(&[("CLICOLOR_FORCE", "0")])));
        assert!(
            !ColorChoice::Auto.enabled(true, &env(&[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]))
        );
        // Not a terminal (tests capture stdout), nothing forced: no colour.
        assert!(!ColorChoice::Auto.enabled(false, &env(&[])));
    }

    #[test]
    fn no_config_file_means_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let c = load_config(None, dir.path()).unwrap();
        assert!(c.fail_on.is_none() && c.source.is_none());
    }

    #[test]
    fn bad_implicit_config_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "\nfail_on = \"sometimes\"\n").unwrap();
        let e = load_config(None, dir.path()).unwrap_err();
        assert!(e.message.starts_with(".ecsnet.hcl:2: "), "{e}");
    }

    #[test]
    fn stdin_twice_is_refused_before_anything_is_read() {
        let source = PlanSource {
            plans: vec!["-".to_string(), "-".to_string()],
            terraform_bin: None,
            source_dir: None,
            no_source: false,
        };
        // The configuration path does not exist: the stdin check must come first.
        let e = match Inputs::load(&source, Some(Path::new("/nonexistent/ecsnet.hcl")), &[]) {
            Err(e) => e,
            Ok(_) => panic!("two `-` plans were accepted"),
        };
        assert!(
            e.message
                .contains("standard input (`-`) is given more than once"),
            "{e}"
        );
    }
}
