//! Every scenario under `testdata/scenarios/` (a Terraform configuration planned by real
//! Terraform through the stand-in AWS provider, see `testdata/scenarios/README.md`) produces
//! the findings its `expect.json` promises, on each plan it generates:
//!
//! - `fire`: a finding of the rule that is neither suppressed nor unverifiable;
//! - `pass`: no diagnostic of the rule at all;
//! - `unverifiable`: an unverifiable note of the rule;
//! - `todo`: a known gap whose wanted outcome must NOT hold yet (when a fix makes it hold,
//!   the test says to promote the entry).
//!
//! Each plan is checked twice: with its Terraform sources (the scenario directory, with
//! `update/` copied over for `update/plan.json`), where the expectations above must hold,
//! and without, where `plan_only` entries replace those of the same rule and address.
//!
//! With the sources, every unverifiable note on a service must name its missing inputs, and
//! none may be `hidden` (ecsnet could not follow the configuration: its own limitation,
//! issue 10): a service stays unjudged only for values known after apply, objects outside
//! the plan or sensitive values. A known exception is listed under `hidden` in the plan's
//! expectations, with the rule, the address and why; one that no longer occurs must go.
//!
//! Each plan's findings are also snapshotted (`tests/snapshots/scenarios/`), every output
//! format is rendered and searched for the scenario's `never_printed` strings, and every
//! rule must have a scenario that fires and one that passes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use aws_standin::scenarios::fsutil::TempDir;
use aws_standin::scenarios::{UPDATE_DIR, UPDATE_PLAN};
use serde::Deserialize;

use ecsnet::config::{self, Config};
use ecsnet::diagnostics::{Diagnostic, MissingKind, Severity};
use ecsnet::engine::{self, Report};
use ecsnet::plan::{self, LoadOptions};
use ecsnet::report::{self, Format, RenderOptions};

fn repo_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    root.canonicalize().unwrap_or(root)
}

fn scenarios_dir() -> PathBuf {
    repo_root().join("testdata/scenarios")
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    description: String,
    plans: BTreeMap<String, PlanExpect>,
    /// Strings (e.g. values of variables marked sensitive) that no output may contain.
    #[serde(default)]
    never_printed: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanExpect {
    #[serde(default)]
    fire: Vec<Matcher>,
    #[serde(default)]
    pass: Vec<Matcher>,
    #[serde(default)]
    unverifiable: Vec<Matcher>,
    #[serde(default)]
    todo: Vec<Todo>,
    /// Services that stay held by a `hidden` input with the sources, knowingly.
    #[serde(default)]
    hidden: Vec<HiddenInput>,
    /// What differs when the plan is checked WITHOUT its Terraform sources: entries here
    /// replace those of the same rule and address above (which hold with the sources).
    #[serde(default)]
    plan_only: Option<Box<PlanExpect>>,
}

impl PlanExpect {
    /// The expectations for the plan checked without sources: those above, except where
    /// `plan_only` names the same rule and address, plus `plan_only`'s.
    fn without_sources(&self) -> PlanExpect {
        let Some(po) = &self.plan_only else {
            return PlanExpect {
                fire: self.fire.clone(),
                pass: self.pass.clone(),
                unverifiable: self.unverifiable.clone(),
                todo: self.todo.clone(),
                hidden: Vec::new(),
                plan_only: None,
            };
        };
        let named: Vec<(&str, Option<&str>)> = po
            .fire
            .iter()
            .chain(&po.pass)
            .chain(&po.unverifiable)
            .map(|m| (m.rule.as_str(), m.address.as_deref()))
            .chain(
                po.todo
                    .iter()
                    .map(|t| (t.rule.as_str(), t.address.as_deref())),
            )
            .collect();
        let kept = |rule: &str, address: Option<&str>| !named.contains(&(rule, address));
        let keep = |ms: &[Matcher], extra: &[Matcher]| -> Vec<Matcher> {
            ms.iter()
                .filter(|m| kept(&m.rule, m.address.as_deref()))
                .chain(extra)
                .cloned()
                .collect()
        };
        PlanExpect {
            fire: keep(&self.fire, &po.fire),
            pass: keep(&self.pass, &po.pass),
            unverifiable: keep(&self.unverifiable, &po.unverifiable),
            todo: self
                .todo
                .iter()
                .filter(|t| kept(&t.rule, t.address.as_deref()))
                .chain(&po.todo)
                .cloned()
                .collect(),
            hidden: Vec::new(),
            plan_only: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Matcher {
    rule: String,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    address: Option<String>,
}

/// A known exception to "no service is held by a hidden input with the sources".
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct HiddenInput {
    rule: String,
    address: String,
    why: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Todo {
    rule: String,
    #[serde(default)]
    address: Option<String>,
    want: Want,
    issue: u32,
    why: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Want {
    Fire,
    Pass,
}

impl Matcher {
    fn selects(&self, d: &Diagnostic) -> bool {
        // A problem several resources share is one finding: `also` holds the others.
        d.rule == self.rule
            && self
                .address
                .as_deref()
                .is_none_or(|a| a == d.address || d.also.iter().any(|x| x == a))
    }
    fn label(&self) -> String {
        let mut s = self.rule.clone();
        if let Some(sev) = &self.severity {
            s.push_str(&format!(" ({sev})"));
        }
        if let Some(a) = &self.address {
            s.push_str(&format!(" on {a}"));
        }
        s
    }
}

fn fires(m: &Matcher, ds: &[Diagnostic]) -> bool {
    ds.iter().any(|d| {
        m.selects(d)
            && d.suppressed.is_none()
            && !d.unverifiable
            && m.severity
                .as_deref()
                .is_none_or(|s| Severity::parse(s) == Some(d.severity))
    })
}

fn passes(m: &Matcher, ds: &[Diagnostic]) -> bool {
    !ds.iter().any(|d| m.selects(d))
}

fn unverifiable(m: &Matcher, ds: &[Diagnostic]) -> bool {
    ds.iter().any(|d| m.selects(d) && d.unverifiable)
}

struct Scenario {
    /// `capacity/fire-desired-exceeds-slots`
    name: String,
    dir: PathBuf,
    expect: Result<Expect, String>,
}

/// Every directory holding an `expect.json`, sorted.
fn scenarios() -> Vec<Scenario> {
    let mut out = Vec::new();
    let root = scenarios_dir();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                let n = e.file_name();
                // Terraform's own working files never belong to a scenario.
                if n != ".terraform" {
                    stack.push(p);
                }
            } else if e.file_name() == "expect.json" {
                let name = dir
                    .strip_prefix(&root)
                    .unwrap_or(&dir)
                    .to_string_lossy()
                    .replace('\\', "/");
                let expect = std::fs::read_to_string(&p)
                    .map_err(|e| e.to_string())
                    .and_then(|s| serde_json::from_str::<Expect>(&s).map_err(|e| e.to_string()));
                out.push(Scenario {
                    name,
                    dir: dir.clone(),
                    expect,
                });
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn config_for(dir: &Path) -> Result<Config, String> {
    let hcl = dir.join(".ecsnet.hcl");
    if hcl.is_file() {
        // Named relative to the repository: findings about assumptions quote the file and
        // line, and snapshots must not depend on where the checkout is.
        let text = std::fs::read_to_string(&hcl).map_err(|e| e.to_string())?;
        let root = repo_root();
        let name = hcl
            .strip_prefix(&root)
            .unwrap_or(&hcl)
            .display()
            .to_string();
        config::parse_str(&text, &name).map_err(|e| e.to_string())
    } else {
        Ok(Config::default())
    }
}

/// The plan files a scenario has generated: `plan.json` and `update/plan.json`, and any
/// other `plan*.json` in either directory (a plan under a name the generator no longer
/// writes, such as the former `plan-update.json`, is reported as unexpected).
fn generated_plans(dir: &Path) -> Vec<String> {
    let plans_in = |sub: &str| -> Vec<String> {
        std::fs::read_dir(dir.join(sub))
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.file_name().to_string_lossy().to_string())
                    .filter(|n| n.starts_with("plan") && n.ends_with(".json"))
                    .map(|n| {
                        if sub.is_empty() {
                            n
                        } else {
                            format!("{sub}/{n}")
                        }
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut v = plans_in("");
    v.extend(plans_in(UPDATE_DIR));
    v.sort();
    v
}

/// The Terraform sources behind one of a scenario's plans: the scenario directory for the
/// create plan; for `update/plan.json`, a copy of it with `update/` laid over it (as the
/// fixture generator plans it), kept while the returned guard lives.
fn sources_for(
    sc: &Scenario,
    plan_file: &str,
) -> Result<(Arc<tfsource::Sources>, Option<TempDir>), String> {
    let (dir, guard) = aws_standin::scenarios::sources_of(&standin_scenario(sc), plan_file)?;
    let src = tfsource::Sources::load(&dir).map_err(|e| e.to_string())?;
    Ok((Arc::new(src), guard))
}

/// The scenario as the fixture generator sees it (what its `update/` holds, its sources).
fn standin_scenario(sc: &Scenario) -> aws_standin::scenarios::Scenario {
    aws_standin::scenarios::Scenario {
        name: sc.name.clone(),
        dir: sc.dir.clone(),
    }
}

fn check(sc: &Scenario, plan_file: &str) -> Result<Report, String> {
    check_with(sc, plan_file, false)
}

/// Check one plan of a scenario, with its Terraform sources or without.
fn check_with(sc: &Scenario, plan_file: &str, with_sources: bool) -> Result<Report, String> {
    let path = sc.dir.join(plan_file);
    let bytes = std::fs::read(&path).map_err(|e| {
        format!(
            "{plan_file} cannot be read ({e}): run `make fixtures ONLY={}`",
            sc.name
        )
    })?;
    // A fixed, relative name keeps snapshots independent of the checkout's location.
    let shown = format!("testdata/scenarios/{}/{plan_file}", sc.name);
    let plan = plan::parse_bytes(&bytes, &shown, &LoadOptions::default())
        .map_err(|e| format!("{plan_file}: {e}"))?;
    let config = config_for(&sc.dir)?;
    if !with_sources {
        return Ok(engine::check_plans(std::slice::from_ref(&plan), &config));
    }
    let (sources, _guard) = sources_for(sc, plan_file)?;
    let opts = engine::CheckOptions {
        sources: vec![Some(sources)],
        ..Default::default()
    };
    Ok(engine::check_plans_with(
        std::slice::from_ref(&plan),
        &config,
        &opts,
    ))
}

fn describe(ds: &[Diagnostic]) -> String {
    if ds.is_empty() {
        return "    (no diagnostics at all)".into();
    }
    ds.iter()
        .map(|d| {
            format!(
                "    {} {} {}{}{}: {}",
                d.severity,
                d.rule,
                d.address,
                if d.unverifiable {
                    " (unverifiable)"
                } else {
                    ""
                },
                if d.suppressed.is_some() {
                    " (suppressed)"
                } else {
                    ""
                },
                d.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a plan's findings look like in review: one block per diagnostic.
fn snapshot_text(ds: &[Diagnostic]) -> String {
    let mut s = String::new();
    for d in ds {
        s.push_str(&format!(
            "{} {} {}{}{}{}\n  {}\n",
            d.severity,
            d.rule,
            d.address,
            d.attribute
                .as_deref()
                .map(|a| format!(" [{a}]"))
                .unwrap_or_default(),
            if d.unverifiable {
                " (unverifiable)"
            } else {
                ""
            },
            d.suppressed
                .as_deref()
                .map(|r| format!(" (suppressed: {r})"))
                .unwrap_or_default(),
            d.message
        ));
        if !d.also.is_empty() {
            s.push_str(&format!("  also: {}\n", d.also.join(", ")));
        }
        if let Some(detail) = &d.detail {
            for line in detail.lines() {
                s.push_str(&format!("  | {line}\n"));
            }
        }
    }
    if s.is_empty() {
        s.push_str("(no diagnostics)\n");
    }
    s
}

/// Problems with one plan of a scenario against its expectations (`how`: "with sources"
/// or "plan only").
fn judge(
    sc: &Scenario,
    plan_file: &str,
    how: &str,
    pe: &PlanExpect,
    report: &Report,
) -> Vec<String> {
    let ds = &report.diagnostics;
    let mut problems = Vec::new();
    let mut fail = |what: String| problems.push(format!("{}/{plan_file} ({how}): {what}", sc.name));
    for m in &pe.fire {
        if !fires(m, ds) {
            fail(format!("expected {} to fire", m.label()));
        }
    }
    for m in &pe.pass {
        if !passes(m, ds) {
            fail(format!("expected no diagnostic of {}", m.label()));
        }
    }
    for m in &pe.unverifiable {
        if !unverifiable(m, ds) {
            fail(format!("expected an unverifiable note of {}", m.label()));
        }
    }
    for t in &pe.todo {
        if t.why.trim().is_empty() || t.issue == 0 {
            fail(format!("todo {} needs an issue and a why", t.rule));
        }
        let m = Matcher {
            rule: t.rule.clone(),
            severity: None,
            address: t.address.clone(),
        };
        let holds = match t.want {
            Want::Fire => fires(&m, ds),
            Want::Pass => passes(&m, ds),
        };
        if holds {
            fail(format!(
                "todo {} (issue {}) now holds: move it to `{}`{}",
                m.label(),
                t.issue,
                if t.want == Want::Fire { "fire" } else { "pass" },
                if how == WITH_SOURCES {
                    " (keep the todo under `plan_only` if it still fails without sources)"
                } else {
                    " of `plan_only`"
                }
            ));
        }
    }
    if !problems.is_empty() {
        problems.push(format!("  got:\n{}", describe(ds)));
    }
    problems
}

/// Problems with the unverifiable notes on services of a plan checked with its sources: a
/// note that names no missing input, or a `hidden` input that `allowed` does not list (and
/// entries of `allowed` that no longer occur).
fn hidden_inputs(ds: &[Diagnostic], allowed: &[HiddenInput]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut used = vec![false; allowed.len()];
    for d in ds
        .iter()
        .filter(|d| d.unverifiable && d.suppressed.is_none())
    {
        for address in std::iter::once(&d.address).chain(&d.also) {
            if !address.contains("aws_ecs_service.") {
                continue;
            }
            if d.missing.is_empty() {
                problems.push(format!(
                    "the unverifiable note of {} on {address} names no missing input",
                    d.rule
                ));
            }
            for m in d.missing.iter().filter(|m| m.kind == MissingKind::Hidden) {
                match allowed
                    .iter()
                    .position(|h| h.rule == d.rule.as_str() && &h.address == address)
                {
                    Some(i) => used[i] = true,
                    None => problems.push(format!(
                        "{} on {address} is held by a hidden input (ecsnet could not follow the configuration): {}; fix ecsnet, or list it under `hidden` with a why",
                        d.rule, m.what
                    )),
                }
            }
        }
    }
    for (h, used) in allowed.iter().zip(used) {
        if h.why.trim().is_empty() {
            problems.push(format!("hidden {} {} needs a why", h.rule, h.address));
        }
        if !used {
            problems.push(format!(
                "hidden {} {} no longer occurs: remove it",
                h.rule, h.address
            ));
        }
    }
    problems
}

#[test]
fn a_hidden_input_on_a_service_fails_unless_listed() {
    use ecsnet::diagnostics::Missing;
    let note = |address: &str, missing: Vec<Missing>| Diagnostic {
        rule: "NET045".into(),
        address: address.into(),
        unverifiable: true,
        missing,
        ..Diagnostic::default()
    };
    let hidden = || vec![Missing::hidden("a subnet ecsnet could not follow", "s")];
    let listed = HiddenInput {
        rule: "NET045".into(),
        address: "aws_ecs_service.a".into(),
        why: "the link needs issue 11".into(),
    };
    let ds = vec![note("aws_ecs_service.a", hidden())];
    assert_eq!(hidden_inputs(&ds, &[]).len(), 1);
    assert!(hidden_inputs(&ds, std::slice::from_ref(&listed)).is_empty());
    // Held only by a value known after apply: fine; a stale exception is not.
    let ds = vec![note(
        "aws_ecs_service.a",
        vec![Missing::after_apply("max_size", "s")],
    )];
    assert!(hidden_inputs(&ds, &[]).is_empty());
    assert_eq!(hidden_inputs(&ds, &[listed]).len(), 1);
    // A note that names nothing, and notes on other resources.
    assert_eq!(
        hidden_inputs(&[note("aws_ecs_service.a", vec![])], &[]).len(),
        1
    );
    assert!(hidden_inputs(&[note("aws_ecs_task_definition.t", hidden())], &[]).is_empty());
}

const WITH_SOURCES: &str = "with sources";
const PLAN_ONLY: &str = "plan only";

/// Every output format of the report, so a value that must stay hidden is looked for
/// everywhere a user could see it.
fn every_rendering(report: &Report) -> Vec<(Format, String)> {
    [
        Format::Text,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Github,
    ]
    .into_iter()
    .map(|f| (f, report::render(report, f, RenderOptions { color: false })))
    .collect()
}

#[test]
fn scenarios_produce_their_expected_findings() {
    let all = scenarios();
    assert!(
        !all.is_empty(),
        "no scenarios under {}",
        scenarios_dir().display()
    );
    let ids: Vec<&str> = ecsnet::rules::all()
        .iter()
        .map(|r| r.meta().id.as_str())
        .collect();
    let mut problems = Vec::new();
    let mut snapshots = Vec::new();
    for sc in &all {
        let expect = match &sc.expect {
            Ok(e) => e,
            Err(e) => {
                problems.push(format!("{}/expect.json: {e}", sc.name));
                continue;
            }
        };
        if expect.description.trim().is_empty() {
            problems.push(format!("{}/expect.json: empty description", sc.name));
        }
        let generated = generated_plans(&sc.dir);
        for g in &generated {
            if !expect.plans.contains_key(g) {
                problems.push(format!(
                    "{}: {g} is generated but expect.json says nothing about it",
                    sc.name
                ));
            }
        }
        if standin_scenario(sc).has_update() && !expect.plans.contains_key(UPDATE_PLAN) {
            problems.push(format!(
                "{}: has update/ but expect.json has no {UPDATE_PLAN}",
                sc.name
            ));
        }
        for (plan_file, pe) in &expect.plans {
            let named = pe
                .fire
                .iter()
                .chain(&pe.pass)
                .chain(&pe.unverifiable)
                .map(|m| &m.rule)
                .chain(pe.todo.iter().map(|t| &t.rule));
            for rule in named {
                if !ids.contains(&rule.as_str()) {
                    problems.push(format!("{}/{plan_file}: no rule {rule}", sc.name));
                }
            }
            let (report, sourced) = match (check(sc, plan_file), check_with(sc, plan_file, true)) {
                (Ok(r), Ok(s)) => (r, s),
                (Err(e), _) | (_, Err(e)) => {
                    problems.push(format!("{}: {e}", sc.name));
                    continue;
                }
            };
            if let Some(po) = &pe.plan_only {
                if po.plan_only.is_some() {
                    problems.push(format!(
                        "{}/{plan_file}: plan_only inside plan_only",
                        sc.name
                    ));
                }
            }
            problems.extend(judge(sc, plan_file, WITH_SOURCES, pe, &sourced));
            problems.extend(
                hidden_inputs(&sourced.diagnostics, &pe.hidden)
                    .into_iter()
                    .map(|p| format!("{}/{plan_file} ({WITH_SOURCES}): {p}", sc.name)),
            );
            problems.extend(judge(
                sc,
                plan_file,
                PLAN_ONLY,
                &pe.without_sources(),
                &report,
            ));
            // The sources are those of the plan: they never disagree with it.
            for note in &sourced.notes {
                if note.contains("disagree") {
                    problems.push(format!("{}/{plan_file}: {note}", sc.name));
                }
            }
            for (how, r) in [(PLAN_ONLY, &report), (WITH_SOURCES, &sourced)] {
                for (format, text) in every_rendering(r) {
                    for secret in &expect.never_printed {
                        if text.contains(secret.as_str()) {
                            problems.push(format!(
                                "{}/{plan_file} ({how}): the {format:?} report prints a value that must stay hidden",
                                sc.name
                            ));
                        }
                    }
                }
            }
            // `capacity__eni-exhausted__plan`, `..__update__plan` for `update/plan.json`.
            let snap_name = format!("{sc}/{plan}", sc = sc.name, plan = plan_file)
                .trim_end_matches(".json")
                .replace('/', "__");
            let plain = snapshot_text(&report.diagnostics);
            let with_sources = snapshot_text(&sourced.diagnostics);
            // With sources: only where the findings differ from the plan's alone.
            if with_sources != plain {
                snapshots.push((format!("{snap_name}__sources"), with_sources));
            }
            snapshots.push((snap_name, plain));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems over {} scenarios:\n{}",
        problems.len(),
        all.len(),
        problems.join("\n")
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/scenarios");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (name, text) in snapshots {
            insta::assert_snapshot!(name, text);
        }
    });
}

#[test]
fn every_rule_has_a_firing_and_a_passing_scenario() {
    let all = scenarios();
    let mut missing = Vec::new();
    for r in ecsnet::rules::all() {
        let id = r.meta().id;
        let plans = || {
            all.iter()
                .filter_map(|s| s.expect.as_ref().ok())
                .flat_map(|e| e.plans.values())
        };
        if !plans().any(|p| p.fire.iter().any(|m| m.rule == id)) {
            missing.push(format!("{id}: no scenario fires it"));
        }
        if !plans().any(|p| p.pass.iter().any(|m| m.rule == id)) {
            missing.push(format!("{id}: no scenario passes it"));
        }
    }
    assert!(
        missing.is_empty(),
        "rules without scenarios (see testdata/scenarios/README.md):\n{}",
        missing.join("\n")
    );
}

/// The directories under `dir` (relative, `/` separators, `""` for `dir` itself) that hold
/// `.tf` files, leaving out Terraform's working files and hidden directories.
fn tf_dirs(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(dir.join(&rel)) else {
            continue;
        };
        let mut has_tf = false;
        for e in entries.flatten() {
            let name = e.file_name();
            if e.path().is_dir() {
                if !name.to_string_lossy().starts_with('.') {
                    stack.push(rel.join(&name));
                }
            } else if e.path().extension().is_some_and(|x| x == "tf") {
                has_tf = true;
            }
        }
        if has_tf {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    out.sort();
    out
}

/// The layout is self-describing: every directory of a scenario that holds `.tf` files
/// holds the plan made from them (`plan.json`, `update/plan.json` beside the overlay), or
/// is a local module that the scenario's configuration calls, whose plan is the plan of
/// the configuration that calls it (`testdata/scenarios/README.md`).
#[test]
fn every_directory_of_tf_files_has_its_plan_or_is_a_called_module() {
    let mut problems = Vec::new();
    let mut modules = 0;
    for sc in scenarios() {
        let has_update = standin_scenario(&sc).has_update();
        // Module directories as the configuration of each plan calls them, relative to its
        // root (`modules/app`); after the overlay, `update/X` lies at `X`.
        let mut called = std::collections::BTreeSet::new();
        let plan_files: &[&str] = if has_update {
            &["plan.json", UPDATE_PLAN]
        } else {
            &["plan.json"]
        };
        for plan_file in plan_files {
            match sources_for(&sc, plan_file) {
                Ok((src, _guard)) => called.extend(src.modules.iter().map(|m| m.rel_dir.clone())),
                Err(e) => problems.push(format!("{}/{plan_file}: sources: {e}", sc.name)),
            }
        }
        for rel in tf_dirs(&sc.dir) {
            let plan = if rel.is_empty() {
                "plan.json".to_owned()
            } else {
                format!("{rel}/plan.json")
            };
            if rel.is_empty() || rel == UPDATE_DIR {
                if !sc.dir.join(&plan).is_file() {
                    problems.push(format!(
                        "{}/{rel}: .tf files but no {plan}: run `make fixtures ONLY={}/`",
                        sc.name, sc.name
                    ));
                }
                continue;
            }
            let landed = rel.strip_prefix(&format!("{UPDATE_DIR}/")).unwrap_or(&rel);
            if called.contains(landed) {
                modules += 1;
            } else {
                problems.push(format!(
                    "{}/{rel}: .tf files, no plan.json, and no module call of the scenario names it",
                    sc.name
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(modules > 0, "no scenario calls a local module");
}

#[test]
fn scenarios_pin_a_provider_version() {
    // Each scenario says which AWS provider plans it; both majors must be covered.
    let mut seen = BTreeMap::<String, usize>::new();
    let mut unpinned = Vec::new();
    for sc in scenarios() {
        let mut version = None;
        for e in std::fs::read_dir(&sc.dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "tf") {
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                for v in ["6.47.0", "5.100.0"] {
                    if text.contains(&format!("\"{v}\"")) {
                        version = Some(v.to_string());
                    }
                }
            }
        }
        match version {
            Some(v) => *seen.entry(v).or_default() += 1,
            None => unpinned.push(sc.name),
        }
    }
    assert!(
        unpinned.is_empty(),
        "scenarios without an exact AWS provider version (\"6.47.0\" or \"5.100.0\"): {unpinned:?}"
    );
    for v in ["6.47.0", "5.100.0"] {
        assert!(
            seen.contains_key(v),
            "no scenario is planned with AWS provider {v}"
        );
    }
}

/// Every fix hint that shows HCL shows HCL that ecsnet's own parser accepts: the `help` of
/// every finding over every scenario, and every rule's documented example.
#[test]
fn fix_hints_show_hcl_that_parses() {
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    for sc in scenarios() {
        let Ok(expect) = &sc.expect else { continue };
        for plan_file in expect.plans.keys() {
            let Ok(report) = check(&sc, plan_file) else {
                continue;
            };
            for d in &report.diagnostics {
                if let Some(h) = &d.help {
                    let at = format!("{} {} ({}/{plan_file})", d.rule, d.address, sc.name);
                    texts.entry(h.clone()).or_insert(at);
                }
            }
        }
    }
    let mut snippets: Vec<(String, String)> = Vec::new();
    for (text, at) in &texts {
        snippets.extend(hcl_snippets(text).into_iter().map(|s| (s, at.clone())));
    }
    for r in ecsnet::rules::all() {
        let doc = r.meta().doc;
        for block in fenced_hcl(doc) {
            snippets.push((block, format!("{} documentation example", r.meta().id)));
        }
        // `ecsnet explain` prints the prose too: its code spans are hints as well.
        let prose: String = doc.split("```").step_by(2).collect::<Vec<_>>().join("\n");
        for s in hcl_snippets(&prose) {
            snippets.push((s, format!("{} documentation", r.meta().id)));
        }
    }
    assert!(
        snippets.len() > 20,
        "few HCL snippets found: {}",
        snippets.len()
    );
    let bad: Vec<String> = snippets
        .iter()
        .filter_map(|(s, at)| {
            parse_hint(s)
                .err()
                .map(|e| format!("{at}:\n    {s}\n    {e}"))
        })
        .collect();
    assert!(
        bad.is_empty(),
        "{} fix hints show HCL that ecsnet cannot parse:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

/// Top-level keys of `.ecsnet.hcl`, and what goes inside `assume`: such snippets are read as
/// configuration (keys and values checked); anything else is Terraform, checked for syntax.
const CONFIG_KEYS: &[&str] = &["fail_on", "rule", "assume", "ignore"];
const ASSUME_KEYS: &[&str] = &[
    "subnet",
    "cluster",
    "awsvpc_trunking",
    "dual_stack_ipv6",
    "dynamic_port_range",
    "reserved_ports",
];

fn parse_hint(snippet: &str) -> Result<(), String> {
    let head: String = snippet
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let res = if CONFIG_KEYS.contains(&head.as_str()) {
        config::parse_str(snippet, "hint").map(drop)
    } else if ASSUME_KEYS.contains(&head.as_str()) {
        config::parse_str(&format!("assume {{\n{snippet}\n}}\n"), "hint").map(drop)
    } else {
        config::check_syntax(snippet, "hint")
    };
    res.map_err(|e| e.to_string())
}

/// ```hcl fenced blocks of a rule's documentation.
fn fenced_hcl(doc: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    for line in doc.lines() {
        let l = line.trim_start();
        match (&mut cur, l.starts_with("```")) {
            (None, true) if l.trim_end() == "```hcl" => cur = Some(String::new()),
            (Some(_), true) => out.extend(cur.take()),
            (Some(b), false) => {
                b.push_str(line.strip_prefix(' ').unwrap_or(line));
                b.push('\n');
            }
            _ => {}
        }
    }
    out
}

/// The HCL a help text shows: `code spans` that hold `=` or `{`, and blocks written in
/// the prose (`name "label" { ... }`, to the matching brace).
fn hcl_snippets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            if part.contains('=') || part.contains('{') {
                out.push(part.to_string());
            }
            continue;
        }
        let b = part.as_bytes();
        let mut pos = 0;
        while let Some(off) = part[pos..].find('{') {
            let open = pos + off;
            let start = block_head(part, open);
            let close = matching_brace(b, open);
            match (start, close) {
                (Some(s), Some(c)) => {
                    out.push(part[s..=c].to_string());
                    pos = c + 1;
                }
                _ => pos = open + 1,
            }
        }
    }
    out
}

/// Where the `ident "label"...` before the brace at `open` starts, if there is one.
fn block_head(s: &str, open: usize) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = open;
    let skip_ws = |mut i: usize| {
        while i > 0 && b[i - 1].is_ascii_whitespace() {
            i -= 1;
        }
        i
    };
    i = skip_ws(i);
    // Labels.
    while i > 0 && b[i - 1] == b'"' {
        let q = s[..i - 1].rfind('"')?;
        i = skip_ws(q);
    }
    let end = i;
    while i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_') {
        i -= 1;
    }
    (i < end && b[i].is_ascii_alphabetic()).then_some(i)
}

fn matching_brace(b: &[u8], open: usize) -> Option<usize> {
    let (mut depth, mut in_str, mut i) = (0usize, false, open);
    while i < b.len() {
        match b[i] {
            b'\\' if in_str => i += 1,
            b'"' => in_str = !in_str,
            b'{' if !in_str => depth += 1,
            b'}' if !in_str => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[test]
fn hcl_snippets_are_found_in_prose_and_code_spans() {
    let s = hcl_snippets(
        "Add `assume { awsvpc_trunking = true }` or resource \"aws_x\" \"y\" { a = \"}\" } here; run `ecsnet rules`.",
    );
    assert_eq!(
        s,
        vec![
            "assume { awsvpc_trunking = true }".to_string(),
            "resource \"aws_x\" \"y\" { a = \"}\" }".to_string()
        ]
    );
    assert!(parse_hint(&s[0]).is_ok());
    assert!(parse_hint(
        "assume { cluster \"x\" { instance_type = \"c5.large\", max_instances = 4 } }"
    )
    .is_err());
    assert!(parse_hint("network_configuration { subnets = [...] }").is_err());
    assert!(parse_hint("subnet \"s\" {\n  cidr_block = \"10.0.0.0/24\"\n}").is_ok());
}
