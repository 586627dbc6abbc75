//! The source overlay on small plans in the real format with sources written beside them.

use serde_json::{json, Value};

use super::*;
use crate::model::Val;
use crate::plan::{parse_bytes, LoadOptions};

const MAIN_TF: &str = r#"
variable "port" {
  default = 80
}
variable "db_password" {
  sensitive = true
}
locals {
  td = aws_ecs_task_definition.app.arn
  container = {
    name         = "app"
    image        = aws_ecr_repository.app.repository_url
    portMappings = [{ containerPort = var.port, protocol = "tcp" }]
    environment  = [{ name = "PASSWORD", value = var.db_password }]
  }
}
resource "aws_subnet" "a" {
  count      = 2
  vpc_id     = "vpc-1"
  cidr_block = "10.0.${count.index}.0/24"
}
resource "aws_security_group" "web" {
  name = "web"
}
resource "aws_ecs_task_definition" "app" {
  family                = "app"
  network_mode          = null
  container_definitions = jsonencode([local.container])
}
resource "aws_ecs_service" "web" {
  name            = "web"
  task_definition = local.td
  dynamic "network_configuration" {
    for_each = [1]
    content {
      subnets          = aws_subnet.a[*].id
      security_groups  = [aws_security_group.web.id]
      assign_public_ip = true
    }
  }
}
"#;

fn change(address: &str, type_: &str, after: Value, unknown: Value) -> Value {
    let (base, index) = match address.split_once('[') {
        Some((b, i)) => (b, json!(i.trim_end_matches(']').parse::<i64>().unwrap())),
        None => (address, Value::Null),
    };
    let mut c = json!({
        "address": address, "mode": "managed", "type": type_,
        "name": base.split('.').nth(1).unwrap(),
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": { "actions": ["create"], "before": null, "after": after,
                    "after_unknown": unknown, "before_sensitive": false, "after_sensitive": {} }
    });
    if !index.is_null() {
        c["index"] = index;
    }
    c
}

/// The create plan of `MAIN_TF`, as Terraform shows it: the task definition's mode and
/// containers unknown, the service's task definition and subnets unknown, the security
/// group set wholly unknown; the configuration shows `local.td` and no
/// `network_configuration` (a dynamic block).
fn plan(assign_public_ip: bool) -> Plan {
    let doc = json!({
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "variables": { "db_password": { "value": "hunter2-secret" } },
        "resource_changes": [
            change("aws_subnet.a[0]", "aws_subnet", json!({"vpc_id": "vpc-1", "cidr_block": "10.0.0.0/24"}), json!({"id": true})),
            change("aws_subnet.a[1]", "aws_subnet", json!({"vpc_id": "vpc-1", "cidr_block": "10.0.1.0/24"}), json!({"id": true})),
            change("aws_ecs_task_definition.app", "aws_ecs_task_definition",
                json!({"family": "app"}),
                json!({"arn": true, "network_mode": true, "container_definitions": true})),
            change("aws_ecs_service.web", "aws_ecs_service",
                json!({"name": "web", "network_configuration": [{"assign_public_ip": assign_public_ip}]}),
                json!({"id": true, "task_definition": true,
                       "network_configuration": [{"subnets": true, "security_groups": true}]})),
        ],
        "configuration": {"root_module": {"resources": [
            {"address": "aws_ecs_service.web", "mode": "managed", "type": "aws_ecs_service", "name": "web",
             "expressions": {"name": {"constant_value": "web"},
                             "task_definition": {"references": ["local.td"]}}},
            {"address": "aws_ecs_task_definition.app", "mode": "managed", "type": "aws_ecs_task_definition",
             "name": "app",
             "expressions": {"container_definitions": {"references": ["local.container"]}}}
        ]}}
    });
    let opts = LoadOptions::default();
    parse_bytes(doc.to_string().as_bytes(), "plan.json", &opts).expect("plan parses")
}

fn sources() -> (tempfile::TempDir, Sources) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), MAIN_TF).unwrap();
    let s = Sources::load(dir.path()).unwrap();
    (dir, s)
}

#[test]
fn unknown_values_are_filled_and_references_recorded() {
    let (_dir, src) = sources();
    let mut p = plan(true);
    let stats = apply(&mut p, &src);
    assert_eq!(stats.disagreements, 0, "{stats:?}");
    assert_eq!(stats.resources, 2, "{stats:?}");

    let svc = p.resource("aws_ecs_service.web").unwrap().clone();
    // local.td names the task definition exactly.
    let td = p.source_references(&svc, "task_definition");
    assert_eq!(td.len(), 1);
    assert_eq!(&*td[0].address, "aws_ecs_task_definition.app");
    assert_eq!(td[0].attribute.as_deref(), Some("arn"));
    assert!(td[0].certain);
    // The dynamic block's subnets: both instances of the counted resource.
    let subnets: Vec<&str> = p
        .source_references(&svc, "network_configuration.0.subnets")
        .iter()
        .map(|t| &*t.address)
        .collect();
    assert_eq!(subnets, ["aws_subnet.a[0]", "aws_subnet.a[1]"]);
    // The set of one security group has a known length, its element stays unknown.
    let sgs = svc.attr("network_configuration.0.security_groups");
    match sgs.items().val {
        Val::Known(items) => {
            assert_eq!(items.len(), 1);
            assert!(items[0].is_unknown());
        }
        other => panic!("security_groups: {other:?}"),
    }
    assert_eq!(sgs.strings().val, Val::Unknown);

    // network_mode = null: known to be unset (ECS's default applies).
    let tdr = p.resource("aws_ecs_task_definition.app").unwrap();
    assert_eq!(tdr.attr("network_mode").string().val, Val::Null);
    // The containers' structure is known; the image is not.
    let cd = tdr.attr("container_definitions").decode_json().unwrap();
    let Val::Known(attrs) = cd.val else {
        panic!("container_definitions stays unknown: {cd:?}")
    };
    let c = attrs.root().at(0);
    assert_eq!(c.get("name").string().val, Val::Known("app".to_string()));
    assert_eq!(
        c.get("portMappings").at(0).get("containerPort").int().val,
        Val::Known(80)
    );
    assert!(c.get("image").is_unknown());
    // The sensitive variable's value is neither filled in nor visible: the model does not
    // read `environment`, which is left out, and the attribute is sensitive.
    assert!(c.get("environment").raw().is_null());
    assert!(tdr.attr("container_definitions").is_sensitive());
    assert!(!serde_json::to_string(attrs.after())
        .unwrap()
        .contains("hunter2"));

    // The model links the service to its task definition through the sources.
    let model = crate::model::build(std::slice::from_ref(&p), &Default::default());
    let s = &model.services[0];
    assert_eq!(
        s.task_definition.address.as_deref(),
        Some("aws_ecs_task_definition.app")
    );
    assert_eq!(
        s.task_definition.resolved_by,
        crate::model::Resolution::Source
    );
    assert!(s.task_definition.certain);
}

#[test]
fn the_plan_wins_and_one_note_names_the_first_disagreement() {
    let (_dir, src) = sources();
    // The sources say assign_public_ip = true; this plan says false.
    let mut p = plan(false);
    let stats = apply(&mut p, &src);
    assert_eq!(stats.disagreements, 1, "{stats:?}");
    let svc = p.resource("aws_ecs_service.web").unwrap();
    assert_eq!(
        svc.attr("network_configuration.0.assign_public_ip")
            .bool()
            .val,
        Val::Known(false)
    );
    let note = stats.disagreement_note().unwrap();
    assert!(
        note.contains("aws_ecs_service.web network_configuration.0.assign_public_ip"),
        "{note}"
    );
    assert!(note.contains("1 place "), "{note}");

    // Through apply_all: one note for the run, whatever the number of plans.
    let plans = [plan(false), plan(false)];
    let s = Some(Arc::new(src));
    let o = apply_all(&plans, &[s.clone(), s.clone()]);
    assert_eq!(o.notes.len(), 1);
    assert!(o.notes[0].contains("2 places"), "{}", o.notes[0]);

    // In place: the same plans, notes and stats, and no copies.
    let mut in_place = plans.clone();
    let p = apply_all_in_place(&mut in_place, &[s.clone(), s]);
    assert!(p.plans.is_none());
    assert_eq!((&p.notes, &p.stats), (&o.notes, &o.stats));
    let copies = o.plans.as_deref().unwrap();
    for (a, b) in in_place.iter().zip(copies) {
        assert_eq!(a.resources, b.resources);
        let svc = a.resource("aws_ecs_service.web").unwrap();
        let path = "network_configuration.0.subnets";
        assert_eq!(
            a.source_references(svc, path),
            b.source_references(svc, path)
        );
        assert!(!a.source_references(svc, path).is_empty());
    }
    // Without sources, nothing is done to them.
    let mut untouched = plans.clone();
    assert!(apply_all_in_place(&mut untouched, &[None, None])
        .stats
        .is_empty());
    assert_eq!(untouched[0].resources, plans[0].resources);
}

#[test]
fn a_resource_the_sources_do_not_declare_is_a_disagreement() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_vpc\" \"x\" {}\n",
    )
    .unwrap();
    let src = Sources::load(dir.path()).unwrap();
    let mut p = plan(true);
    let stats = apply(&mut p, &src);
    assert!(stats.undeclared >= 2, "{stats:?}");
    assert!(stats
        .disagreement_note()
        .unwrap()
        .contains("is not declared in them"));
    // Nothing was changed.
    assert!(p
        .source_references(
            p.resource("aws_ecs_service.web").unwrap(),
            "task_definition"
        )
        .is_empty());
}

#[test]
fn without_sources_the_hidden_inputs_are_counted() {
    let p = plan(true);
    let d = crate::diagnostics::Diagnostic {
        rule: "NET010".into(),
        severity: crate::diagnostics::Severity::Info,
        address: "aws_ecs_task_definition.app".into(),
        message: "container_definitions is known only after apply".into(),
        unverifiable: true,
        ..Default::default()
    };
    let note = settle_note(std::slice::from_ref(&p), &[], std::slice::from_ref(&d)).unwrap();
    assert!(
        note.contains("up to 1 of the 1 unverifiable note "),
        "{note}"
    );
    assert!(note.contains("--source DIR"), "{note}");
    // With sources for the plan: no such note.
    let (_dir, src) = sources();
    assert!(settle_note(std::slice::from_ref(&p), &[Some(Arc::new(src))], &[d]).is_none());
}

#[test]
fn agreement_allows_for_provider_normalisation() {
    let v = |j: Value| V::from_json(&j);
    assert!(agrees(&json!("256"), &v(json!(256))));
    assert!(agrees(&json!(256), &v(json!("256"))));
    assert!(agrees(&json!("TCP"), &v(json!("tcp"))));
    assert!(agrees(&json!(["b", "a"]), &v(json!(["a", "b"]))));
    assert!(agrees(&json!("[{\"a\":1}]"), &v(json!("[ {\"a\": 1} ]"))));
    assert!(!agrees(&json!("bridge"), &v(json!("awsvpc"))));
    assert!(!agrees(&json!(["a"]), &v(json!(["a", "b"]))));
    assert!(!agrees(&json!(false), &v(json!(true))));
}

#[test]
fn set_elements_pair_by_agreement() {
    let xs = [json!({"port": 80}), json!({"port": 443})];
    let items = [
        V::from_json(&json!({"port": 443})),
        V::from_json(&json!({"port": 80})),
    ];
    assert_eq!(pair(&xs, &items), [1, 0]);
    // Nothing agrees: by position.
    let items = [
        V::from_json(&json!({"port": 1})),
        V::from_json(&json!({"port": 2})),
    ];
    assert_eq!(pair(&xs, &items), [0, 1]);
}

#[test]
fn sensitivity_marks_only_add_up() {
    assert_eq!(union(&json!(true), json!({"a": true})), json!(true));
    assert_eq!(union(&json!({"a": true}), json!(true)), json!(true));
    assert_eq!(
        union(
            &json!({"a": true, "b": false}),
            json!({"b": true, "c": true})
        ),
        json!({"a": true, "b": true, "c": true})
    );
    assert_eq!(
        union(&json!([true, false]), json!([false, false, true])),
        json!([true, false, true])
    );
    assert_eq!(union(&J::Null, json!([false, true])), json!([false, true]));
}

#[test]
fn only_an_exact_managed_arn_or_id_is_never_null() {
    let u = |address: &str, attribute: &str, exact: bool| tfsource::Unknown {
        refs: vec![Ref {
            address: address.into(),
            attribute: attribute.into(),
        }],
        exact,
        ..tfsource::Unknown::default()
    };
    assert!(never_null(&u("aws_iam_role.svc", "arn", true)));
    assert!(never_null(&u(
        "module.iam[\"a\"].aws_iam_role.svc",
        "id",
        true
    )));
    // Computed from it (a conditional that may give null), or another attribute.
    assert!(!never_null(&u("aws_iam_role.svc", "arn", false)));
    assert!(!never_null(&u("aws_iam_role.svc", "name", true)));
    // A data source, a variable without a value.
    assert!(!never_null(&u("data.aws_iam_role.svc", "arn", true)));
    assert!(!never_null(&u("var.role", "arn", true)));
    // Several references.
    let mut two = u("aws_iam_role.a", "arn", true);
    two.refs.push(Ref {
        address: "aws_iam_role.b".into(),
        attribute: "arn".into(),
    });
    assert!(!never_null(&two));
}

/// Paths recorded one after another in one text, as [`Merge::record`] does.
fn recorded(paths: &[(&str, &[&str], bool)]) -> (String, Vec<Recorded>) {
    let mut text = String::new();
    let mut out = Vec::new();
    for (path, addresses, set) in paths {
        let start = text.len();
        text.push_str(path);
        let refs = addresses
            .iter()
            .map(|a| Ref {
                address: (*a).into(),
                attribute: "id".into(),
            })
            .collect();
        out.push(Recorded {
            path: start..text.len(),
            refs,
            set: *set,
        });
    }
    (text, out)
}

#[test]
fn a_path_recorded_twice_keeps_its_last_references_and_is_set_when_either_is() {
    let plan = Plan::default();
    let (text, recs) = recorded(&[
        ("a", &["aws_vpc.one"], false),
        ("b", &[], true),
        ("a", &["aws_vpc.two", "aws_vpc.one"], false),
        ("b", &["aws_vpc.one"], false),
        ("c", &["aws_vpc.two"], true),
        ("cd", &[], true),
    ]);
    let found = found(&plan, text, recs);
    let addresses = |path: &str| -> Vec<String> {
        let targets = found.references(path);
        targets.iter().map(|t| t.address.to_string()).collect()
    };
    assert_eq!(addresses("a"), ["aws_vpc.two", "aws_vpc.one"]);
    assert_eq!(addresses("b"), ["aws_vpc.one"]);
    assert_eq!(addresses("c"), ["aws_vpc.two"]);
    assert!(addresses("cd").is_empty() && addresses("d").is_empty());
    let set: Vec<bool> = ["a", "b", "c", "cd", "d"]
        .iter()
        .map(|p| found.sets(p))
        .collect();
    assert_eq!(set, [false, true, true, true, false]);
    assert_eq!(found.iter().count(), 4);
    assert!(found.has_references());
    // Targets of a reference named again are copied, not looked up again: each names the
    // same plan resource with the attribute the reference selects.
    let one = &found.references("a")[1];
    assert_eq!(one, &found.references("b")[0]);
    assert_eq!(one.attribute.as_deref(), Some("id"));

    // Only set: found, without references.
    let (text, recs) = recorded(&[("iam_role", &[], true)]);
    let found = super::found(&plan, text, recs);
    assert!(found.sets("iam_role") && !found.has_references() && !found.is_empty());
}

#[test]
fn managed_addresses_are_judged_once_per_allocation_and_by_their_text() {
    let mut m = ManagedAddresses(HashMap::with_hasher(Default::default()));
    let role: Arc<str> = "aws_iam_role.svc".into();
    let data: Arc<str> = "data.aws_iam_role.svc".into();
    assert!(m.is_managed(&role));
    // The same allocation (a reference copied): looked up, not parsed again.
    assert!(m.is_managed(&role.clone()));
    assert_eq!(m.0.len(), 1);
    assert!(!m.is_managed(&data));
    assert!(!m.is_managed(&Arc::from("var.role")));
    // Another allocation of the same text gives the same answer.
    assert!(m.is_managed(&Arc::from("aws_iam_role.svc")));
    // Each entry holds its address: a freed one cannot leave its place to another text.
    drop(role);
    assert!(!m.is_managed(&Arc::from("data.aws_vpc.x")));
}

#[test]
fn a_role_arn_the_plan_shows_unknown_is_set_by_the_sources() {
    let dir = tempfile::tempdir().unwrap();
    let tf = r#"
variable "legacy" { default = false }
resource "aws_iam_role" "svc" {}
resource "aws_ecs_service" "a" {
  name     = "a"
  iam_role = aws_iam_role.svc.arn
}
resource "aws_ecs_service" "b" {
  name     = "b"
  iam_role = var.legacy ? aws_iam_role.svc.arn : null
}
resource "aws_ecs_service" "c" {
  name     = "c"
  iam_role = aws_iam_role.svc.id == "" ? null : aws_iam_role.svc.arn
}
"#;
    std::fs::write(dir.path().join("main.tf"), tf).unwrap();
    let src = Sources::load(dir.path()).unwrap();
    let svc = |n: &str| {
        change(
            &format!("aws_ecs_service.{n}"),
            "aws_ecs_service",
            json!({"name": n}),
            json!({"id": true, "iam_role": true}),
        )
    };
    let doc = json!({
        "format_version": "1.2",
        "resource_changes": [svc("a"), svc("b"), svc("c")],
    });
    let mut p = parse_bytes(
        doc.to_string().as_bytes(),
        "plan.json",
        &LoadOptions::default(),
    )
    .expect("plan parses");
    apply(&mut p, &src);
    let sets = |n: &str| {
        let r = p.resource(&format!("aws_ecs_service.{n}")).unwrap();
        p.source_sets(r, "iam_role")
    };
    assert!(sets("a"));
    // var.legacy is false: null, which the sources make known (no longer unknown).
    assert!(!sets("b"));
    // May be null once applied, as far as the sources can tell.
    assert!(!sets("c"));
}

#[test]
fn hashed_user_data_is_read_from_the_sources_when_the_digests_match() {
    let dir = tempfile::tempdir().unwrap();
    let tf = r#"
resource "aws_ecs_cluster" "staging" {
  name = "staging-apps"
}
resource "aws_instance" "a" {
  user_data = <<-EOT
    #!/bin/bash
    echo ECS_CLUSTER=${aws_ecs_cluster.staging.name} >> /etc/ecs/ecs.config
  EOT
}
resource "aws_instance" "b" {
  user_data = "echo ECS_CLUSTER=${aws_ecs_cluster.staging.name} >> /etc/ecs/ecs.config"
}
"#;
    std::fs::write(dir.path().join("main.tf"), tf).unwrap();
    let src = Sources::load(dir.path()).unwrap();
    let script = "#!/bin/bash\necho ECS_CLUSTER=staging-apps >> /etc/ecs/ecs.config\n";
    let digest = tfsource::sha1_hex(script.as_bytes());
    let instance = |n: &str| {
        change(
            &format!("aws_instance.{n}"),
            "aws_instance",
            // b's digest is a's: its sources are not those of the plan.
            json!({"user_data": digest}),
            json!({"id": true}),
        )
    };
    let doc = json!({
        "format_version": "1.2",
        "resource_changes": [instance("a"), instance("b")],
    });
    let parse = || {
        parse_bytes(
            doc.to_string().as_bytes(),
            "plan.json",
            &LoadOptions::default(),
        )
        .expect("plan parses")
    };
    let mut p = parse();
    apply(&mut p, &src);
    let a = p.resource("aws_instance.a").unwrap();
    let b = p.resource("aws_instance.b").unwrap();
    assert_eq!(p.source_user_data(a), Some(script));
    assert_eq!(p.source_user_data(b), None);
    let cluster = |p: &Plan, r| crate::model::extract::user_data::cluster_of(p, r, &["user_data"]);
    assert_eq!(cluster(&p, a).as_deref(), Some("staging-apps"));
    assert_eq!(cluster(&p, b), None);
    // The planned value stays the digest; without sources nothing is found.
    assert_eq!(a.attr("user_data").string().get(), Some(&digest));
    let plain = parse();
    assert_eq!(
        cluster(&plain, plain.resource("aws_instance.a").unwrap()),
        None
    );
}

/// 40 instances of a module, two resources each with an unknown `vpc_id`: one from a
/// local built from the instance's input, one from the other resource's id.
fn module_instances_plan() -> (tempfile::TempDir, Sources, Plan) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "module \"m\" {\n  count  = 40\n  source = \"./m\"\n  name   = \"x${count.index}\"\n}\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("m")).unwrap();
    std::fs::write(
        dir.path().join("m/main.tf"),
        r#"
variable "name" {}
locals {
  vpc = "vpc-${var.name}"
}
resource "aws_subnet" "a" {
  cidr_block = "10.0.0.0/24"
  vpc_id     = local.vpc
}
resource "aws_subnet" "b" {
  vpc_id = aws_subnet.a.id
}
"#,
    )
    .unwrap();
    let src = Sources::load(dir.path()).unwrap();
    let mut changes = Vec::new();
    for i in 0..40 {
        let module = format!("module.m[{i}]");
        for (name, after) in [
            ("a", json!({"cidr_block": "10.0.0.0/24"})),
            ("b", json!({})),
        ] {
            changes.push(json!({
                "address": format!("{module}.aws_subnet.{name}"),
                "module_address": module, "mode": "managed", "type": "aws_subnet",
                "name": name, "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": { "actions": ["create"], "before": null, "after": after,
                            "after_unknown": {"id": true, "vpc_id": true},
                            "before_sensitive": false, "after_sensitive": {} }
            }));
        }
    }
    let doc = json!({"format_version": "1.2", "terraform_version": "1.11.4",
                     "resource_changes": changes});
    let plan = parse_bytes(
        doc.to_string().as_bytes(),
        "plan.json",
        &LoadOptions::default(),
    )
    .expect("plan parses");
    (dir, src, plan)
}

#[test]
fn pieces_split_at_module_instances_give_what_one_run_gives() {
    let (_dir, src, plan) = module_instances_plan();
    let all: Vec<usize> = (0..plan.resources.len()).collect();
    assert!(all.len() >= PARALLEL_MIN, "{}", all.len());
    // Several pieces, in order and covering every resource once, each ending between two
    // module instances.
    let pieces = module_pieces(&plan, &all);
    assert!(pieces.len() > 2 && pieces.len() <= PIECES, "{pieces:?}");
    assert_eq!(pieces.concat(), all);
    let mut end = 0;
    for piece in &pieces[..pieces.len() - 1] {
        end += piece.len();
        assert_ne!(
            plan.resources[end].module_address,
            plan.resources[end - 1].module_address
        );
    }

    let mut two = plan.clone();
    let stats = apply(&mut two, &src);
    assert_eq!(stats.resources, 80, "{stats:?}");
    assert_eq!(stats.filled, 40, "{stats:?}");

    // One run over every resource, with one evaluator.
    let ev = Evaluator::from_plan_variables(&src, &json!({}));
    let mut one_stats = OverlayStats::default();
    let one = overlay_part(&plan, &all, &ev, &[], &mut one_stats);
    assert_eq!(one.len(), 80);
    assert_eq!(one_stats.filled, stats.filled);
    assert_eq!(one_stats.references, stats.references);
    assert!(one
        .iter()
        .any(|(.., found)| found.iter().any(|(.., set)| set)));
    for (i, patch, found) in &one {
        let res = &two.resources[*i];
        // Unchanged values (`None`) stay the plan's in both.
        let planned = plan.resources[*i].values.clone();
        let attrs = match patch {
            Some(patch) => patched(planned, patch.clone(), &[]),
            None => planned,
        };
        assert_eq!(attrs.after(), res.values.after(), "{}", res.address);
        assert_eq!(attrs.mirrors().0, res.values.mirrors().0, "{}", res.address);
        for (path, targets, set) in found.iter() {
            assert_eq!(
                two.source_references(res, path),
                targets,
                "{} {path}",
                res.address
            );
            assert_eq!(two.source_sets(res, path), set, "{} {path}", res.address);
        }
    }
    // What each run settled: the local from the instance's input, the other's id.
    let a = two.resource("module.m[7].aws_subnet.a").unwrap();
    assert_eq!(
        a.attr("vpc_id").string().val,
        Val::Known("vpc-x7".to_string())
    );
    let b = two.resource("module.m[31].aws_subnet.b").unwrap().clone();
    let to = two.source_references(&b, "vpc_id");
    assert_eq!(to.len(), 1);
    assert_eq!(&*to[0].address, "module.m[31].aws_subnet.a");
}

#[test]
fn references_alone_leave_the_planned_values_as_they_are() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        r#"
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.0.0/24"
}
"#,
    )
    .unwrap();
    let src = Sources::load(dir.path()).unwrap();
    let doc = json!({
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "resource_changes": [
            change("aws_vpc.main", "aws_vpc", json!({"cidr_block": "10.0.0.0/16"}), json!({"id": true})),
            change("aws_subnet.a", "aws_subnet", json!({"cidr_block": "10.0.0.0/24"}),
                json!({"id": true, "vpc_id": true})),
        ]
    });
    let plan = parse_bytes(
        doc.to_string().as_bytes(),
        "plan.json",
        &LoadOptions::default(),
    )
    .expect("plan parses");
    let all: Vec<usize> = (0..plan.resources.len()).collect();
    let ev = Evaluator::from_plan_variables(&src, &json!({}));

    // The subnet's vpc_id stays unknown: its reference is recorded, its values are kept
    // as planned rather than rebuilt.
    let mut stats = OverlayStats::default();
    let changes = overlay_part(&plan, &all, &ev, &[], &mut stats);
    assert_eq!(changes.len(), 1);
    let (i, attrs, found) = &changes[0];
    assert_eq!(plan.resources[*i].address, "aws_subnet.a");
    assert!(attrs.is_none());
    assert_eq!(&*found.references("vpc_id")[0].address, "aws_vpc.main");
    assert_eq!(stats.references, 1);
    assert_eq!(stats.filled, 0);

    // With sensitive variable values to look for, the values are rebuilt and checked.
    let mut stats = OverlayStats::default();
    let secrets = ["hunter2".to_string()];
    let changes = overlay_part(&plan, &all, &ev, &secrets, &mut stats);
    let patch = changes[0].1.clone().expect("rebuilt with secrets");
    let rebuilt = patched(plan.resources[*i].values.clone(), patch, &secrets);
    assert_eq!(rebuilt, plan.resources[*i].values);

    // Through `apply`: the same values, and the reference for link resolution.
    let mut p = plan.clone();
    let stats = apply(&mut p, &src);
    assert_eq!(stats.resources, 1, "{stats:?}");
    let subnet = p.resource("aws_subnet.a").unwrap();
    assert_eq!(subnet.values, plan.resources[*i].values);
    assert!(subnet.attr("vpc_id").is_unknown());
    let targets = p.source_references(subnet, "vpc_id");
    assert_eq!(targets.len(), 1);
    assert_eq!(&*targets[0].address, "aws_vpc.main");
    assert_eq!(targets[0].attribute.as_deref(), Some("id"));
}

/// A plan with a module `a` (a task definition whose containers are built from
/// expressions, and a service), a child module `a.b` and a module `c` with only a service:
/// notes on the services of `a` and `c`.
fn modules_plan() -> (Plan, Vec<crate::diagnostics::Diagnostic>) {
    let change = |address: &str, module: &str, type_: &str, unknown: Value| {
        json!({
            "address": address, "module_address": module, "mode": "managed", "type": type_,
            "name": address.rsplit('.').next().unwrap(),
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": { "actions": ["create"], "before": null, "after": {"family": "x"},
                        "after_unknown": unknown, "before_sensitive": false, "after_sensitive": {} }
        })
    };
    let td = |refs: Value| {
        json!({ "address": "aws_ecs_task_definition.app", "mode": "managed",
                "type": "aws_ecs_task_definition", "name": "app",
                "expressions": { "container_definitions": { "references": refs } } })
    };
    let svc = json!({ "address": "aws_ecs_service.web", "mode": "managed",
                      "type": "aws_ecs_service", "name": "web",
                      "expressions": { "task_definition": { "references":
                          ["aws_ecs_task_definition.app.arn", "aws_ecs_task_definition.app"] } } });
    let ecr = json!([
        "aws_ecr_repository.app.repository_url",
        "aws_ecr_repository.app"
    ]);
    let doc = json!({
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "resource_changes": [
            change("module.a.aws_ecs_service.web", "module.a", "aws_ecs_service",
                   json!({"task_definition": true, "id": true})),
            change("module.a.aws_ecs_task_definition.app", "module.a", "aws_ecs_task_definition",
                   json!({"container_definitions": true, "arn": true})),
            change("module.a.module.b.aws_ecs_task_definition.app", "module.a.module.b",
                   "aws_ecs_task_definition", json!({"container_definitions": true})),
            change("module.c.aws_ecs_service.web", "module.c", "aws_ecs_service",
                   json!({"task_definition": true, "id": true})),
            change("module.c.aws_ecs_task_definition.app", "module.c", "aws_ecs_task_definition",
                   json!({"arn": true})),
        ],
        "configuration": { "root_module": { "module_calls": {
            "a": { "source": "./a", "module": {
                "resources": [td(ecr.clone()), svc.clone()],
                "module_calls": { "b": { "source": "./b", "module": {
                    "resources": [td(ecr.clone())] } } } } },
            "c": { "source": "./c", "module": { "resources": [td(ecr), svc] } }
        } } }
    });
    let p = parse_bytes(
        doc.to_string().as_bytes(),
        "p.json",
        &LoadOptions::default(),
    )
    .unwrap();
    let note = |address: &str| crate::diagnostics::Diagnostic {
        rule: "NET010".into(),
        severity: crate::diagnostics::Severity::Info,
        address: address.into(),
        message: "known only after apply".into(),
        unverifiable: true,
        ..Default::default()
    };
    let notes = vec![
        note("module.a.aws_ecs_service.web"),
        note("module.c.aws_ecs_service.web"),
    ];
    (p, notes)
}

#[test]
fn the_settle_note_looks_only_at_the_noted_modules_resources() {
    let (p, notes) = modules_plan();
    // `a` hides its containers (a resource after the noted one in address order); `c`
    // hides nothing (its task definition's containers are known); `a.b` hides but has no
    // note.
    let note = settle_note(std::slice::from_ref(&p), &[], &notes).unwrap();
    assert!(
        note.contains("up to 1 of the 2 unverifiable notes"),
        "{note}"
    );
    // A note in `a.b` alone: its own task definition hides.
    let mut child = notes[0].clone();
    child.address = "module.a.module.b.aws_ecs_task_definition.app".into();
    let note = settle_note(std::slice::from_ref(&p), &[], &[child]).unwrap();
    assert!(
        note.contains("up to 1 of the 1 unverifiable note "),
        "{note}"
    );
    // Only `c`: nothing to settle.
    assert!(settle_note(std::slice::from_ref(&p), &[], &notes[1..]).is_none());
}

#[test]
fn indexes_are_added_to_paths_as_decimal_numbers() {
    for i in [0usize, 7, 10, 42, 1234567, usize::MAX] {
        let mut p = "a.b".to_string();
        push_index(&mut p, i);
        assert_eq!(p, format!("a.b.{i}"));
    }
}

/// What the model reads of decoded containers: their fields, and what rules read through
/// `raw`.
fn containers_read(a: crate::plan::AttrRef<'_>) -> String {
    let (containers, problem) = crate::model::extract::decode_containers(a);
    let val = match &containers.val {
        Val::Known(cs) => cs
            .iter()
            .map(crate::model::extract::container_seen)
            .collect::<Vec<_>>()
            .join("; "),
        other => format!("{other:?}"),
    };
    format!("{val} sensitive={} {problem:?}", containers.sensitive)
}

/// A `container_definitions` source value as the overlay puts it into a plan whose value
/// is unknown.
fn overlaid_containers(v: V) -> Attrs {
    let mut managed = ManagedAddresses(HashMap::with_hasher(Default::default()));
    let mut m = Merge::new(&mut managed);
    let (a, u, s, _) = m.sourced(v, &mut "container_definitions".to_string());
    Attrs::new(
        json!({ "container_definitions": a }),
        json!({ "container_definitions": u }),
        json!({ "container_definitions": s }),
    )
}

const CONTAINERS_TF: &str = r#"
variable "token" {
  default = "s3cr3t-token"
}
resource "aws_ecs_task_definition" "app" {
  family = "app"
  container_definitions = jsonencode([
    {
      name              = "app"
      image             = aws_ecr_repository.app.repository_url
      essential         = true
      cpu               = 256
      links             = ["db"]
      hostname          = "app"
      extraHosts        = [{ hostname = "db", ipAddress = "10.0.0.9" }]
      dnsServers        = ["10.0.0.2"]
      dnsSearchDomains  = ["corp"]
      disableNetworking = false
      portMappings      = [{ containerPort = 80, hostPort = 80, protocol = "tcp" }]
      environment       = [{ name = "TOKEN", value = var.token }, { name = "DB", value = aws_db_instance.db.address }]
      secrets           = [{ name = "KEY", valueFrom = aws_ssm_parameter.key.arn }]
      logConfiguration  = { logDriver = "awslogs", options = { awslogs-group = aws_cloudwatch_log_group.app.name } }
      systemControls    = [{ namespace = "net.core.somaxconn", value = "1024" }]
      healthCheck       = { command = ["CMD", "true"], interval = 30 }
    },
    { name = "sidecar", image = "busybox", essential = false },
  ])
}
"#;

#[test]
fn the_members_of_containers_the_model_reads_are_kept_and_the_rest_left_out() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), CONTAINERS_TF).unwrap();
    let src = Sources::load(dir.path()).unwrap();
    let ev = Evaluator::new(&src, Default::default());
    let whole = ev
        .attribute("aws_ecs_task_definition.app", "container_definitions")
        .expect("written");
    let cut = read_part("container_definitions", whole.clone(), &[]);
    let (whole, cut) = (overlaid_containers(whole), overlaid_containers(cut));
    let at = |a: &Attrs| containers_read(a.root().get("container_definitions"));
    assert_eq!(at(&cut), at(&whole));
    assert!(at(&cut).contains("\"app\""), "{}", at(&cut));

    let first = cut.root().get("container_definitions").at(0);
    for left_out in ["cpu", "environment", "healthCheck"] {
        assert!(first.get(left_out).raw().is_null(), "{left_out}");
    }
    assert!(first.get("logConfiguration").get("options").raw().is_null());
    assert_eq!(
        first.get("logConfiguration").get("logDriver").string().val,
        Val::Known("awslogs".to_string())
    );
    // A member holding a sensitive variable's value is kept, to be marked sensitive.
    let ev = Evaluator::new(&src, Default::default());
    let v = ev
        .attribute("aws_ecs_task_definition.app", "container_definitions")
        .unwrap();
    let secrets = ["s3cr3t".to_string()];
    let mut kept = overlaid_containers(read_part("container_definitions", v, &secrets));
    kept.mark_sensitive_strings(&secrets);
    let env = kept
        .root()
        .get("container_definitions")
        .at(0)
        .get("environment");
    assert!(env.at(0).get("value").is_sensitive());
    assert!(kept.root().get("container_definitions").is_sensitive());
}

/// Over every scenario with Terraform sources: what the model reads of the container
/// definitions the overlay cuts down is what it reads of their whole structure.
#[test]
fn the_scenarios_containers_read_the_same_cut_down() {
    let root =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/scenarios/modules");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    let mut compared = 0;
    for dir in dirs {
        let Ok(text) = std::fs::read(dir.join("plan.json")) else {
            continue;
        };
        let plan = parse_bytes(&text, "plan.json", &LoadOptions::default()).unwrap();
        let src = Sources::load(&dir).unwrap();
        let variables = J::Object(
            plan.variables
                .iter()
                .map(|(k, v)| (k.clone(), json!({ "value": v.value })))
                .collect(),
        );
        let ev = Evaluator::from_plan_variables(&src, &variables);
        // Its own caches: members left out by the reading evaluator are not evaluated there.
        let reading = Evaluator::from_plan_variables(&src, &variables);
        // Every task definition the sources write, whether the plan knows its containers
        // or not: more structures to compare.
        for res in &plan.resources {
            if res.type_ != "aws_ecs_task_definition" {
                continue;
            }
            let whole = match ev.attribute(&res.address, "container_definitions") {
                Some(v @ V::Unknown(tfsource::Unknown { json: Some(_), .. })) => v,
                _ => continue,
            };
            let cut = read_part("container_definitions", whole.clone(), &[]);
            let only_read = reading
                .written_attributes_reading(
                    &res.address,
                    ["container_definitions"],
                    &json_read_members,
                )
                .and_then(|mut w| w.pop())
                .map(|(_, v)| read_part("container_definitions", v, &[]))
                .expect("written");
            let at = |v: V| {
                let a = overlaid_containers(v);
                containers_read(a.root().get("container_definitions"))
            };
            let (whole, cut, only_read) = (at(whole), at(cut), at(only_read));
            assert_eq!(cut, whole, "{} {}", dir.display(), res.address);
            assert_eq!(only_read, whole, "{} {}", dir.display(), res.address);
            compared += 1;
        }
    }
    assert!(compared >= 4, "{compared} container definitions compared");
}

#[test]
fn a_patch_goes_in_place_into_values_read_lazily() {
    let after = json!({"name": "svc", "load_balancer": [{"container_port": 80}], "stale": "x",
                       "tags": {"a": "b"}});
    let unknown = json!({"load_balancer": [{"target_group_arn": true}], "arn": true});
    let sensitive = json!({"tags": {"a": true}});
    let patch: Patch = vec![
        // Replaced, added, removed (null in the tree and the mirror), marked sensitive.
        (
            "load_balancer".into(),
            json!([{"container_port": 80, "target_group_arn": "tg"}]),
            json!([{}]),
            J::Null,
        ),
        ("arn".into(), J::Null, J::Bool(true), J::Null),
        (
            "container_definitions".into(),
            json!([{"image": "x"}]),
            J::Null,
            J::Bool(true),
        ),
        ("stale".into(), J::Null, J::Null, J::Null),
        (
            "tags".into(),
            json!({"a": "b"}),
            J::Null,
            json!({"b": true}),
        ),
    ];
    let lazy = Attrs::from_text(&after.to_string(), unknown.clone(), sensitive.clone());
    let in_place = patched(lazy, patch.clone(), &[]);
    let expected = Attrs::new(
        json!({"name": "svc", "load_balancer": [{"container_port": 80, "target_group_arn": "tg"}],
               "tags": {"a": "b"}, "container_definitions": [{"image": "x"}]}),
        json!({"load_balancer": [{}], "arn": true}),
        json!({"tags": {"a": true, "b": true}, "container_definitions": true}),
    );
    assert_eq!(in_place, expected);
    assert!(in_place.root().get("stale").raw().is_null());
    assert_eq!(
        in_place
            .root()
            .path("load_balancer.0.target_group_arn")
            .string()
            .val,
        Val::Known("tg".to_string())
    );
    // The same as the values parsed at once and patched.
    let eager = Attrs::new(after, unknown, sensitive);
    assert_eq!(patched(eager, patch, &[]), expected);
}

#[test]
fn only_the_members_the_sources_change_are_patched() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        r#"
locals {
  cidr = "10.0.1.0/24"
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "a" {
  cidr_block = local.cidr
  vpc_id     = aws_vpc.main.id
}
"#,
    )
    .unwrap();
    let src = Sources::load(dir.path()).unwrap();
    let doc = json!({
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "resource_changes": [
            change("aws_subnet.a", "aws_subnet", json!({}),
                json!({"id": true, "cidr_block": true, "vpc_id": true})),
        ]
    });
    let plan = parse_bytes(
        doc.to_string().as_bytes(),
        "plan.json",
        &LoadOptions::default(),
    )
    .expect("plan parses");
    let ev = Evaluator::from_plan_variables(&src, &json!({}));
    let mut stats = OverlayStats::default();
    let changes = overlay_part(&plan, &[0], &ev, &[], &mut stats);
    assert_eq!((stats.filled, stats.references), (1, 1), "{stats:?}");
    // The CIDR block is filled in; the VPC stays unknown as planned: only its reference is
    // recorded, its member is not put in again.
    let (_, patch, found) = &changes[0];
    let patch = patch.as_ref().expect("a value changes");
    let keys: Vec<&str> = patch.iter().map(|(k, ..)| k.as_str()).collect();
    assert_eq!(keys, ["cidr_block"]);
    assert_eq!(&*found.references("vpc_id")[0].address, "aws_vpc.main");
    let mut p = plan.clone();
    apply(&mut p, &src);
    let subnet = p.resource("aws_subnet.a").unwrap();
    assert_eq!(
        subnet.attr("cidr_block").string().val,
        Val::Known("10.0.1.0/24".to_string())
    );
    assert!(subnet.attr("vpc_id").is_unknown() && subnet.attr("id").is_unknown());
    assert_eq!(p.source_references(subnet, "vpc_id").len(), 1);
}
