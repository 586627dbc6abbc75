//! Pins the stand-in's planning to what the real provider does (the workspace's shared
//! terraform-aws/README.md, "How the real provider plans a new resource"), for 5.100.0 and
//! 6.47.0: requests are built as Terraform sends them (msgpack `DynamicValue`s) and answered
//! in process, without Terraform.

use aws_standin::codec::{msgpack, object, Value};
use aws_standin::pb;
use aws_standin::provider::AwsStandin;
use aws_standin::version::AwsVersion;
use aws_standin::world::World;

fn s(v: &str) -> Value {
    Value::string(v)
}

fn list(items: Vec<Value>) -> Value {
    Value::List(items)
}

/// A provider of `version`, configured for eu-west-1 with the given default tags.
fn provider(version: AwsVersion, default_tags: Option<Value>) -> AwsStandin {
    let p = AwsStandin::new(version, &|_| None)
        .unwrap()
        .with_world(World::default());
    let mut cfg = vec![("region", s("eu-west-1"))];
    if let Some(tags) = default_tags {
        cfg.push(("default_tags", list(vec![object([("tags", tags)])])));
    }
    p.configure(&object(cfg));
    p
}

fn dv(p: &AwsStandin, type_name: &str, v: &Value) -> Option<pb::DynamicValue> {
    let ty = &p.schema.resources[type_name].ty;
    Some(pb::DynamicValue {
        msgpack: msgpack::encode(v, ty).unwrap(),
        json: Vec::new(),
    })
}

struct Plan {
    state: Value,
    requires_replace: Vec<String>,
    private: Vec<u8>,
}

/// Plans `config` (create when `prior` is null; Terraform's proposed new state is the
/// configuration on create, and the given `proposed` otherwise).
fn plan_with(
    p: &AwsStandin,
    type_name: &str,
    prior: &Value,
    proposed: &Value,
    config: &Value,
) -> Plan {
    let req = pb::plan_resource_change::Request {
        type_name: type_name.into(),
        prior_state: dv(p, type_name, prior),
        proposed_new_state: dv(p, type_name, proposed),
        config: dv(p, type_name, config),
        ..Default::default()
    };
    let resp = p.plan(&req);
    assert!(
        resp.diagnostics.is_empty(),
        "{type_name}: {:?}",
        resp.diagnostics
    );
    assert!(
        resp.legacy_type_system,
        "SDKv2 providers set legacy_type_system"
    );
    let bytes = resp.planned_state.unwrap().msgpack;
    let state = msgpack::decode(&bytes, &p.schema.resources[type_name].ty).unwrap();
    let requires_replace = resp
        .requires_replace
        .iter()
        .map(|path| match &path.steps[0].selector {
            Some(pb::attribute_path::step::Selector::AttributeName(n)) => n.clone(),
            other => panic!("unexpected step {other:?}"),
        })
        .collect();
    Plan {
        state,
        requires_replace,
        private: resp.planned_private,
    }
}

fn create(p: &AwsStandin, type_name: &str, config: &Value) -> Value {
    plan_with(p, type_name, &Value::Null, config, config).state
}

fn apply(p: &AwsStandin, type_name: &str, planned: &Value, private: Vec<u8>) -> Value {
    apply_update(p, type_name, &Value::Null, planned, private)
}

fn apply_update(
    p: &AwsStandin,
    type_name: &str,
    prior: &Value,
    planned: &Value,
    private: Vec<u8>,
) -> Value {
    let req = pb::apply_resource_change::Request {
        type_name: type_name.into(),
        prior_state: dv(p, type_name, prior),
        planned_state: dv(p, type_name, planned),
        planned_private: private,
        ..Default::default()
    };
    let resp = p.apply(&req);
    assert!(
        resp.diagnostics.is_empty(),
        "{type_name}: {:?}",
        resp.diagnostics
    );
    msgpack::decode(
        &resp.new_state.unwrap().msgpack,
        &p.schema.resources[type_name].ty,
    )
    .unwrap()
}

/// `v` with attribute `k` set to `x`.
fn with(v: &Value, k: &str, x: Value) -> Value {
    let mut m = v.as_map().cloned().unwrap_or_default();
    m.insert(k.to_owned(), x);
    Value::Map(m)
}

fn versions() -> [AwsVersion; 2] {
    [AwsVersion::V5_100_0, AwsVersion::V6_47_0]
}

fn service_config() -> Value {
    object([
        ("name", s("web")),
        ("desired_count", Value::int(2)),
        ("task_definition", Value::UNKNOWN),
        (
            "network_configuration",
            list(vec![object([
                ("subnets", list(vec![s("subnet-0aaa"), Value::UNKNOWN])),
                ("security_groups", list(vec![Value::UNKNOWN])),
            ])]),
        ),
        (
            "load_balancer",
            list(vec![object([
                ("target_group_arn", Value::UNKNOWN),
                ("container_name", s("web")),
                ("container_port", Value::int(80)),
            ])]),
        ),
    ])
}

#[test]
fn omitted_optional_computed_values_are_unknown() {
    for v in versions() {
        let p = provider(v, None);
        let svc = create(&p, "aws_ecs_service", &service_config());
        for attr in [
            "launch_type",
            "iam_role",
            "platform_version",
            "cluster",
            "id",
            "triggers",
        ] {
            assert!(
                svc.get(attr).is_unknown(),
                "{v}: aws_ecs_service.{attr} = {:?}",
                svc.get(attr)
            );
        }
        let td = create(
            &p,
            "aws_ecs_task_definition",
            &object([("family", s("web")), ("container_definitions", s("[]"))]),
        );
        for attr in [
            "network_mode",
            "revision",
            "arn",
            "arn_without_revision",
            "id",
        ] {
            assert!(
                td.get(attr).is_unknown(),
                "{v}: aws_ecs_task_definition.{attr}"
            );
        }
        assert_eq!(
            td.get("container_definitions"),
            &s("[]"),
            "{v}: kept as given"
        );
        let subnet = create(
            &p,
            "aws_subnet",
            &object([("vpc_id", Value::UNKNOWN), ("cidr_block", s("10.0.1.0/24"))]),
        );
        assert!(
            subnet.get("availability_zone").is_unknown(),
            "{v}: subnet availability_zone"
        );
        // Optional+Computed in 6.x only (5.x: Optional, so null).
        assert_eq!(
            subnet.get("ipv6_cidr_block").is_unknown(),
            v.major() >= 6,
            "{v}: subnet ipv6_cidr_block"
        );
    }
}

#[test]
fn deployment_configuration_is_unknown_from_6_4_only() {
    let p6 = provider(AwsVersion::V6_47_0, None);
    let svc = create(&p6, "aws_ecs_service", &service_config());
    assert!(
        svc.get("deployment_configuration").is_unknown(),
        "6.47.0: {:?}",
        svc.get("deployment_configuration")
    );
    assert_eq!(
        svc.get("availability_zone_rebalancing"),
        &Value::UNKNOWN,
        "6.x: Optional+Computed"
    );

    let p5 = provider(AwsVersion::V5_100_0, None);
    assert!(!p5.schema.resources["aws_ecs_service"]
        .block
        .block_types
        .contains_key("deployment_configuration"));
    let svc = create(&p5, "aws_ecs_service", &service_config());
    assert_eq!(
        svc.get("deployment_configuration"),
        &Value::Null,
        "5.100.0: no such block"
    );
    assert_eq!(
        svc.get("availability_zone_rebalancing"),
        &s("DISABLED"),
        "5.x: Default DISABLED"
    );
    // A block the configuration omits that is not Optional+Computed stays empty.
    assert_eq!(svc.get("deployment_controller"), &list(vec![]));
    assert_eq!(svc.get("timeouts"), &Value::Null);
}

#[test]
fn schema_defaults_fill_omitted_attributes() {
    for v in versions() {
        let p = provider(v, None);
        let svc = create(&p, "aws_ecs_service", &service_config());
        assert_eq!(
            svc.get("deployment_maximum_percent"),
            &Value::int(200),
            "{v}"
        );
        assert_eq!(
            svc.get("deployment_minimum_healthy_percent"),
            &Value::int(100),
            "{v}"
        );
        assert_eq!(svc.get("scheduling_strategy"), &s("REPLICA"), "{v}");
        assert_eq!(
            svc.get("enable_execute_command"),
            &Value::Bool(false),
            "{v}"
        );
        assert_eq!(
            svc.get("force_new_deployment"),
            &Value::Null,
            "{v}: optional without default"
        );
        let net = &svc.get("network_configuration").as_list().unwrap()[0];
        assert_eq!(net.get("assign_public_ip"), &Value::Bool(false), "{v}");
        let lb = &svc.get("load_balancer").as_list().unwrap()[0];
        assert_eq!(
            lb.get("elb_name"),
            &s(""),
            "{v}: unset string in a set block is the SDK's \"\""
        );
        assert!(
            lb.get("target_group_arn").is_unknown(),
            "{v}: the set block itself stays known"
        );

        let tg = create(
            &p,
            "aws_lb_target_group",
            &object([
                ("name", s("web")),
                ("port", Value::int(80)),
                ("protocol", s("HTTP")),
                ("vpc_id", Value::UNKNOWN),
            ]),
        );
        assert_eq!(tg.get("target_type"), &s("instance"), "{v}");
        assert_eq!(tg.get("deregistration_delay"), &s("300"), "{v}");
        assert!(
            tg.get("health_check").is_unknown(),
            "{v}: omitted Optional+Computed block"
        );
        let tg = create(
            &p,
            "aws_lb_target_group",
            &object([
                ("name", s("web")),
                ("health_check", list(vec![object([("path", s("/health"))])])),
            ]),
        );
        let hc = &tg.get("health_check").as_list().unwrap()[0];
        assert_eq!(hc.get("port"), &s("traffic-port"), "{v}");
        assert_eq!(hc.get("protocol"), &s("HTTP"), "{v}");
        assert_eq!(hc.get("path"), &s("/health"), "{v}");
        assert!(
            hc.get("matcher").is_unknown(),
            "{v}: Optional+Computed inside a block"
        );
    }
}

#[test]
fn a_set_with_an_unknown_element_is_wholly_unknown() {
    for v in versions() {
        let p = provider(v, None);
        let svc = create(&p, "aws_ecs_service", &service_config());
        let net = &svc.get("network_configuration").as_list().unwrap()[0];
        assert_eq!(
            net.get("security_groups"),
            &Value::UNKNOWN,
            "{v}: [unknown] -> unknown"
        );
        assert_eq!(
            net.get("subnets"),
            &Value::UNKNOWN,
            "{v}: [known, unknown] -> unknown"
        );
        // A list keeps its known elements.
        let asg = create(
            &p,
            "aws_autoscaling_group",
            &object([
                ("max_size", Value::int(3)),
                ("min_size", Value::int(1)),
                (
                    "vpc_zone_identifier",
                    list(vec![s("subnet-0aaa"), s("subnet-0bbb")]),
                ),
            ]),
        );
        assert_eq!(
            asg.get("vpc_zone_identifier").as_list().map(<[Value]>::len),
            Some(2),
            "{v}"
        );
        assert!(asg.get("availability_zones").is_unknown(), "{v}");
        assert_eq!(
            asg.get("health_check_grace_period"),
            &Value::int(300),
            "{v}"
        );
    }
}

#[test]
fn an_optional_computed_collection_configured_empty_is_unknown() {
    for v in versions() {
        let p = provider(v, None);
        let lb = create(
            &p,
            "aws_lb",
            &object([("name", s("web")), ("security_groups", list(vec![]))]),
        );
        assert!(lb.get("security_groups").is_unknown(), "{v}");
        assert_eq!(lb.get("load_balancer_type"), &s("application"), "{v}");
    }
}

#[test]
fn tags_all_merges_default_tags() {
    for v in versions() {
        let p = provider(
            v,
            Some(object([("Env", s("test")), ("Name", s("default"))])),
        );
        let cluster = create(
            &p,
            "aws_ecs_cluster",
            &object([("name", s("c")), ("tags", object([("Name", s("c"))]))]),
        );
        assert_eq!(
            cluster.get("tags_all"),
            &object([("Env", s("test")), ("Name", s("c"))]),
            "{v}"
        );
        let cluster = create(
            &p,
            "aws_ecs_cluster",
            &object([
                ("name", s("c")),
                ("tags", object([("Name", Value::UNKNOWN)])),
            ]),
        );
        assert!(cluster.get("tags_all").is_unknown(), "{v}: unknown tags");
        assert!(
            cluster.get("setting").is_unknown(),
            "{v}: setting is Optional+Computed"
        );

        let p = provider(v, None);
        let cluster = create(
            &p,
            "aws_ecs_cluster",
            &object([("name", s("c")), ("tags", object([("A", s("b"))]))]),
        );
        assert_eq!(cluster.get("tags_all"), &object([("A", s("b"))]), "{v}");
        let cluster = create(&p, "aws_ecs_cluster", &object([("name", s("c"))]));
        assert!(
            cluster.get("tags_all").is_unknown(),
            "{v}: nothing to merge on create: unknown, as SDKv2 plans it"
        );

        let p = AwsStandin::new(v, &|_| None).unwrap();
        p.configure(&object([
            ("region", s("eu-west-1")),
            ("default_tags", Value::UNKNOWN),
        ]));
        let cluster = create(
            &p,
            "aws_ecs_cluster",
            &object([("name", s("c")), ("tags", object([("A", s("b"))]))]),
        );
        assert!(
            cluster.get("tags_all").is_unknown(),
            "{v}: unknown default tags"
        );
    }
}

#[test]
fn region_is_the_provider_region_on_6_only() {
    let p6 = provider(AwsVersion::V6_47_0, None);
    let c = create(&p6, "aws_ecs_cluster", &object([("name", s("c"))]));
    assert_eq!(c.get("region"), &s("eu-west-1"));
    let c = create(
        &p6,
        "aws_ecs_cluster",
        &object([("name", s("c")), ("region", s("us-west-2"))]),
    );
    assert_eq!(c.get("region"), &s("us-west-2"), "a configured region wins");
    let p5 = provider(AwsVersion::V5_100_0, None);
    assert!(!p5.schema.resources["aws_ecs_cluster"]
        .block
        .attributes
        .contains_key("region"));
    let c = create(&p5, "aws_ecs_cluster", &object([("name", s("c"))]));
    assert_eq!(c.get("region"), &Value::Null);
}

#[test]
fn refined_unknowns_in_the_configuration_come_back_unchanged() {
    let p = provider(AwsVersion::V6_47_0, None);
    let refined = Value::Unknown(Some(vec![0x81, 0x01, 0xc2]));
    let svc = create(
        &p,
        "aws_ecs_service",
        &object([("name", s("web")), ("task_definition", refined.clone())]),
    );
    assert_eq!(svc.get("task_definition"), &refined);
}

#[test]
fn update_keeps_prior_values_and_replaces_on_force_new_changes() {
    for v in versions() {
        let p = provider(v, None);
        let td_type = "aws_ecs_task_definition";
        let config = object([
            ("family", s("web")),
            ("network_mode", s("awsvpc")),
            (
                "container_definitions",
                s(r#"[{"name":"web","image":"nginx"}]"#),
            ),
            ("tags", object([("Team", s("a"))])),
        ]);
        let created = plan_with(&p, td_type, &Value::Null, &config, &config);
        let state = apply(&p, td_type, &created.state, created.private);
        assert_eq!(state.get("revision"), &Value::int(1), "{v}");
        let arn = state.get("arn").as_str().unwrap();
        assert_eq!(
            arn, "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:1",
            "{v}"
        );
        assert_eq!(state.get("network_mode"), &s("awsvpc"));

        // Unchanged configuration: Terraform proposes the prior state; the plan is the prior.
        let same = plan_with(&p, td_type, &state, &state, &config);
        assert_eq!(same.state, state, "{v}: no change");
        assert!(same.requires_replace.is_empty());

        // A tags-only change updates in place.
        let proposed = with(&state, "tags", object([("Team", s("b"))]));
        let cfg = with(&config, "tags", object([("Team", s("b"))]));
        let tags = plan_with(&p, td_type, &state, &proposed, &cfg);
        assert!(
            tags.requires_replace.is_empty(),
            "{v}: {:?}",
            tags.requires_replace
        );
        assert_eq!(tags.state.get("tags_all"), &object([("Team", s("b"))]));
        assert_eq!(tags.state.get("revision"), &Value::int(1));

        // A new image forces replacement: the new object is planned as on create.
        let new_defs = s(r#"[{"name":"web","image":"nginx:2"}]"#);
        let proposed = with(&proposed, "container_definitions", new_defs.clone());
        let cfg = with(&cfg, "container_definitions", new_defs);
        let replaced = plan_with(&p, td_type, &state, &proposed, &cfg);
        assert!(
            replaced
                .requires_replace
                .contains(&"container_definitions".to_owned()),
            "{v}"
        );
        assert!(replaced.state.get("revision").is_unknown(), "{v}");
        assert!(replaced.state.get("arn").is_unknown(), "{v}");
        let next = apply(&p, td_type, &replaced.state, replaced.private);
        assert_eq!(
            next.get("revision"),
            &Value::int(2),
            "{v}: the next revision"
        );
    }
}

#[test]
fn destroy_plans_and_applies_null() {
    let p = provider(AwsVersion::V6_47_0, None);
    let prior = apply(
        &p,
        "aws_ecs_cluster",
        &create(&p, "aws_ecs_cluster", &object([("name", s("c"))])),
        Vec::new(),
    );
    let gone = plan_with(&p, "aws_ecs_cluster", &prior, &Value::Null, &Value::Null);
    assert_eq!(gone.state, Value::Null);
    assert_eq!(
        apply(&p, "aws_ecs_cluster", &Value::Null, Vec::new()),
        Value::Null
    );
}

#[test]
fn apply_makes_real_looking_deterministic_ids() {
    for v in versions() {
        let p = provider(v, Some(object([("Env", s("t"))])));
        let done = |t: &str, cfg: Value| apply(&p, t, &create(&p, t, &cfg), Vec::new());
        let vpc = done("aws_vpc", object([("cidr_block", s("10.0.0.0/16"))]));
        let id = vpc.get("id").as_str().unwrap().to_owned();
        assert!(id.starts_with("vpc-0") && id.len() == 21, "{id}");
        assert_eq!(
            vpc.get("id"),
            done("aws_vpc", object([("cidr_block", s("10.0.0.0/16"))])).get("id"),
            "deterministic"
        );
        assert_ne!(
            vpc.get("id"),
            done("aws_vpc", object([("cidr_block", s("10.1.0.0/16"))])).get("id")
        );
        assert!(vpc.is_wholly_known());
        assert_eq!(vpc.get("tags_all"), &object([("Env", s("t"))]));

        let subnet = done(
            "aws_subnet",
            object([("vpc_id", s(&id)), ("cidr_block", s("10.0.1.0/24"))]),
        );
        let sid = subnet.get("id").as_str().unwrap();
        assert!(sid.starts_with("subnet-0") && sid.len() == 24, "{sid}");
        let az = subnet.get("availability_zone").as_str().unwrap();
        assert!(
            ["eu-west-1a", "eu-west-1b", "eu-west-1c"].contains(&az),
            "{az}"
        );
        assert_eq!(
            subnet.get("arn"),
            &s(&format!("arn:aws:ec2:eu-west-1:123456789012:subnet/{sid}"))
        );

        let cluster = done("aws_ecs_cluster", object([("name", s("prod"))]));
        let carn = "arn:aws:ecs:eu-west-1:123456789012:cluster/prod";
        assert_eq!(cluster.get("arn"), &s(carn));
        let svc = done(
            "aws_ecs_service",
            object([
                ("name", s("web")),
                ("cluster", s(carn)),
                ("task_definition", s("web:1")),
            ]),
        );
        assert_eq!(
            svc.get("id"),
            &s("arn:aws:ecs:eu-west-1:123456789012:service/prod/web")
        );
        assert_eq!(
            svc.get("launch_type"),
            &s(""),
            "omitted: the provider stores \"\""
        );
        assert_eq!(
            svc.get("iam_role"),
            &s("/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"),
            "omitted: the service-linked role as the provider stores it"
        );
        assert!(svc.is_wholly_known(), "{v}: {svc:?}");
        let bare = done(
            "aws_ecs_service",
            object([("name", s("w")), ("task_definition", s("w:1"))]),
        );
        assert_eq!(bare.get("cluster"), &s("default"), "{v}: omitted cluster");
        assert_eq!(
            bare.get("id"),
            &s("arn:aws:ecs:eu-west-1:123456789012:service/default/w")
        );

        let tg = done(
            "aws_lb_target_group",
            object([
                ("name", s("web")),
                ("port", Value::int(80)),
                ("protocol", s("HTTP")),
            ]),
        );
        let arn = tg.get("arn").as_str().unwrap();
        assert!(
            arn.starts_with("arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/"),
            "{arn}"
        );
        assert_eq!(arn.rsplit('/').next().unwrap().len(), 16);
        let hc = &tg.get("health_check").as_list().unwrap()[0];
        assert_eq!(hc.get("port"), &s("traffic-port"));

        let lb = done("aws_lb", object([("name", s("front"))]));
        let arn = lb.get("arn").as_str().unwrap();
        assert!(arn.contains(":loadbalancer/app/front/"), "{arn}");
        let role = done(
            "aws_iam_role",
            object([("name_prefix", s("task-")), ("assume_role_policy", s("{}"))]),
        );
        let name = role.get("name").as_str().unwrap();
        assert!(
            name.starts_with("task-") && name.len() == "task-".len() + 26,
            "{name}"
        );
        assert_eq!(
            role.get("arn"),
            &s(&format!("arn:aws:iam::123456789012:role/{name}"))
        );
    }
}

#[test]
fn omitted_optional_computed_blocks_keep_what_apply_stored() {
    for v in versions() {
        let p = provider(v, None);
        let t = "aws_ecs_capacity_provider";
        let config = object([
            ("name", s("cp")),
            (
                "auto_scaling_group_provider",
                list(vec![object([(
                    "auto_scaling_group_arn",
                    s("arn:aws:autoscaling:asg"),
                )])]),
            ),
        ]);
        let planned = create(&p, t, &config);
        let asgp = &planned
            .get("auto_scaling_group_provider")
            .as_list()
            .unwrap()[0];
        assert!(
            asgp.get("managed_scaling").is_unknown(),
            "{v}: omitted nested Optional+Computed block"
        );
        let state = apply(&p, t, &planned, Vec::new());
        let stored = state.get("auto_scaling_group_provider").as_list().unwrap()[0]
            .get("managed_scaling")
            .clone();
        assert_eq!(
            stored.as_list().map(<[Value]>::len),
            Some(1),
            "{v}: apply fills it"
        );
        // Terraform proposes the configuration's empty block; the provider keeps its own.
        let proposed = with(
            &state,
            "auto_scaling_group_provider",
            list(vec![with(
                &state.get("auto_scaling_group_provider").as_list().unwrap()[0],
                "managed_scaling",
                list(vec![]),
            )]),
        );
        let again = plan_with(&p, t, &state, &proposed, &config);
        assert_eq!(again.state, state, "{v}: no change");
    }
}

#[test]
fn a_generated_ipv6_block_is_a_real_cidr() {
    let p = provider(AwsVersion::V6_47_0, None);
    let cfg = object([
        ("cidr_block", s("10.0.0.0/16")),
        ("assign_generated_ipv6_cidr_block", Value::Bool(true)),
    ]);
    let vpc = apply(&p, "aws_vpc", &create(&p, "aws_vpc", &cfg), Vec::new());
    let block = vpc.get("ipv6_cidr_block").as_str().unwrap();
    assert!(
        block.starts_with("2600:1f18:") && block.ends_with("00::/56"),
        "{block}"
    );
    let vpc = apply(
        &p,
        "aws_vpc",
        &create(&p, "aws_vpc", &object([("cidr_block", s("10.0.0.0/16"))])),
        Vec::new(),
    );
    assert_eq!(vpc.get("ipv6_cidr_block"), &s(""), "no IPv6 asked for");
}

#[test]
fn launch_template_changes_make_the_next_version() {
    for v in versions() {
        let p = provider(v, None);
        let t = "aws_launch_template";
        let config = object([
            ("name", s("ecs")),
            ("instance_type", s("c5.large")),
            ("update_default_version", Value::Bool(true)),
        ]);
        let state = apply(&p, t, &create(&p, t, &config), Vec::new());
        assert_eq!(state.get("latest_version"), &Value::int(1), "{v}");
        let cfg = with(&config, "instance_type", s("c5.xlarge"));
        let proposed = with(&state, "instance_type", s("c5.xlarge"));
        let planned = plan_with(&p, t, &state, &proposed, &cfg);
        assert!(planned.requires_replace.is_empty(), "{v}");
        assert!(planned.state.get("latest_version").is_unknown(), "{v}");
        assert!(
            planned.state.get("default_version").is_unknown(),
            "{v}: update_default_version"
        );
        let next = apply_update(&p, t, &state, &planned.state, planned.private);
        assert_eq!(next.get("latest_version"), &Value::int(2), "{v}");
        assert_eq!(next.get("default_version"), &Value::int(2), "{v}");
        assert_eq!(next.get("id"), state.get("id"), "{v}: same template");
    }
}

#[test]
fn a_configured_health_check_gets_aws_defaults_on_apply() {
    let p = provider(AwsVersion::V6_47_0, None);
    let t = "aws_lb_target_group";
    let cfg = object([
        ("name", s("web")),
        ("port", Value::int(80)),
        ("protocol", s("HTTP")),
        (
            "health_check",
            list(vec![object([("healthy_threshold", Value::int(2))])]),
        ),
    ]);
    let tg = apply(&p, t, &create(&p, t, &cfg), Vec::new());
    let hc = &tg.get("health_check").as_list().unwrap()[0];
    assert_eq!(hc.get("matcher"), &s("200"));
    assert_eq!(hc.get("path"), &s("/"));
    assert_eq!(hc.get("timeout"), &Value::int(5));
    assert_eq!(hc.get("port"), &s("traffic-port"), "the plan's default");
    assert_eq!(hc.get("healthy_threshold"), &Value::int(2));
}

/// The rendered user data of a real launch configuration plan in the workspace's shared
/// realplans (terraform-compliance, `module.myapp-asg.aws_launch_configuration.lc`), and the
/// value that plan shows for it: the provider's `userDataHashSum`, hex SHA-1.
const REAL_USER_DATA: &str =
    "#!/bin/bash\n\n#Me:\necho \"Hello World\"\n\n#World:\n\n#Me:\necho \"uh okay. good talk\"\n";
const REAL_USER_DATA_SHA1: &str = "fd9003b540fe982315656085e92ed87d0ec1950a";

#[test]
fn user_data_is_planned_as_its_sha1_like_the_provider_stores_it() {
    // base64encode(REAL_USER_DATA): the hash is taken of the decoded bytes.
    let encoded = "IyEvYmluL2Jhc2gKCiNNZToKZWNobyAiSGVsbG8gV29ybGQiCgojV29ybGQ6CgojTWU6CmVjaG8gInVoIG9rYXkuIGdvb2QgdGFsayIK";
    for v in versions() {
        let p = provider(v, None);
        let lc = |user_data: Value| {
            object([
                ("image_id", s("ami-0123")),
                ("instance_type", s("c5.large")),
                ("user_data", user_data),
            ])
        };
        let t = "aws_launch_configuration";
        let planned = create(&p, t, &lc(s(REAL_USER_DATA)));
        assert_eq!(planned.get("user_data"), &s(REAL_USER_DATA_SHA1), "{v}");
        let planned_b64 = create(&p, t, &lc(s(encoded)));
        assert_eq!(
            planned_b64.get("user_data"),
            &s(REAL_USER_DATA_SHA1),
            "{v}: decoded"
        );
        assert!(create(&p, t, &lc(Value::UNKNOWN))
            .get("user_data")
            .is_unknown());
        assert_eq!(
            create(&p, t, &lc(Value::Null)).get("user_data"),
            &Value::Null
        );
        // Stored hashed; the same configuration plans no change, another one a replacement.
        let state = apply(&p, t, &planned, Vec::new());
        assert_eq!(state.get("user_data"), &s(REAL_USER_DATA_SHA1));
        let proposed = with(&state, "user_data", s(REAL_USER_DATA));
        let same = plan_with(&p, t, &state, &proposed, &lc(s(REAL_USER_DATA)));
        assert_eq!(same.state, state, "{v}: no change");
        let other = with(&state, "user_data", s("#!/bin/sh\n"));
        let changed = plan_with(&p, t, &state, &other, &lc(s("#!/bin/sh\n")));
        assert_eq!(
            changed.requires_replace,
            vec!["user_data".to_owned()],
            "{v}"
        );

        let i = "aws_instance";
        let inst = |k: &str, user_data: Value| {
            object([
                ("ami", s("ami-0123")),
                ("instance_type", s("t3.micro")),
                (k, user_data),
            ])
        };
        let planned = create(&p, i, &inst("user_data", s(REAL_USER_DATA)));
        assert_eq!(planned.get("user_data"), &s(REAL_USER_DATA_SHA1), "{v}");
        // Omitted: Optional+Computed in 5.x (unknown), Optional in 6.x (null).
        let omitted = create(&p, i, &object([("ami", s("ami-0123"))]));
        assert_eq!(omitted.get("user_data").is_unknown(), v.major() == 5, "{v}");
        // user_data_base64 has no StateFunc.
        let planned = create(&p, i, &inst("user_data_base64", s(encoded)));
        assert_eq!(planned.get("user_data_base64"), &s(encoded), "{v}");

        // Launch templates keep the (base64) text.
        let lt = create(
            &p,
            "aws_launch_template",
            &object([("name", s("ecs")), ("user_data", s(encoded))]),
        );
        assert_eq!(lt.get("user_data"), &s(encoded), "{v}");
    }
}

#[test]
fn container_definitions_are_planned_as_the_provider_reencodes_them() {
    for v in versions() {
        let p = provider(v, None);
        let t = "aws_ecs_task_definition";
        let cfg = object([
            ("family", s("web")),
            (
                "container_definitions",
                s(
                    r#"[{"name":"web","image":"nginx","cpu":0,"portMappings":[{"containerPort":80,"hostPort":null}]}]"#,
                ),
            ),
        ]);
        let planned = create(&p, t, &cfg);
        assert_eq!(
            planned.get("container_definitions"),
            &s(r#"[{"image":"nginx","name":"web","portMappings":[{"containerPort":80}]}]"#),
            "{v}"
        );
        let state = apply(&p, t, &planned, Vec::new());
        let proposed = with(
            &state,
            "container_definitions",
            cfg.get("container_definitions").clone(),
        );
        let again = plan_with(&p, t, &state, &proposed, &cfg);
        assert!(
            again.requires_replace.is_empty(),
            "{v}: the same definitions"
        );
        assert_eq!(again.state, state, "{v}");
    }
}

#[test]
fn nested_blocks_read_back_zero_values_after_apply() {
    for v in versions() {
        let p = provider(v, None);
        let t = "aws_ecs_service";
        let strategy = |provider: Value| {
            list(vec![object([
                ("capacity_provider", provider),
                ("weight", Value::int(1)),
            ])])
        };
        let registry = list(vec![object([(
            "registry_arn",
            s("arn:aws:servicediscovery:eu-west-1:123456789012:service/srv-abc"),
        )])]);
        let cfg = object([
            ("name", s("web")),
            (
                "cluster",
                s("arn:aws:ecs:eu-west-1:123456789012:cluster/prod"),
            ),
            ("task_definition", s("web:1")),
            ("capacity_provider_strategy", strategy(s("FARGATE"))),
            ("service_registries", registry),
            (
                "load_balancer",
                list(vec![object([
                    ("target_group_arn", Value::UNKNOWN),
                    ("container_name", s("web")),
                    ("container_port", Value::int(80)),
                ])]),
            ),
        ]);
        // Planned: list elements leave unset attributes null; set elements give strings ""
        // and leave numbers null.
        let planned = create(&p, t, &cfg);
        let reg = &planned.get("service_registries").as_list().unwrap()[0];
        for k in ["container_name", "container_port", "port"] {
            assert_eq!(reg.get(k), &Value::Null, "{v}: planned {k}");
        }
        let cps = &planned.get("capacity_provider_strategy").as_list().unwrap()[0];
        assert_eq!(
            cps.get("base"),
            &Value::Null,
            "{v}: a number in a set element"
        );
        let lb = &planned.get("load_balancer").as_list().unwrap()[0];
        assert_eq!(lb.get("elb_name"), &s(""), "{v}");

        // Applied: the SDK reads every field of a nested element back as its zero value;
        // a set planned wholly known stays as planned (normalizeNullValues).
        let state = apply(&p, t, &planned, Vec::new());
        let reg = &state.get("service_registries").as_list().unwrap()[0];
        assert_eq!(reg.get("container_name"), &s(""), "{v}");
        assert_eq!(reg.get("container_port"), &Value::int(0), "{v}");
        assert_eq!(reg.get("port"), &Value::int(0), "{v}");
        let cps = &state.get("capacity_provider_strategy").as_list().unwrap()[0];
        assert_eq!(
            cps.get("base"),
            &Value::Null,
            "{v}: the planned set was known"
        );
        let lb = &state.get("load_balancer").as_list().unwrap()[0];
        assert_eq!(lb.get("elb_name"), &s(""), "{v}");

        let unknown_provider = with(&cfg, "capacity_provider_strategy", strategy(Value::UNKNOWN));
        let state2 = apply(&p, t, &create(&p, t, &unknown_provider), Vec::new());
        let cps = &state2.get("capacity_provider_strategy").as_list().unwrap()[0];
        assert_eq!(cps.get("base"), &Value::int(0), "{v}: read back from AWS");

        // The next plan with the same configuration: Terraform proposes the configuration's
        // nulls for the nested attributes; the stored zeros stay (no change).
        let tg = lb.get("target_group_arn").clone();
        let cfg = with(
            &cfg,
            "load_balancer",
            list(vec![object([
                ("target_group_arn", tg),
                ("container_name", s("web")),
                ("container_port", Value::int(80)),
            ])]),
        );
        let proposed = with(
            &with(
                &state,
                "service_registries",
                cfg.get("service_registries").clone(),
            ),
            "capacity_provider_strategy",
            cfg.get("capacity_provider_strategy").clone(),
        );
        let again = plan_with(&p, t, &state, &proposed, &cfg);
        assert_eq!(again.state, state, "{v}: no change");
        // A real change keeps the stored zeros of unchanged list elements.
        let scaled = plan_with(
            &p,
            t,
            &state,
            &with(&proposed, "desired_count", Value::int(3)),
            &with(&cfg, "desired_count", Value::int(3)),
        );
        let reg = &scaled.state.get("service_registries").as_list().unwrap()[0];
        assert_eq!(reg.get("port"), &Value::int(0), "{v}");
        assert_eq!(scaled.state.get("desired_count"), &Value::int(3));

        // Bools in set elements stay null in a plan (real plans: aws_launch_configuration
        // ebs_block_device.no_device).
        let lc = create(
            &p,
            "aws_launch_configuration",
            &object([
                ("image_id", s("ami-0123")),
                ("instance_type", s("c5.large")),
                (
                    "ebs_block_device",
                    list(vec![object([("device_name", s("/dev/xvdb"))])]),
                ),
            ]),
        );
        let ebs = &lc.get("ebs_block_device").as_list().unwrap()[0];
        assert_eq!(ebs.get("no_device"), &Value::Null, "{v}");
        assert_eq!(
            ebs.get("delete_on_termination"),
            &Value::Bool(true),
            "{v}: Default"
        );
    }
}

#[test]
fn task_definitions_of_one_family_get_revisions_in_plan_order() {
    let td = |addr: &str, image: &str| {
        serde_json::json!({
            "address": addr, "mode": "managed", "type": "aws_ecs_task_definition",
            "change": {"actions": ["create"],
                "after": {"family": "checkout", "container_definitions": image},
                "after_unknown": {"arn": true, "revision": true}}
        })
    };
    let plan = serde_json::json!({"resource_changes": [
        td("module.checkout[\"green\"].aws_ecs_task_definition.this", "green"),
        td("module.checkout[\"blue\"].aws_ecs_task_definition.this", "blue"),
    ]});
    let t = "aws_ecs_task_definition";
    for v in versions() {
        let p = provider(v, None).with_task_definitions(
            aws_standin::apply::revisions::PlannedTaskDefinitions::from_plan(&plan),
        );
        let cfg = |defs: &str| {
            object([
                ("family", s("checkout")),
                ("container_definitions", s(defs)),
            ])
        };
        // The stand-in re-encodes container definitions; these are not JSON and stay as given.
        let green = apply(&p, t, &create(&p, t, &cfg("green")), Vec::new());
        let blue = apply(&p, t, &create(&p, t, &cfg("blue")), Vec::new());
        assert_eq!(blue.get("revision"), &Value::int(1), "{v}");
        assert_eq!(green.get("revision"), &Value::int(2), "{v}");
        assert_eq!(
            green.get("arn"),
            &s("arn:aws:ecs:eu-west-1:123456789012:task-definition/checkout:2")
        );
        // Applying again (another run) gives the same numbers.
        let green_again = apply(&p, t, &create(&p, t, &cfg("green")), Vec::new());
        assert_eq!(green_again, green, "{v}: deterministic");
        // A family the plan does not list, or no plan: revision 1.
        let lone = apply(
            &p,
            t,
            &create(
                &p,
                t,
                &object([("family", s("other")), ("container_definitions", s("x"))]),
            ),
            Vec::new(),
        );
        assert_eq!(lone.get("revision"), &Value::int(1), "{v}");
        // Replacing green registers the family's next revision after it.
        let replaced = plan_with(
            &p,
            t,
            &green,
            &with(&green, "container_definitions", s("green2")),
            &cfg("green2"),
        );
        let next = apply(&p, t, &replaced.state, replaced.private);
        assert_eq!(next.get("revision"), &Value::int(3), "{v}");
    }
}

#[test]
fn types_for_scenario_writers_get_ids_in_their_real_formats() {
    for v in versions() {
        let p = provider(v, None);
        let done = |t: &str, cfg: Value| {
            let state = apply(&p, t, &create(&p, t, &cfg), Vec::new());
            assert!(state.is_wholly_known(), "{v} {t}: {state:?}");
            state
        };
        let starts = |t: &str, state: &Value, k: &str, prefix: &str| {
            let got = state.get(k).as_str().unwrap_or_default().to_owned();
            assert!(got.starts_with(prefix), "{v} {t}.{k} = {got}");
            got
        };
        let acct = "arn:aws:ecs:eu-west-1:123456789012";
        let ts = done(
            "aws_ecs_task_set",
            object([
                ("cluster", s("prod")),
                ("service", s(&format!("{acct}:service/prod/web"))),
                ("task_definition", s("web:2")),
            ]),
        );
        starts(
            "aws_ecs_task_set",
            &ts,
            "arn",
            &format!("{acct}:task-set/prod/web/ecs-svc/"),
        );
        let id = starts("aws_ecs_task_set", &ts, "id", "ecs-svc/");
        assert!(id.ends_with(",web,prod"), "{id}");
        assert_eq!(
            ts.get("scale").as_list().map(<[Value]>::len),
            Some(1),
            "{v}"
        );

        // aws_alb* are aws_lb*: the same defaults and ARN formats.
        let alb = create(&p, "aws_alb", &object([("name", s("front"))]));
        assert_eq!(alb.get("load_balancer_type"), &s("application"), "{v}");
        let alb = done("aws_alb", object([("name", s("front"))]));
        starts(
            "aws_alb",
            &alb,
            "arn",
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/front/",
        );
        let tg = done(
            "aws_alb_target_group",
            object([
                ("name", s("web")),
                ("port", Value::int(80)),
                ("protocol", s("HTTP")),
            ]),
        );
        starts(
            "aws_alb_target_group",
            &tg,
            "arn",
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/",
        );
        let listener = done(
            "aws_alb_listener",
            object([
                ("load_balancer_arn", alb.get("arn").clone()),
                ("port", Value::int(80)),
            ]),
        );
        starts(
            "aws_alb_listener",
            &listener,
            "arn",
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/front/",
        );

        let q = done(
            "aws_sqs_queue",
            object([("name", s("jobs.fifo")), ("fifo_queue", Value::Bool(true))]),
        );
        assert_eq!(
            q.get("url"),
            &s("https://sqs.eu-west-1.amazonaws.com/123456789012/jobs.fifo")
        );
        assert_eq!(
            q.get("arn"),
            &s("arn:aws:sqs:eu-west-1:123456789012:jobs.fifo")
        );
        assert_eq!(
            q.get("visibility_timeout_seconds"),
            &Value::int(30),
            "{v}: Default"
        );
        let fs = done(
            "aws_efs_file_system",
            object([("throughput_mode", s("bursting"))]),
        );
        let fs_id = starts("aws_efs_file_system", &fs, "id", "fs-0");
        assert_eq!(
            fs.get("dns_name"),
            &s(&format!("{fs_id}.efs.eu-west-1.amazonaws.com"))
        );
        starts(
            "aws_egress_only_internet_gateway",
            &done(
                "aws_egress_only_internet_gateway",
                object([("vpc_id", s("vpc-0a"))]),
            ),
            "id",
            "eigw-0",
        );
        starts(
            "aws_network_interface",
            &done(
                "aws_network_interface",
                object([("subnet_id", s("subnet-0a"))]),
            ),
            "id",
            "eni-0",
        );
        starts(
            "aws_vpc_ipv6_cidr_block_association",
            &done(
                "aws_vpc_ipv6_cidr_block_association",
                object([("vpc_id", s("vpc-0a"))]),
            ),
            "ipv6_cidr_block",
            "2600:1f18:",
        );
        let b = done("aws_s3_bucket", object([("bucket", s("artifacts"))]));
        assert_eq!(b.get("arn"), &s("arn:aws:s3:::artifacts"));
        assert_eq!(
            b.get("bucket_regional_domain_name"),
            &s("artifacts.s3.eu-west-1.amazonaws.com")
        );
        let zone = done("aws_route53_zone", object([("name", s("example.com"))]));
        let zone_id = starts("aws_route53_zone", &zone, "zone_id", "Z");
        let rec = done(
            "aws_route53_record",
            object([
                ("zone_id", s(&zone_id)),
                ("name", s("api.example.com")),
                ("type", s("A")),
            ]),
        );
        assert_eq!(rec.get("id"), &s(&format!("{zone_id}_api.example.com_A")));
        let cert = done(
            "aws_acm_certificate",
            object([
                ("domain_name", s("example.com")),
                ("validation_method", s("DNS")),
            ]),
        );
        starts(
            "aws_acm_certificate",
            &cert,
            "arn",
            "arn:aws:acm:eu-west-1:123456789012:certificate/",
        );
        assert_eq!(
            cert.get("domain_validation_options")
                .as_list()
                .map(<[Value]>::len),
            Some(1)
        );
        let alarm = done(
            "aws_cloudwatch_metric_alarm",
            object([("alarm_name", s("cpu-high"))]),
        );
        assert_eq!(
            alarm.get("arn"),
            &s("arn:aws:cloudwatch:eu-west-1:123456789012:alarm:cpu-high")
        );
        starts(
            "aws_placement_group",
            &done(
                "aws_placement_group",
                object([("name", s("pg")), ("strategy", s("spread"))]),
            ),
            "placement_group_id",
            "pg-0",
        );
        let policy = done(
            "aws_autoscaling_policy",
            object([("name", s("up")), ("autoscaling_group_name", s("ecs"))]),
        );
        assert_eq!(
            policy.get("policy_type"),
            &s("SimpleScaling"),
            "{v}: Default"
        );
        starts(
            "aws_autoscaling_policy",
            &policy,
            "arn",
            "arn:aws:autoscaling:eu-west-1:123456789012:scalingPolicy:",
        );
        let role = done(
            "aws_iam_service_linked_role",
            object([("aws_service_name", s("ecs.amazonaws.com"))]),
        );
        assert_eq!(
            role.get("arn"),
            &s("arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS")
        );
        let tag = done(
            "aws_ecs_tag",
            object([
                ("resource_arn", s(&format!("{acct}:cluster/prod"))),
                ("key", s("Team")),
                ("value", s("core")),
            ]),
        );
        assert_eq!(tag.get("id"), &s(&format!("{acct}:cluster/prod,Team")));
        let tga = done(
            "aws_lb_target_group_attachment",
            object([
                ("target_group_arn", tg.get("arn").clone()),
                ("target_id", s("i-0abc")),
            ]),
        );
        starts(
            "aws_lb_target_group_attachment",
            &tga,
            "id",
            &format!("{}-", tg.get("arn").as_str().unwrap()),
        );
        let firehose = done(
            "aws_kinesis_firehose_delivery_stream",
            object([("name", s("logs")), ("destination", s("extended_s3"))]),
        );
        assert_eq!(
            firehose.get("arn"),
            &s("arn:aws:firehose:eu-west-1:123456789012:deliverystream/logs")
        );
        let share = done(
            "aws_ram_resource_share_accepter",
            object([("share_arn", s("arn:aws:ram:eu-west-1:444455556666:resource-share/0bd2a9a8-0000-4000-a000-000000000001"))]),
        );
        assert_eq!(share.get("sender_account_id"), &s("444455556666"));
    }
}
