//! Extraction and resolution over the foundation fixtures in `testdata/plans/` (generated
//! by `testdata/tools/mkplan.py` in the real plan format, with modules, for_each, count,
//! variables, outputs, user data, unknown and sensitive values).

use super::*;
use crate::config::{Assumptions, ClusterAssumption};
use crate::plan::{self, LoadOptions, Plan};

fn load(name: &str) -> Plan {
    let path = format!(
        "{}/../testdata/plans/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    plan::load(&path, &LoadOptions::default()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn model(name: &str) -> Model {
    build(&[load(name)], &Assumptions::default())
}

fn addr(l: &Link) -> &str {
    l.address.as_deref().unwrap_or("<none>")
}

#[test]
fn service_links_follow_module_variables_outputs_and_for_each_keys() {
    let m = model("ec2-modules");
    let api = m
        .service(r#"module.service["api"].aws_ecs_service.this"#)
        .unwrap();
    // task_definition = module.task.arn → output in the nested module instance of the same key.
    assert_eq!(
        addr(&api.task_definition),
        r#"module.service["api"].module.task.aws_ecs_task_definition.this"#
    );
    assert_eq!(api.task_definition.resolved_by, Resolution::ConfigReference);
    assert!(api.task_definition.certain);
    // cluster = var.cluster_id → aws_ecs_cluster.main.id in the root module.
    assert_eq!(addr(&api.cluster), "aws_ecs_cluster.main");
    assert_eq!(api.cluster.resolved_by, Resolution::ConfigReference);
    // subnets = var.subnet_ids → module.network.private_subnet_ids → aws_subnet.private (count).
    let nc = api.network_configuration.get().unwrap().as_ref().unwrap();
    let subnets: Vec<&str> = nc.subnets.get().unwrap().iter().map(addr).collect();
    assert_eq!(
        subnets,
        vec![
            "module.network.aws_subnet.private[0]",
            "module.network.aws_subnet.private[1]",
            "module.network.aws_subnet.private[2]"
        ]
    );
    let sn = m.subnet("module.network.aws_subnet.private[1]").unwrap();
    assert_eq!(
        sn.cidr_block.get().map(String::as_str),
        Some("10.20.4.0/22")
    );
    assert_eq!(
        sn.availability_zone.get().map(String::as_str),
        Some("eu-west-1b")
    );
    assert!(sn.id.is_unknown());
    // The worker's for_each key picks the worker's own target group and task definition.
    let worker = m
        .service(r#"module.service["worker"].aws_ecs_service.this"#)
        .unwrap();
    assert_eq!(
        addr(&worker.task_definition),
        r#"module.service["worker"].module.task.aws_ecs_task_definition.this"#
    );
    let lb = &worker.load_balancers.get().unwrap()[0];
    assert_eq!(
        addr(lb.target_group.as_ref().unwrap()),
        r#"module.service["worker"].aws_lb_target_group.this"#
    );
    let reg = &api.service_registries.get().unwrap()[0];
    assert_eq!(addr(&reg.registry), "aws_service_discovery_service.api");
    assert!(reg.port.is_null(), "port 0 means not set");
    // Capacity provider strategy item links to the provider in the root module.
    let item = &api.capacity_provider_strategy.get().unwrap()[0];
    assert_eq!(
        addr(item.link.as_ref().unwrap()),
        "aws_ecs_capacity_provider.ec2"
    );
    assert_eq!(api.launch.get(), Some(&Launch::Ec2));
}

#[test]
fn known_values_match_by_family_arn_name_and_id() {
    let m = model("ec2-modules");
    let legacy = m.service("aws_ecs_service.legacy").unwrap();
    // "legacy-web:12" → the plan's task definition with family legacy-web.
    assert_eq!(
        addr(&legacy.task_definition),
        "aws_ecs_task_definition.legacy"
    );
    assert_eq!(legacy.task_definition.resolved_by, Resolution::KnownValue);
    // A cluster ARN is matched by the cluster name it ends with.
    assert_eq!(addr(&legacy.cluster), "aws_ecs_cluster.main");
    assert_eq!(legacy.cluster.resolved_by, Resolution::KnownValue);
    // Literal subnet ids: two data sources read during planning, one outside the plan.
    let nc = legacy
        .network_configuration
        .get()
        .unwrap()
        .as_ref()
        .unwrap();
    let links = nc.subnets.get().unwrap();
    assert_eq!(addr(&links[0]), r#"data.aws_subnet.legacy["a"]"#);
    assert_eq!(addr(&links[1]), r#"data.aws_subnet.legacy["b"]"#);
    assert_eq!(links[2].resolved_by, Resolution::OutsidePlan);
    assert_eq!(
        links[2].literal.as_deref(),
        Some("subnet-0ffffffffffff0009")
    );
    let data = m.subnet(r#"data.aws_subnet.legacy["a"]"#).unwrap();
    assert_eq!(
        data.cidr_block.get().map(String::as_str),
        Some("172.31.16.0/20")
    );
    assert!(data.ipv6_cidr_block.is_null(), "\"\" means no IPv6 block");
    assert_eq!(legacy.launch.get(), Some(&Launch::Ec2));
    // A service only being deleted is not in the planned world.
    assert!(m.service("aws_ecs_service.retired").is_none());
}

#[test]
fn task_definitions_decode_containers_defaults_and_sensitivity() {
    let m = model("ec2-modules");
    let api = m
        .task_definition(r#"module.service["api"].module.task.aws_ecs_task_definition.this"#)
        .unwrap();
    assert_eq!(api.network_mode, NetworkMode::Awsvpc);
    let cs = api.containers.get().unwrap();
    assert_eq!(cs.len(), 2);
    assert_eq!(cs[0].name, "api");
    assert_eq!(cs[0].port_mappings[0].container_port, Some(8080));
    // The worker's definition is sensitive (it embeds a sensitive variable) and its
    // network mode is unknown at plan time.
    let worker = m
        .task_definition(r#"module.service["worker"].module.task.aws_ecs_task_definition.this"#)
        .unwrap();
    assert!(worker.containers.sensitive);
    assert_eq!(worker.containers.get().unwrap()[0].port_mappings.len(), 2);
    assert_eq!(worker.network_mode, NetworkMode::Unknown);
    assert_eq!(
        worker.containers.as_ref().map(|v| v.len()).show(),
        "(sensitive)"
    );
}

#[test]
fn capacity_provider_to_group_to_template_and_mixed_instances() {
    let m = model("ec2-modules");
    let cluster = m.cluster("aws_ecs_cluster.main").unwrap();
    assert_eq!(
        cluster.capacity_providers.get().unwrap(),
        &vec!["FARGATE".to_string(), "prod-core-ec2".to_string()]
    );
    let asg_src: Vec<&CapacitySource> = cluster
        .capacity
        .iter()
        .filter(|c| c.kind == CapacityKind::AutoscalingGroup)
        .collect();
    assert_eq!(asg_src.len(), 1);
    assert_eq!(
        asg_src[0].address.as_deref(),
        Some("aws_autoscaling_group.ecs")
    );
    assert_eq!(asg_src[0].via, Resolution::ConfigReference);
    assert_eq!(
        asg_src[0].capacity_provider.as_deref(),
        Some("prod-core-ec2")
    );
    assert!(cluster
        .capacity
        .iter()
        .any(|c| c.kind == CapacityKind::Fargate));
    let cp = m
        .capacity_provider("aws_ecs_capacity_provider.ec2")
        .unwrap();
    assert_eq!(addr(&cp.autoscaling_group), "aws_autoscaling_group.ecs");
    assert_eq!(cp.managed_scaling.get(), Some(&true));
    let asg = m.autoscaling_group("aws_autoscaling_group.ecs").unwrap();
    assert!(asg.uses_mixed_instances_policy);
    assert_eq!(
        asg.instance_types.get().unwrap(),
        &vec![
            "c5.large".to_string(),
            "c5a.large".to_string(),
            "m5.xlarge".to_string()
        ]
    );
    assert_eq!(asg.max_size.get(), Some(&6));
    assert_eq!(
        addr(asg.launch_template.as_ref().unwrap()),
        "aws_launch_template.ecs"
    );
    // The template's user data is base64; it names the cluster.
    assert_eq!(asg.ecs_cluster_from_user_data.as_deref(), Some("prod-core"));
    assert_eq!(asg.subnets.get().unwrap().len(), 3);
    assert_eq!(m.account_settings.awsvpc_trunking.get(), Some(&true));
    assert_eq!(
        m.account_settings.awsvpc_trunking_address.as_deref(),
        Some("aws_ecs_account_setting_default.trunking")
    );
}

#[test]
fn user_data_links_capacity_without_capacity_providers() {
    let m = model("ec2-userdata");
    let cluster = m.cluster("module.ecs[0].aws_ecs_cluster.this[0]").unwrap();
    let mut found: Vec<(&str, CapacityKind, Resolution)> = cluster
        .capacity
        .iter()
        .map(|c| (c.address.as_deref().unwrap_or(""), c.kind, c.via))
        .collect();
    found.sort_by(|a, b| a.0.cmp(b.0));
    assert_eq!(
        found,
        vec![
            (
                "aws_autoscaling_group.batch",
                CapacityKind::AutoscalingGroup,
                Resolution::UserData
            ),
            (
                "aws_instance.gpu[0]",
                CapacityKind::Instance,
                Resolution::UserData
            ),
            (
                "aws_instance.gpu[1]",
                CapacityKind::Instance,
                Resolution::UserData
            ),
        ]
    );
    // The launch configuration's user_data is a hash in the plan: the literal comes from
    // the configuration; its instance type gives the group's.
    let asg = m.autoscaling_group("aws_autoscaling_group.batch").unwrap();
    assert_eq!(
        addr(asg.launch_configuration.as_ref().unwrap()),
        "aws_launch_configuration.batch"
    );
    assert_eq!(
        asg.instance_types.get().unwrap(),
        &vec!["m5.large".to_string()]
    );
    let subnets: Vec<(&str, Resolution)> = asg
        .subnets
        .get()
        .unwrap()
        .iter()
        .map(|l| (addr(l), l.resolved_by))
        .collect();
    assert_eq!(
        subnets,
        vec![
            ("aws_subnet.batch[0]", Resolution::KnownValue),
            ("aws_subnet.batch[1]", Resolution::KnownValue)
        ]
    );
    let inst = m.instance("aws_instance.gpu[1]").unwrap();
    assert_eq!(addr(inst.subnet.as_ref().unwrap()), "aws_subnet.batch[1]");
    // cluster = module.ecs[0].cluster_arn → output of a counted module instance.
    let report = m.service("aws_ecs_service.report").unwrap();
    assert_eq!(
        addr(&report.cluster),
        "module.ecs[0].aws_ecs_cluster.this[0]"
    );
    assert_eq!(
        addr(&report.task_definition),
        "aws_ecs_task_definition.report"
    );
    assert_eq!(report.launch.get(), Some(&Launch::Ec2));
    assert!(m.service("aws_ecs_service.agent").unwrap().is_daemon());
}

#[test]
fn fargate_literals_outside_clusters_data_subnets_windows_and_task_sets() {
    let m = model("fargate-literals");
    let web = m.service("aws_ecs_service.web").unwrap();
    assert_eq!(addr(&web.task_definition), "aws_ecs_task_definition.web");
    assert_eq!(web.task_definition.resolved_by, Resolution::KnownValue);
    assert_eq!(web.cluster.resolved_by, Resolution::OutsidePlan);
    assert_eq!(
        web.cluster.literal.as_deref(),
        Some("arn:aws:ecs:ap-southeast-2:210987654321:cluster/shared-fargate")
    );
    assert_eq!(web.launch.get(), Some(&Launch::Fargate));
    let subnets = web
        .network_configuration
        .get()
        .unwrap()
        .as_ref()
        .unwrap()
        .subnets
        .get()
        .unwrap();
    assert_eq!(
        addr(&subnets[0]),
        r#"data.aws_subnet.selected["subnet-0fa0000000000000a"]"#
    );
    let sn = m.subnet(addr(&subnets[0])).unwrap();
    assert_eq!(sn.cidr_block.get().map(String::as_str), Some("10.8.0.0/28"));
    assert_eq!(
        sn.ipv6_cidr_block.get().map(String::as_str),
        Some("2406:da1c:abc:1200::/64")
    );
    // A read deferred to apply: everything unknown.
    let late = m.subnet("data.aws_subnet.late").unwrap();
    assert!(late.cidr_block.is_unknown() && late.id.is_unknown());
    // Unknown container definitions stay unknown, never empty.
    assert!(m
        .task_definition("aws_ecs_task_definition.web")
        .unwrap()
        .containers
        .is_unknown());
    // Windows without network_mode: Docker's default (nat), not explicit.
    let win = m.task_definition("aws_ecs_task_definition.winsvc").unwrap();
    assert_eq!(win.os_family, OsFamily::Windows);
    assert_eq!(win.network_mode, NetworkMode::WindowsDefault);
    assert!(!win.network_mode_explicit);
    let winsvc = m.service("aws_ecs_service.winsvc").unwrap();
    assert_eq!(
        addr(&winsvc.task_definition),
        "aws_ecs_task_definition.winsvc"
    );
    assert_eq!(
        winsvc.deployment_controller.get(),
        Some(&DeploymentController::External)
    );
    let ts = m.task_set("aws_ecs_task_set.winsvc_green").unwrap();
    assert_eq!(addr(&ts.service), "aws_ecs_service.winsvc");
    assert_eq!(addr(&ts.task_definition), "aws_ecs_task_definition.winsvc");
    assert_eq!(ts.cluster.literal.as_deref(), Some("shared-fargate"));
    assert_eq!(ts.scale_percent.get(), Some(&100.0));
    // aws_alb_target_group is the old name of aws_lb_target_group.
    let tg = m.target_group("aws_alb_target_group.legacy").unwrap();
    assert_eq!(tg.health_check_port.get().map(String::as_str), Some("8081"));
    assert!(tg.target_type.get().is_some_and(|t| t == "instance") || tg.target_type.is_null());
}

#[test]
fn assumptions_add_capacity_for_clusters_without_any_in_the_plan() {
    let p = load("fargate-literals");
    let base = build(std::slice::from_ref(&p), &Assumptions::default());
    // The ops cluster's instances are managed elsewhere: nothing in the plan.
    assert!(base
        .cluster("aws_ecs_cluster.ops")
        .unwrap()
        .capacity
        .is_empty());
    let assumption = ClusterAssumption {
        instance_type: "m5.large".into(),
        max_instances: 4,
        availability_zones: vec![],
    };
    for key in ["ops", "aws_ecs_cluster.ops"] {
        let mut assume = Assumptions::default();
        assume.clusters.insert(key.into(), assumption.clone());
        let m = build(std::slice::from_ref(&p), &assume);
        let cap = &m.cluster("aws_ecs_cluster.ops").unwrap().capacity;
        assert_eq!(cap.len(), 1, "{key}");
        assert_eq!(cap[0].kind, CapacityKind::Assumed);
        assert_eq!(cap[0].via, Resolution::Assumption);
    }
    // ec2-modules' cluster has capacity in the plan: an assumption does not replace it.
    let mut assume = Assumptions::default();
    assume.clusters.insert("prod-core".into(), assumption);
    let m = build(&[load("ec2-modules")], &assume);
    let c = m.cluster("aws_ecs_cluster.main").unwrap();
    assert!(!c.capacity.iter().any(|s| s.kind == CapacityKind::Assumed));
}

#[test]
fn several_plans_link_across_each_other_by_known_values() {
    // The legacy service names its cluster by ARN; with the cluster's plan second, the
    // link still finds it (and records which plan each entity came from).
    let m = build(
        &[load("fargate-literals"), load("ec2-modules")],
        &Assumptions::default(),
    );
    assert_eq!(m.plans.len(), 2);
    let legacy = m.service("aws_ecs_service.legacy").unwrap();
    assert_eq!(legacy.plan, 1);
    assert_eq!(addr(&legacy.cluster), "aws_ecs_cluster.main");
    assert_eq!(m.service("aws_ecs_service.web").unwrap().plan, 0);
}

#[test]
fn finder_index_survives_hand_built_models() {
    let mut m = Model::default();
    m.services
        .push(testing::service("aws_ecs_service.a", "td", "c"));
    assert!(m.service("aws_ecs_service.a").is_some());
    assert!(m.service("aws_ecs_service.b").is_none());
    // Pushed after the index was built: found by the fallback.
    m.services
        .push(testing::service("aws_ecs_service.b", "td", "c"));
    assert!(m.service("aws_ecs_service.b").is_some());
    m.services.swap(0, 1);
    assert_eq!(
        m.service("aws_ecs_service.a").unwrap().address,
        "aws_ecs_service.a"
    );
}

#[test]
fn bundled_sample_models_the_demo_estate() {
    let path = format!(
        "{}/../testdata/sample/plan.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let p = plan::load(&path, &LoadOptions::default()).unwrap();
    let m = build(&[p], &Assumptions::default());
    let shop = m.cluster("aws_ecs_cluster.shop").unwrap();
    assert!(shop
        .capacity
        .iter()
        .any(|c| c.address.as_deref() == Some("aws_autoscaling_group.ecs")));
    // Every service lands on the shop cluster.
    assert_eq!(m.services.len(), 10);
    for s in &m.services {
        assert_eq!(addr(&s.cluster), "aws_ecs_cluster.shop", "{}", s.address);
        assert!(s.task_definition.address.is_some(), "{}", s.address);
    }
    let payments = m.service("module.payments.aws_ecs_service.this").unwrap();
    let subnets = payments
        .network_configuration
        .get()
        .unwrap()
        .as_ref()
        .unwrap()
        .subnets
        .get()
        .unwrap();
    assert_eq!(subnets.len(), 1);
    let sn = m.subnet(addr(&subnets[0])).unwrap();
    assert_eq!(
        sn.cidr_block.get().map(String::as_str),
        Some("10.40.12.0/28")
    );
    // The NAT-routed private route table makes the subnets private.
    assert_eq!(sn.public.get(), Some(&false));
    assert_eq!(
        m.service("aws_ecs_service.catalog").unwrap().launch.get(),
        Some(&Launch::Ec2)
    );
    assert_eq!(
        m.service("aws_ecs_service.reports").unwrap().launch.get(),
        Some(&Launch::Fargate)
    );
    assert_eq!(m.account_settings.awsvpc_trunking.get(), Some(&false));
    let asg = m.autoscaling_group("aws_autoscaling_group.ecs").unwrap();
    assert_eq!(
        asg.instance_types.get(),
        Some(&vec!["c5.large".to_string()])
    );
    assert_eq!(asg.ecs_cluster_from_user_data.as_deref(), Some("shop"));
}

#[test]
fn a_shared_family_is_settled_by_the_configuration_reference() {
    let m = model("blue-green-family");
    for color in ["blue", "green"] {
        let s = m
            .service(&format!(
                r#"module.checkout["{color}"].aws_ecs_service.this"#
            ))
            .unwrap();
        assert_eq!(
            addr(&s.task_definition),
            format!(r#"module.checkout["{color}"].aws_ecs_task_definition.this"#)
        );
        assert_eq!(s.task_definition.resolved_by, Resolution::ConfigReference);
        assert!(s.task_definition.certain);
        // The cluster is a data source: outside the plan's entities, kept as the literal ARN.
        assert_eq!(s.cluster.resolved_by, Resolution::OutsidePlan);
        assert!(s.launch.get() == Some(&Launch::Fargate));
    }
}
