//! `ecsnet check`: the policy gate. Reads plans, runs the rules, prints a report, and
//! exits 0 (nothing reached --fail-on), 1 (something did) or 2 (bad input or usage).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::{self, Config, FailOn};
use crate::diagnostics::Severity;
use crate::engine::{self, CheckOptions};
use crate::error::{Result, UserError};
use crate::plan::LoadOptions;
use crate::report::{self, Format, RenderOptions};

/// Name of the configuration file looked up in the working directory.
pub const CONFIG_FILE: &str = ".ecsnet.hcl";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOnArg {
    Error,
    Warning,
    Info,
    Never,
}

impl From<FailOnArg> for FailOn {
    fn from(f: FailOnArg) -> Self {
        match f {
            FailOnArg::Error => FailOn::Severity(Severity::Error),
            FailOnArg::Warning => FailOn::Severity(Severity::Warning),
            FailOnArg::Info => FailOn::Severity(Severity::Info),
            FailOnArg::Never => FailOn::Never,
        }
    }
}

const EXAMPLES: &str = "\
Examples:
  # In a plan pipeline: read the plan JSON from stdin
  terraform plan -out tfplan && terraform show -json tfplan | ecsnet check -

  # A binary plan file works too (ecsnet runs `terraform show -json` on it)
  ecsnet check tfplan --terraform-bin tofu

  # CI gate: fail on warnings, SARIF for code scanning
  ecsnet check plan.json --fail-on warning --format sarif --output ecsnet.sarif

  # GitHub Actions annotations; JUnit for test-report views
  ecsnet check plan.json --format github
  ecsnet check plan.json --format junit -o ecsnet-junit.xml

  # Report only, never fail the build
  ecsnet check plan.json --fail-on never

Configuration (.ecsnet.hcl in the working directory, or --config FILE):
  fail_on = \"warning\"
  rule \"NET018\" { severity = \"info\" }
  assume {
    awsvpc_trunking = true
    subnet \"subnet-0abc\" { cidr_block = \"10.0.1.0/24\" }
    cluster \"prod\" {
      instance_type = \"c5.large\"
      max_instances = 4
    }
  }
  ignore {
    rule    = \"NET018\"
    address = \"module.legacy.*\"
    reason  = \"legacy service keeps its port until the migration\"
  }

Exit codes: 0 nothing reached --fail-on, 1 a finding did, 2 bad input, configuration or usage.
`ecsnet explain NET070` describes a rule; `ecsnet rules` lists them all.";

/// Check plans for ECS network-mode mistakes and report them.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct CheckArgs {
    /// Plan files: `terraform show -json` output, binary plan files, or `-` for stdin.
    #[arg(value_name = "PLAN", required = true)]
    pub plans: Vec<String>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Lowest severity that makes the exit code 1 [default: fail_on from the configuration, else error].
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOnArg>,

    /// Configuration file [default: .ecsnet.hcl in the working directory, when present].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// terraform or tofu binary used to read binary plan files.
    #[arg(long, value_name = "PATH", env = "ECSNET_TERRAFORM_BIN")]
    pub terraform_bin: Option<PathBuf>,

    /// Never colour the text output (colour is also off when NO_COLOR is set or output is not a terminal).
    #[arg(long)]
    pub no_color: bool,
}

/// The configuration in force: `--config FILE`, else `.ecsnet.hcl` in `dir`, else defaults.
pub fn load_config(explicit: Option<&Path>, dir: &Path) -> Result<Config> {
    if let Some(path) = explicit {
        return Ok(config::load(path)?);
    }
    let implicit = dir.join(CONFIG_FILE);
    if implicit.is_file() {
        // Name it as the user knows it, not with the absolute path of the working directory.
        let text = std::fs::read(&implicit).map_err(|e| {
            UserError::new(format!("{CONFIG_FILE}: cannot read configuration: {e}"))
        })?;
        let text = String::from_utf8(text).map_err(|_| {
            UserError::new(format!(
                "{CONFIG_FILE}: configuration is not UTF-8 text; save it as UTF-8"
            ))
        })?;
        return Ok(config::parse_str(&text, CONFIG_FILE)?);
    }
    Ok(Config::default())
}

pub fn run(args: CheckArgs) -> Result<u8> {
    if args.plans.iter().filter(|p| p.as_str() == "-").count() > 1 {
        return Err(UserError::new(
            "standard input (`-`) is given more than once; pass it once, other plans as files",
        ));
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let config = load_config(args.config.as_deref(), &cwd)?;
    let load = LoadOptions {
        terraform_bin: args.terraform_bin.clone(),
        ..LoadOptions::default()
    };
    let plans = crate::plan::load_all(&args.plans, &load)?;
    for p in plans.iter().filter(|p| p.errored) {
        eprintln!(
            "warning: {} was saved after a failed plan and may be incomplete; fix the plan errors and re-run",
            p.name
        );
    }
    let opts = CheckOptions {
        fail_on: args.fail_on.map(FailOn::from),
    };
    let report = engine::check_plans_with(&plans, &config, &opts);
    for ig in engine::unused_ignores(&config, &report) {
        eprintln!(
            "note: the ignore block at {} (rule {}, address {}) matched no finding; remove it if the problem is fixed",
            ig.location, ig.rule, ig.address
        );
    }

    let color = args.format == Format::Text
        && args.output.is_none()
        && !args.no_color
        && anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never;
    let text = report::render(&report, args.format, RenderOptions { color });
    match &args.output {
        Some(path) => write_file(path, &text)?,
        None => print_stdout(&text)?,
    }
    Ok(report.status())
}

/// Write a report file; a failure is a usage error (exit 2).
pub fn write_file(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|e| {
        UserError::new(format!(
            "cannot write {}: {e}; check that the directory exists and is writable",
            path.display()
        ))
    })
}

/// Print to stdout. A closed pipe (`ecsnet check plan.json | head`) is not an error.
pub fn print_stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
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
    fn the_help_example_configuration_is_valid() {
        let start = EXAMPLES.find("Configuration (").unwrap();
        let block: String = EXAMPLES[start..]
            .lines()
            .skip(1)
            .take_while(|l| !l.trim().is_empty())
            .map(|l| format!("{}\n", l.strip_prefix("  ").unwrap_or(l)))
            .collect();
        let c = config::parse_str(&block, "help").unwrap_or_else(|e| panic!("{e}\n{block}"));
        assert_eq!(c.fail_on, Some(FailOn::Severity(Severity::Warning)));
        assert_eq!(c.ignores.len(), 1);
        assert_eq!(c.assume.clusters["prod"].max_instances, 4);
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
}
