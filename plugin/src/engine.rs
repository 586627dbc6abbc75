//! The check pipeline shared by the CLI and the plugin server: plans + configuration →
//! [`Report`]. Build the model, run the enabled rules, apply severity overrides and
//! `ignore` blocks, sort, and count.

use std::collections::HashMap;

use serde::Serialize;

use crate::config::{Config, FailOn};
use crate::diagnostics::{Diagnostic, Severity};
use crate::error::UserError;
use crate::locate::Locator;
use crate::model::{Model, PlanSummary};
use crate::plan::{LoadOptions, Plan};
use crate::rules::{self, Context, Rule};

/// JSON report schema version (`docs/report-schema.md`).
pub const REPORT_VERSION: u32 = 1;

/// What a caller may override on top of the configuration file.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// `--fail-on`; wins over `fail_on` in the configuration. Default: error.
    pub fail_on: Option<FailOn>,
    /// `--min-severity`: findings below it are left out of the report.
    pub min_severity: Option<Severity>,
    /// `--quiet`: unverifiable notes are left out of the report.
    pub quiet: bool,
    /// The Terraform sources of each plan (indexed like the plans), when read
    /// (`--source`): findings then point at `.tf` lines and inline suppressions apply.
    pub sources: Vec<Option<std::sync::Arc<tfsource::Sources>>>,
}

impl CheckOptions {
    /// The threshold in force: the option, else the configuration, else `error`.
    pub fn effective_fail_on(&self, config: &Config) -> FailOn {
        self.fail_on
            .or(config.fail_on)
            .unwrap_or(FailOn::Severity(Severity::Error))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

impl Default for Tool {
    fn default() -> Self {
        Tool {
            name: env!("CARGO_PKG_NAME").to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

/// Counts over the diagnostics. Suppressed findings count only in `suppressed`.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    /// Infos, unverifiable ones included.
    pub infos: usize,
    pub suppressed: usize,
    /// Findings the `--baseline` file lists (known; they never fail the gate).
    pub baselined: usize,
    /// What `--baseline` did, when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<crate::baseline::Outcome>,
    /// Unverifiable infos (not suppressed).
    pub unverifiable: usize,
    #[serde(serialize_with = "ser_fail_on")]
    pub fail_on: FailOn,
    /// Whether a non-suppressed finding reaches `fail_on` (exit code 1).
    pub failed: bool,
}

fn ser_fail_on<S: serde::Serializer>(f: &FailOn, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(fail_on_str(*f))
}

/// `error`, `warning`, `info` or `never`.
pub fn fail_on_str(f: FailOn) -> &'static str {
    match f {
        FailOn::Severity(s) => s.as_str(),
        FailOn::Never => "never",
    }
}

/// The result of a check, rendered by `crate::report`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub version: u32,
    pub tool: Tool,
    pub plans: Vec<PlanSummary>,
    /// Sorted by plan, address, rule, attribute, message.
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
    /// Things the reader should know about the run itself (a plan without ECS resources).
    pub notes: Vec<String>,
}

impl Report {
    /// Assemble a report: sorts the diagnostics and computes the summary against `fail_on`.
    pub fn new(plans: Vec<PlanSummary>, mut diagnostics: Vec<Diagnostic>, fail_on: FailOn) -> Self {
        crate::findings::sort_and_dedup(&mut diagnostics);
        let mut diagnostics = crate::findings::merge(diagnostics);
        let paths: Vec<&str> = plans.iter().map(|p| p.path.as_str()).collect();
        crate::findings::fingerprint(&mut diagnostics, &crate::findings::plan_keys(&paths));
        let notes = plans
            .iter()
            .filter(|p| p.ecs_resources == Some(0))
            .map(|p| {
                format!(
                    "{} holds no ECS resource (no aws_ecs_* resource or data source): nothing to check; is it the right plan?",
                    p.path
                )
            })
            .collect();
        let mut summary = Summary {
            errors: 0,
            warnings: 0,
            infos: 0,
            suppressed: 0,
            baselined: 0,
            baseline: None,
            unverifiable: 0,
            fail_on,
            failed: false,
        };
        for d in &diagnostics {
            if d.suppressed.is_some() {
                summary.suppressed += 1;
                continue;
            }
            match d.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
            if d.unverifiable {
                summary.unverifiable += 1;
            }
        }
        let mut report = Report {
            version: REPORT_VERSION,
            tool: Tool::default(),
            plans,
            diagnostics,
            summary,
            notes,
        };
        report.summary.failed = report.exit_code(fail_on) != crate::error::exit::OK;
        report
    }

    /// Does this finding reach `fail_on`? Suppressed findings never do.
    pub fn reaches(d: &Diagnostic, fail_on: FailOn) -> bool {
        match fail_on {
            FailOn::Never => false,
            FailOn::Severity(s) => d.suppressed.is_none() && !d.baselined && d.severity >= s,
        }
    }

    /// 0 when nothing non-suppressed reaches `fail_on`, 1 when something does.
    pub fn exit_code(&self, fail_on: FailOn) -> u8 {
        if self.diagnostics.iter().any(|d| Self::reaches(d, fail_on)) {
            crate::error::exit::FINDINGS
        } else {
            crate::error::exit::OK
        }
    }

    /// The exit code for the threshold the report was made with.
    pub fn status(&self) -> u8 {
        self.exit_code(self.summary.fail_on)
    }

    /// Path of the plan a diagnostic belongs to (`-` for stdin), if known.
    pub fn plan_path(&self, d: &Diagnostic) -> Option<&str> {
        self.plans.get(d.plan).map(|p| p.path.as_str())
    }
}

/// The rules a configuration leaves enabled, in id order.
pub fn enabled_rules(config: &Config) -> Vec<&'static dyn Rule> {
    rules::all()
        .into_iter()
        .filter(|r| {
            config
                .rules
                .get(&r.meta().id)
                .and_then(|o| o.enabled)
                .unwrap_or(true)
        })
        .collect()
}

/// What the report says about one input plan.
pub fn plan_summary(plan: &Plan) -> PlanSummary {
    PlanSummary {
        path: plan.name.clone(),
        format_version: plan.format_version.clone(),
        terraform_version: plan.terraform_version.clone(),
        resources: plan.resource_count,
        ecs_resources: None,
    }
}

/// Check plans with a configuration; `fail_on` from the configuration (default error).
pub fn check_plans(plans: &[Plan], config: &Config) -> Report {
    check_plans_with(plans, config, &CheckOptions::default())
}

/// Check plans with a configuration and caller overrides (`--fail-on`).
pub fn check_plans_with(plans: &[Plan], config: &Config, opts: &CheckOptions) -> Report {
    check_plans_keeping_model(plans, config, opts).1
}

/// [`check_plans_with`], also handing back the model it built, so that a caller about to
/// exit can skip freeing it (see `cli::check`).
pub fn check_plans_keeping_model(
    plans: &[Plan],
    config: &Config,
    opts: &CheckOptions,
) -> (Model, Report) {
    // What the Terraform sources settle of what the plans leave unknown, in one place
    // before the model is built.
    let overlaid = crate::plan::overlay::apply_all(plans, &opts.sources);
    let plans: &[Plan] = overlaid.plans.as_deref().unwrap_or(plans);
    check_overlaid(plans, overlaid.notes, config, opts)
}

/// [`check_plans_keeping_model`] for a caller that owns its plans and has no use for them
/// as read (the CLI): the sources are applied to them in place, which saves copying every
/// plan (each resource's addresses and values) only to change a few of its resources.
pub fn check_plans_in_place_keeping_model(
    plans: &mut [Plan],
    config: &Config,
    opts: &CheckOptions,
) -> (Model, Report) {
    let notes = crate::plan::overlay::apply_all_in_place(plans, &opts.sources).notes;
    crate::timings::mark("sources applied");
    check_overlaid(plans, notes, config, opts)
}

/// The check of plans the sources have been applied to, with the overlay's notes.
fn check_overlaid(
    plans: &[Plan],
    overlay_notes: Vec<String>,
    config: &Config,
    opts: &CheckOptions,
) -> (Model, Report) {
    let model = crate::model::build(plans, &config.assume);
    crate::timings::mark("model built");
    crate::cancel::check();
    let locator = Locator {
        plans,
        sources: &opts.sources,
    };
    let mut report = check_model_located(
        &model,
        plans.iter().map(plan_summary).collect(),
        config,
        opts,
        Some(&locator),
    );
    report.notes.extend(overlay_notes);
    report.notes.extend(crate::plan::overlay::settle_note(
        plans,
        &opts.sources,
        &report.diagnostics,
    ));
    (model, report)
}

/// Check one plan held in memory (the plugin server): `config_text` is `.ecsnet.hcl`
/// content, if the host sends one. Bad plan or configuration → a one-line [`UserError`].
pub fn check_bytes(
    bytes: &[u8],
    name: &str,
    config_text: Option<&str>,
    opts: &CheckOptions,
) -> Result<Report, UserError> {
    let config = match config_text {
        Some(text) => crate::config::parse_str(text, CONFIG_SOURCE_INLINE)?,
        None => Config::default(),
    };
    let plan = crate::plan::parse_bytes(bytes, name, &LoadOptions::default())?;
    Ok(check_plans_with(std::slice::from_ref(&plan), &config, opts))
}

/// How configuration text passed in memory is named in error messages.
pub const CONFIG_SOURCE_INLINE: &str = ".ecsnet.hcl (sent by the plugin host)";

/// Run the enabled rules over a model already built, then apply the configuration.
pub fn check_model(
    model: &Model,
    plans: Vec<PlanSummary>,
    config: &Config,
    opts: &CheckOptions,
) -> Report {
    check_model_located(model, plans, config, opts, None)
}

/// [`check_model`], giving findings their locations (and applying inline suppressions)
/// with `locator` before the configuration's ignores.
pub fn check_model_located(
    model: &Model,
    plans: Vec<PlanSummary>,
    config: &Config,
    opts: &CheckOptions,
    locator: Option<&Locator<'_>>,
) -> Report {
    let mut plans = plans;
    let counts = ecs_resources(model, plans.len());
    for (p, n) in plans.iter_mut().zip(counts) {
        p.ecs_resources = Some(n);
    }
    let cx = Context::new(model, &config.assume);
    let mut diagnostics = rules::run(&cx, &enabled_rules(config));
    crate::timings::mark("rules run");
    crate::cancel::check();
    assign_plans(model, &mut diagnostics);
    if let Some(l) = locator {
        l.apply(&mut diagnostics);
    }
    apply_config(&mut diagnostics, config);
    diagnostics.retain(|d| {
        !(opts.quiet && d.unverifiable) && opts.min_severity.is_none_or(|m| d.severity >= m)
    });
    crate::cancel::check();
    let report = Report::new(plans, diagnostics, opts.effective_fail_on(config));
    crate::timings::mark("report built");
    report
}

/// How many ECS resources (task definitions, services, task sets, clusters, capacity
/// providers) the model holds for each of `plans` plans.
fn ecs_resources(model: &Model, plans: usize) -> Vec<usize> {
    let mut counts = vec![0; plans];
    let mut count = |plan: usize| {
        if let Some(n) = counts.get_mut(plan) {
            *n += 1;
        }
    };
    model.task_definitions.iter().for_each(|e| count(e.plan));
    model.services.iter().for_each(|e| count(e.plan));
    model.task_sets.iter().for_each(|e| count(e.plan));
    model.clusters.iter().for_each(|e| count(e.plan));
    model.capacity_providers.iter().for_each(|e| count(e.plan));
    counts
}

/// Rules that do not call `DiagnosticBuilder::plan` leave every finding on plan 0. With
/// several plans, a finding whose address belongs to exactly one other plan is moved there,
/// so reports name the right file. (An address present in several plans keeps what the
/// rule said.)
pub fn assign_plans(model: &Model, diagnostics: &mut [Diagnostic]) {
    if model.plans.len() < 2 {
        return;
    }
    let mut plans_of: HashMap<&str, Vec<usize>> = HashMap::new();
    macro_rules! collect {
        ($($field:ident),*) => {
            $(for e in &model.$field {
                let v = plans_of.entry(e.address.as_str()).or_default();
                if !v.contains(&e.plan) {
                    v.push(e.plan);
                }
            })*
        };
    }
    collect!(
        task_definitions,
        services,
        task_sets,
        clusters,
        capacity_providers,
        autoscaling_groups,
        launch_templates,
        launch_configurations,
        instances,
        subnets,
        vpcs,
        target_groups,
        service_discovery_services
    );
    for d in diagnostics.iter_mut() {
        if let Some(plans) = plans_of.get(d.address.as_str()) {
            if !plans.contains(&d.plan) && plans.len() == 1 {
                d.plan = plans[0];
            }
        }
    }
}

/// Severity overrides and `ignore` blocks. Unverifiable findings stay `info` whatever the
/// override: they say "could not check", not "found a problem".
pub fn apply_config(diagnostics: &mut [Diagnostic], config: &Config) {
    let ignores = IgnoreSet::new(config);
    let mut scratch = Vec::new();
    for (i, d) in diagnostics.iter_mut().enumerate() {
        crate::cancel::check_every(i, 64);
        if let Some(sev) = config.rules.get(&d.rule).and_then(|o| o.severity) {
            if !d.unverifiable {
                d.severity = sev;
            }
        }
        if d.suppressed.is_none() {
            // The first block, in file order, that covers the finding.
            if let Some(k) = ignores.matching(d, &mut scratch).min() {
                d.suppressed = Some(config.ignores[k].reason.clone());
            }
        }
    }
}

/// `ignore` blocks that suppress nothing in this report: stale exceptions worth removing.
pub fn unused_ignores<'a>(config: &'a Config, report: &Report) -> Vec<&'a crate::config::Ignore> {
    let ignores = IgnoreSet::new(config);
    let mut used = vec![false; config.ignores.len()];
    let mut scratch = Vec::new();
    for d in &report.diagnostics {
        for k in ignores.matching(d, &mut scratch) {
            used[k] = true;
        }
    }
    config
        .ignores
        .iter()
        .zip(used)
        .filter(|(_, used)| !used)
        .map(|(ig, _)| ig)
        .collect()
}

/// A configuration's `ignore` blocks as one set of patterns, matched against a finding's
/// address in one pass: trying each block in turn made 100,000 blocks take minutes.
struct IgnoreSet<'a> {
    ignores: &'a [crate::config::Ignore],
    /// For the set's pattern `k`, its block in `ignores`. Blocks with a bad pattern are left
    /// out (a configuration built in code with one simply ignores nothing).
    blocks: Vec<usize>,
    set: globset::GlobSet,
}

impl<'a> IgnoreSet<'a> {
    fn new(config: &'a Config) -> Self {
        let mut blocks = Vec::new();
        let mut builder = globset::GlobSetBuilder::new();
        for (k, ig) in config.ignores.iter().enumerate() {
            if let Ok(g) = address_glob(&ig.address) {
                builder.add(g);
                blocks.push(k);
            }
        }
        let set = builder
            .build()
            .unwrap_or_else(|_| globset::GlobSet::empty());
        IgnoreSet {
            ignores: &config.ignores,
            blocks,
            set,
        }
    }

    /// The blocks (indexes into the configuration's) that cover `d`: its rule or `*`, and
    /// its address.
    fn matching<'s>(
        &'s self,
        d: &'s Diagnostic,
        scratch: &'s mut Vec<usize>,
    ) -> impl Iterator<Item = usize> + 's {
        if self.blocks.is_empty() {
            scratch.clear();
        } else {
            self.set.matches_into(&d.address, scratch);
        }
        scratch
            .iter()
            .map(|&k| self.blocks[k])
            .filter(move |&k| self.ignores[k].applies_to(d.rule))
    }
}

/// Compile an `ignore` address pattern. Only `*` (any run of characters, brackets and dots
/// included) and `?` (one character) are wildcards; everything else is literal, so
/// `module.app["blue"].*` means what it says instead of `[...]` being a character class.
pub fn address_matcher(pattern: &str) -> Result<globset::GlobMatcher, String> {
    address_glob(pattern).map(|g| g.compile_matcher())
}

/// An `ignore` address pattern read (see [`address_matcher`]), not yet compiled: enough to
/// know it is valid.
pub fn address_glob(pattern: &str) -> Result<globset::Glob, String> {
    if pattern.is_empty() {
        return Err("the pattern is empty; use \"*\" for every address".to_string());
    }
    let mut escaped = String::with_capacity(pattern.len() + 8);
    for c in pattern.chars() {
        if matches!(c, '[' | ']' | '{' | '}' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    globset::GlobBuilder::new(&escaped)
        .literal_separator(false)
        .backslash_escape(true)
        .build()
        .map_err(|e| e.kind().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Ignore, RuleOverride};

    fn diag(rule: &'static str, sev: Severity, address: &str) -> Diagnostic {
        Diagnostic {
            rule: rule.into(),
            severity: sev,
            address: address.into(),
            attribute: None,
            message: format!("{rule} finding"),
            detail: None,
            help: None,
            url: "https://docs.aws.amazon.com/".into(),
            unverifiable: false,
            related: vec![],
            plan: 0,
            suppressed: None,
            ..Diagnostic::default()
        }
    }

    fn ignore(rule: &'static str, address: &str) -> Ignore {
        Ignore {
            rule: (rule != "*").then(|| rule.into()),
            address: address.into(),
            reason: format!("accepted: {rule} {address}"),
            location: ".ecsnet.hcl:1".into(),
        }
    }

    #[test]
    fn address_patterns_are_literal_except_star() {
        let m = address_matcher("module.app[\"blue\"].*").unwrap();
        assert!(m.is_match("module.app[\"blue\"].aws_ecs_service.api"));
        assert!(!m.is_match("module.app[\"green\"].aws_ecs_service.api"));
        let m = address_matcher("module.legacy.*").unwrap();
        assert!(m.is_match("module.legacy.module.inner[0].aws_ecs_service.x"));
        assert!(!m.is_match("module.legacy2.aws_ecs_service.x"));
        let m = address_matcher("*.aws_ecs_service.api").unwrap();
        assert!(m.is_match("module.a[\"x/y\"].aws_ecs_service.api"));
        assert!(address_matcher("").is_err());
    }

    #[test]
    fn ignores_suppress_and_keep_the_reason() {
        let mut config = Config::default();
        config.ignores.push(ignore("NET018", "module.legacy.*"));
        config.ignores.push(ignore("*", "aws_ecs_service.sandbox"));
        let mut ds = vec![
            diag(
                "NET018",
                Severity::Warning,
                "module.legacy.aws_ecs_service.a",
            ),
            diag("NET018", Severity::Warning, "aws_ecs_service.b"),
            diag("NET070", Severity::Error, "module.legacy.aws_ecs_service.a"),
            diag("NET070", Severity::Error, "aws_ecs_service.sandbox"),
        ];
        apply_config(&mut ds, &config);
        assert_eq!(
            ds[0].suppressed.as_deref(),
            Some("accepted: NET018 module.legacy.*")
        );
        assert!(ds[1].suppressed.is_none());
        assert!(ds[2].suppressed.is_none(), "other rule, same address");
        assert!(ds[3].suppressed.is_some(), "wildcard rule");
    }

    #[test]
    fn unused_ignores_are_found() {
        let mut config = Config::default();
        config.ignores.push(ignore("NET018", "module.legacy.*"));
        config.ignores.push(ignore("NET070", "module.legacy.*"));
        let report = Report::new(
            vec![],
            vec![diag(
                "NET018",
                Severity::Warning,
                "module.legacy.aws_ecs_task_definition.a",
            )],
            FailOn::Never,
        );
        let unused = unused_ignores(&config, &report);
        assert_eq!(unused.len(), 1);
        assert_eq!(unused[0].rule_label(), "NET070");
    }

    #[test]
    fn ten_thousand_ignore_blocks_are_matched_in_one_pass_each() {
        // Trying every block for every finding (and counting lines from the start of the
        // file for every block) made 100,000 blocks take over 5 minutes (release build; now
        // 0.7 s of CPU). 10,000 keep a debug test quick, and pairwise would take minutes
        // here too: 2,000 findings × 10,000 patterns, and 10,000 line counts over 0.5 MB.
        let n = 10_000;
        let mut text = String::new();
        for k in 0..n {
            text.push_str(&format!(
                "ignore {{\n  rule = \"{}\"\n  address = \"module.m{k}.*\"\n  reason = \"r{k}\"\n}}\n",
                if k % 2 == 0 { "NET018" } else { "*" }
            ));
        }
        let config = crate::config::parse_str(&text, "big.hcl").unwrap();
        assert_eq!(config.ignores.len(), n);
        assert_eq!(
            config.ignores[n - 1].location,
            format!("big.hcl:{}", 5 * (n - 1) + 1)
        );
        let mut ds: Vec<Diagnostic> = (0..2_000)
            .map(|k| {
                diag(
                    "NET070",
                    Severity::Error,
                    &format!("module.m{}.aws_ecs_service.s", k * 50),
                )
            })
            .collect();
        ds.push(diag(
            "NET018",
            Severity::Error,
            "module.m2.aws_ecs_service.s",
        ));
        apply_config(&mut ds, &config);
        // NET070 is covered only by the `*` blocks (odd k): k * 50 is even, so none.
        assert!(ds[..2_000].iter().all(|d| d.suppressed.is_none()));
        assert_eq!(ds[2_000].suppressed.as_deref(), Some("r2"));
        let report = Report::new(vec![], ds, FailOn::Never);
        assert_eq!(unused_ignores(&config, &report).len(), n - 1);
    }

    #[test]
    fn the_first_matching_block_in_file_order_gives_the_reason() {
        let mut config = Config::default();
        config
            .ignores
            .push(ignore("NET070", "aws_ecs_service.other"));
        config.ignores.push(ignore("NET070", "aws_ecs_service.*"));
        config.ignores.push(ignore("*", "*"));
        config.ignores.push(ignore("NET070", "aws_ecs_service.a"));
        let mut ds = vec![diag("NET070", Severity::Error, "aws_ecs_service.a")];
        apply_config(&mut ds, &config);
        assert_eq!(
            ds[0].suppressed.as_deref(),
            Some("accepted: NET070 aws_ecs_service.*")
        );
        let report = Report::new(vec![], ds, FailOn::Never);
        let unused: Vec<&str> = unused_ignores(&config, &report)
            .iter()
            .map(|i| i.address.as_str())
            .collect();
        assert_eq!(unused, ["aws_ecs_service.other"]);
    }

    #[test]
    fn severity_overrides_spare_unverifiable() {
        let mut config = Config::default();
        config.rules.insert(
            "NET070".into(),
            RuleOverride {
                enabled: None,
                severity: Some(Severity::Warning),
            },
        );
        let mut unverifiable = diag("NET070", Severity::Info, "aws_ecs_service.c");
        unverifiable.unverifiable = true;
        let mut ds = vec![
            diag("NET070", Severity::Error, "aws_ecs_service.a"),
            unverifiable,
            diag("NET071", Severity::Error, "aws_ecs_service.a"),
        ];
        apply_config(&mut ds, &config);
        assert_eq!(ds[0].severity, Severity::Warning);
        assert_eq!(ds[1].severity, Severity::Info);
        assert_eq!(ds[2].severity, Severity::Error);
    }

    #[test]
    fn summary_and_exit_codes() {
        let mut suppressed = diag("NET010", Severity::Error, "aws_ecs_task_definition.z");
        suppressed.suppressed = Some("known".into());
        let mut unv = diag("NET072", Severity::Info, "aws_ecs_service.b");
        unv.unverifiable = true;
        let ds = vec![
            diag("NET018", Severity::Warning, "aws_ecs_service.b"),
            unv,
            suppressed,
            diag("NET018", Severity::Warning, "aws_ecs_service.a"),
        ];
        let r = Report::new(vec![], ds, FailOn::Severity(Severity::Error));
        assert_eq!(r.summary.errors, 0);
        assert_eq!(r.summary.warnings, 2);
        assert_eq!(r.summary.infos, 1);
        assert_eq!(r.summary.unverifiable, 1);
        assert_eq!(r.summary.suppressed, 1);
        assert!(!r.summary.failed, "the only error is suppressed");
        assert_eq!(r.exit_code(FailOn::Severity(Severity::Error)), 0);
        assert_eq!(r.exit_code(FailOn::Severity(Severity::Warning)), 1);
        assert_eq!(r.exit_code(FailOn::Severity(Severity::Info)), 1);
        assert_eq!(r.exit_code(FailOn::Never), 0);
        // sorted by address
        assert_eq!(r.diagnostics[0].address, "aws_ecs_service.a");
        let j = serde_json::to_value(&r.summary).unwrap();
        assert_eq!(j["fail_on"], "error");
    }

    #[test]
    fn duplicates_collapse() {
        let d = diag("NET018", Severity::Warning, "aws_ecs_service.b");
        let r = Report::new(vec![], vec![d.clone(), d], FailOn::Never);
        assert_eq!(r.diagnostics.len(), 1);
    }

    #[test]
    fn findings_move_to_the_plan_that_holds_their_address() {
        use crate::model::testing;
        let mut model = Model::default();
        for (i, p) in ["a.json", "b.json"].iter().enumerate() {
            model.plans.push(PlanSummary {
                path: p.to_string(),
                format_version: None,
                terraform_version: None,
                resources: 1,
                ecs_resources: None,
            });
            let mut td = testing::task_definition(
                &format!("aws_ecs_task_definition.t{i}"),
                crate::model::NetworkMode::Bridge,
            );
            td.plan = i;
            model.task_definitions.push(td);
        }
        // same address in both plans: ambiguous, left alone
        let mut shared = testing::task_definition(
            "aws_ecs_task_definition.t0",
            crate::model::NetworkMode::Bridge,
        );
        shared.plan = 1;
        model.task_definitions.push(shared);
        let mut ds = vec![
            diag("NET018", Severity::Warning, "aws_ecs_task_definition.t1"),
            diag("NET018", Severity::Warning, "aws_ecs_task_definition.t0"),
            diag("NET018", Severity::Warning, "aws_ecs_service.elsewhere"),
        ];
        assign_plans(&model, &mut ds);
        assert_eq!(ds[0].plan, 1);
        assert_eq!(ds[1].plan, 0);
        assert_eq!(ds[2].plan, 0);
    }

    #[test]
    fn fail_on_precedence() {
        let config = Config {
            fail_on: Some(FailOn::Severity(Severity::Warning)),
            ..Config::default()
        };
        assert_eq!(
            CheckOptions::default().effective_fail_on(&config),
            FailOn::Severity(Severity::Warning)
        );
        let opts = CheckOptions {
            fail_on: Some(FailOn::Never),
            ..Default::default()
        };
        assert_eq!(opts.effective_fail_on(&config), FailOn::Never);
        assert_eq!(
            CheckOptions::default().effective_fail_on(&Config::default()),
            FailOn::Severity(Severity::Error)
        );
    }

    #[test]
    fn disabled_rules_do_not_run() {
        let all = rules::all();
        let first = all.first().expect("the build registers rules");
        let mut config = Config::default();
        config.rules.insert(
            first.meta().id,
            RuleOverride {
                enabled: Some(false),
                severity: None,
            },
        );
        let enabled = enabled_rules(&config);
        assert_eq!(enabled.len(), all.len() - 1);
        assert!(enabled.iter().all(|r| r.meta().id != first.meta().id));
    }
}
