//! `ecsnet check`: the policy gate. Reads plans, runs the rules, prints a report, and
//! exits 0 (nothing reached --fail-on), 1 (something did) or 2 (bad input or usage).

use std::path::{Path, PathBuf};

use super::common::{emit_pieces, warn_errored, ColorChoice, Inputs, PlanSource};
use crate::config::FailOn;
use crate::diagnostics::Severity;
use crate::engine::{self, CheckOptions, Report};
use crate::error::{Result, UserError};
use crate::report::{self, Format, RenderOptions};

/// `--fail-on`: what `fail_on` in the configuration accepts (`warn` and `note` too, any case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOnArg {
    Error,
    #[value(alias = "warn")]
    Warning,
    #[value(alias = "note")]
    Info,
    Never,
}

/// `--min-severity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SeverityArg {
    Error,
    #[value(alias = "warn")]
    Warning,
    #[value(alias = "note")]
    Info,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Self {
        match s {
            SeverityArg::Error => Severity::Error,
            SeverityArg::Warning => Severity::Warning,
            SeverityArg::Info => Severity::Info,
        }
    }
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

  # Several reports in one run: text on the terminal, SARIF and JUnit to files
  ecsnet check plan.json -f text -f sarif=ecsnet.sarif -f junit=ecsnet.xml

  # Adopt on an existing estate: accept today's findings, fail only on new ones
  ecsnet check plan.json --write-baseline .ecsnet-baseline.json
  ecsnet check plan.json --baseline .ecsnet-baseline.json

  # GitHub Actions annotations; JUnit for test-report views
  ecsnet check plan.json --format github
  ecsnet check plan.json --format junit -o ecsnet-junit.xml

  # Report only, never fail the build
  ecsnet check plan.json --fail-on never

Configuration (.ecsnet.hcl here or in a parent, $ECSNET_CONFIG, or --config FILE):
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
    /// Report format, optionally with the file it goes to (`sarif=ecsnet.sarif`; `-` is
    /// standard output). Repeat for several reports; the first is the primary one [formats:
    /// text, json, sarif, junit, github; default: text].
    #[arg(long, short = 'f', value_name = "FORMAT[=FILE]", value_parser = parse_format_spec)]
    pub format: Vec<FormatSpec>,

    /// Write the primary report to FILE instead of standard output (`-`: standard output).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Lowest severity that makes the exit code 1 [default: fail_on from the configuration, else error].
    #[arg(long, value_enum, value_name = "LEVEL", ignore_case = true)]
    pub fail_on: Option<FailOnArg>,

    /// Leave findings below this severity out of every report.
    #[arg(long, value_enum, value_name = "LEVEL", ignore_case = true)]
    pub min_severity: Option<SeverityArg>,

    /// Leave out the unverifiable notes (what ecsnet could not check at plan time).
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Fail only on findings this baseline file does not list; report its entries that no
    /// longer occur.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Write the current findings to FILE as a baseline (they then pass this run too).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// Configuration file [default: $ECSNET_CONFIG, else .ecsnet.hcl in the working directory
    /// or its nearest parent up to the repository root].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    // PLAN... and --terraform-bin, as in every command that reads plans.
    #[command(flatten)]
    pub source: PlanSource,

    /// Colour the text report: auto (a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces
    /// it), always or never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Same as --color never.
    #[arg(long, hide = true)]
    pub no_color: bool,
}

/// One `--format FORMAT[=FILE]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatSpec {
    pub format: Format,
    /// `None`: standard output (also for `-`).
    pub file: Option<PathBuf>,
}

fn parse_format_spec(s: &str) -> std::result::Result<FormatSpec, String> {
    use clap::ValueEnum;
    let (name, file) = match s.split_once('=') {
        Some((n, "")) => {
            return Err(format!(
                "`{n}=` names no file; write `{n}=FILE`, or `{n}` for standard output"
            ))
        }
        Some((n, f)) => (n, (f != "-").then(|| PathBuf::from(f))),
        None => (s, None),
    };
    let format = Format::from_str(name, true).map_err(|_| {
        format!("`{name}` is not a format; use text, json, sarif, junit or github (optionally FORMAT=FILE)")
    })?;
    Ok(FormatSpec { format, file })
}

/// The reports to write: `--format` (text when none), `--output` applied to the first.
/// At most one goes to standard output, and no file gets two.
fn destinations(args: &CheckArgs) -> Result<Vec<FormatSpec>> {
    let mut specs = args.format.clone();
    if specs.is_empty() {
        specs.push(FormatSpec {
            format: Format::Text,
            file: None,
        });
    }
    if let Some(out) = &args.output {
        if specs[0].file.is_some() {
            return Err(UserError::new(
                "--output and --format FORMAT=FILE both name the primary report's file; keep one",
            ));
        }
        specs[0].file = (out.as_os_str() != "-").then(|| out.clone());
    }
    if specs.iter().filter(|s| s.file.is_none()).count() > 1 {
        return Err(UserError::new(
            "more than one report goes to standard output; give the others a file, e.g. --format sarif=ecsnet.sarif",
        ));
    }
    let mut files: Vec<&Path> = specs.iter().filter_map(|s| s.file.as_deref()).collect();
    files.sort();
    if let Some(w) = files.windows(2).find(|w| w[0] == w[1]) {
        return Err(UserError::new(format!(
            "two reports would be written to {}; give each its own file",
            w[0].display()
        )));
    }
    Ok(specs)
}

pub fn run(args: CheckArgs) -> Result<u8> {
    let specs = destinations(&args)?;
    // Files this run writes: none may be one of the input plans.
    let outputs: Vec<&Path> = specs
        .iter()
        .filter_map(|s| s.file.as_deref())
        .chain(args.write_baseline.as_deref())
        .collect();
    let Inputs {
        config,
        mut plans,
        sources,
    } = Inputs::load(&args.source, args.config.as_deref(), &outputs)?;
    // Read the baseline before the check, so a bad file fails fast.
    let baseline = args
        .baseline
        .as_deref()
        .map(crate::baseline::load)
        .transpose()?;
    warn_errored(&plans);
    let opts = CheckOptions {
        fail_on: args.fail_on.map(FailOn::from),
        min_severity: args.min_severity.map(Severity::from),
        quiet: args.quiet,
        sources,
    };
    // The process ends after the report (see below): nor are the values the overlay
    // replaces freed. The plans as read are not used after the check: the sources are
    // applied to them, not to copies.
    crate::plan::overlay::free_nothing_before_exit();
    let (model, mut report) =
        engine::check_plans_in_place_keeping_model(&mut plans, &config, &opts);
    let locator = crate::locate::Locator {
        plans: &plans,
        sources: &opts.sources,
    };
    for at in locator.unused_suppressions(&report.diagnostics) {
        eprintln!(
            "note: the suppression at {at} matched no finding; remove it if the problem is fixed"
        );
    }
    // The process ends right after the report is written, and the OS takes back its memory
    // at once: freeing the plans and the model piece by piece (hundreds of thousands of
    // small allocations on a large plan) would only add to the wall time. Not done in the
    // library or the plugin server, which keep running.
    std::mem::forget(model);
    std::mem::forget(plans);
    // Nor the parsed Terraform sources (read no more after the suppressions above).
    std::mem::forget(opts);
    for ig in engine::unused_ignores(&config, &report) {
        eprintln!(
            "note: the ignore block at {} (rule {}, address {}) matched no finding; remove it if the problem is fixed",
            ig.location,
            ig.rule_label(),
            ig.address
        );
    }
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    if let (Some(file), Some(path)) = (baseline, &args.baseline) {
        crate::baseline::apply(&mut report, file, &path.display().to_string());
        note_absent(&report);
    }
    if let Some(path) = &args.write_baseline {
        crate::baseline::write(&report, path)?;
        let file = crate::baseline::of_report(&report);
        eprintln!(
            "note: wrote {} findings to the baseline {}; they pass from now on",
            file.findings.len(),
            path.display()
        );
        let outcome = report.summary.baseline.take();
        crate::baseline::apply(&mut report, file, &path.display().to_string());
        // What an older --baseline said about fixed entries stays in the report.
        if let (Some(old), Some(new)) = (outcome, report.summary.baseline.as_mut()) {
            new.absent = old.absent;
        }
    }

    let no_color = args.no_color.then_some(ColorChoice::Never);
    let color_choice = no_color.unwrap_or(args.color);
    for spec in &specs {
        let color = spec.format == Format::Text
            && color_choice.enabled(spec.file.is_none(), &|k| std::env::var_os(k));
        let opts = RenderOptions { color };
        emit_pieces(spec.file.as_deref(), |sink| {
            report::write_to(&report, spec.format, opts, sink)
        })?;
    }
    if let Some(file) = &specs[0].file {
        eprintln!(
            "{} (report: {})",
            report::summary_line(&report),
            file.display()
        );
    }
    if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
        report::github::append_step_summary(&report, Path::new(&path))?;
    }
    crate::timings::mark("report written");
    let status = report.status();
    // As the model and plans above: the report (thousands of findings on a large plan) is
    // left to the process's end rather than freed piece by piece.
    std::mem::forget(report);
    Ok(status)
}

/// Tell (stderr) which baseline entries no finding matched any more: at most ten by name.
fn note_absent(report: &Report) {
    let Some(b) = &report.summary.baseline else {
        return;
    };
    const SHOWN: usize = 10;
    for e in b.absent.iter().take(SHOWN) {
        eprintln!(
            "note: baseline entry {} {} ({}) no longer occurs: fixed or changed; refresh the baseline with --write-baseline",
            e.rule, e.address, e.fingerprint
        );
    }
    if b.absent.len() > SHOWN {
        eprintln!(
            "note: {} more baseline entries no longer occur (listed in the JSON report's summary.baseline.absent)",
            b.absent.len() - SHOWN
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config;

    #[test]
    fn format_specs_parse_and_destinations_are_checked() {
        use clap::Parser;
        #[derive(clap::Parser)]
        struct T {
            #[command(flatten)]
            check: CheckArgs,
        }
        let args =
            |a: &[&str]| T::try_parse_from([&["t", "plan.json"], a].concat()).map(|t| t.check);
        let a = args(&["-f", "text", "-f", "sarif=out.sarif", "--format", "JUnit=-"]).unwrap();
        assert_eq!(
            a.format[1],
            FormatSpec {
                format: Format::Sarif,
                file: Some("out.sarif".into())
            }
        );
        assert_eq!(
            a.format[2],
            FormatSpec {
                format: Format::Junit,
                file: None
            }
        );
        assert!(destinations(&a)
            .unwrap_err()
            .message
            .contains("more than one report goes to standard output"));
        let a = args(&["-f", "json", "-o", "-"]).unwrap();
        assert_eq!(destinations(&a).unwrap()[0].file, None);
        let a = args(&["-f", "json=a", "-f", "sarif=a"]).unwrap();
        assert!(destinations(&a)
            .unwrap_err()
            .message
            .contains("two reports would be written to a"));
        assert!(args(&["-f", "yaml"]).is_err());
        assert!(args(&["-f", "sarif="]).is_err());
        let a = args(&["--fail-on", "warn", "--min-severity", "WARNING"]).unwrap();
        assert_eq!(a.fail_on, Some(FailOnArg::Warning));
        assert_eq!(a.min_severity, Some(SeverityArg::Warning));
        assert_eq!(
            destinations(&a).unwrap(),
            [FormatSpec {
                format: Format::Text,
                file: None
            }]
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
}
