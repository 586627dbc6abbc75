//! Evaluator and loader tests over small configurations written to a temporary directory.

use std::collections::BTreeMap;
use std::path::Path;

use crate::{Evaluator, Sources, Value};

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

fn load(files: &[(&str, &str)]) -> (tempfile::TempDir, Sources) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), files);
    let s = Sources::load(dir.path()).unwrap();
    (dir, s)
}

/// Evaluate `expr` in the root module of a configuration with `tf` as its main.tf.
fn eval_in(tf: &str, expr: &str) -> Value {
    let (_d, s) = load(&[("main.tf", tf)]);
    let ev = Evaluator::new(&s, BTreeMap::new());
    ev.expression("", expr).unwrap()
}

fn eval(expr: &str) -> Value {
    eval_in("", expr)
}

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

fn n(v: f64) -> Value {
    Value::Number(v)
}

fn list(v: Vec<Value>) -> Value {
    Value::List(v)
}

fn refs(v: &Value) -> Vec<String> {
    v.refs().iter().map(|r| r.to_string()).collect()
}

// ---- constructs --------------------------------------------------------------------------

#[test]
fn literals_operators_and_templates() {
    assert_eq!(eval("1 + 2 * 3"), n(7.0));
    assert_eq!(eval("10 % 4 == 2 && !false"), Value::Bool(true));
    assert_eq!(eval("\"a-${1 + 1}-b\""), s("a-2-b"));
    assert_eq!(eval("\"%{ if true }yes%{ else }no%{ endif }\""), s("yes"));
    assert_eq!(eval("\"%{ for x in [1, 2] }${x},%{ endfor }\""), s("1,2,"));
    assert_eq!(eval("{ a = 1, \"b\" = 2 }").get("b"), Some(&n(2.0)));
    assert_eq!(eval("-3"), n(-3.0));
}

#[test]
fn tostring_of_a_string_is_that_string() {
    assert_eq!(eval("tostring(\"a b\")"), s("a b"));
    assert_eq!(eval("tostring(8080)"), s("8080"));
    assert_eq!(eval("tostring(null)"), Value::Null);
}

#[test]
fn an_interpolation_alone_keeps_its_type() {
    assert_eq!(eval("\"${[1, 2]}\""), list(vec![n(1.0), n(2.0)]));
}

#[test]
fn variables_take_plan_values_then_defaults_and_sensitive_ones_stay_hidden() {
    let tf = r#"
variable "given" {}
variable "defaulted" { default = { port = 80 } }
variable "missing" {}
variable "secret" {
  default   = "hunter2"
  sensitive = true
}
"#;
    let (_d, src) = load(&[("main.tf", tf)]);
    let vars = serde_json::json!({ "given": { "value": "from-plan" } });
    let ev = Evaluator::from_plan_variables(&src, &vars);
    assert_eq!(ev.expression("", "var.given").unwrap(), s("from-plan"));
    assert_eq!(ev.expression("", "var.defaulted.port").unwrap(), n(80.0));
    let missing = ev.expression("", "var.missing").unwrap();
    assert_eq!(refs(&missing), vec!["var.missing"]);
    let secret = ev.expression("", "\"x-${var.secret}\"").unwrap();
    assert!(secret.is_sensitive());
    assert!(!secret.describe().contains("hunter2"));
}

#[test]
fn locals_reference_each_other_and_cycles_do_not_hang() {
    let tf = "locals {\n a = local.b + 1\n b = 41\n c = local.d\n d = local.c\n}\n";
    assert_eq!(eval_in(tf, "local.a"), n(42.0));
    assert!(eval_in(tf, "local.c").is_unknown());
}

#[test]
fn conditionals_choose_and_unknown_conditions_merge() {
    assert_eq!(eval("true ? 1 : 2"), n(1.0));
    let tf = "resource \"aws_vpc\" \"v\" {}\n";
    let v = eval_in(tf, "aws_vpc.v.id == \"x\" ? 1 : 2");
    assert_eq!(refs(&v), vec!["aws_vpc.v.id"]);
    assert_eq!(eval_in(tf, "aws_vpc.v.id == \"x\" ? 3 : 3"), n(3.0));
}

#[test]
fn an_unknown_is_exact_only_when_nothing_stands_between_it_and_its_reference() {
    let tf = r#"
variable "legacy" { default = true }
resource "aws_iam_role" "r" {}
resource "aws_vpc" "v" {}
locals { role = aws_iam_role.r.arn }
"#;
    let exact = |e: &str| match eval_in(tf, e) {
        Value::Unknown(u) => u.exact,
        other => panic!("{e}: {other:?}"),
    };
    assert!(exact("aws_iam_role.r.arn"));
    // Through a local and a conditional whose condition is known.
    assert!(exact("local.role"));
    assert!(exact("var.legacy ? local.role : null"));
    // A condition known only after apply, a template, a function: computed from it.
    assert!(!exact("aws_vpc.v.id == \"x\" ? aws_iam_role.r.arn : null"));
    assert!(!exact("\"${aws_iam_role.r.arn}/x\""));
    assert!(!exact("lower(aws_iam_role.r.arn)"));
    assert!(!exact("jsonencode({ a = aws_iam_role.r.arn })"));
}

#[test]
fn an_unknown_is_not_null_only_from_functions_and_templates_that_never_give_null() {
    let tf = r#"
resource "aws_vpc" "v" { assign_generated_ipv6_cidr_block = true }
resource "aws_subnet" "s" {}
locals { block = cidrsubnet(aws_vpc.v.ipv6_cidr_block, 8, 1) }
"#;
    let not_null = |e: &str| match eval_in(tf, e) {
        Value::Unknown(u) => u.not_null,
        other => panic!("{e}: {other:?}"),
    };
    // Terraform refuses a null argument to these, and interpolating null.
    assert!(not_null("cidrsubnet(aws_vpc.v.ipv6_cidr_block, 8, 1)"));
    assert!(not_null("local.block"));
    assert!(not_null("\"${aws_vpc.v.id}-x\""));
    assert!(not_null("jsonencode({ a = aws_vpc.v.id })"));
    // The attribute itself, a conditional that may give null, a part of a value, a
    // function that passes null through.
    assert!(!not_null("aws_vpc.v.ipv6_cidr_block"));
    assert!(!not_null("aws_vpc.v.id == \"x\" ? local.block : null"));
    assert!(!not_null("aws_subnet.s.tags"));
    assert!(!not_null("try(aws_vpc.v.ipv6_cidr_block, null)"));
}

#[test]
fn for_expressions_lists_maps_filters_and_grouping() {
    assert_eq!(
        eval("[for x in [1, 2, 3] : x * 2 if x > 1]"),
        list(vec![n(4.0), n(6.0)])
    );
    assert_eq!(
        eval("{ for k, v in { a = 1 } : upper(k) => v }").get("A"),
        Some(&n(1.0))
    );
    let g = eval("{ for x in [\"a\", \"b\", \"a\"] : x => x... }");
    assert_eq!(g.get("a").unwrap().as_list().unwrap().len(), 2);
    assert_eq!(
        eval("[for i, x in [\"a\", \"b\"] : i]"),
        list(vec![n(0.0), n(1.0)])
    );
}

#[test]
fn splats_over_counted_resources_keep_the_length_and_the_references() {
    let tf = "resource \"aws_subnet\" \"p\" {\n count = 3\n}\nresource \"aws_security_group\" \"g\" {}\n";
    let v = eval_in(tf, "aws_subnet.p[*].id");
    assert_eq!(v.as_list().unwrap().len(), 3);
    assert_eq!(
        refs(&v),
        vec![
            "aws_subnet.p[0].id",
            "aws_subnet.p[1].id",
            "aws_subnet.p[2].id"
        ]
    );
    assert_eq!(eval_in(tf, "length(aws_subnet.p[*].id)"), n(3.0));
    assert_eq!(
        refs(&eval_in(tf, "aws_subnet.p[1].id")),
        vec!["aws_subnet.p[1].id"]
    );
    assert_eq!(
        eval_in(tf, "[aws_security_group.g.id]")
            .as_list()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        eval("[{ a = 1 }, { a = 2 }][*].a"),
        list(vec![n(1.0), n(2.0)])
    );
}

#[test]
fn a_resource_argument_written_in_the_sources_is_known() {
    let tf = "resource \"aws_lb_target_group\" \"t\" {\n target_type = \"ip\"\n port = 80\n}\n";
    assert_eq!(eval_in(tf, "aws_lb_target_group.t.target_type"), s("ip"));
    assert_eq!(
        refs(&eval_in(tf, "aws_lb_target_group.t.arn")),
        vec!["aws_lb_target_group.t.arn"]
    );
}

#[test]
fn for_each_resources_are_maps_of_instances() {
    let tf = "resource \"aws_ecs_cluster\" \"c\" {\n for_each = toset([\"a\", \"b\"])\n name = each.key\n}\n";
    let v = eval_in(tf, "aws_ecs_cluster.c[\"b\"].arn");
    assert_eq!(refs(&v), vec!["aws_ecs_cluster.c[\"b\"].arn"]);
    assert_eq!(eval_in(tf, "aws_ecs_cluster.c[\"b\"].name"), s("b"));
    assert_eq!(
        eval_in(tf, "keys(aws_ecs_cluster.c)"),
        list(vec![s("a"), s("b")])
    );
}

#[test]
fn unknown_count_gives_a_starred_reference_that_an_index_settles() {
    let tf = "resource \"aws_vpc\" \"v\" {}\nresource \"aws_subnet\" \"p\" {\n count = length(aws_vpc.v.id)\n}\n";
    let v = eval_in(tf, "aws_subnet.p");
    assert_eq!(refs(&v), vec!["aws_subnet.p[*]"]);
    assert_eq!(
        refs(&eval_in(tf, "aws_subnet.p[0].id")),
        vec!["aws_subnet.p[0].id"]
    );
}

#[test]
fn addresses_resolve_in_whichever_instance_was_resolved_before() {
    // `module.a` is a prefix of `module.ab`'s path and of `module.a.module.in`'s: an
    // address is looked up in the instance resolved just before only when it is that
    // instance's own.
    let root = r#"
module "a" {
  source = "./m"
  name   = "x"
}
module "ab" {
  source = "./m"
  name   = "y"
}
resource "aws_s3_bucket" "b" { bucket = "root" }
"#;
    let child = r#"
variable "name" {}
resource "aws_s3_bucket" "b" { bucket = var.name }
module "in" {
  source = "../n"
}
"#;
    let inner = r#"resource "aws_s3_bucket" "b" { bucket = "inner" }"#;
    let (_d, src) = load(&[
        ("main.tf", root),
        ("m/main.tf", child),
        ("n/main.tf", inner),
    ]);
    let ev = Evaluator::new(&src, BTreeMap::new());
    let bucket = |address: &str| ev.attribute(address, "bucket");
    for _ in 0..2 {
        assert_eq!(bucket("module.a.aws_s3_bucket.b"), Some(s("x")));
        assert_eq!(bucket("module.ab.aws_s3_bucket.b"), Some(s("y")));
        assert_eq!(bucket("module.a.aws_s3_bucket.b"), Some(s("x")));
        assert_eq!(
            bucket("module.a.module.in.aws_s3_bucket.b"),
            Some(s("inner"))
        );
        assert_eq!(bucket("module.a.aws_s3_bucket.nope"), None);
        assert_eq!(bucket("aws_s3_bucket.b"), Some(s("root")));
        assert_eq!(bucket("module.ab.aws_s3_bucket.b"), Some(s("y")));
    }
}

#[test]
fn dynamic_block_members_read_once_or_again_keep_their_values() {
    // The first content reads `subnets` twice, the second reads members in a loop, the
    // third reads each member once (moved out of the iterator rather than copied): all
    // give the members' values, every time the resource is evaluated.
    let tf = r#"
locals {
  nets = [{ subnets = ["a", "b"], groups = ["g"], name = "n1" }]
}
resource "aws_ecs_service" "svc" {
  dynamic "network_configuration" {
    for_each = local.nets
    iterator = net
    content {
      subnets          = net.value.subnets
      security_groups  = net.value.groups
      assign_public_ip = "${net.value.name}-${net.key}"
      settings {
        first = net.value.subnets[0]
      }
    }
  }
  dynamic "load_balancer" {
    for_each = local.nets
    content {
      a = load_balancer.value.subnets
      b = [for g in load_balancer.value.groups : "${g}-${load_balancer.value.name}"]
    }
  }
  dynamic "capacity_provider_strategy" {
    for_each = local.nets
    content {
      subnets = capacity_provider_strategy.value.subnets[1]
      groups  = capacity_provider_strategy.value.groups
      whole   = capacity_provider_strategy.key
    }
  }
}
"#;
    let (_d, src) = load(&[("main.tf", tf)]);
    let ev = Evaluator::new(&src, BTreeMap::new());
    for _ in 0..2 {
        let r = ev.resource("aws_ecs_service.svc").unwrap();
        let first = |kind: &str| r.get(kind).unwrap().as_list().unwrap()[0].clone();
        let net = first("network_configuration");
        assert_eq!(net.get("subnets"), Some(&list(vec![s("a"), s("b")])));
        assert_eq!(net.get("security_groups"), Some(&list(vec![s("g")])));
        assert_eq!(net.get("assign_public_ip"), Some(&s("n1-0")));
        let settings = net.get("settings").unwrap().as_list().unwrap();
        assert_eq!(settings[0].get("first"), Some(&s("a")));
        let lb = first("load_balancer");
        assert_eq!(lb.get("a"), Some(&list(vec![s("a"), s("b")])));
        assert_eq!(lb.get("b"), Some(&list(vec![s("g-n1")])));
        let cap = first("capacity_provider_strategy");
        assert_eq!(cap.get("subnets"), Some(&s("b")));
        assert_eq!(cap.get("groups"), Some(&list(vec![s("g")])));
        assert_eq!(cap.get("whole"), Some(&n(0.0)));
    }
}

#[test]
fn resources_evaluate_with_count_index_each_and_dynamic_blocks() {
    let tf = r#"
variable "subnets" { default = ["s-1", "s-2"] }
locals {
  lbs = [{ port = 80 }, { port = 443 }]
}
resource "aws_ecs_service" "svc" {
  count         = 2
  name          = "svc-${count.index}"
  desired_count = count.index + 1
  dynamic "network_configuration" {
    for_each = [1]
    content {
      subnets = var.subnets
    }
  }
  dynamic "load_balancer" {
    for_each = local.lbs
    iterator = lb
    content {
      container_port = lb.value.port
      container_name = "c${lb.key}"
    }
  }
  ordered_placement_strategy {
    type = "spread"
  }
  lifecycle {
    ignore_changes = [desired_count]
  }
}
"#;
    let (_d, src) = load(&[("main.tf", tf)]);
    let ev = Evaluator::new(&src, BTreeMap::new());
    let r = ev.resource("aws_ecs_service.svc[1]").unwrap();
    assert_eq!(r.get("name"), Some(&s("svc-1")));
    assert_eq!(r.get("desired_count"), Some(&n(2.0)));
    assert!(r.get("count").is_none() && r.get("lifecycle").is_none());
    let lbs = r.get("load_balancer").unwrap().as_list().unwrap();
    assert_eq!(lbs.len(), 2);
    assert_eq!(lbs[1].get("container_port"), Some(&n(443.0)));
    assert_eq!(lbs[1].get("container_name"), Some(&s("c1")));
    assert_eq!(
        ev.attribute("aws_ecs_service.svc[0]", "network_configuration[0].subnets"),
        Some(list(vec![s("s-1"), s("s-2")]))
    );
    assert_eq!(
        r.get("ordered_placement_strategy")
            .unwrap()
            .as_list()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(ev.attribute("aws_ecs_service.svc[0]", "nope"), None);
    assert_eq!(ev.resource("aws_ecs_service.other"), None);
}

#[test]
fn modules_get_their_inputs_from_the_call_and_give_outputs_back() {
    let root = r#"
variable "env" { default = "prod" }
resource "aws_subnet" "p" { count = 2 }
module "svc" {
  source     = "./modules/svc"
  for_each   = { a = 8080, b = 9090 }
  name       = "${var.env}-${each.key}"
  port       = each.value
  subnet_ids = aws_subnet.p[*].id
}
module "one" {
  source = "./modules/svc"
  name   = "one"
  port   = 1
  subnet_ids = []
}
output "names" { value = module.one.name }
"#;
    let child = r#"
variable "name" {}
variable "port" {}
variable "subnet_ids" {}
variable "cpu" { default = 256 }
locals { container = { name = var.name, portMappings = [{ containerPort = var.port }] } }
resource "aws_ecs_task_definition" "this" {
  cpu = var.cpu
  container_definitions = jsonencode([local.container])
}
resource "aws_ecs_service" "this" {
  network_configuration {
    subnets = var.subnet_ids
  }
}
output "name" { value = var.name }
"#;
    let (_d, src) = load(&[("main.tf", root), ("modules/svc/main.tf", child)]);
    let ev = Evaluator::new(&src, BTreeMap::new());
    let td = ev
        .attribute(
            "module.svc[\"b\"].aws_ecs_task_definition.this",
            "container_definitions",
        )
        .unwrap();
    assert_eq!(
        td,
        s(r#"[{"name":"prod-b","portMappings":[{"containerPort":9090}]}]"#)
    );
    let subnets = ev
        .attribute(
            "module.svc[\"a\"].aws_ecs_service.this",
            "network_configuration[0].subnets",
        )
        .unwrap();
    assert_eq!(
        refs(&subnets),
        vec!["aws_subnet.p[0].id", "aws_subnet.p[1].id"]
    );
    assert_eq!(ev.output("", "names"), Some(s("one")));
    assert_eq!(
        ev.expression("", "module.svc[\"a\"].name"),
        Some(s("prod-a"))
    );
    assert_eq!(
        ev.expression("", "module.svc")
            .unwrap()
            .get("b")
            .unwrap()
            .get("name"),
        Some(&s("prod-b"))
    );
    let inst = ev.instance("module.svc[\"a\"]").unwrap();
    assert_eq!(inst.var("cpu"), Some(&n(256.0)));
    assert_eq!(inst.key, "svc");
    assert!(ev.instance("module.nope").is_none());
}

#[test]
fn modules_are_found_through_modules_json() {
    let root = "module \"reg\" {\n source = \"terraform-aws-modules/ecs/aws\"\n}\n";
    let child = "resource \"aws_ecs_cluster\" \"this\" {\n name = \"x\"\n}\n";
    let manifest = r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"reg","Source":"registry.terraform.io/terraform-aws-modules/ecs/aws","Version":"5.0.0","Dir":".terraform/modules/reg"}]}"#;
    let (_d, src) = load(&[
        ("main.tf", root),
        (".terraform/modules/reg/main.tf", child),
        (".terraform/modules/modules.json", manifest),
    ]);
    assert!(src.declares("module.reg.aws_ecs_cluster.this"));
    assert!(src.unresolved.is_empty());
    // Without the manifest a registry module cannot be found, and that is not an error.
    let (_d2, src2) = load(&[("main.tf", root)]);
    assert_eq!(src2.unresolved, vec!["reg"]);
}

#[test]
fn locate_follows_attributes_nested_and_dynamic_blocks() {
    let tf = r#"resource "aws_ecs_service" "s" {
  name = "x"

  # ecsnet:ignore NET044 -- batch jobs only
  dynamic "network_configuration" {
    for_each = [1]
    content {
      subnets = ["a"]
    }
  }
  load_balancer {
    container_port = 80
  }
}
"#;
    let (_d, src) = load(&[("main.tf", tf)]);
    let at = |a: Option<&str>| src.locate("aws_ecs_service.s", a).unwrap().line;
    assert_eq!(at(None), 1);
    assert_eq!(at(Some("name")), 2);
    assert_eq!(at(Some("network_configuration[0].subnets")), 8);
    assert_eq!(at(Some("load_balancer[0].container_port")), 12);
    assert_eq!(at(Some("load_balancer[0].target_group_arn")), 11);
    assert_eq!(at(Some("not_written")), 1);
    let l = src
        .locate(
            "aws_ecs_service.s",
            Some("network_configuration[0].subnets"),
        )
        .unwrap();
    let sup = src.suppression_for(&l, "NET044").unwrap();
    assert_eq!(sup.reason, "batch jobs only");
    assert!(src.suppression_for(&l, "NET045").is_none());
    let other = src.locate("aws_ecs_service.s", Some("name")).unwrap();
    assert!(src.suppression_for(&other, "NET044").is_none());
    assert!(src.locate("aws_ecs_service.t", None).is_none());
}

#[test]
fn identical_module_copies_are_located_under_their_own_paths() {
    // Byte-identical files (each call of a registry module gets its own copy) are parsed
    // once and shared; every copy keeps its own path, lines, comments and arguments.
    let module = "variable \"name\" {}\n\n# ecsnet:ignore NET044 -- copies share comments\nresource \"aws_ecs_service\" \"s\" {\n  name = var.name\n  dynamic \"network_configuration\" {\n    for_each = [1]\n    content {\n      subnets = [\"a\"]\n    }\n  }\n}\n";
    let shifted = format!("\n{module}");
    let root: String = ["a", "b", "c", "d"]
        .iter()
        .map(|m| {
            format!("module \"{m}\" {{\n  source = \"./modules/{m}\"\n  name   = \"{m}\"\n}}\n")
        })
        .collect();
    let (_d, src) = load(&[
        ("main.tf", &root),
        ("modules/a/main.tf", module),
        ("modules/b/main.tf", module),
        ("modules/c/main.tf", module),
        ("modules/d/main.tf", &shifted),
    ]);
    let ev = Evaluator::new(&src, BTreeMap::new());
    for (m, line) in [("a", 9), ("b", 9), ("c", 9), ("d", 10)] {
        let address = format!("module.{m}.aws_ecs_service.s");
        let at = src
            .locate(&address, Some("network_configuration[0].subnets"))
            .unwrap();
        assert!(
            at.file.ends_with(&format!("modules/{m}/main.tf")),
            "{}",
            at.file
        );
        assert_eq!(at.line, line, "{m}");
        let sup = src.suppression_for(&at, "NET044").unwrap();
        assert_eq!(src.files[sup.file].display, at.file);
        assert_eq!(sup.line, line - 6);
        assert_eq!(sup.reason, "copies share comments");
        assert_eq!(src.module(m).unwrap().rel_dir, format!("modules/{m}"));
        assert_eq!(ev.attribute(&address, "name"), Some(s(m)));
    }
    assert_eq!(src.files.len(), 5);
    assert_eq!(src.suppressions.len(), 4);
    // A suppression in one copy does not apply to a finding in another.
    let a = src.locate("module.a.aws_ecs_service.s", None).unwrap();
    let b_sup = src
        .suppressions
        .iter()
        .find(|x| src.files[x.file].display.ends_with("modules/b/main.tf"))
        .unwrap();
    assert!(!a.chain.contains(&(b_sup.file, b_sup.target)));
}

#[cfg(unix)]
#[test]
fn a_tf_file_that_is_a_link_is_shown_where_it_points() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("main.tf", "module \"m\" {\n  source = \"./m\"\n}\n"),
            ("shared/ecs.tf", "resource \"aws_ecs_cluster\" \"c\" {}\n"),
        ],
    );
    std::fs::create_dir_all(dir.path().join("m")).unwrap();
    std::os::unix::fs::symlink("../shared/ecs.tf", dir.path().join("m/ecs.tf")).unwrap();
    let src = Sources::load(dir.path()).unwrap();
    let at = src.locate("module.m.aws_ecs_cluster.c", None).unwrap();
    assert!(at.file.ends_with("shared/ecs.tf"), "{}", at.file);
}

#[test]
fn load_errors_are_one_line_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let e = Sources::load(dir.path()).unwrap_err().to_string();
    assert!(e.contains("no .tf file"), "{e}");
    write(
        dir.path(),
        &[("main.tf", "resource \"a\" \"b\" {\n  x = \n}\n")],
    );
    let e = Sources::load(dir.path()).unwrap_err().to_string();
    assert!(e.contains("main.tf:") && !e.contains('\n'), "{e}");
    write(
        dir.path(),
        &[(
            "main.tf",
            "# ecsnet:ignore NET044\nresource \"a\" \"b\" {}\n",
        )],
    );
    let e = Sources::load(dir.path()).unwrap_err().to_string();
    assert!(e.contains("main.tf:1: ") && e.contains("no reason"), "{e}");
    assert!(!e.starts_with('/'), "{e}");
    // Bytes that are not UTF-8: the message `read_to_string` gave.
    std::fs::write(dir.path().join("main.tf"), b"x = \"\xff\"\n").unwrap();
    let e = Sources::load(dir.path()).unwrap_err().to_string();
    assert!(
        e.ends_with("main.tf: cannot read: stream did not contain valid UTF-8"),
        "{e}"
    );
    let e = Sources::load(&dir.path().join("main.tf"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("not a directory"), "{e}");
}

// ---- functions ---------------------------------------------------------------------------

#[test]
fn fn_jsonencode_keeps_structure_when_part_is_unknown_and_jsondecode_gives_it_back() {
    assert_eq!(
        eval("jsonencode({ b = 1, a = [true, null] })"),
        s(r#"{"a":[true,null],"b":1}"#)
    );
    let tf = "resource \"aws_ecr_repository\" \"r\" {}\n";
    let v = eval_in(
        tf,
        "jsonencode([{ name = \"app\", image = aws_ecr_repository.r.repository_url }])",
    );
    let Value::Unknown(u) = &v else {
        panic!("{v:?}")
    };
    let inner = u.json.as_deref().unwrap();
    assert_eq!(inner.as_list().unwrap()[0].get("name"), Some(&s("app")));
    assert_eq!(refs(&v), vec!["aws_ecr_repository.r.repository_url"]);
    let back = eval_in(tf, "jsondecode(jsonencode([{ name = \"app\", image = aws_ecr_repository.r.repository_url }]))[0].name");
    assert_eq!(back, s("app"));
    assert_eq!(eval("jsondecode(\"{\\\"a\\\": [1]}\").a[0]"), n(1.0));
    assert!(eval("try(jsondecode(\"{\"), \"bad\")") == s("bad"));
}

#[test]
fn fn_collections() {
    assert_eq!(
        eval("merge({ a = 1 }, null, { a = 2, b = 3 })").get("a"),
        Some(&n(2.0))
    );
    assert_eq!(
        eval("concat([1], [], [2, 3])"),
        list(vec![n(1.0), n(2.0), n(3.0)])
    );
    assert_eq!(
        eval("flatten([[1, [2]], 3])"),
        list(vec![n(1.0), n(2.0), n(3.0)])
    );
    assert_eq!(eval("lookup({ a = 1 }, \"b\", 9)"), n(9.0));
    assert_eq!(eval("lookup({ a = 1 }, \"a\")"), n(1.0));
    assert_eq!(eval("coalesce(null, \"\", \"x\")"), s("x"));
    assert_eq!(
        eval("compact([\"a\", \"\", null, \"b\"])"),
        list(vec![s("a"), s("b")])
    );
    assert_eq!(eval("distinct([1, 2, 1])"), list(vec![n(1.0), n(2.0)]));
    assert_eq!(eval("element([\"a\", \"b\"], 3)"), s("b"));
    assert_eq!(eval("length({ a = 1, b = 2 })"), n(2.0));
    assert_eq!(eval("length(\"héllo\")"), n(5.0));
    assert_eq!(eval("keys({ b = 1, a = 2 })"), list(vec![s("a"), s("b")]));
    assert_eq!(eval("values({ b = 1, a = 2 })"), list(vec![n(2.0), n(1.0)]));
    assert_eq!(eval("zipmap([\"a\"], [1])").get("a"), Some(&n(1.0)));
    assert_eq!(eval("tomap({ a = 1 })").get("a"), Some(&n(1.0)));
    assert_eq!(eval("tolist([1])"), list(vec![n(1.0)]));
    assert_eq!(
        eval("toset([\"b\", \"a\", \"b\"])"),
        list(vec![s("a"), s("b")])
    );
    assert_eq!(eval("contains([\"a\"], \"a\")"), Value::Bool(true));
    assert_eq!(eval("slice([1, 2, 3], 1, 3)"), list(vec![n(2.0), n(3.0)]));
    assert_eq!(eval("range(3)"), list(vec![n(0.0), n(1.0), n(2.0)]));
    assert_eq!(eval("range(1, 7, 3)"), list(vec![n(1.0), n(4.0)]));
    assert_eq!(eval("min(3, 1, 2)"), n(1.0));
    assert_eq!(eval("max([3, 7]...)"), n(7.0));
}

#[test]
fn fn_strings_and_conversions() {
    assert_eq!(
        eval("format(\"%s-%03d-%v-%q\", \"a\", 7, true, \"x\")"),
        s("a-007-true-\"x\"")
    );
    assert_eq!(
        eval("format(\"%-4s|%.1f|%%\", \"ab\", 2.25)"),
        s("ab  |2.2|%")
    );
    assert_eq!(eval("join(\",\", [\"a\", 1])"), s("a,1"));
    assert_eq!(eval("split(\",\", \"a,b\")"), list(vec![s("a"), s("b")]));
    assert_eq!(eval("replace(\"a-b-c\", \"-\", \"_\")"), s("a_b_c"));
    assert!(eval("replace(\"a\", \"/a/\", \"b\")").is_unknown());
    assert_eq!(eval("lower(\"AbC\")"), s("abc"));
    assert_eq!(eval("upper(\"abc\")"), s("ABC"));
    assert_eq!(eval("trimspace(\"  x \\n\")"), s("x"));
    assert_eq!(eval("tostring(8080)"), s("8080"));
    assert_eq!(eval("tonumber(\"42\")"), n(42.0));
    assert_eq!(eval("base64encode(\"hi\")"), s("aGk="));
    assert_eq!(eval("base64decode(\"aGk=\")"), s("hi"));
}

#[test]
fn fn_cidrs() {
    assert_eq!(eval("cidrsubnet(\"10.0.0.0/16\", 8, 2)"), s("10.0.2.0/24"));
    assert_eq!(
        eval("cidrsubnet(\"10.1.2.3/16\", 4, 15)"),
        s("10.1.240.0/20")
    );
    assert_eq!(eval("cidrhost(\"10.0.2.0/24\", 5)"), s("10.0.2.5"));
    assert_eq!(eval("cidrhost(\"10.0.2.0/24\", -1)"), s("10.0.2.255"));
    assert_eq!(
        eval("cidrsubnet(\"fd00::/56\", 8, 1)"),
        s("fd00:0:0:1::/64")
    );
    assert!(!eval("try(cidrsubnet(\"10.0.0.0/30\", 8, 1), \"bad\")").is_unknown());
    assert_eq!(
        eval("try(cidrsubnet(\"10.0.0.0/30\", 8, 1), \"bad\")"),
        s("bad")
    );
}

#[test]
fn fn_try_can_and_unsupported_functions() {
    assert_eq!(eval("try({ a = 1 }.b, \"fallback\")"), s("fallback"));
    assert_eq!(eval("try([][0], [1][0])"), n(1.0));
    assert_eq!(eval("can([][0])"), Value::Bool(false));
    assert_eq!(eval("can([1][0])"), Value::Bool(true));
    assert!(eval("sha256(\"x\")").is_unknown());
    assert!(eval("provider::aws::arn_parse(\"x\")").is_unknown());
}

#[test]
fn fn_unknown_arguments_give_unknown_results_with_their_references() {
    let tf = "resource \"aws_vpc\" \"v\" {}\n";
    let v = eval_in(tf, "cidrsubnet(aws_vpc.v.cidr_block_x, 8, 1)");
    assert_eq!(refs(&v), vec!["aws_vpc.v.cidr_block_x"]);
    let v = eval_in(tf, "format(\"%s-x\", aws_vpc.v.id)");
    assert_eq!(refs(&v), vec!["aws_vpc.v.id"]);
    assert!(eval_in(tf, "merge(aws_vpc.v.tags, {})").is_unknown());
    assert_eq!(eval_in(tf, "length([aws_vpc.v.id, 1])"), n(2.0));
}

#[test]
fn fn_file_and_templatefile_read_relative_to_the_root_module() {
    let tf = "locals {\n t = templatefile(\"${path.module}/c.tpl\", { port = 80, names = [\"a\", \"b\"] })\n f = file(\"c.txt\")\n}\n";
    let (_d, src) = load(&[
        ("main.tf", tf),
        ("c.tpl", "port=${port}%{ for n in names } ${n}%{ endfor }"),
        ("c.txt", "plain"),
    ]);
    let ev = Evaluator::new(&src, BTreeMap::new());
    assert_eq!(ev.local("", "t"), Some(s("port=80 a b")));
    assert_eq!(ev.local("", "f"), Some(s("plain")));
    assert!(ev
        .expression("", "file(\"missing.txt\")")
        .unwrap()
        .is_unknown());
}

#[test]
fn fn_numbers_and_more_strings() {
    assert_eq!(eval("ceil(log(6, 2))"), n(3.0));
    assert_eq!(
        eval("floor(2.7) + abs(-1) + pow(2, 3) + signum(-4)"),
        n(10.0)
    );
    assert_eq!(eval("sum([1, 2.5])"), n(3.5));
    assert_eq!(eval("sort([\"b\", \"a\"])"), list(vec![s("a"), s("b")]));
    assert_eq!(eval("reverse([1, 2])"), list(vec![n(2.0), n(1.0)]));
    assert_eq!(eval("index([\"a\", \"b\"], \"b\")"), n(1.0));
    assert_eq!(eval("substr(\"hello\", 1, 3)"), s("ell"));
    assert_eq!(eval("substr(\"hello\", -3, -1)"), s("llo"));
    assert_eq!(
        eval("startswith(\"abc\", \"ab\") && endswith(\"abc\", \"c\")"),
        Value::Bool(true)
    );
    assert_eq!(eval("trimprefix(\"ab\", \"a\")"), s("b"));
    assert_eq!(eval("trimsuffix(\"ab\", \"b\")"), s("a"));
}

#[test]
fn variable_types_fill_optional_attributes_and_convert_primitives() {
    let tf = r#"
variable "pools" {
  type = map(object({
    size = number
    base = optional(number, 0)
    name = optional(string)
  }))
  default = { a = { size = "3" } }
}
variable "port" {
  type    = string
  default = 80
}
"#;
    assert_eq!(eval_in(tf, "var.pools.a.base"), n(0.0));
    assert_eq!(eval_in(tf, "var.pools.a.size"), n(3.0));
    assert_eq!(eval_in(tf, "var.pools.a.name"), Value::Null);
    assert_eq!(eval_in(tf, "var.port"), s("80"));
}

#[test]
fn instances_known_elsewhere_stand_for_an_unknown_count() {
    let tf = r#"
data "aws_availability_zones" "all" {}
resource "aws_subnet" "private" {
  count = length(data.aws_availability_zones.all.names)
}
resource "aws_autoscaling_group" "this" {
  vpc_zone_identifier = slice(aws_subnet.private[*].id, 0, 2)
}
"#;
    let (_dir, sources) = load(&[("main.tf", tf)]);
    // Without the instances: one unknown for all of them.
    let ev = Evaluator::new(&sources, BTreeMap::new());
    let v = ev
        .attribute("aws_autoscaling_group.this", "vpc_zone_identifier")
        .unwrap();
    assert_eq!(refs(&v), ["aws_subnet.private[*].id"]);
    // With the plan's three instances, slice() keeps the first two.
    let keys = (0..3).map(crate::address::Key::Int).collect();
    let ev = Evaluator::new(&sources, BTreeMap::new())
        .with_known_instances([("aws_subnet.private".to_string(), keys)].into());
    let v = ev
        .attribute("aws_autoscaling_group.this", "vpc_zone_identifier")
        .unwrap();
    assert_eq!(v.as_list().map(<[Value]>::len), Some(2));
    assert_eq!(
        refs(&v),
        ["aws_subnet.private[0].id", "aws_subnet.private[1].id"]
    );
}

#[test]
fn a_json_template_with_an_unknown_variable_keeps_its_structure() {
    let tf = r#"
resource "aws_ecs_task_definition" "app" {
  container_definitions = templatefile("${path.module}/c.json.tftpl", {
    image = aws_ecr_repository.app.repository_url
    port  = 8080
  })
  other = templatefile("${path.module}/p.json.tftpl", { port = aws_lb.x.port })
}
"#;
    let tpl =
        r#"[{"name": "app", "image": "${image}:1", "portMappings": [{"containerPort": ${port}}]}]"#;
    let (_dir, sources) = load(&[
        ("main.tf", tf),
        ("c.json.tftpl", tpl),
        ("p.json.tftpl", r#"{"port": ${port}}"#),
    ]);
    let ev = Evaluator::new(&sources, BTreeMap::new());
    let v = ev
        .attribute("aws_ecs_task_definition.app", "container_definitions")
        .unwrap();
    let Value::Unknown(u) = &v else {
        panic!("{v:?}")
    };
    let c = &u.json.as_deref().unwrap().as_list().unwrap()[0];
    assert_eq!(c.get("name"), Some(&s("app")));
    let port = &c.get("portMappings").unwrap().as_list().unwrap()[0];
    assert_eq!(port.get("containerPort"), Some(&n(8080.0)));
    let image = c.get("image").unwrap();
    assert!(image.is_unknown());
    assert_eq!(refs(image), ["aws_ecr_repository.app.repository_url"]);
    // An unknown outside a JSON string leaves no JSON to read: a plain unknown.
    let other = ev
        .attribute("aws_ecs_task_definition.app", "other")
        .unwrap();
    assert!(matches!(&other, Value::Unknown(u) if u.json.is_none()));
}

#[test]
fn for_each_is_evaluated_once_per_module_instance_but_each_instance_keeps_its_value() {
    // The `for_each` value is cached per (module instance, block): two module instances
    // with different inputs, and the instances of one resource, must still each see their
    // own `each.value`, and a local read through the borrowed path gives the right part.
    let root = r#"
module "svc" {
  source   = "./modules/svc"
  for_each = { a = { web = 80, api = 81 }, b = { web = 90, api = 91 } }
  ports    = each.value
}
"#;
    let child = r#"
variable "ports" {}
locals { shaped = { by_name = var.ports } }
resource "aws_lb_target_group" "tg" {
  for_each = var.ports
  port     = each.value
  name     = "${each.key}-${local.shaped.by_name[each.key]}"
}
"#;
    let (_d, src) = load(&[("main.tf", root), ("modules/svc/main.tf", child)]);
    let ev = Evaluator::new(&src, BTreeMap::new());
    for (m, k, port) in [
        ("a", "web", 80.0),
        ("a", "api", 81.0),
        ("b", "web", 90.0),
        ("b", "api", 91.0),
    ] {
        let addr = format!("module.svc[\"{m}\"].aws_lb_target_group.tg[\"{k}\"]");
        assert_eq!(ev.attribute(&addr, "port"), Some(n(port)), "{addr}");
        assert_eq!(
            ev.attribute(&addr, "name"),
            Some(s(&format!("{k}-{port}"))),
            "{addr}"
        );
        // An attribute the block does not write is absent, not unknown.
        assert_eq!(ev.attribute(&addr, "protocol"), None);
    }
}

#[test]
fn resource_values_are_cached_per_module_instance_and_their_written_attributes_still_read() {
    // `TYPE.NAME` values are cached by (module instance, block), and their attributes are
    // read through the block found then: two instances of one module must each see their
    // own resources and arguments, a resource read twice gives the same value, and a
    // counted root resource named by every call gives each its instances.
    let root = r#"
resource "aws_subnet" "p" { count = 2 }
module "one" {
  source  = "./modules/svc"
  name    = "one"
  subnets = aws_subnet.p[*].id
}
module "two" {
  source  = "./modules/svc"
  name    = "two"
  subnets = aws_subnet.p[*].id
}
"#;
    let child = r#"
variable "name" {}
variable "subnets" {}
resource "aws_cloudwatch_log_group" "this" { name = "/ecs/${var.name}" }
resource "aws_iam_role" "task" { name = var.name }
locals {
  groups = [aws_cloudwatch_log_group.this.name, aws_cloudwatch_log_group.this.name]
  role   = aws_iam_role.task.arn
  named  = aws_iam_role.task.name
  unset  = aws_iam_role.task.path
}
"#;
    let (_d, src) = load(&[("main.tf", root), ("modules/svc/main.tf", child)]);
    let ev = Evaluator::new(&src, BTreeMap::new());
    for m in ["one", "two"] {
        let path = format!("module.{m}");
        let group = s(&format!("/ecs/{m}"));
        assert_eq!(
            ev.local(&path, "groups"),
            Some(list(vec![group.clone(), group]))
        );
        assert_eq!(ev.local(&path, "named"), Some(s(m)));
        let role = ev.local(&path, "role").unwrap();
        assert!(role.is_unknown());
        assert_eq!(refs(&role), [format!("module.{m}.aws_iam_role.task.arn")]);
        let unset = ev.local(&path, "unset").unwrap();
        assert_eq!(refs(&unset), [format!("module.{m}.aws_iam_role.task.path")]);
        let subnets = ev.expression(&path, "var.subnets").unwrap();
        assert_eq!(refs(&subnets), ["aws_subnet.p[0].id", "aws_subnet.p[1].id"]);
    }
}

#[test]
fn attributes_of_a_resource_are_those_it_writes_in_the_order_asked() {
    let (_d, src) = load(&[(
        "main.tf",
        r#"
variable "p" {
  default = 8
}
resource "aws_x" "a" {
  count = 2
  name  = "n-${count.index}"
  port  = var.p
  dynamic "blk" {
    for_each = [1, 2]
    content {
      v = blk.value
    }
  }
}
"#,
    )]);
    let ev = Evaluator::new(&src, BTreeMap::new());
    let got = ev.attributes("aws_x.a[1]", ["port", "arn", "name", "blk"]);
    let names: Vec<&str> = got.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, ["port", "name", "blk"]);
    for (name, v) in &got {
        assert_eq!(Some(v), ev.attribute("aws_x.a[1]", name).as_ref(), "{name}");
    }
    assert_eq!(got[0].1, n(8.0));
    assert_eq!(got[1].1, s("n-1"));
    // The template, parsed once, still takes each instance's key.
    assert_eq!(ev.attributes("aws_x.a[0]", ["name"])[0].1, s("n-0"));
    // Nothing written, or no such resource: nothing.
    assert!(ev.attributes("aws_x.a[0]", ["arn", "id"]).is_empty());
    assert!(ev.attributes("aws_x.b", ["name"]).is_empty());
}

#[test]
fn templates_of_expressions_read_one_after_another_are_not_mixed_up() {
    let (_d, src) = load(&[("main.tf", "variable \"p\" {\n  default = 8\n}\n")]);
    let ev = Evaluator::new(&src, BTreeMap::new());
    // Each expression is parsed, evaluated and freed: the next may land where it was.
    for (text, want) in [
        ("\"a-${var.p}\"", "a-8"),
        ("\"b-${var.p}\"", "b-8"),
        ("\"a-${var.p}\"", "a-8"),
        ("\"${var.p}-c\"", "8-c"),
    ] {
        assert_eq!(ev.expression("", text), Some(s(want)), "{text}");
    }
}

#[test]
fn a_local_read_whole_twice_or_in_part_gives_the_same_value() {
    let (_d, src) = load(&[(
        "main.tf",
        r#"
variable "port" { default = 80 }
locals {
  c     = { name = "app", ports = [var.port, 443], image = aws_ecr_repository.r.repository_url }
  outer = [local.c]
}
resource "aws_x" "a" {
  first  = local.c
  second = local.c
  part   = local.c.ports[1]
  third  = local.c
  nested = local.outer
}
"#,
    )]);
    let ev = Evaluator::new(&src, BTreeMap::new());
    let got = ev.attributes(
        "aws_x.a",
        ["part", "first", "second", "third", "nested", "first"],
    );
    let c = ev.local("", "c").unwrap();
    assert_eq!(c.get("ports"), Some(&list(vec![n(80.0), n(443.0)])));
    assert_eq!(
        refs(c.get("image").unwrap()),
        ["aws_ecr_repository.r.repository_url"]
    );
    assert_eq!(got[0].1, n(443.0));
    // Read whole (the first read moves it out of the cache), again, and again after
    // that: the same value each time, and through another local too.
    for (name, v) in &got[1..5] {
        let want = if *name == "nested" {
            list(vec![c.clone()])
        } else {
            c.clone()
        };
        assert_eq!(v, &want, "{name}");
    }
    assert_eq!(got[5].1, c);
    assert_eq!(ev.local("", "outer"), Some(list(vec![c.clone()])));
}

const READ_TF: &str = r#"
locals {
  env = [for k in ["A", "B"] : { name = k, value = aws_db_instance.db.address }]
  app = {
    name        = "app"
    image       = aws_ecr_repository.app.repository_url
    environment = local.env
    cpu         = 256
    log         = { driver = "awslogs", options = { group = aws_cloudwatch_log_group.app.name } }
  }
}
resource "aws_ecs_task_definition" "app" {
  family                = "app"
  container_definitions = jsonencode([local.app, { name = "side", image = "busybox", cpu = 64 }])
}
resource "aws_ecs_task_definition" "other" {
  family                = "other"
  container_definitions = jsonencode(concat([local.app], []))
}
"#;

fn read_names(attribute: &str) -> Option<crate::ReadMembers<'static>> {
    let read = crate::ReadMembers {
        names: &["name", "image", "log"],
        within: &[("log", &["driver"])],
    };
    (attribute == "container_definitions").then_some(read)
}

/// `container_definitions` of a task definition of `READ_TF`, as a reader of `read_names`
/// has it evaluated.
fn read_containers(ev: &Evaluator<'_>, address: &str) -> Value {
    let mut read = ev
        .written_attributes_reading(address, ["container_definitions"], &read_names)
        .unwrap();
    read.pop().unwrap().1
}

/// The JSON structure of an unknown `jsonencode` result.
fn structure(v: &Value) -> &Value {
    match v {
        Value::Unknown(u) => u.json.as_deref().expect("a structure"),
        other => panic!("not unknown: {other:?}"),
    }
}

#[test]
fn only_the_members_a_reader_takes_of_jsonencode_objects_are_evaluated() {
    let (_d, src) = load(&[("main.tf", READ_TF)]);
    let ev = Evaluator::new(&src, BTreeMap::new());
    let v = &read_containers(&ev, "aws_ecs_task_definition.app");
    let items = structure(v).as_list().unwrap();
    let keys = |v: &Value| v.as_map().unwrap().keys().cloned().collect::<Vec<String>>();
    assert_eq!(keys(&items[0]), ["image", "log", "name"]);
    assert_eq!(keys(&items[1]), ["image", "name"]);
    assert_eq!(keys(items[0].get("log").unwrap()), ["driver"]);
    assert_eq!(items[1].get("image"), Some(&s("busybox")));
    // The string's references are those of the members kept.
    assert_eq!(refs(v), ["aws_ecr_repository.app.repository_url"]);
    // The local is neither cached cut down nor taken: read whole, it is all there.
    let app = ev.local("", "app").unwrap();
    assert!(app.get("environment").is_some() && app.get("cpu").is_some());
    assert!(app.get("log").unwrap().get("options").is_some());

    // Any other form is evaluated whole.
    let other = read_containers(&ev, "aws_ecs_task_definition.other");
    let whole = ev
        .attribute("aws_ecs_task_definition.other", "container_definitions")
        .unwrap();
    assert_eq!(other, whole);
    assert!(structure(&whole).as_list().unwrap()[0]
        .get("environment")
        .is_some());
    // Without a reader's members, the same as `written_attributes`.
    let all = ev
        .written_attributes_reading(
            "aws_ecs_task_definition.app",
            ["container_definitions", "family"],
            &|_| None,
        )
        .unwrap();
    let plain = ev
        .written_attributes(
            "aws_ecs_task_definition.app",
            ["container_definitions", "family"],
        )
        .unwrap();
    assert_eq!(all, plain);
}

#[test]
fn with_a_sensitive_variable_in_the_sources_every_member_is_evaluated() {
    let tf = format!("variable \"token\" {{\n  sensitive = true\n}}\n{READ_TF}");
    let (_d, src) = load(&[("main.tf", &tf)]);
    let ev = Evaluator::new(&src, BTreeMap::new());
    let read = read_containers(&ev, "aws_ecs_task_definition.app");
    let whole = ev
        .attribute("aws_ecs_task_definition.app", "container_definitions")
        .unwrap();
    assert_eq!(read, whole);
    assert!(structure(&whole).as_list().unwrap()[0].get("cpu").is_some());
}
