//! Unit tests of the plan reader on small inline plans in the real format.
//!
//! `json!` serializes object keys sorted (as `jq -S` does), so these plans also check that
//! nothing depends on Terraform's key order; `ORDERED` below keeps Terraform's order.

use serde_json::{json, Value};

use super::*;
use crate::model::Val;

fn opts() -> LoadOptions {
    LoadOptions {
        terraform_bin: None,
        max_bytes: DEFAULT_MAX_BYTES,
    }
}

fn parse(v: &Value) -> Plan {
    parse_bytes(v.to_string().as_bytes(), "plan.json", &opts()).expect("plan parses")
}

fn err(bytes: &[u8]) -> String {
    parse_bytes(bytes, "plan.json", &opts())
        .expect_err("must be refused")
        .message
}

#[allow(clippy::too_many_arguments)]
fn change(
    address: &str,
    module: &str,
    type_: &str,
    name: &str,
    index: Value,
    actions: &[&str],
    after: Value,
    unknown: Value,
    sensitive: Value,
) -> Value {
    let mut c = json!({
        "address": address, "mode": if address.contains("data.") { "data" } else { "managed" },
        "type": type_, "name": name, "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": { "actions": actions, "before": null, "after": after, "after_unknown": unknown,
                    "before_sensitive": false, "after_sensitive": sensitive }
    });
    if !module.is_empty() {
        c["module_address"] = json!(module);
    }
    if !index.is_null() {
        c["index"] = index;
    }
    c
}

/// A plan with a for_each module holding a service, a nested module with counted subnets,
/// a delete, a replace, a data source read while planning and a deferred data read.
fn sample() -> Value {
    let svc = |key: &str| {
        let m = format!("module.app[\"{key}\"]");
        change(
            &format!("{m}.aws_ecs_service.api"),
            &m,
            "aws_ecs_service",
            "api",
            Value::Null,
            &["create"],
            json!({"name": format!("api-{key}"), "desired_count": 2, "launch_type": "FARGATE",
                   "network_configuration": [{"assign_public_ip": false, "subnets": [null, "subnet-b"], "security_groups": []}],
                   "tags": null}),
            json!({"cluster": true, "id": true, "network_configuration": [{"subnets": [true, false], "security_groups": []}],
                   "load_balancer": true}),
            json!({"network_configuration": [{"subnets": [false, false]}], "tags_all": {}}),
        )
    };
    let subnet = |key: &str, i: u64| {
        let m = format!("module.app[\"{key}\"].module.net");
        change(
            &format!("{m}.aws_subnet.s[{i}]"),
            &m,
            "aws_subnet",
            "s",
            json!(i),
            &["no-op"],
            json!({"id": format!("subnet-{key}-{i}"), "cidr_block": format!("10.0.{i}.0/24"), "availability_zone": "eu-west-1a"}),
            json!({}),
            json!({}),
        )
    };
    json!({
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "variables": {"db_password": {"value": "hunter2-secret"}, "desired": {"value": 6}},
        "planned_values": {"root_module": {
            "resources": [
                {"address": "aws_ecs_cluster.main", "mode": "managed", "type": "aws_ecs_cluster", "name": "main",
                 "values": {"name": "main"}, "sensitive_values": {}},
                {"address": "aws_vpc.only_planned", "mode": "managed", "type": "aws_vpc", "name": "only_planned",
                 "values": {"cidr_block": "10.0.0.0/16"}, "sensitive_values": {}},
                {"address": "aws_cloudwatch_log_group.logs", "mode": "managed", "type": "aws_cloudwatch_log_group", "name": "logs",
                 "values": {"name": "logs"}, "sensitive_values": {}}
            ],
            "child_modules": [
                {"address": "module.app[\"blue\"]", "resources": [], "child_modules": [
                    {"address": "module.app[\"blue\"].module.net", "resources": []}]},
                {"address": "module.app[\"green\"]", "resources": [], "child_modules": [
                    {"address": "module.app[\"green\"].module.net", "resources": []}]}
            ]
        }},
        "resource_changes": [
            change("aws_ecs_cluster.main", "", "aws_ecs_cluster", "main", Value::Null, &["create"],
                   json!({"name": "main", "setting": [{"name": "containerInsights", "value": "enabled"}]}),
                   json!({"arn": true, "id": true, "setting": [{}]}), json!({"setting": [{}]})),
            change("aws_ecs_service.old", "", "aws_ecs_service", "old", Value::Null, &["delete"],
                   Value::Null, json!(false), json!(false)),
            change("aws_ecs_task_definition.td", "", "aws_ecs_task_definition", "td", Value::Null, &["delete", "create"],
                   json!({"family": "td", "network_mode": "awsvpc"}),
                   json!({"container_definitions": true, "arn": true}), json!({"container_definitions": true})),
            change("aws_cloudwatch_log_group.logs", "", "aws_cloudwatch_log_group", "logs", Value::Null, &["create"],
                   json!({"name": "logs"}), json!({"arn": true}), json!({})),
            change("aws_db_instance.db", "", "aws_db_instance", "db", Value::Null, &["create"],
                   json!({"password": "hunter2-secret"}), json!({}), json!({"password": true})),
            change("data.aws_vpc.later", "", "aws_vpc", "later", Value::Null, &["read"],
                   json!({"tags": null, "filter": [{"name": "tag:Name", "values": ["x"]}]}),
                   json!({"filter": [{"values": [false]}]}), json!({})),
            svc("blue"),
            svc("green"),
            subnet("blue", 0), subnet("blue", 1), subnet("green", 0), subnet("green", 1),
        ],
        "prior_state": {"format_version": "1.0", "values": {"root_module": {
            "resources": [
                {"address": "data.aws_subnet.picked", "mode": "data", "type": "aws_subnet", "name": "picked",
                 "values": {"id": "subnet-p", "cidr_block": "10.9.0.0/24", "map_public_ip_on_launch": false},
                 "sensitive_values": {}},
                {"address": "data.aws_subnet.removed", "mode": "data", "type": "aws_subnet", "name": "removed",
                 "values": {"id": "subnet-r"}, "sensitive_values": {}},
                {"address": "data.aws_iam_policy_document.p", "mode": "data", "type": "aws_iam_policy_document", "name": "p",
                 "values": {"json": "{}"}, "sensitive_values": {}},
                {"address": "aws_ecs_service.old", "mode": "managed", "type": "aws_ecs_service", "name": "old",
                 "values": {"name": "old"}, "sensitive_values": {}}
            ]}}},
        "configuration": {"root_module": {
            "variables": {"db_password": {"sensitive": true}, "desired": {"default": 1}},
            "outputs": {"blue_service": {"expression": {"references": ["module.app[\"blue\"].service_name", "module.app[\"blue\"]", "module.app"]}}},
            "resources": [
                {"address": "aws_ecs_cluster.main", "mode": "managed", "type": "aws_ecs_cluster", "name": "main",
                 "expressions": {"name": {"constant_value": "main"}}},
                {"address": "aws_ecs_task_definition.td", "mode": "managed", "type": "aws_ecs_task_definition", "name": "td",
                 "expressions": {"container_definitions": {"references": ["local.containers"]}}},
                {"address": "data.aws_subnet.picked", "mode": "data", "type": "aws_subnet", "name": "picked",
                 "expressions": {"id": {"constant_value": "subnet-p"}}},
                {"address": "aws_cloudwatch_log_group.logs", "mode": "managed", "type": "aws_cloudwatch_log_group", "name": "logs",
                 "expressions": {"name": {"constant_value": "logs"}}},
                {"address": "data.aws_iam_policy_document.p", "mode": "data", "type": "aws_iam_policy_document", "name": "p",
                 "expressions": {}}
            ],
            "module_calls": {"app": {
                "source": "./modules/app",
                "for_each_expression": {"references": ["var.apps"]},
                "expressions": {
                    "cluster_id": {"references": ["aws_ecs_cluster.main.id", "aws_ecs_cluster.main"]},
                    "log_group": {"references": ["aws_cloudwatch_log_group.logs"]},
                    "region": {"constant_value": "eu-west-1"}
                },
                "module": {
                    "variables": {"cluster_id": {}, "log_group": {}, "region": {}},
                    "outputs": {"service_name": {"expression": {"references": ["aws_ecs_service.api.name", "aws_ecs_service.api"]}}},
                    "resources": [
                        {"address": "aws_ecs_service.api", "mode": "managed", "type": "aws_ecs_service", "name": "api",
                         "expressions": {
                            "cluster": {"references": ["var.cluster_id"]},
                            "task_definition": {"references": ["aws_ecs_task_definition.missing.arn"]},
                            "name": {"references": ["local.name"]},
                            "iam_role": {"references": ["var.log_group.arn"]},
                            "network_configuration": [{"subnets": {"references": ["module.net.subnet_ids", "module.net"]},
                                                       "assign_public_ip": {"constant_value": false}}]
                         }}
                    ],
                    "module_calls": {"net": {
                        "source": "./net",
                        "expressions": {},
                        "module": {
                            "outputs": {"subnet_ids": {"expression": {"references": ["aws_subnet.s"]}},
                                        "first": {"expression": {"references": ["aws_subnet.s[0].id", "aws_subnet.s[0]", "aws_subnet.s"]}}},
                            "resources": [{"address": "aws_subnet.s", "mode": "managed", "type": "aws_subnet", "name": "s",
                                           "count_expression": {"constant_value": 2},
                                           "expressions": {"cidr_block": {"references": ["count.index"]}}}]
                        }
                    }}
                }
            }}
        }}
    })
}

fn addresses(p: &Plan) -> Vec<&str> {
    p.resources.iter().map(|r| r.address.as_str()).collect()
}

#[test]
fn planned_world_membership() {
    let p = parse(&sample());
    let a = addresses(&p);
    assert!(a.contains(&"aws_ecs_cluster.main"));
    assert!(
        !a.contains(&"aws_ecs_service.old"),
        "delete-only is not in the planned world"
    );
    assert_eq!(
        p.resource("aws_ecs_task_definition.td").unwrap().action,
        Action::Replace
    );
    assert_eq!(
        p.resource("data.aws_subnet.picked").unwrap().action,
        Action::DataRead
    );
    assert!(
        p.resource("data.aws_subnet.removed").is_none(),
        "data source whose block is gone"
    );
    assert_eq!(
        p.resource("aws_vpc.only_planned").unwrap().action,
        Action::Unchanged
    );
    assert_eq!(
        p.resource("data.aws_vpc.later").unwrap().action,
        Action::Read
    );
    assert_eq!(
        p.resource(r#"module.app["blue"].aws_ecs_service.api"#)
            .unwrap()
            .module_address,
        r#"module.app["blue"]"#
    );
    // Uninteresting resources are counted, not kept: cluster, vpc, log group, db, deferred
    // vpc, td, 2 services, 4 subnets, data subnet, iam document.
    assert!(p.resource("aws_cloudwatch_log_group.logs").is_none());
    assert_eq!(p.resource_count, 14);
    assert_eq!(p.resources_of_type("aws_subnet").count(), 5);
    assert_eq!(p.format_version.as_deref(), Some("1.2"));
    assert_eq!(p.terraform_version.as_deref(), Some("1.9.5"));
    assert!(p.has_sensitivity_info);
    assert!(p
        .module_instances
        .contains(r#"module.app["green"].module.net"#));
}

#[test]
fn known_null_unknown() {
    let p = parse(&sample());
    let s = p
        .resource(r#"module.app["blue"].aws_ecs_service.api"#)
        .unwrap();
    assert_eq!(s.attr("desired_count").int(), Field::known(2));
    assert_eq!(
        s.attr("name").string(),
        Field::known("api-blue".to_string())
    );
    assert!(
        s.attr("cluster").string().is_unknown(),
        "unknown attribute is absent from after"
    );
    assert!(s.attr("tags").raw().is_null(), "explicit null");
    assert!(
        s.attr("platform_version").raw().is_null(),
        "absent and not unknown"
    );
    assert!(
        s.attr("load_balancer").items().is_unknown(),
        "whole block unknown (`true`)"
    );
    assert!(
        s.attr("load_balancer.0.target_group_arn")
            .string()
            .is_unknown(),
        "below an unknown parent"
    );
    // An unknown list element is null in `after` and true in `after_unknown`.
    assert!(s
        .attr("network_configuration.0.subnets.0")
        .string()
        .is_unknown());
    assert_eq!(
        s.attr("network_configuration.0.subnets.1").string(),
        Field::known("subnet-b".into())
    );
    assert!(s
        .attr("network_configuration.0.subnets")
        .strings()
        .is_unknown());
    assert_eq!(
        s.attr("network_configuration.0.security_groups").strings(),
        Field::known(vec![])
    );
    assert_eq!(
        s.attr("network_configuration.0.assign_public_ip").bool(),
        Field::known(false)
    );
    assert!(s.attr("network_configuration").items().get().unwrap()[0]
        .get("subnets")
        .contains_unknown());
    // A single nested object can be addressed in list form.
    let c = p.resource("aws_ecs_cluster.main").unwrap();
    assert_eq!(
        c.attr("setting.0.name").string(),
        Field::known("containerInsights".into())
    );
    assert!(c.attr("arn").string().is_unknown());
}

#[test]
fn deferred_data_read_is_unknown() {
    let p = parse(&sample());
    let v = p.resource("data.aws_vpc.later").unwrap();
    assert!(v.attr("cidr_block").string().is_unknown(), "not read yet");
    assert!(v.attr("id").string().is_unknown());
    assert!(v.attr("tags").raw().is_null(), "configured null stays null");
    assert_eq!(
        v.attr("filter.0.values").strings(),
        Field::known(vec!["x".to_string()])
    );
}

#[test]
fn data_read_during_planning_comes_from_prior_state() {
    let p = parse(&sample());
    let d = p.resource("data.aws_subnet.picked").unwrap();
    assert_eq!(
        d.attr("cidr_block").string(),
        Field::known("10.9.0.0/24".into())
    );
    assert_eq!(
        d.attr("map_public_ip_on_launch").bool(),
        Field::known(false)
    );
}

#[test]
fn sensitivity() {
    let p = parse(&sample());
    let td = p.resource("aws_ecs_task_definition.td").unwrap();
    let cd = td.attr("container_definitions");
    assert!(
        cd.is_sensitive() && cd.is_unknown(),
        "unknown and sensitive at once"
    );
    assert_eq!(cd.decode_json().unwrap().val, Val::Unknown);
    assert!(!td.attr("family").is_sensitive());
    let v = &p.variables["db_password"];
    assert!(v.sensitive);
    assert_eq!(v.field().show(), "(sensitive)");
    assert!(!p.variables["desired"].sensitive);
    assert_eq!(p.variables["desired"].field().show(), "6");
}

#[test]
fn plain_boolean_sensitivity_covers_everything() {
    let mut plan = sample();
    plan["resource_changes"][0]["change"]["after_sensitive"] = json!(true);
    let p = parse(&plan);
    let c = p.resource("aws_ecs_cluster.main").unwrap();
    assert!(c.attr("name").is_sensitive());
    assert!(c.attr("setting.0.value").string().sensitive);
    assert_eq!(c.attr("name").string().show(), "(sensitive)");
}

#[test]
fn pre_015_plan_marks_values_of_sensitive_variables() {
    // Format 0.1 from Terraform 0.14: no after_sensitive anywhere.
    let mut plan = sample();
    plan["format_version"] = json!("0.1");
    let rcs = plan["resource_changes"].as_array_mut().unwrap();
    for rc in rcs.iter_mut() {
        rc["change"]
            .as_object_mut()
            .unwrap()
            .remove("after_sensitive");
        rc["change"]
            .as_object_mut()
            .unwrap()
            .remove("before_sensitive");
    }
    rcs.push(change("aws_instance.i", "", "aws_instance", "i", Value::Null, &["create"],
        json!({"user_data": "DB=hunter2-secret\n", "ami": "ami-1", "tags": {"k": ["a", "hunter2-secret"]}}), json!({}), Value::Null));
    strip_sensitive_values(&mut plan["planned_values"]["root_module"]);
    strip_sensitive_values(&mut plan["prior_state"]["values"]["root_module"]);
    let p = parse(&plan);
    assert!(!p.has_sensitivity_info);
    let i = p.resource("aws_instance.i").unwrap();
    assert!(
        i.attr("user_data").is_sensitive(),
        "contains a sensitive variable's value"
    );
    assert!(i.attr("tags.k.1").is_sensitive());
    assert!(!i.attr("tags.k.0").is_sensitive());
    assert!(!i.attr("ami").is_sensitive());
}

#[test]
fn long_variable_values_keep_only_their_kind_unless_a_secret_needs_them() {
    let mut plan = sample();
    let big = "x".repeat(1 << 20);
    plan["variables"]["big_string"] = json!({ "value": big });
    plan["variables"]["big_list"] = json!({ "value": vec![1; 100_000] });
    plan["variables"]["big_null"] = json!({ "value": null });
    plan["variables"]["short"] = json!({ "value": "awsvpc" });
    let p = parse(&plan);
    // The kind is what decides whether an argument set through the variable is set.
    assert_eq!(p.variables["big_string"].value, json!(""));
    assert_eq!(p.variables["big_list"].value, json!([]));
    assert_eq!(p.variables["big_null"].value, Value::Null);
    assert_eq!(p.variables["short"].value, json!("awsvpc"));
    // A long value that is not JSON is still refused.
    let mut text = serde_json::to_string(&plan).unwrap();
    text = text.replacen(&format!("\"{big}\""), &format!("\"{big}"), 1);
    assert!(parse_bytes(text.as_bytes(), "p", &opts()).is_err());
}

fn strip_sensitive_values(m: &mut Value) {
    if let Some(rs) = m.get_mut("resources").and_then(Value::as_array_mut) {
        for r in rs {
            r.as_object_mut().unwrap().remove("sensitive_values");
        }
    }
    if let Some(cs) = m.get_mut("child_modules").and_then(Value::as_array_mut) {
        for c in cs {
            strip_sensitive_values(c);
        }
    }
}

#[test]
fn decode_json_strings() {
    let a = Attrs::new(
        json!({"cd": "[{\"name\":\"web\",\"portMappings\":[{\"containerPort\":80}]}]", "bad": "[{", "n": 3}),
        json!({}),
        json!({"cd": false}),
    );
    let cd = a.root().get("cd").decode_json().unwrap();
    let cd = cd.get().unwrap();
    assert_eq!(
        cd.root().path("0.portMappings.0.containerPort").int(),
        Field::known(80)
    );
    assert!(a.root().get("bad").decode_json().is_err());
    assert!(a.root().get("n").decode_json().is_err());
    let s = Attrs::new(
        json!({"cd": "[{\"name\":\"x\"}]"}),
        json!({}),
        json!({"cd": true}),
    );
    let f = s.root().get("cd").decode_json().unwrap();
    assert!(f.sensitive);
    assert!(f.get().unwrap().root().path("0.name").string().sensitive);
}

#[test]
fn scalar_conversions() {
    let a = Attrs::known(
        json!({"s": "8080", "n": 80, "f": 1.5, "b": "true", "o": {"x": 1}, "l": ["a", 1, null]}),
    );
    let r = a.root();
    assert_eq!(r.get("s").int(), Field::known(8080));
    assert_eq!(r.get("n").string(), Field::known("80".into()));
    assert!(r.get("f").int().is_null(), "non-integral number");
    assert_eq!(r.get("b").bool(), Field::known(true));
    assert!(r.get("o").string().is_null());
    assert_eq!(
        r.get("l").strings(),
        Field::known(vec!["a".into(), "1".into()])
    );
    assert!(r.path("o.x.y.z").raw().is_null());
    assert!(r.at(3).raw().is_null(), "indexing an object");
    assert_eq!(r.get("o").keys(), Field::known(vec!["x"]));
}

// ---- configuration and references ----------------------------------------------------------

fn svc(p: &Plan, key: &str) -> Resource {
    p.resource(&format!("module.app[\"{key}\"].aws_ecs_service.api"))
        .unwrap()
        .clone()
}

#[test]
fn expression_lookup() {
    let p = parse(&sample());
    let s = svc(&p, "blue");
    assert_eq!(
        p.expression(&s, "cluster").unwrap().references,
        vec!["var.cluster_id"]
    );
    let e = p
        .expression(&s, "network_configuration.0.assign_public_ip")
        .unwrap();
    assert_eq!(e.constant_value, Some(json!(false)));
    assert!(
        p.expression(&s, "network_configuration.subnets").is_some(),
        "one-element block list without index"
    );
    assert!(p.expression(&s, "nope").is_none());
    assert_eq!(p.config.root.module_calls["app"].source, "./modules/app");
    assert!(p.config.root.module_calls["app"].is_multi_instance());
    assert!(p.config.root.variables["db_password"].sensitive);
}

#[test]
fn module_variable_to_resource() {
    let p = parse(&sample());
    let t = p.resolve_references(&svc(&p, "blue"), "cluster");
    assert_eq!(
        t,
        vec![RefTarget {
            address: "aws_ecs_cluster.main".into(),
            attribute: Some("id".into()),
            certain: true
        }]
    );
}

#[test]
fn variable_attribute_tail_is_kept() {
    // iam_role = var.log_group.arn, and the caller passes the whole resource object.
    let p = parse(&sample());
    let t = p.resolve_references(&svc(&p, "green"), "iam_role");
    assert_eq!(t.len(), 1);
    assert_eq!(&*t[0].address, "aws_cloudwatch_log_group.logs");
    assert_eq!(t[0].attribute.as_deref(), Some("arn"));
}

#[test]
fn nested_module_output_to_counted_resource() {
    let p = parse(&sample());
    let t = p.resolve_references(&svc(&p, "green"), "network_configuration.0.subnets");
    let addrs: Vec<&str> = t.iter().map(|t| &*t.address).collect();
    assert_eq!(
        addrs,
        vec![
            r#"module.app["green"].module.net.aws_subnet.s[0]"#,
            r#"module.app["green"].module.net.aws_subnet.s[1]"#
        ],
        "the instances of the same module instance, not blue's"
    );
    assert!(
        t.iter().all(|t| !t.certain),
        "a whole counted resource: not one certain instance"
    );
}

#[test]
fn root_output_through_for_each_instance_key() {
    let p = parse(&sample());
    let out = p.config.root.outputs["blue_service"]
        .expression
        .clone()
        .unwrap();
    let t = p.follow("", None, &out.references);
    assert_eq!(
        t,
        vec![RefTarget {
            address: r#"module.app["blue"].aws_ecs_service.api"#.into(),
            attribute: Some("name".into()),
            certain: true
        }]
    );
    // Without a key, every instance of the module, none certain.
    let t = p.follow("", None, &["module.app.service_name".to_string()]);
    assert_eq!(t.len(), 2);
    assert!(t.iter().all(|t| !t.certain));
}

#[test]
fn explicit_instance_index_is_certain() {
    let p = parse(&sample());
    let t = p.follow(
        r#"module.app["blue"]"#,
        None,
        &["module.net.first".to_string()],
    );
    assert_eq!(
        t,
        vec![RefTarget {
            address: r#"module.app["blue"].module.net.aws_subnet.s[0]"#.into(),
            attribute: Some("id".into()),
            certain: true
        }]
    );
}

#[test]
fn locals_and_unknown_targets() {
    let p = parse(&sample());
    let s = svc(&p, "blue");
    assert!(
        p.resolve_references(&s, "name").is_empty(),
        "local.* cannot be followed"
    );
    let td = p.resource("aws_ecs_task_definition.td").unwrap();
    assert!(p.resolve_references(td, "container_definitions").is_empty());
    // A resource not in the plan (not kept, not in config) still yields its address.
    let t = p.resolve_references(&s, "task_definition");
    assert_eq!(
        &*t[0].address,
        r#"module.app["blue"].aws_ecs_task_definition.missing"#
    );
    assert_eq!(t[0].attribute.as_deref(), Some("arn"));
    // Root variables are values, not resources.
    assert!(p.follow("", None, &["var.desired".to_string()]).is_empty());
}

#[test]
fn each_key_selects_same_instance_uncertainly() {
    let p = parse(&sample());
    let t = p.follow(
        r#"module.app["blue"].module.net"#,
        Some(&json!(1)),
        &["aws_subnet.s".to_string(), "count.index".to_string()],
    );
    assert_eq!(t.len(), 1, "{t:?}");
    assert_eq!(
        &*t[0].address,
        r#"module.app["blue"].module.net.aws_subnet.s[1]"#
    );
    assert!(!t[0].certain);
}

#[test]
fn reference_cycles_terminate() {
    let mut plan = sample();
    // module.app's input refers to its own output: invalid Terraform, must not hang.
    plan["configuration"]["root_module"]["module_calls"]["app"]["expressions"]["cluster_id"] =
        json!({"references": ["module.app[\"blue\"].service_name"]});
    plan["configuration"]["root_module"]["module_calls"]["app"]["module"]["outputs"]
        ["service_name"] = json!({"expression": {"references": ["var.cluster_id"]}});
    let p = parse(&plan);
    assert!(p.resolve_references(&svc(&p, "blue"), "cluster").is_empty());
}

// ---- inputs and wrong inputs ---------------------------------------------------------------

const ORDERED: &str = r#"{"format_version":"1.0","terraform_version":"1.1.5","planned_values":{"root_module":{"resources":[{"address":"aws_vpc.v","mode":"managed","type":"aws_vpc","name":"v","values":{"cidr_block":"10.0.0.0/16"},"sensitive_values":{}}]}},"resource_changes":[{"address":"aws_vpc.v","mode":"managed","type":"aws_vpc","name":"v","change":{"actions":["create"],"before":null,"after":{"cidr_block":"10.0.0.0/16"},"after_unknown":{"id":true},"before_sensitive":false,"after_sensitive":{}}}],"configuration":{"root_module":{}}}"#;

fn utf16(s: &str, le: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend(if le { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
    }
    for u in s.encode_utf16() {
        out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

#[test]
fn text_encodings() {
    let check = |b: &[u8]| {
        let p = parse_bytes(b, "p", &opts()).expect("parses");
        assert_eq!(
            p.resource("aws_vpc.v").unwrap().attr("cidr_block").string(),
            Field::known("10.0.0.0/16".into())
        );
        assert!(p
            .resource("aws_vpc.v")
            .unwrap()
            .attr("id")
            .string()
            .is_unknown());
    };
    check(ORDERED.as_bytes());
    check(&[b"\xEF\xBB\xBF".as_slice(), ORDERED.as_bytes()].concat());
    check(&[b"\n\r\t ".as_slice(), ORDERED.as_bytes()].concat());
    check(&utf16(ORDERED, true, true));
    check(&utf16(ORDERED, false, true));
    check(&utf16(ORDERED, true, false));
    let non_ascii = ORDERED.replace("10.0.0.0/16\"}}]}}", "10.0.0.0/16\"}}]}},\"x\":\"é😀\"");
    check(&utf16(&non_ascii, true, true));
    let mut odd = utf16(ORDERED, true, true);
    odd.pop();
    assert!(err(&odd).contains("odd number of bytes"));
    let mut lone = utf16("{", true, true);
    lone.extend(0xD800u16.to_le_bytes());
    assert!(err(&lone).contains("unpaired surrogate"));
}

#[test]
fn wrong_inputs_give_one_clear_line() {
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (b"".to_vec(), "is empty"),
        (b"  \n\t".to_vec(), "is empty"),
        (b"\xEF\xBB\xBF".to_vec(), "is empty"),
        (ORDERED.as_bytes()[..ORDERED.len() / 2].to_vec(), "truncated"),
        (b"<html>hello</html>".to_vec(), "is not JSON"),
        (b"resource \"aws_vpc\" \"v\" {}".to_vec(), "is not JSON"),
        (b"[1, 2]".to_vec(), "top level is an array"),
        (b"\"tfplan\"".to_vec(), "top level is a string"),
        (b"{\"a\": 1,}".to_vec(), "not valid JSON"),
        (b"\xFF\x00\xFF\x00".to_vec(), "is not JSON"),
        (b"{\"x\": \"\xC3\x28\"}".to_vec(), "not UTF-8"),
        (br#"{"format_version":"1.0","terraform_version":"1.5.7","values":{"root_module":{}}}"#.to_vec(), "is a Terraform state"),
        (br#"{"format_version":"1.0"}"#.to_vec(), "without a plan"),
        (br#"{"format_version":"1.0","provider_schemas":{"registry.terraform.io/hashicorp/aws":{}}}"#.to_vec(), "providers schema -json"),
        (br#"{"plan_format_version":"1.2","resource_changes":[],"provider_schemas":{}}"#.to_vec(), "redacted"),
        (br#"{"version":4,"terraform_version":"1.5.7","serial":3,"lineage":"x","resources":[]}"#.to_vec(), "raw state file"),
        (br#"{"valid":true,"error_count":0,"diagnostics":[]}"#.to_vec(), "validate -json"),
        (br#"{"hello":"world"}"#.to_vec(), "not a Terraform plan"),
        (br#"{"format_version":"2.0","planned_values":{}}"#.to_vec(), "format_version 2.0"),
        (br#"{"format_version":"12.1","resource_changes":[]}"#.to_vec(), "format_version 12.1"),
        (br#"{"resource_changes":{"a":1}}"#.to_vec(), "not a valid Terraform plan"),
        (br#"{"resource_changes":[{"address":7}]}"#.to_vec(), "in `resource_changes`"),
        (br#"{"planned_values":{},"planned_values":{}}"#.to_vec(), "twice"),
        (br#"{"planned_values":{}} trailing"#.to_vec(), "not valid JSON"),
    ];
    for (bytes, want) in cases {
        let m = err(&bytes);
        assert!(
            m.contains(want),
            "{:?}: got {m:?}, want {want:?}",
            String::from_utf8_lossy(&bytes)
        );
        assert!(!m.contains('\n'), "one line: {m:?}");
        assert!(
            m.starts_with("plan.json") || m.starts_with('`'),
            "names the input: {m:?}"
        );
    }
}

#[test]
fn format_versions_0_and_1_are_read() {
    for v in ["0.1", "0.2", "1.0", "1.1", "1.2", "1.99"] {
        let doc = ORDERED.replace("\"1.0\"", &format!("\"{v}\""));
        let p = parse_bytes(doc.as_bytes(), "p", &opts()).unwrap_or_else(|e| panic!("{v}: {e}"));
        assert_eq!(p.format_version.as_deref(), Some(v));
    }
    // Anything but a string MAJOR.MINOR is refused, not guessed at.
    for v in [
        "\"one\"",
        "\"-1.0\"",
        "\"a.b\"",
        "\"\"",
        "\"1\"",
        "\"1.2.3\"",
        "\" 1.2\"",
        "\"1.\"",
        "1.2",
        "null",
    ] {
        let doc = ORDERED.replace("\"1.0\"", v);
        let e = parse_bytes(doc.as_bytes(), "p", &opts()).unwrap_err();
        assert!(e.message.contains("not a plan format version"), "{v}: {e}");
    }
    // No format_version at all: keys decide.
    let p = parse_bytes(br#"{"resource_changes":[]}"#, "p", &opts()).unwrap();
    assert_eq!(p.resource_count, 0);
    // An empty plan with an errored flag (golden plan-error file shape).
    let p = parse_bytes(br#"{"format_version":"1.2","planned_values":{"root_module":{}},"prior_state":{},"configuration":{"root_module":{}},"errored":true}"#, "p", &opts()).unwrap();
    assert!(p.errored);
}

fn nested(depth: usize) -> String {
    "[".repeat(depth) + &"]".repeat(depth)
}

#[test]
fn deep_nesting_is_refused_without_overflow() {
    // Deep where the reader builds structure: at the top level and inside kept values.
    let config = format!(
        r#"{{"resource_changes":[],"configuration":{{"root_module":{{"variables":{{"x":{{"default":{}}}}}}}}}}}"#,
        nested(100_000)
    );
    assert!(err(config.as_bytes()).contains("128 levels deep"));
    let vars = format!(
        r#"{{"resource_changes":[],"variables":{{"x":{{"value":{}}}}}}}"#,
        nested(100_000)
    );
    assert!(err(vars.as_bytes()).contains("128 levels deep"));
    let wrong_shape = format!(r#"{{"resource_changes":{}}}"#, nested(100_000));
    assert!(err(wrong_shape.as_bytes()).contains("not a valid Terraform plan"));
    let vals = ORDERED.replace(
        r#""after":{"cidr_block""#,
        &format!(r#""after":{{"deep":{},"cidr_block""#, nested(200)),
    );
    let m = err(vals.as_bytes());
    assert!(m.contains("aws_vpc.v") && m.contains("levels deep"), "{m}");
    let modules = format!(
        r#"{{"planned_values":{{"root_module":{}}}}}"#,
        r#"{"child_modules":["#.repeat(300) + &"]}".repeat(300)
    );
    assert!(err(modules.as_bytes()).contains("128 levels deep"));
    // Deep inside a resource ecsnet skips: skipped iteratively, the plan is fine.
    let skipped = ORDERED.replace(
        r#""type":"aws_vpc","name":"v","change""#,
        &format!(
            r#""type":"aws_vpc","name":"v","junk":{},"change""#,
            nested(100_000)
        ),
    );
    assert!(parse_bytes(skipped.as_bytes(), "p", &opts()).is_ok());
}

#[test]
fn size_cap() {
    let small = LoadOptions {
        terraform_bin: None,
        max_bytes: 100,
    };
    let m = parse_bytes(ORDERED.as_bytes(), "plan.json", &small)
        .unwrap_err()
        .message;
    assert!(
        m.contains("100-byte input limit") && m.contains(MAX_BYTES_ENV),
        "{m}"
    );
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("p.json");
    std::fs::write(&f, ORDERED).unwrap();
    let m = load(f.to_str().unwrap(), &small).unwrap_err().message;
    assert!(m.contains("input limit"), "{m}");
    assert!(load(f.to_str().unwrap(), &opts()).is_ok());
}

#[test]
fn unreadable_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.json");
    let m = load(missing.to_str().unwrap(), &opts())
        .unwrap_err()
        .message;
    assert!(
        m.starts_with("cannot read") && m.contains("no such file"),
        "{m}"
    );
    let m = load(dir.path().to_str().unwrap(), &opts())
        .unwrap_err()
        .message;
    assert!(m.contains("is a directory"), "{m}");
}

#[test]
fn binary_plan_without_terraform() {
    let zip = b"PK\x03\x04\x14\x00\x00\x00rest-of-a-zip";
    let o = LoadOptions {
        terraform_bin: Some("/nonexistent/terraform".into()),
        max_bytes: DEFAULT_MAX_BYTES,
    };
    let m = parse_bytes(zip, "tfplan", &o).unwrap_err().message;
    assert!(
        m.contains("binary plan")
            && m.contains("could not be run")
            && m.contains("--terraform-bin"),
        "{m}"
    );
    let m = input::terraform_missing_message("tfplan");
    assert!(
        m.contains("neither is on PATH") && m.contains("ECSNET_TERRAFORM_BIN"),
        "{m}"
    );
    assert_eq!(
        input::search_path(&["terraform", "tofu"], Some("".into())),
        None
    );
}

#[test]
fn failing_terraform_is_reported() {
    // `false` exits 1 without output: stands in for a terraform that cannot read the file.
    let Some(f) = ["/bin/false", "/usr/bin/false"]
        .iter()
        .find(|p| std::path::Path::new(p).exists())
    else {
        skip_note!("no `false` binary");
        return;
    };
    let o = LoadOptions {
        terraform_bin: Some(f.into()),
        max_bytes: DEFAULT_MAX_BYTES,
    };
    let m = parse_bytes(b"PK\x03\x04zip", "tfplan", &o)
        .unwrap_err()
        .message;
    assert!(m.contains("show -json tfplan` failed"), "{m}");
}

#[test]
fn piped_input_is_capped() {
    let small = LoadOptions {
        terraform_bin: None,
        max_bytes: 10,
    };
    let m = input::read_capped(std::io::Cursor::new(vec![b' '; 11]), "stdin", &small)
        .unwrap_err()
        .message;
    assert!(
        m.starts_with("stdin is larger than the 10-byte input limit"),
        "{m}"
    );
    assert_eq!(
        input::read_capped(std::io::Cursor::new(vec![b' '; 10]), "stdin", &small)
            .unwrap()
            .len(),
        10
    );
}

#[test]
fn terraform_0_12_relative_prior_state_addresses() {
    // Terraform 0.12 writes module-relative addresses inside prior_state child modules, with
    // the module's own address after its resources.
    let vpc = |cidr: &str| {
        format!(
            r#"{{"address":"data.aws_vpc.default","mode":"data","type":"aws_vpc","name":"default","values":{{"cidr_block":"{cidr}"}}}}"#
        )
    };
    let call = r#"{"source":"./m","module":{"resources":[{"address":"data.aws_vpc.default","mode":"data","type":"aws_vpc","name":"default"}]}}"#;
    let text = format!(
        r#"{{"format_version":"0.1","planned_values":{{"root_module":{{}}}},"prior_state":{{"values":{{"root_module":{{"child_modules":[{{"resources":[{}],"address":"module.a"}},{{"address":"module.b","resources":[{}]}}]}}}}}},"configuration":{{"root_module":{{"module_calls":{{"a":{call},"b":{call}}}}}}}}}"#,
        vpc("10.1.0.0/16"),
        vpc("10.2.0.0/16")
    );
    serde_json::from_str::<Value>(&text).expect("test input is JSON");
    let p = parse_bytes(text.as_bytes(), "p", &opts()).unwrap();
    let a = p
        .resource("module.a.data.aws_vpc.default")
        .expect("made absolute");
    assert_eq!(
        a.attr("cidr_block").string(),
        Field::known("10.1.0.0/16".into())
    );
    assert_eq!(a.module_address, "module.a");
    assert!(p.resource("module.b.data.aws_vpc.default").is_some());
    assert_eq!(p.resource_count, 2);
}

#[test]
fn literal_for_each_is_recognised_from_instances() {
    // `for_each = toset([...])` has no references, so Terraform omits for_each_expression:
    // the keyed instances in the plan must still make the reference uncertain.
    let mut plan = sample();
    let subnet = &mut plan["configuration"]["root_module"]["module_calls"]["app"]["module"]
        ["module_calls"]["net"]["module"]["resources"][0];
    subnet.as_object_mut().unwrap().remove("count_expression");
    plan["configuration"]["root_module"]["module_calls"]["app"]
        .as_object_mut()
        .unwrap()
        .remove("for_each_expression");
    let p = parse(&plan);
    let t = p.follow(
        r#"module.app["blue"].module.net"#,
        None,
        &["aws_subnet.s.id".to_string()],
    );
    assert_eq!(t.len(), 2);
    assert!(t.iter().all(|t| !t.certain));
    let t = p.follow("", None, &["module.app.service_name".to_string()]);
    assert_eq!(t.len(), 2, "{t:?}");
    assert!(t.iter().all(|t| !t.certain));
}

/// A small deterministic fuzzer over the sample plan: truncations, byte flips, inserted
/// brackets and quotes, spliced slices. Every outcome is a plan or a one-line error; reading
/// a parsed plan's attributes and references must not panic. (The libFuzzer target in
/// `plugin/fuzz` does the same with coverage guidance.)
#[test]
fn mutated_plans_never_panic() {
    let base = sample().to_string().into_bytes();
    let mut seed: u64 = 0x1234_5678;
    let mut next = move |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n.max(1)
    };
    let small = LoadOptions {
        terraform_bin: Some("/nonexistent/terraform".into()),
        max_bytes: 1 << 20,
    };
    let (mut ok, mut refused) = (0, 0);
    for _ in 0..1500 {
        let mut b = base.clone();
        for _ in 0..1 + next(4) {
            let i = next(b.len());
            match next(6) {
                0 => b.truncate(i),
                1 => b[i] = next(256) as u8,
                2 => b.insert(i, b"[{\"}]:,"[next(7)]),
                3 => {
                    let j = (i + next(200)).min(b.len());
                    let piece = b[i..j].to_vec();
                    let k = next(b.len());
                    b.splice(k..k, piece);
                }
                4 => {
                    let j = (i + next(50)).min(b.len());
                    b.drain(i..j);
                }
                _ => b.insert(i, b'\\'),
            }
            if b.is_empty() {
                break;
            }
        }
        match parse_bytes(&b, "m.json", &small) {
            Ok(p) => {
                ok += 1;
                for r in &p.resources {
                    let root = r.values.root();
                    for k in root.keys().get().cloned().unwrap_or_default() {
                        let a = root.get(k);
                        let _ = (a.string(), a.int(), a.strings(), a.items(), a.decode_json());
                        let _ = p.resolve_references(r, k);
                    }
                }
            }
            Err(e) => {
                refused += 1;
                assert!(!e.message.contains('\n'), "{}", e.message);
            }
        }
    }
    assert!(ok > 0 && refused > 0, "ok {ok}, refused {refused}");
}

#[test]
fn resources_know_where_their_entry_is_in_the_json() {
    // One line, as `terraform show -json` writes it: line 1, the column of the address.
    let one_line = sample().to_string();
    let p = parse_bytes(one_line.as_bytes(), "plan.json", &opts()).unwrap();
    let r = p.resource("aws_ecs_cluster.main").unwrap();
    let (line, col) = r.position.unwrap();
    assert_eq!(line, 1);
    let at = col as usize - 1;
    assert!(
        one_line[at..].starts_with("\"aws_ecs_cluster.main\""),
        "{}",
        &one_line[at..at + 30]
    );
    // Pretty-printed: each resource on its own line, the line of its `address` member.
    let pretty = serde_json::to_string_pretty(&sample()).unwrap();
    let p = parse_bytes(pretty.as_bytes(), "plan.json", &opts()).unwrap();
    for r in &p.resources {
        let (line, col) = r.position.unwrap();
        let text = pretty.lines().nth(line as usize - 1).unwrap();
        let quoted = serde_json::to_string(&r.address).unwrap();
        assert_eq!(
            &text[col as usize - 1..col as usize - 1 + quoted.len()],
            quoted,
            "{}",
            r.address
        );
        assert!(text.trim_start().starts_with("\"address\""), "{text}");
    }
    // parse_bytes is not a file the user has.
    assert!(!p.json_file);
}

/// A plan file large enough to be mapped gives the same resources, with the same values
/// and positions, as the same bytes read into memory: the mapping's pages are given back
/// after the first pass (`input::mapped::release`) and read again from the file.
#[cfg(target_os = "linux")]
#[test]
fn a_mapped_plan_reads_as_the_same_bytes_in_memory() {
    let mut plan = sample();
    // Padding in a resource ecsnet does not keep, so the file is over the mapping threshold.
    let pad = "x".repeat(input::mapped::MIN_LEN as usize);
    plan["resource_changes"]
        .as_array_mut()
        .unwrap()
        .push(change(
            "aws_s3_object.pad",
            "",
            "aws_s3_object",
            "pad",
            Value::Null,
            &["create"],
            json!({ "content": pad }),
            json!({}),
            json!({}),
        ));
    let text = serde_json::to_string_pretty(&plan).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    std::fs::write(&path, &text).unwrap();
    let mapped = load(path.to_str().unwrap(), &opts()).unwrap();
    let read = parse_bytes(text.as_bytes(), "plan.json", &opts()).unwrap();
    let seen = |p: &Plan| -> Vec<String> {
        p.resources
            .iter()
            .map(|r| format!("{} {:?} {:?}", r.address, r.position, r.values.root().raw()))
            .collect()
    };
    assert!(!mapped.resources.is_empty());
    assert_eq!(seen(&mapped), seen(&read));
    assert_eq!(mapped.resource_count, read.resource_count);
}

#[test]
fn module_calls_read_in_place_agree_with_module_path() {
    // Every text of up to six pieces from these: module chains, keys with quotes, escapes,
    // dots and brackets inside them, unclosed keys, names that are not `module`.
    const PIECES: [&str; 8] = ["module", ".", "a", "[", "]", "\"", "\\", "[\"x.]\"]"];
    let mut texts = vec![String::new()];
    let mut checked = 0;
    for _ in 0..6 {
        let mut longer = Vec::with_capacity(texts.len() * PIECES.len());
        for t in &texts {
            for p in PIECES {
                longer.push(format!("{t}{p}"));
            }
        }
        for t in &longer {
            let expected = address::module_path(t);
            let read: Option<Vec<(&str, Option<&str>)>> = ModuleCalls::new(t).collect();
            let read_owned = read.map(|calls| {
                let owned = |(c, k): (&str, Option<&str>)| (c.to_string(), k.map(str::to_string));
                calls.into_iter().map(owned).collect::<Vec<_>>()
            });
            assert_eq!(read_owned, expected, "{t}");
            // The last call, with the module instance holding it.
            let last = expected.as_ref().map(|path| {
                path.last()
                    .map(|(c, k)| (c.as_str(), k.as_deref(), references::parent_prefix(t)))
            });
            let read_last =
                last_module_call(t).map(|l| l.map(|(c, k, parent)| (c, k, parent.to_string())));
            assert_eq!(read_last, last, "{t}");
            checked += 1;
        }
        texts = longer;
    }
    assert_eq!(checked, (1..=6).map(|n| 8usize.pow(n)).sum::<usize>());
    // And the usual shapes.
    fn calls(t: &str) -> Option<Vec<&str>> {
        ModuleCalls::new(t)
            .map(|c| c.map(|(call, _)| call))
            .collect()
    }
    assert_eq!(
        calls(r#"module.a["x.y]"].module.b[0].module.c"#),
        Some(vec!["a", "b", "c"])
    );
    assert_eq!(calls(""), Some(vec![]));
    assert_eq!(calls("module.a.aws_vpc.main"), None);
    assert_eq!(calls(r#"module.a["x"#), None);
    assert_eq!(
        last_module_call(r#"module.a["x.y]"].module.b[0]"#),
        Some(Some(("b", Some("0"), r#"module.a["x.y]"]"#)))
    );
    assert_eq!(last_module_call(""), Some(None));
}
