//! The real-plan corpus (`../shared/realplans/`, next to the repository; see its
//! SOURCES.md). These files are test inputs only and are never copied into the repo, so
//! the test skips with a visible message when the folder is absent.
//!
//! Checks: every file is read; the ECS-related resource instances agree with the counts in
//! SOURCES.md (both as the plan reader sees them and as model entities); links are resolved
//! where the plan holds them; and no inventory output contains a `CANARY-SENSITIVE` value.

#[macro_use]
#[path = "support/skip.rs"]
mod skip;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use ecsnet::config::Assumptions;
use ecsnet::model::{self, CapacityKind, Launch, Model, Resolution};
use ecsnet::plan::{self, LoadOptions, Mode, Plan};
use ecsnet::report::inventory;

fn corpus_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/realplans");
    if dir.join("SOURCES.md").is_file() {
        Some(dir)
    } else {
        skip_note!(
            "real-plan corpus not found at {} (it lives next to the repository in ../shared/realplans)",
            dir.display()
        );
        None
    }
}

/// ECS-related instance counts per file, from the summary table of SOURCES.md
/// ("counts are resource instances in resource_changes; data sources read during planning
/// are counted in prior_state"). Files with "none" have no entry.
const EXPECTED: &[(&str, &[(&str, usize)])] = &[
    (
        "Maheshroy50__ECR-Fully-Automation__terraform-plan.json",
        &[
            ("aws_ecs_cluster", 1),
            ("aws_ecs_cluster_capacity_providers", 1),
            ("aws_ecs_service", 1),
            ("aws_ecs_task_definition", 1),
            ("aws_lb_target_group", 2),
            ("aws_subnet", 2),
            ("data.aws_subnet", 6),
            ("data.aws_vpc", 1),
        ],
    ),
    (
        "netlightin__sagemaker-whisper__terraform-plan.json",
        &[
            ("aws_ecs_cluster", 1),
            ("aws_ecs_service", 2),
            ("aws_ecs_task_definition", 2),
            ("aws_lb_target_group", 2),
            ("aws_subnet", 4),
            ("aws_vpc", 1),
        ],
    ),
    (
        "dgaliata__The-Magnolia-Project__terraform-plan.json",
        &[
            ("aws_ecs_cluster", 1),
            ("aws_lb_target_group", 2),
            ("aws_subnet", 2),
            ("aws_vpc", 1),
        ],
    ),
    (
        "infracost__infracost__examples-terraform-plan.json",
        &[
            ("aws_autoscaling_group", 3),
            ("aws_ecs_cluster", 1),
            ("aws_ecs_service", 1),
            ("aws_ecs_task_definition", 1),
            ("aws_instance", 1),
            ("aws_launch_configuration", 1),
            ("aws_launch_template", 1),
        ],
    ),
    (
        "bridgecrewio__checkov__tests-terraform-image_referencer-resources-aws-ecs_tfplan.json",
        &[("aws_ecs_task_definition", 1)],
    ),
    (
        "maromshriki__marom-stream__terraform-plan.json",
        &[
            ("aws_autoscaling_group", 2),
            ("aws_launch_template", 2),
            ("aws_lb_target_group", 2),
            ("aws_subnet", 4),
            ("aws_vpc", 1),
        ],
    ),
    (
        "cloudstruct__rocketpool-deploy__terraform-plan.json",
        &[
            ("aws_autoscaling_group", 1),
            ("aws_launch_template", 1),
            ("aws_subnet", 2),
            ("aws_vpc", 1),
        ],
    ),
    (
        "terraform-compliance__cli__tests-functional-test_issue-249-plan.out.json",
        &[
            ("aws_autoscaling_group", 1),
            ("aws_launch_configuration", 1),
            ("data.aws_vpc", 5),
        ],
    ),
    (
        "kapilkumaria__cv-challenge-03__terraform-tfplan.json",
        &[("aws_instance", 1), ("aws_subnet", 4), ("aws_vpc", 1)],
    ),
    (
        "bridgecrewio__checkov__tests-common-runner_registry-plan_with_for_each_for_enrichment-tf_plan.json",
        &[("data.aws_subnet", 1), ("data.aws_vpc", 1)],
    ),
    (
        // data.aws_subnet ×2 exist only as configuration blocks: no instance is read.
        "TripleAze__Production-Grade-Cloud-Native-DevOps-Platform__infra-plan.json",
        &[("aws_subnet", 4), ("aws_vpc", 1)],
    ),
    (
        "aws-samples__aws-infra-policy-as-code-with-terraform__policy-as-code-OPA-policy-aws-blueprints-eks-fargate-serverless-tfplan.json",
        &[("aws_subnet", 6), ("aws_vpc", 1)],
    ),
    (
        "infracost__infracost__cmd-infracost-testdata-terraform_v0.14_plan.json",
        &[("aws_instance", 12)],
    ),
];

/// The types SOURCES.md counts as ECS-related (plus data.aws_vpc, which it lists too).
const ECS_TYPES: &[&str] = &[
    "aws_ecs_task_definition",
    "aws_ecs_service",
    "aws_ecs_cluster",
    "aws_ecs_capacity_provider",
    "aws_ecs_cluster_capacity_providers",
    "aws_autoscaling_group",
    "aws_launch_template",
    "aws_launch_configuration",
    "aws_instance",
    "aws_subnet",
    "data.aws_subnet",
    "aws_vpc",
    "data.aws_vpc",
    "aws_lb_target_group",
    "aws_ecs_account_setting_default",
];

fn plan_counts(plan: &Plan) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for r in &plan.resources {
        let key = match r.mode {
            Mode::Managed => r.type_.clone(),
            Mode::Data => format!("data.{}", r.type_),
        };
        if ECS_TYPES.contains(&key.as_str()) {
            *counts.entry(key).or_insert(0) += 1;
        }
    }
    counts
}

fn model_counts(m: &Model, plan: &Plan) -> BTreeMap<String, usize> {
    let mut c = BTreeMap::new();
    let mut put = |k: &str, n: usize| {
        if n > 0 {
            c.insert(k.to_string(), n);
        }
    };
    put("aws_ecs_task_definition", m.task_definitions.len());
    put("aws_ecs_service", m.services.len());
    put("aws_ecs_cluster", m.clusters.len());
    put("aws_ecs_capacity_provider", m.capacity_providers.len());
    // Not an entity of its own: it feeds clusters' capacity providers and default strategy.
    put(
        "aws_ecs_cluster_capacity_providers",
        plan.resources_of_type("aws_ecs_cluster_capacity_providers")
            .count(),
    );
    put("aws_autoscaling_group", m.autoscaling_groups.len());
    put("aws_launch_template", m.launch_templates.len());
    put("aws_launch_configuration", m.launch_configurations.len());
    put("aws_instance", m.instances.len());
    let data = |a: &str| a.starts_with("data.") || a.contains(".data.");
    put(
        "aws_subnet",
        m.subnets.iter().filter(|s| !data(&s.address)).count(),
    );
    put(
        "data.aws_subnet",
        m.subnets.iter().filter(|s| data(&s.address)).count(),
    );
    put(
        "aws_vpc",
        m.vpcs.iter().filter(|s| !data(&s.address)).count(),
    );
    put(
        "data.aws_vpc",
        m.vpcs.iter().filter(|s| data(&s.address)).count(),
    );
    // aws_alb_target_group (the old alias) is modelled too, but SOURCES.md does not count it.
    put(
        "aws_lb_target_group",
        m.target_groups
            .iter()
            .filter(|t| t.address.contains("aws_lb_target_group."))
            .count(),
    );
    c
}

fn load(dir: &std::path::Path, file: &str) -> Plan {
    let path = dir.join(file);
    plan::load(path.to_str().unwrap(), &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn every_file_reads_and_ecs_counts_match_sources_md() {
    let Some(dir) = corpus_dir() else { return };
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 29, "SOURCES.md lists 29 plans");
    for (name, _) in EXPECTED {
        assert!(
            files.iter().any(|f| f == name),
            "{name} is missing from the corpus"
        );
    }
    for file in &files {
        let plan = load(&dir, file);
        let expected: BTreeMap<String, usize> = EXPECTED
            .iter()
            .find(|(n, _)| n == file)
            .map(|(_, c)| c.iter().map(|(k, v)| (k.to_string(), *v)).collect())
            .unwrap_or_default();
        assert_eq!(plan_counts(&plan), expected, "{file}: plan reader counts");
        let m = model::build(std::slice::from_ref(&plan), &Assumptions::default());
        assert_eq!(
            model_counts(&m, &plan),
            expected,
            "{file}: model entity counts"
        );
    }
}

#[test]
fn links_are_resolved_where_the_plan_holds_them() {
    let Some(dir) = corpus_dir() else { return };

    // Service, task definition and cluster in module.ecs; subnets passed in as a module
    // variable from root resources; target group through module.alb's output.
    let m = model::build(
        &[load(
            &dir,
            "Maheshroy50__ECR-Fully-Automation__terraform-plan.json",
        )],
        &Assumptions::default(),
    );
    let s = m
        .service("module.ecs.aws_ecs_service.strapi")
        .expect("strapi service");
    assert_eq!(
        s.task_definition.address.as_deref(),
        Some("module.ecs.aws_ecs_task_definition.strapi")
    );
    assert_eq!(s.task_definition.resolved_by, Resolution::ConfigReference);
    assert_eq!(
        s.cluster.address.as_deref(),
        Some("module.ecs.aws_ecs_cluster.main")
    );
    assert_eq!(s.launch.get(), Some(&Launch::Fargate));
    let nc = s.network_configuration.get().unwrap().as_ref().unwrap();
    let subnets: Vec<&str> = nc
        .subnets
        .get()
        .expect("subnets resolved through var.public_subnets")
        .iter()
        .filter_map(|l| l.address.as_deref())
        .collect();
    assert_eq!(
        subnets,
        vec!["aws_subnet.private_1", "aws_subnet.private_2"]
    );
    let tg = s.load_balancers.get().unwrap()[0]
        .target_group
        .as_ref()
        .unwrap();
    assert!(
        tg.address
            .as_deref()
            .is_some_and(|a| a.starts_with("module.alb.aws_lb_target_group.")),
        "{tg:?}"
    );
    let td = m.task_definition_of(s).unwrap();
    assert!(td.containers.is_unknown() && td.containers.sensitive);
    let c = m.cluster_of(s).unwrap();
    assert_eq!(
        c.capacity_providers.get().unwrap(),
        &vec!["FARGATE".to_string()]
    );
    assert!(c.capacity.iter().any(|x| x.kind == CapacityKind::Fargate));
    assert_eq!(
        m.subnets
            .iter()
            .filter(|s| s.address.starts_with("data.aws_subnet.all["))
            .count(),
        6
    );

    // The private subnets' route table (in the plan) sends 0.0.0.0/0 to a NAT gateway.
    for a in ["aws_subnet.private_1", "aws_subnet.private_2"] {
        assert_eq!(m.subnet(a).unwrap().public.get(), Some(&false), "{a}");
    }

    // Route tables from routes written as `route = [...]` attribute expressions and as
    // separate aws_route resources (terraform-aws-modules/vpc).
    for (file, public, private) in [
        (
            "dgaliata__The-Magnolia-Project__terraform-plan.json",
            "aws_subnet.public",
            "aws_subnet.private",
        ),
        (
            "TripleAze__Production-Grade-Cloud-Native-DevOps-Platform__infra-plan.json",
            "module.vpc.aws_subnet.public[0]",
            "module.vpc.aws_subnet.private[0]",
        ),
        (
            "kapilkumaria__cv-challenge-03__terraform-tfplan.json",
            "module.network.aws_subnet.public[0]",
            "module.network.aws_subnet.private[0]",
        ),
    ] {
        let m = model::build(&[load(&dir, file)], &Assumptions::default());
        assert_eq!(
            m.subnet(public).unwrap().public.get(),
            Some(&true),
            "{file} {public}"
        );
        assert_eq!(
            m.subnet(private).unwrap().public.get(),
            Some(&false),
            "{file} {private}"
        );
    }

    // Launch templates in a module: the groups' instance types come from them (the
    // provider plans mixed_instances_policy as unknown although none is configured).
    let m = model::build(
        &[load(&dir, "maromshriki__marom-stream__terraform-plan.json")],
        &Assumptions::default(),
    );
    for g in &m.autoscaling_groups {
        assert!(!g.uses_mixed_instances_policy, "{}", g.address);
        assert!(
            g.launch_template
                .as_ref()
                .is_some_and(|l| l.address.is_some()),
            "{}",
            g.address
        );
        assert_eq!(
            g.instance_types.get(),
            Some(&vec!["t3.micro".to_string()]),
            "{}",
            g.address
        );
        assert_eq!(g.subnets.get().map(Vec::len), Some(2), "{}", g.address);
    }

    let m = model::build(
        &[load(
            &dir,
            "netlightin__sagemaker-whisper__terraform-plan.json",
        )],
        &Assumptions::default(),
    );
    for s in &m.services {
        assert!(
            s.task_definition
                .address
                .as_deref()
                .is_some_and(|a| a.starts_with("module.ecs.aws_ecs_task_definition.")),
            "{}: {:?}",
            s.address,
            s.task_definition
        );
        assert!(
            s.cluster.address.is_some(),
            "{}: {:?}",
            s.address,
            s.cluster
        );
        assert_eq!(s.launch.get(), Some(&Launch::Fargate));
    }

    // Terraform 0.12 plan: references without an attribute (`aws_ecs_cluster.ecs1`).
    let m = model::build(
        &[load(
            &dir,
            "infracost__infracost__examples-terraform-plan.json",
        )],
        &Assumptions::default(),
    );
    let s = &m.services[0];
    assert!(
        s.task_definition.address.is_some(),
        "{:?}",
        s.task_definition
    );
    assert!(s.cluster.address.is_some(), "{:?}", s.cluster);
    let td = m.task_definition_of(s).unwrap();
    assert!(
        td.containers.is_known(),
        "known container_definitions decode"
    );

    let m = model::build(
        &[load(
            &dir,
            "bridgecrewio__checkov__tests-terraform-image_referencer-resources-aws-ecs_tfplan.json",
        )],
        &Assumptions::default(),
    );
    assert_eq!(
        m.task_definitions[0].containers.get().map(Vec::len),
        Some(2)
    );
}

#[test]
fn no_inventory_output_contains_a_canary() {
    let Some(dir) = corpus_dir() else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut saw_canary_input = 0;
    for path in &files {
        let raw = std::fs::read(path).unwrap();
        let raw_text = String::from_utf8_lossy(&raw);
        let utf16 = raw.len() > 2 && raw[0] == 0xFF && raw[1] == 0xFE;
        if raw_text.contains("CANARY-SENSITIVE") || utf16 {
            saw_canary_input += 1;
        }
        let plan = plan::load(path.to_str().unwrap(), &LoadOptions::default()).unwrap();
        let m = model::build(std::slice::from_ref(&plan), &Assumptions::default());
        for out in [inventory::render_text(&m), inventory::render_json(&m)] {
            assert!(
                !out.contains("CANARY-SENSITIVE"),
                "{} leaks a canary",
                path.display()
            );
        }
    }
    assert!(
        saw_canary_input >= 2,
        "the corpus should contain the canary plans"
    );
    // The same through the binary, for the files that hold canaries.
    for file in [
        "Maheshroy50__ECR-Fully-Automation__terraform-plan.json",
        "maromshriki__marom-stream__terraform-plan.json",
    ] {
        for format in ["text", "json"] {
            let out = Command::new(env!("CARGO_BIN_EXE_ecsnet"))
                .args(["inventory", "--format", format])
                .arg(dir.join(file))
                .output()
                .unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "{file}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let all = [out.stdout, out.stderr].concat();
            assert!(
                !String::from_utf8_lossy(&all).contains("CANARY-SENSITIVE"),
                "{file} --format {format}"
            );
        }
    }
}
