//! The committed scenario plans are what Terraform and the stand-in make of their sources
//! today: a handful of scenarios are planned again, and their plan.json / update/plan.json
//! must come out byte for byte as committed. (`.ci/run` checks every scenario with
//! `scenarios --check`; this test keeps `make test` honest on a few.)

use std::path::{Path, PathBuf};

use aws_standin::scenarios::{discover, generate_all, Keep, Scenario, Terraform};

#[path = "support/terraform.rs"]
mod support;

/// Scenarios planned when present (and then their plans must be committed); when one is
/// gone, another listed scenario with committed plans fills its role (see [`choose`]).
const PREFERRED: &[&str] = &[
    "mode/update-switch-to-fargate",             // 6.47.0, update/
    "container/update-migrate-bridge-to-awsvpc", // 5.100.0, update/
    "ports/fire-module-duplicate-awsvpc",        // a local module
    "mode/pass-fargate-service-fargate-td",      // world.json
    "ports/fire-sensitive-containers",           // sensitive values
    "foundation/blue-green-family", // two task definitions of one family: revisions 1 and 2
];

/// A kind of scenario the test must include.
type Role = fn(&Scenario) -> bool;

/// How many scenarios the test plans.
const COUNT: usize = 6;

fn scenarios_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/scenarios")
}

/// Picks the scenarios: one with `update/` and one pinning each provider version (preferred
/// ones first), then the other preferred ones, then others from topics not yet covered, up
/// to [`COUNT`].
/// Fails when no scenario fills a required role.
fn choose(all: &[Scenario]) -> Result<Vec<Scenario>, String> {
    let mut ordered: Vec<&Scenario> = PREFERRED
        .iter()
        .filter_map(|name| all.iter().find(|s| s.name == *name))
        .collect();
    // Others only when their plans are there: one without is work in progress.
    ordered.extend(all.iter().filter(|s| {
        !PREFERRED.contains(&s.name.as_str())
            && s.plan_files().iter().all(|f| s.dir.join(f).is_file())
    }));

    let mut chosen: Vec<Scenario> = Vec::new();
    let roles: [(&str, Role); 3] = [
        ("has an update/ directory", |s| s.has_update()),
        ("pins hashicorp/aws 5.100.0", |s| s.pins_provider("5.100.0")),
        ("pins hashicorp/aws 6.47.0", |s| s.pins_provider("6.47.0")),
    ];
    for (role, fills) in roles {
        if chosen.iter().any(fills) {
            continue;
        }
        let pick = ordered
            .iter()
            .find(|s| fills(s))
            .ok_or_else(|| format!("no scenario {role}"))?;
        chosen.push((*pick).clone());
    }
    let preferred = ordered
        .iter()
        .take_while(|s| PREFERRED.contains(&s.name.as_str()))
        .count();
    let (preferred, others) = ordered.split_at(preferred);
    for s in preferred {
        if chosen.len() < COUNT && !chosen.contains(s) {
            chosen.push((*s).clone());
        }
    }
    for s in others {
        if chosen.len() < COUNT && chosen.iter().all(|c| c.topic() != s.topic()) {
            chosen.push((*s).clone());
        }
    }
    for s in others {
        if chosen.len() < COUNT && !chosen.contains(s) {
            chosen.push((*s).clone());
        }
    }
    Ok(chosen)
}

#[test]
fn a_few_scenarios_plan_to_their_committed_plans() {
    let Some(terraform) = support::terraform_or_skip("scenario plans not regenerated") else {
        return;
    };

    let root = scenarios_root();
    let found = discover(&root).expect("reading testdata/scenarios");
    let chosen = choose(&found.scenarios).unwrap_or_else(|e| {
        panic!(
            "{e} among the {} scenarios under {}",
            found.scenarios.len(),
            root.display()
        )
    });
    for s in &chosen {
        for file in s.plan_files() {
            assert!(
                s.dir.join(file).is_file(),
                "{}/{file} is not committed: run `make fixtures ONLY={}`",
                s.name,
                s.name
            );
        }
    }

    let provider = Path::new(env!("CARGO_BIN_EXE_terraform-provider-aws"));
    let tf = Terraform::new(terraform, provider).expect("setting up the provider mirror");
    let outcomes = generate_all(&tf, &chosen, 2, Keep::Nothing, &|_| {});
    let mut problems = Vec::new();
    for o in &outcomes {
        match &o.result {
            Err(f) => problems.push(format!("{}: {}: {}", o.scenario.name, f.step, f.summary)),
            Ok(plans) => {
                for (file, generated) in &plans.files {
                    let committed = std::fs::read(o.scenario.dir.join(file)).unwrap_or_default();
                    if committed != *generated {
                        problems.push(format!(
                            "{}/{file} differs from what Terraform plans now",
                            o.scenario.name
                        ));
                    }
                }
            }
        }
    }
    let names: Vec<&str> = chosen.iter().map(|s| s.name.as_str()).collect();
    println!("planned again: {}", names.join(", "));
    assert!(
        problems.is_empty(),
        "planned {}:\n  {}\nrun `make fixtures ONLY=<name>` and review the plan diff",
        names.join(", "),
        problems.join("\n  ")
    );
}
