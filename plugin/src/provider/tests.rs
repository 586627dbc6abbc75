//! The functions through `CallFunction` as Terraform sends it (msgpack arguments of the
//! declared types), without gRPC. tests/terraform_provider.rs runs them in real Terraform.

use tfplugin6::codec::{msgpack, object, Type, Value};
use tfplugin6::pb;

use super::EcsnetProvider;

fn provider() -> EcsnetProvider {
    EcsnetProvider::new()
}

/// Calls `name` with `args` encoded as its parameter types; the decoded result or the error.
fn call(p: &EcsnetProvider, name: &str, args: &[Value]) -> Result<Value, pb::FunctionError> {
    let f = p.functions().iter().find(|f| f.name == name).unwrap();
    let arguments = args
        .iter()
        .zip(&f.params)
        .map(|(v, param)| pb::DynamicValue {
            msgpack: msgpack::encode(v, &param.ty).unwrap(),
            json: Vec::new(),
        })
        .collect();
    let resp = p.call(&pb::call_function::Request {
        name: name.into(),
        arguments,
    });
    match (resp.result, resp.error) {
        (Some(dv), None) => Ok(msgpack::decode(&dv.msgpack, &f.ret).unwrap()),
        (None, Some(e)) => Err(e),
        other => panic!("neither a result nor an error: {other:?}"),
    }
}

fn s(v: &str) -> Value {
    Value::string(v)
}

fn strings(items: &[&str]) -> Value {
    Value::List(items.iter().map(|i| s(i)).collect())
}

/// A task definition as `terraform` would send a literal object (a dynamic value).
fn td(pairs: Vec<(&str, Value)>) -> Value {
    let v = object(pairs);
    let ty = tfplugin6::codec::json::infer_type(&v);
    Value::Dynamic(ty, Box::new(v))
}

fn rules_of(v: &Value) -> Vec<String> {
    v.as_list()
        .unwrap()
        .iter()
        .map(|f| f.get("rule").as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_function_is_declared_with_descriptions_and_types() {
    let p = provider();
    let decl = p.declarations();
    let mut names: Vec<&str> = decl.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "awsvpc_task_slots",
            "cluster_awsvpc_capacity",
            "instance_type",
            "subnet_usable_ipv4",
            "task_definition_findings"
        ]
    );
    for (name, f) in &decl {
        let example = f.description.split_once("Example: ").map(|(_, e)| e);
        assert!(
            example.is_some_and(|e| e.contains(&format!("provider::ecsnet::{name}("))),
            "{name}"
        );
        assert!(!f.summary.is_empty(), "{name}");
        for param in &f.parameters {
            assert!(!param.description.is_empty(), "{name}.{}", param.name);
            let ty: serde_json::Value = serde_json::from_slice(&param.r#type).unwrap();
            Type::from_json(&ty).unwrap();
        }
        let ret: serde_json::Value =
            serde_json::from_slice(&f.r#return.as_ref().unwrap().r#type).unwrap();
        Type::from_json(&ret).unwrap();
    }
    assert_eq!(
        decl["task_definition_findings"].parameters[0].r#type,
        b"\"dynamic\""
    );
    assert!(decl["task_definition_findings"].parameters[0].allow_unknown_values);
    assert!(!decl["instance_type"].parameters[0].allow_unknown_values);
    let schema = p.schema();
    assert_eq!(schema.functions.len(), 5);
    assert!(schema.resource_schemas.is_empty());
}

#[test]
fn instance_type_gives_the_facts_of_ecsnet_instance_type() {
    let p = provider();
    let v = call(&p, "instance_type", &[s(" C5.Large ")]).unwrap();
    assert_eq!(v.get("instance_type"), &s("c5.large"));
    assert_eq!(v.get("max_enis").as_i64(), Some(3));
    assert_eq!(v.get("awsvpc_tasks_without_trunking").as_i64(), Some(2));
    assert_eq!(v.get("awsvpc_tasks_with_trunking").as_i64(), Some(10));
    assert_eq!(v.get("trunking"), &s("supported"));
    assert_eq!(v.get("trunking_reason"), &Value::Null);
    assert_eq!(
        v.get("awsvpc_tasks_without_trunking_arithmetic"),
        &s("3 ENIs − 1 primary")
    );
    let editions = v.get("data_editions").as_list().unwrap();
    assert_eq!(editions.len(), crate::instances::editions().len());
    assert!(editions
        .iter()
        .any(|e| e.get("table") == &s("ECS ENI trunking") && e.get("date") == &s("2023-04-18")));
    // A burstable type: trunking not supported, with the reason.
    let t3 = call(&p, "instance_type", &[s("t3.medium")]).unwrap();
    assert_eq!(t3.get("trunking"), &s("unsupported"));
    assert_eq!(t3.get("awsvpc_tasks_with_trunking"), &Value::Null);
    assert!(t3.get("trunking_reason").as_str().is_some());
    // ECS's own per-type limit caps the untrunked count.
    let p5 = call(&p, "instance_type", &[s("p5.48xlarge")]).unwrap();
    assert_eq!(p5.get("awsvpc_tasks_without_trunking").as_i64(), Some(1));
}

#[test]
fn unknown_instance_types_are_errors_on_their_argument_without_echoing_it() {
    let p = provider();
    let e = call(&p, "instance_type", &[s("c5.larg")]).unwrap_err();
    assert_eq!(e.function_argument, Some(0));
    assert!(e.text.contains("did you mean c5.large"), "{}", e.text);
    assert!(!e.text.contains("c5.larg "), "{}", e.text);
    let e = call(
        &p,
        "awsvpc_task_slots",
        &[s("secret-zzz-value"), Value::Bool(true)],
    )
    .unwrap_err();
    assert_eq!(e.function_argument, Some(0));
    assert!(!e.text.contains("secret-zzz-value"), "{}", e.text);
    assert!(
        e.text.starts_with("instance_type is not among the"),
        "{}",
        e.text
    );
}

#[test]
fn awsvpc_task_slots_with_and_without_trunking() {
    let p = provider();
    let slots = |t: &str, on: bool| {
        call(&p, "awsvpc_task_slots", &[s(t), Value::Bool(on)])
            .unwrap()
            .as_i64()
    };
    assert_eq!(slots("c5.large", false), Some(2));
    assert_eq!(slots("c5.large", true), Some(10));
    // Trunking does not apply to burstable types: the untrunked count either way.
    assert_eq!(slots("t3.medium", true), slots("t3.medium", false));
}

#[test]
fn subnet_usable_ipv4_reserves_five() {
    let p = provider();
    let usable = |c: &str| call(&p, "subnet_usable_ipv4", &[s(c)]);
    assert_eq!(usable("10.0.1.0/24").unwrap().as_i64(), Some(251));
    assert_eq!(usable("10.0.0.0/28").unwrap().as_i64(), Some(11));
    assert_eq!(usable("10.0.0.0/16").unwrap().as_i64(), Some(65531));
    for bad in ["10.0.1.0", "10.0.1.0/33", "subnet-0abc", ""] {
        let e = usable(bad).unwrap_err();
        assert_eq!(e.function_argument, Some(0), "{bad}");
        assert!(
            e.text.starts_with("cidr must be an IPv4 CIDR"),
            "{}",
            e.text
        );
    }
}

#[test]
fn cluster_capacity_counts_the_smallest_type_and_daemons() {
    let p = provider();
    let cap = |types: &[&str], max: i64, on: bool, daemons: i64| {
        call(
            &p,
            "cluster_awsvpc_capacity",
            &[
                strings(types),
                Value::int(max),
                Value::Bool(on),
                Value::int(daemons),
            ],
        )
    };
    let v = cap(&["c5.large"], 3, false, 0).unwrap();
    assert_eq!(v.get("instances").as_i64(), Some(3));
    assert_eq!(v.get("slots_per_instance").as_i64(), Some(2));
    assert_eq!(v.get("slots").as_i64(), Some(6));
    assert_eq!(v.get("slots_with_trunking").as_i64(), Some(30));
    assert_eq!(v.get("exact"), &Value::Bool(true));
    let text = v.get("arithmetic").as_str().unwrap();
    assert!(
        text.starts_with("6 awsvpc task slots: 3 × c5.large (max_size = 3) at 2 awsvpc slots each [3 ENIs − 1 primary]"),
        "{text}"
    );
    // A mixed group counts as its smallest type; a daemon takes one slot per instance.
    let v = cap(&["m5.xlarge", "c5.large"], 4, true, 1).unwrap();
    assert_eq!(v.get("smallest_instance_type"), &s("c5.large"));
    assert_eq!(v.get("slots_per_instance").as_i64(), Some(9));
    assert_eq!(v.get("slots").as_i64(), Some(36));
    assert_eq!(v.get("slots_without_trunking").as_i64(), Some(4));
    let text = v.get("arithmetic").as_str().unwrap();
    assert!(text.contains("− 1 awsvpc daemon(s)"), "{text}");

    let e = cap(&[], 3, false, 0).unwrap_err();
    assert_eq!(e.function_argument, Some(0));
    let e = cap(&["c5.large", "nope.huge"], 3, false, 0).unwrap_err();
    assert_eq!(e.function_argument, Some(0));
    assert!(
        e.text.starts_with("instance_types[1] is not among"),
        "{}",
        e.text
    );
    let e = cap(&["c5.large"], -1, false, 0).unwrap_err();
    assert_eq!(e.function_argument, Some(1));
    let e = call(
        &p,
        "cluster_awsvpc_capacity",
        &[
            strings(&["c5.large"]),
            Value::Number(tfplugin6::codec::Number::Float(2.5)),
            Value::Bool(false),
            Value::int(0),
        ],
    )
    .unwrap_err();
    assert_eq!(e.function_argument, Some(1));
    assert_eq!(
        cap(&["c5.large"], 1, false, -2)
            .unwrap_err()
            .function_argument,
        Some(3)
    );
}

const HOST_PORT_8080: &str =
    r#"[{"name":"web","image":"nginx","portMappings":[{"containerPort":80,"hostPort":8080}]}]"#;

#[test]
fn task_definition_findings_run_the_task_definition_rules() {
    let p = provider();
    let v = call(
        &p,
        "task_definition_findings",
        &[td(vec![
            ("network_mode", s("awsvpc")),
            ("requires_compatibilities", strings(&["FARGATE"])),
            ("container_definitions", s(HOST_PORT_8080)),
            // Attributes ecsnet does not read are ignored, even when unknown.
            ("arn", Value::UNKNOWN),
            ("tags", object([("team", s("web"))])),
        ])],
    )
    .unwrap();
    assert_eq!(rules_of(&v), ["NET010"]);
    let f = &v.as_list().unwrap()[0];
    assert_eq!(f.get("severity"), &s("error"));
    assert_eq!(f.get("name"), &s("awsvpc-host-port"));
    assert_eq!(
        f.get("attribute"),
        &s("container_definitions[0].portMappings[0].hostPort")
    );
    assert!(f.get("help").as_str().unwrap().contains("80"));

    // A clean task definition has no findings.
    let clean = call(
        &p,
        "task_definition_findings",
        &[td(vec![
            ("network_mode", s("awsvpc")),
            ("requires_compatibilities", strings(&["FARGATE"])),
            (
                "container_definitions",
                s(r#"[{"name":"web","image":"nginx","portMappings":[{"containerPort":80}]}]"#),
            ),
            ("cpu", Value::int(256)),
            ("memory", s("512")),
        ])],
    )
    .unwrap();
    assert_eq!(rules_of(&clean), Vec::<String>::new());
}

#[test]
fn omitted_attributes_take_the_aws_defaults() {
    let p = provider();
    // No network_mode on Fargate: ECS's default (bridge) is not allowed there (NET003).
    let v = call(
        &p,
        "task_definition_findings",
        &[td(vec![(
            "requires_compatibilities",
            strings(&["FARGATE"]),
        )])],
    )
    .unwrap();
    assert!(rules_of(&v).contains(&"NET003".to_string()), "{v:?}");
    // The same with the containers given as a list and runtime_platform as an object.
    let containers =
        tfplugin6::codec::json::untyped(&serde_json::from_str(HOST_PORT_8080).unwrap());
    let v = call(
        &p,
        "task_definition_findings",
        &[td(vec![
            ("network_mode", s("awsvpc")),
            ("container_definitions", containers),
            (
                "runtime_platform",
                object([("operating_system_family", s("LINUX"))]),
            ),
        ])],
    )
    .unwrap();
    assert_eq!(rules_of(&v), ["NET010"]);
    // An empty object: bridge on EC2, nothing to report.
    let v = call(&p, "task_definition_findings", &[td(vec![])]).unwrap();
    assert_eq!(rules_of(&v), Vec::<String>::new());
}

#[test]
fn unknown_task_definition_attributes_give_an_unknown_result() {
    let p = provider();
    let v = call(
        &p,
        "task_definition_findings",
        &[td(vec![
            ("network_mode", Value::UNKNOWN),
            ("container_definitions", s(HOST_PORT_8080)),
        ])],
    )
    .unwrap();
    assert!(v.is_unknown());
    let v = call(&p, "task_definition_findings", &[Value::UNKNOWN]).unwrap();
    assert!(v.is_unknown());
    // Parameters that do not allow unknowns answer unknown whatever another host sends.
    let v = call(&p, "subnet_usable_ipv4", &[Value::UNKNOWN]).unwrap();
    assert!(v.is_unknown());
}

#[test]
fn bad_task_definitions_are_errors_on_the_argument() {
    let p = provider();
    let err = |v: Value| call(&p, "task_definition_findings", &[v]).unwrap_err();
    let e = err(Value::Dynamic(Type::String, Box::new(s("awsvpc"))));
    assert_eq!(e.function_argument, Some(0));
    assert!(
        e.text.starts_with("task_definition must be an object"),
        "{}",
        e.text
    );
    let e = err(td(vec![("network_mode", Value::Bool(true))]));
    assert_eq!(e.text, "task_definition.network_mode must be a string");
    let e = err(td(vec![("requires_compatibilities", s("FARGATE"))]));
    assert!(e
        .text
        .starts_with("task_definition.requires_compatibilities must be a list"));
    let e = err(td(vec![("container_definitions", Value::int(3))]));
    assert!(e
        .text
        .starts_with("task_definition.container_definitions must be"));
    // Invalid JSON is a finding of the rules (as in `ecsnet check`), never quoted.
    let v = call(
        &p,
        "task_definition_findings",
        &[td(vec![(
            "container_definitions",
            s("[{\"name\": CANARY-SECRET"),
        )])],
    )
    .unwrap();
    assert!(!rules_of(&v).is_empty());
    assert!(!format!("{v:?}").contains("CANARY-SECRET"));
}

#[test]
fn calls_that_do_not_match_a_function_are_errors_of_the_call() {
    let p = provider();
    let resp = p.call(&pb::call_function::Request {
        name: "nope".into(),
        arguments: vec![],
    });
    let e = resp.error.unwrap();
    assert_eq!(e.function_argument, None);
    assert!(e.text.contains("instance_type"), "{}", e.text);
    let resp = p.call(&pb::call_function::Request {
        name: "subnet_usable_ipv4".into(),
        arguments: vec![],
    });
    assert!(resp
        .error
        .unwrap()
        .text
        .contains("takes 1 argument(s), not 0"));
    // A value that is not msgpack of the declared type names its argument.
    let resp = p.call(&pb::call_function::Request {
        name: "subnet_usable_ipv4".into(),
        arguments: vec![pb::DynamicValue {
            msgpack: vec![0xc3],
            json: vec![],
        }],
    });
    assert_eq!(resp.error.unwrap().function_argument, Some(0));
}

#[tokio::test]
async fn the_service_answers_the_discovery_calls() {
    use tfplugin6::pb::provider_server::Provider;
    use tonic::Request;

    let p = provider();
    let meta = p
        .get_metadata(Request::new(pb::get_metadata::Request {}))
        .await
        .unwrap()
        .into_inner();
    let mut names: Vec<String> = meta.functions.into_iter().map(|f| f.name).collect();
    names.sort_unstable();
    let mut declared: Vec<String> = p.declarations().into_keys().collect();
    declared.sort_unstable();
    assert_eq!(names, declared);
    assert!(meta.resources.is_empty() && meta.data_sources.is_empty());

    let functions = p
        .get_functions(Request::new(pb::get_functions::Request {}))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(functions.functions, p.declarations());
    let schema = p
        .get_provider_schema(Request::new(pb::get_provider_schema::Request {}))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(schema.functions, p.declarations());
    assert!(schema.provider.unwrap().block.is_some());
    assert!(
        schema
            .server_capabilities
            .unwrap()
            .get_provider_schema_optional
    );

    let validated = p
        .validate_provider_config(Request::new(pb::validate_provider_config::Request {
            config: None,
        }))
        .await
        .unwrap()
        .into_inner();
    assert!(validated.diagnostics.is_empty());
    p.stop_provider(Request::new(pb::stop_provider::Request {}))
        .await
        .unwrap();
    // Still serving after StopProvider.
    let r = p
        .call_function(Request::new(pb::call_function::Request {
            name: "subnet_usable_ipv4".into(),
            arguments: vec![pb::DynamicValue {
                msgpack: msgpack::encode(&s("10.0.0.0/28"), &Type::String).unwrap(),
                json: Vec::new(),
            }],
        }))
        .await
        .unwrap()
        .into_inner();
    let n = msgpack::decode(&r.result.unwrap().msgpack, &Type::Number).unwrap();
    assert_eq!(n.as_i64(), Some(11));
}
