//! The capacity rules on models built with `model::testing`.

use crate::config::Assumptions;
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::testing as t;
use crate::model::{DeploymentController, Field, Model, NetworkMode};
use crate::rules::{Context, Rule};

/// The capacity tests' cluster ([`crate::capacity::testing::awsvpc_cluster`]) in a /24.
fn model(types: &[&str], max: i64, desired: i64) -> Model {
    crate::capacity::testing::awsvpc_cluster(types, max, desired, "10.0.0.0/24")
}

fn trunking(v: Option<bool>) -> Assumptions {
    Assumptions {
        awsvpc_trunking: v,
        ..Assumptions::default()
    }
}

fn run(rule: &dyn Rule, m: &Model, a: &Assumptions) -> Vec<Diagnostic> {
    let cx = Context::new(m, a);
    let mut out = Vec::new();
    rule.check(&cx, &mut out);
    out
}

fn net070() -> &'static dyn Rule {
    &super::eni_capacity::EniCapacity
}

#[test]
fn net070_leaves_deployments_to_net074_which_shows_the_arithmetic() {
    // 6 tasks fill the 6 slots: the peak (12) does not fit, but a deployment that stops
    // old tasks first still progresses, unless minimum_healthy_percent keeps all 6.
    let mut m = model(&["c5.large"], 3, 6);
    assert!(run(net070(), &m, &trunking(Some(false))).is_empty());
    let r = &super::deployment_headroom::DeploymentHeadroom;
    let d = run(r, &m, &trunking(Some(false)));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].severity, Severity::Error);
    assert_eq!(
        d[0].attribute.as_deref(),
        Some("deployment_minimum_healthy_percent")
    );
    let detail = d[0].detail.as_deref().unwrap();
    assert!(detail.contains("at once, a deployment needs 7 awsvpc task ENIs (aws_ecs_service.api deploying: ceil(6 × minimum_healthy_percent 100% / 100) + 1 new = 7)"), "{detail}");
    assert!(
        detail.contains("cluster aws_ecs_cluster.main capacity 6 slots at max size: 3 × c5.large"),
        "{detail}"
    );
    assert!(
        detail.contains("with awsvpcTrunking, c5.large takes 10"),
        "{detail}"
    );
    m.services[0].deployment_minimum_healthy_percent = Field::known(50);
    assert!(run(r, &m, &trunking(Some(false))).is_empty());
}

#[test]
fn net070_error_when_desired_cannot_fit_and_net071_suggests_trunking() {
    let m = model(&["c5.large"], 3, 8);
    let d = run(net070(), &m, &trunking(Some(false)));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].severity, Severity::Error);
    assert_eq!(d[0].attribute.as_deref(), Some("desired_count"));
    assert!(d[0]
        .help
        .as_deref()
        .unwrap()
        .contains("Enable ENI trunking"));
    let t71 = run(
        &super::eni_trunking::EniTrunking,
        &m,
        &trunking(Some(false)),
    );
    assert_eq!(t71.len(), 1, "{t71:#?}");
    assert!(t71[0]
        .message
        .contains("6 ENI slots without it, 30 with it, 8 needed"));
    // Enabled: 30 slots, everything fits, NET071 has nothing to say about c5.large.
    assert!(run(net070(), &m, &trunking(Some(true))).is_empty());
    assert!(run(&super::eni_trunking::EniTrunking, &m, &trunking(Some(true))).is_empty());
}

#[test]
fn net070_unverifiable_when_only_trunking_would_fit() {
    let mut m = model(&["c5.large"], 3, 8);
    // The plan sets awsvpcTrunking, but to a value known only after apply.
    m.account_settings.awsvpc_trunking = crate::model::Field::unknown();
    let d = run(net070(), &m, &Assumptions::default());
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(d[0].unverifiable);
    assert_eq!(d[0].severity, Severity::Info);
    assert!(
        d[0].message.contains("only if awsvpcTrunking is enabled"),
        "{}",
        d[0].message
    );
    assert!(d[0].help.as_deref().unwrap().contains("awsvpc_trunking"));
}

#[test]
fn net070_unknown_max_size_names_the_assume_block() {
    let mut m = model(&["c5.large"], 3, 8);
    m.autoscaling_groups[0].max_size = Field::unknown();
    let d = run(net070(), &m, &trunking(Some(false)));
    assert_eq!(d.len(), 1);
    assert!(d[0].unverifiable);
    assert!(
        d[0].help
            .as_deref()
            .unwrap()
            .contains("`cluster \"main\"` block inside `assume`"),
        "{:?}",
        d[0].help
    );
}

#[test]
fn net071_unsupported_and_unknown_types() {
    let m = model(&["c5n.large"], 3, 8);
    let d = run(&super::eni_trunking::EniTrunking, &m, &trunking(Some(true)));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].severity, Severity::Warning);
    assert!(d[0]
        .message
        .contains("c5n.large does not support ENI trunking"));
    // Newer than the trunking table: unknown, so only an unverifiable note.
    let m = model(&["c7i.large"], 3, 8);
    let d = run(&super::eni_trunking::EniTrunking, &m, &trunking(Some(true)));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(d[0].unverifiable);
    // Burstable: not supported.
    let m = model(&["t3.large"], 3, 8);
    let d = run(&super::eni_trunking::EniTrunking, &m, &trunking(Some(true)));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(!d[0].unverifiable);
    assert!(d[0]
        .message
        .contains("t3.large does not support ENI trunking"));
}

#[test]
fn net071_dns_a_record_blocks_trunking() {
    let mut m = model(&["c5.large"], 3, 4);
    m.launch_templates.push(crate::model::LaunchTemplate {
        address: "aws_launch_template.ecs".into(),
        plan: 0,
        name: Field::known("ecs".into()),
        instance_type: Field::known("c5.large".into()),
        ecs_cluster_from_user_data: None,
        reserved_ports_from_user_data: None,
        resource_name_dns_a_record: Field::known(true),
    });
    m.autoscaling_groups[0].launch_template = Some(crate::model::Link::to_address(
        "aws_launch_template.ecs",
        crate::model::Resolution::ConfigReference,
        true,
    ));
    let d = run(&super::eni_trunking::EniTrunking, &m, &trunking(Some(true)));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].address, "aws_launch_template.ecs");
    assert_eq!(
        d[0].attribute.as_deref(),
        Some("private_dns_name_options[0].enable_resource_name_dns_a_record")
    );
}

#[test]
fn net072_small_subnet() {
    let mut m = model(&["c5.large"], 30, 8);
    m.subnets[0].cidr_block = Field::known("10.0.0.0/28".into());
    let d = run(&super::subnet_ipv4::SubnetIpv4, &m, &trunking(Some(false)));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].severity, Severity::Error);
    assert!(
        d[0].message.contains("16 needed, 11 usable"),
        "{}",
        d[0].message
    );
    assert_eq!(
        d[0].attribute.as_deref(),
        Some("network_configuration[0].subnets")
    );
    // 5 tasks: peak 10 ≤ 11.
    m.services[0].desired_count = Field::known(5);
    assert!(run(&super::subnet_ipv4::SubnetIpv4, &m, &trunking(Some(false))).is_empty());
    m.subnets[0].cidr_block = Field::unknown();
    let d = run(&super::subnet_ipv4::SubnetIpv4, &m, &trunking(Some(false)));
    assert!(d[0].unverifiable && d[0].help.as_deref().unwrap().contains("inside `assume`"));
}

fn host_model(max: i64, desired: i64) -> Model {
    let mut m = model(&["c5.large"], max, 0);
    let mut td = t::task_definition("aws_ecs_task_definition.web", NetworkMode::Host);
    td.containers = Field::known(vec![t::container("web", vec![t::port(80, None)])]);
    m.task_definitions.push(td);
    let mut s = t::service(
        "aws_ecs_service.web",
        "aws_ecs_task_definition.web",
        "aws_ecs_cluster.main",
    );
    s.desired_count = Field::known(desired);
    m.services.push(s);
    m
}

#[test]
fn net073_static_ports() {
    let r = &super::static_host_ports::StaticHostPorts;
    let d = run(r, &host_model(2, 3), &trunking(Some(false)));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].severity, Severity::Error);
    assert!(
        d[0].message.contains("3 tasks need host port 80/tcp"),
        "{}",
        d[0].message
    );
    // The peak (4) exceeds the 3 instances, but that is a deployment's business (NET074).
    assert!(run(r, &host_model(3, 2), &trunking(Some(false))).is_empty());
    assert!(run(r, &host_model(4, 2), &trunking(Some(false))).is_empty());
}

#[test]
fn net074_deadlock_and_headroom() {
    let r = &super::deployment_headroom::DeploymentHeadroom;
    let mut m = host_model(4, 3);
    m.services[1].deployment_maximum_percent = Field::known(100);
    let d = run(r, &m, &trunking(Some(false)));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].severity, Severity::Error);
    assert!(d[0]
        .detail
        .as_deref()
        .unwrap()
        .contains("floor(3 × 100 / 100) = 3"));
    assert!(d[0].help.as_deref().unwrap().contains("at least 134"));
    // 3 tasks on port 80, 3 instances, minimum healthy 100%: no room for the first new task.
    let m = host_model(3, 3);
    let d = run(r, &m, &trunking(Some(false)));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].severity, Severity::Error);
    assert!(
        d[0].message.contains("host port 80/tcp"),
        "{}",
        d[0].message
    );
    // 2 tasks on 3 instances: room for the third.
    assert!(run(r, &host_model(3, 2), &trunking(Some(false))).is_empty());
    let mut m = host_model(3, 3);
    m.services[1].deployment_minimum_healthy_percent = Field::known(50);
    assert!(run(r, &m, &trunking(Some(false))).is_empty());
}

#[test]
fn net075_blue_green() {
    let r = &super::blue_green::BlueGreenCapacity;
    let mut m = model(&["c5.large"], 3, 4);
    m.services[0].deployment_controller = Field::known(DeploymentController::CodeDeploy);
    let d = run(r, &m, &trunking(Some(false)));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(
        d[0].message.contains("needs 8 awsvpc tasks"),
        "{}",
        d[0].message
    );
    // NET070 leaves the blue/green peak to NET075.
    assert!(run(net070(), &m, &trunking(Some(false))).is_empty());
    m.autoscaling_groups[0].max_size = Field::known(4);
    assert!(run(r, &m, &trunking(Some(false))).is_empty());
}

#[test]
fn net076_daemon_takes_the_only_slot() {
    let r = &super::unschedulable::Unschedulable;
    let mut m = model(&["m6g.medium"], 3, 2);
    let mut daemon = t::service(
        "aws_ecs_service.agent",
        "aws_ecs_task_definition.api",
        "aws_ecs_cluster.main",
    );
    daemon.scheduling_strategy = Field::known("DAEMON".into());
    m.services.push(daemon);
    let d = run(r, &m, &trunking(Some(false)));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].address, "aws_ecs_service.api");
    assert!(d[0].detail.as_deref().unwrap().contains("m6g.medium 0"));
    // With a larger type in the group, the tasks can be placed.
    m.autoscaling_groups[0].instance_types =
        Field::known(vec!["m6g.medium".into(), "m6g.xlarge".into()]);
    assert!(run(r, &m, &trunking(Some(false))).is_empty());
}

#[test]
fn net072_one_subnet_share_warns() {
    let mut m = model(&["c5.large"], 30, 12);
    m.subnets[0].cidr_block = Field::known("10.0.0.0/28".into());
    m.subnets
        .push(t::subnet("aws_subnet.b", "10.0.1.0/24", "eu-west-1b"));
    m.services[0].network_configuration =
        Field::known(Some(t::awsvpc(&["aws_subnet.a", "aws_subnet.b"])));
    let d = run(&super::subnet_ipv4::SubnetIpv4, &m, &trunking(Some(false)));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].severity, Severity::Warning);
    assert!(
        d[0].message.contains("subnet aws_subnet.a"),
        "{}",
        d[0].message
    );
    assert!(
        d[0].message.contains("12 addresses needed, 11 usable"),
        "{}",
        d[0].message
    );
}

#[test]
fn sensitive_desired_count_is_never_printed() {
    let mut m = model(&["c5.large"], 3, 987);
    m.services[0].desired_count = Field::known(987).with_sensitive(true);
    for r in super::rules() {
        for d in run(r, &m, &trunking(Some(false))) {
            let text = format!("{} {:?} {:?}", d.message, d.detail, d.help);
            assert!(!text.contains("987"), "{}: {text}", d.rule);
        }
    }
}

#[test]
fn net076_managed_scaling_smallest_type() {
    let r = &super::unschedulable::Unschedulable;
    let mut m = model(&["m6g.medium", "m6g.xlarge"], 3, 2);
    m.clusters[0].capacity[0].capacity_provider = Some("ec2".into());
    m.capacity_providers.push(crate::model::CapacityProvider {
        address: "aws_ecs_capacity_provider.ec2".into(),
        plan: 0,
        name: Field::known("ec2".into()),
        autoscaling_group: crate::model::Link::to_address(
            "aws_autoscaling_group.ecs",
            crate::model::Resolution::ConfigReference,
            true,
        ),
        managed_scaling: Field::known(true),
    });
    m.services[0].capacity_provider_strategy =
        Field::known(vec![crate::model::CapacityProviderStrategyItem {
            capacity_provider: Field::known("ec2".into()),
            link: None,
            weight: Field::known(1),
            base: Field::known(0),
        }]);
    let mut daemon = t::service(
        "aws_ecs_service.agent",
        "aws_ecs_task_definition.api",
        "aws_ecs_cluster.main",
    );
    daemon.scheduling_strategy = Field::known("DAEMON".into());
    m.services.push(daemon);
    let d = run(r, &m, &trunking(Some(false)));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(
        d[0].attribute.as_deref(),
        Some("capacity_provider_strategy")
    );
    assert!(
        d[0].message.contains("smallest type m6g.medium"),
        "{}",
        d[0].message
    );
    // Without managed scaling the larger type still places the tasks.
    m.capacity_providers[0].managed_scaling = Field::known(false);
    assert!(run(r, &m, &trunking(Some(false))).is_empty());
}

/// The capacity tests' cluster with two capacity providers, `spot` (c5.large) and
/// `ondemand` (m5.xlarge), and the service's strategy weighted `w_on`:`w_spot`.
fn two_providers(w_on: i64, w_spot: i64, desired: i64) -> Model {
    let mut m = model(&["c5.large"], 4, desired);
    m.autoscaling_groups[0].address = "aws_autoscaling_group.spot".into();
    m.autoscaling_groups.push(t::autoscaling_group(
        "aws_autoscaling_group.ondemand",
        &["m5.xlarge"],
        2,
    ));
    m.clusters[0] = t::cluster(
        "aws_ecs_cluster.main",
        &[
            "aws_autoscaling_group.spot",
            "aws_autoscaling_group.ondemand",
        ],
    );
    for (k, name) in ["spot", "ondemand"].iter().enumerate() {
        m.clusters[0].capacity[k].capacity_provider = Some(name.to_string());
        m.capacity_providers.push(crate::model::CapacityProvider {
            address: format!("aws_ecs_capacity_provider.{name}"),
            plan: 0,
            name: Field::known(name.to_string()),
            autoscaling_group: crate::model::Link::to_address(
                format!("aws_autoscaling_group.{name}"),
                crate::model::Resolution::ConfigReference,
                true,
            ),
            managed_scaling: Field::known(true),
        });
    }
    let item = |name: &str, w: i64| crate::model::CapacityProviderStrategyItem {
        capacity_provider: Field::known(name.into()),
        link: None,
        weight: Field::known(w),
        base: Field::null(),
    };
    m.services[0].capacity_provider_strategy =
        Field::known(vec![item("ondemand", w_on), item("spot", w_spot)]);
    m.services[0].deployment_minimum_healthy_percent = Field::known(50);
    m
}

#[test]
fn net070_judges_each_capacity_provider() {
    // 12 tasks at 1:3: 3 on ondemand (2 × m5.xlarge: 6 slots), 9 on spot (4 × c5.large: 8
    // slots). The cluster has 14 slots, but the spot tasks do not move to ondemand.
    let m = two_providers(1, 3, 12);
    let d = run(net070(), &m, &trunking(Some(false)));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].severity, Severity::Error);
    assert!(
        d[0].message.contains("9 awsvpc tasks cannot be placed on capacity provider spot of aws_ecs_cluster.main even at max size: it has 8 ENI slots"),
        "{}",
        d[0].message
    );
    let detail = d[0].detail.as_deref().unwrap();
    assert!(
        detail.contains("aws_ecs_service.api desired_count 12 × weight 3 of 4 = 9"),
        "{detail}"
    );
    assert_eq!(d[0].related, vec!["aws_autoscaling_group.spot"]);
    // 1:1 puts 6 on each: both fit.
    assert!(run(net070(), &two_providers(1, 1, 12), &trunking(Some(false))).is_empty());
    // NET071 names the provider whose slots trunking would raise.
    let t71 = run(
        &super::eni_trunking::EniTrunking,
        &m,
        &trunking(Some(false)),
    );
    assert_eq!(t71.len(), 1, "{t71:#?}");
    assert!(
        t71[0].message.contains("capacity provider spot"),
        "{}",
        t71[0].message
    );
}

#[test]
fn the_cluster_default_strategy_places_services_without_their_own() {
    let mut m = two_providers(1, 3, 12);
    let strategy = m.services[0].capacity_provider_strategy.clone();
    m.services[0].capacity_provider_strategy = Field::known(vec![]);
    m.clusters[0].default_strategy = strategy;
    let d = run(net070(), &m, &trunking(Some(false)));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(
        d[0].message.contains("capacity provider spot"),
        "{}",
        d[0].message
    );
    // A launch type opts out of the default strategy: the whole cluster (14 slots) holds 12.
    m.services[0].launch_type = Field::known("EC2".into());
    assert!(run(net070(), &m, &trunking(Some(false))).is_empty());
}

#[test]
fn net072_errs_on_its_own_peak_and_warns_when_all_deploy_at_once() {
    // Two services of 3 tasks in one /28 (11 usable), each peaking at 6: 6 + 3 = 9 fits, but
    // both deploying at once need 12.
    let mut m = model(&["c5.large"], 30, 3);
    m.subnets[0].cidr_block = Field::known("10.0.0.0/28".into());
    let mut other = m.services[0].clone();
    other.address = "aws_ecs_service.web".into();
    m.services.push(other);
    let r = &super::subnet_ipv4::SubnetIpv4;
    let d = run(r, &m, &trunking(Some(false)));
    assert_eq!(d.len(), 2, "{d:#?}");
    assert!(d.iter().all(|d| d.severity == Severity::Warning));
    assert!(
        d[0].message
            .contains("if every service in them deploys at once: 12 needed, 11 usable"),
        "{}",
        d[0].message
    );
    // 4 tasks each: one peak (8) next to the other's 4 is 12 > 11: an error for both.
    m.services[0].desired_count = Field::known(4);
    m.services[1].desired_count = Field::known(4);
    let d = run(r, &m, &trunking(Some(false)));
    assert_eq!(d.len(), 2, "{d:#?}");
    assert!(d.iter().all(|d| d.severity == Severity::Error), "{d:#?}");
}

#[test]
fn an_assumed_cluster_sizes_its_groups_in_the_subnets() {
    // The plan's group size is unknown; the assume block says 4 instances at most.
    let mut m = model(&["c5.large"], 3, 2);
    m.autoscaling_groups[0].max_size = Field::unknown();
    m.autoscaling_groups[0].subnets = Field::known(vec![crate::model::Link::to_address(
        "aws_subnet.a",
        crate::model::Resolution::ConfigReference,
        true,
    )]);
    let r = &super::subnet_ipv4::SubnetIpv4;
    let d = run(r, &m, &trunking(Some(false)));
    assert!(d.iter().all(|d| d.unverifiable), "{d:#?}");
    assert_eq!(d.len(), 1, "{d:#?}");
    let mut a = trunking(Some(false));
    a.clusters.insert(
        "main".into(),
        crate::config::ClusterAssumption {
            instance_type: "c5.large".into(),
            max_instances: 4,
            availability_zones: vec![],
        },
    );
    assert!(run(r, &m, &a).is_empty());
    assert!(run(net070(), &m, &a).is_empty());
}

#[test]
fn net072_hidden_subnets_pass_when_the_peak_fits_every_candidate_alone() {
    use crate::model::Link;
    let r = &super::subnet_ipv4::SubnetIpv4;
    // Peak 10 (5 tasks at 200%); the list is some of a (/24) and b (/28, 11 usable).
    let mut m = model(&["c5.large"], 30, 5);
    m.subnets
        .push(t::subnet("aws_subnet.b", "10.0.1.0/28", "eu-west-1b"));
    if let crate::model::Val::Known(Some(c)) = &mut m.services[0].network_configuration.val {
        c.subnets = Field::unknown();
        c.subnet_candidates = Some(Link::one_of(vec![
            "aws_subnet.a".into(),
            "aws_subnet.b".into(),
        ]));
    }
    assert!(run(r, &m, &trunking(Some(false))).is_empty());
    // Peak 12: fits a, not b alone; which one the list holds decides. A note naming both.
    m.services[0].desired_count = Field::known(6);
    let d = run(r, &m, &trunking(Some(false)));
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(d[0].unverifiable);
    assert!(
        d[0].message.contains("aws_subnet.a, aws_subnet.b"),
        "{}",
        d[0].message
    );
    // Another service already in b counts against it: 10 + 2 > 11.
    m.services[0].desired_count = Field::known(5);
    let mut other = t::service(
        "aws_ecs_service.other",
        "aws_ecs_task_definition.api",
        "aws_ecs_cluster.main",
    );
    other.desired_count = Field::known(2);
    other.network_configuration = Field::known(Some(t::awsvpc(&["aws_subnet.b"])));
    m.services.push(other);
    let d = run(r, &m, &trunking(Some(false)));
    assert!(
        d.iter()
            .any(|d| d.unverifiable && d.address == "aws_ecs_service.api"),
        "{d:#?}"
    );
}
