//! `ecsnet check`: the policy gate. Reads plans, runs the rules, prints a report, and
//! exits 0 (nothing reached --fail-on), 1 (something did) or 2 (bad input or usage).

use std::path::PathBuf;

use super::common::{emit, warn_errored, Inputs, PlanSource};
use crate::config::FailOn;
use crate::diagnostics::Severity;
use crate::engine::{self, CheckOptions};
use crate::error::Result;
use crate::report::{self, Format, RenderOptions};

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

    // PLAN... and --terraform-bin, as in every command that reads plans.
    #[command(flatten)]
    pub source: PlanSource,

    /// Never colour the text output (colour is also off when NO_COLOR is set or output is not a terminal).
    #[arg(long)]
    pub no_color: bool,
}

pub fn run(args: CheckArgs) -> Result<u8> {
    let Inputs { config, plans } =
        Inputs::load(&args.source, args.config.as_deref(), args.output.as_deref())?;
    warn_errored(&plans);
    let opts = CheckOptions {
        fail_on: args.fail_on.map(FailOn::from),
    };
    let (model, report) = engine::check_plans_keeping_model(&plans, &config, &opts);
    // The process ends right after the report is written, and the OS takes back its memory
    // at once: freeing the plans and the model piece by piece (hundreds of thousands of
    // small allocations on a large plan) would only add to the wall time. Not done in the
    // library or the plugin server, which keep running.
    std::mem::forget(model);
    std::mem::forget(plans);
    for ig in engine::unused_ignores(&config, &report) {
        eprintln!(
            "note: the ignore block at {} (rule {}, address {}) matched no finding; remove it if the problem is fixed",
            ig.location,
            ig.rule_label(),
            ig.address
        );
    }

    let color = args.format == Format::Text
        && args.output.is_none()
        && !args.no_color
        && anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never;
    let text = report::render(&report, args.format, RenderOptions { color });
    emit(args.output.as_deref(), &text)?;
    Ok(report.status())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config;

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
}
