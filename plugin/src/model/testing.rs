//! Builders for model entities with every attribute unset, for unit tests of rules and
//! capacity math. Tests then set the fields they care about. (Fixture-driven tests go
//! through the whole pipeline instead; see `testdata/`.)

use super::*;

pub fn task_definition(address: &str, mode: NetworkMode) -> TaskDefinition {
    TaskDefinition {
        address: address.into(),
        plan: 0,
        family: Field::known(address.rsplit('.').next().unwrap_or(address).to_string()),
        network_mode_raw: match &mode {
            NetworkMode::Unknown => Field::unknown(),
            NetworkMode::Bridge | NetworkMode::WindowsDefault => Field::null(),
            m => Field::known(m.as_str().to_string()),
        },
        network_mode_explicit: !matches!(mode, NetworkMode::Bridge | NetworkMode::WindowsDefault),
        network_mode: mode,
        requires_compatibilities: Field::null(),
        os_family: OsFamily::Unspecified,
        cpu: Field::null(),
        memory: Field::null(),
        task_role_arn: Field::null(),
        containers: Field::known(vec![]),
        containers_error: None,
    }
}

pub fn container(name: &str, ports: Vec<PortMapping>) -> Container {
    Container {
        name: name.into(),
        essential: Some(true),
        port_mappings: ports,
        links: vec![],
        hostname: None,
        extra_hosts: vec![],
        dns_servers: vec![],
        dns_search_domains: vec![],
        disable_networking: None,
        raw: serde_json::json!({ "name": name }),
    }
}

pub fn port(container_port: i64, host_port: Option<i64>) -> PortMapping {
    PortMapping {
        container_port: Some(container_port),
        host_port,
        protocol: "tcp".into(),
        name: None,
        app_protocol: None,
        container_port_range: None,
        host_port_range: None,
    }
}

pub fn service(address: &str, task_definition: &str, cluster: &str) -> Service {
    Service {
        address: address.into(),
        plan: 0,
        name: Field::known(address.rsplit('.').next().unwrap_or(address).to_string()),
        task_definition: Link::to_address(task_definition, Resolution::ConfigReference, true),
        cluster: Link::to_address(cluster, Resolution::ConfigReference, true),
        launch_type: Field::null(),
        capacity_provider_strategy: Field::null(),
        scheduling_strategy: Field::null(),
        desired_count: Field::known(1),
        deployment_maximum_percent: Field::null(),
        deployment_minimum_healthy_percent: Field::null(),
        deployment_controller: Field::null(),
        deployment_strategy: Field::null(),
        deployment_unseen: None,
        network_configuration: Field::known(None),
        load_balancers: Field::known(vec![]),
        service_registries: Field::known(vec![]),
        service_connect: Field::known(None),
        iam_role: Field::null(),
        iam_role_configured: Field::known(false),
        iam_role_traced: false,
        platform_version: Field::null(),
        placement_strategies: Field::known(vec![]),
        member_of: Vec::new(),
        launch: Field::known(Launch::Ec2),
    }
}

/// A model with `aws_ecs_task_definition.NAME` in `mode` and `aws_ecs_service.NAME` running
/// it on `launch` in `aws_ecs_cluster.main`.
pub fn one_service(name: &str, mode: NetworkMode, launch: Launch) -> Model {
    let td = format!("aws_ecs_task_definition.{name}");
    let mut m = Model::default();
    m.task_definitions.push(task_definition(&td, mode));
    let mut s = service(
        &format!("aws_ecs_service.{name}"),
        &td,
        "aws_ecs_cluster.main",
    );
    s.launch = Field::known(launch);
    m.services.push(s);
    m
}

pub fn awsvpc(subnets: &[&str]) -> AwsvpcConfiguration {
    AwsvpcConfiguration {
        subnets: Field::known(
            subnets
                .iter()
                .map(|s| Link::to_address(*s, Resolution::ConfigReference, true))
                .collect(),
        ),
        security_groups: Field::known(vec![]),
        security_groups_at_most: None,
        security_groups_hidden: None,
        subnet_candidates: None,
        assign_public_ip: Field::null(),
    }
}

pub fn cluster(address: &str, capacity: &[&str]) -> Cluster {
    Cluster {
        address: address.into(),
        plan: 0,
        name: Field::known(address.rsplit('.').next().unwrap_or(address).to_string()),
        arn: Field::null(),
        capacity_providers: Field::null(),
        default_strategy: Field::null(),
        capacity: capacity
            .iter()
            .map(|a| CapacitySource {
                address: Some(a.to_string()),
                kind: if a.contains("aws_instance") {
                    CapacityKind::Instance
                } else {
                    CapacityKind::AutoscalingGroup
                },
                via: Resolution::UserData,
                certain: true,
                capacity_provider: None,
                candidates: Vec::new(),
                provider_address: None,
            })
            .collect(),
    }
}

pub fn autoscaling_group(
    address: &str,
    instance_types: &[&str],
    max_size: i64,
) -> AutoscalingGroup {
    AutoscalingGroup {
        address: address.into(),
        plan: 0,
        name: Field::known(address.rsplit('.').next().unwrap_or(address).to_string()),
        min_size: Field::known(0),
        max_size: Field::known(max_size),
        desired_capacity: Field::null(),
        instance_types: Field::known(instance_types.iter().map(|s| s.to_string()).collect()),
        launch_template: None,
        launch_configuration: None,
        subnets: Field::known(vec![]),
        availability_zones: Field::null(),
        ecs_cluster_from_user_data: None,
        reserved_ports_from_user_data: None,
        uses_mixed_instances_policy: instance_types.len() > 1,
        instance_type_candidates: None,
        uses_instance_requirements: false,
        relaunch: Default::default(),
    }
}

pub fn subnet(address: &str, cidr: &str, az: &str) -> Subnet {
    Subnet {
        address: address.into(),
        plan: 0,
        id: Field::unknown(),
        cidr_block: Field::known(cidr.into()),
        ipv6_cidr_block: Field::null(),
        ipv6_cidr_set: false,
        ipv6_native: Field::known(false),
        availability_zone: Field::known(az.into()),
        availability_zone_id: Field::unknown(),
        vpc: None,
        map_public_ip_on_launch: Field::known(false),
        public: Field::unknown(),
        egress: Field::unknown(),
        route_table: None,
        egress_unknown: Some(crate::diagnostics::MissingKind::OutsidePlan),
        resource_name_dns_a_record_on_launch: Field::null(),
    }
}

pub fn target_group(address: &str, target_type: Option<&str>) -> TargetGroup {
    TargetGroup {
        address: address.into(),
        plan: 0,
        name: Field::known(address.rsplit('.').next().unwrap_or(address).to_string()),
        target_type: target_type
            .map(|t| Field::known(t.to_string()))
            .unwrap_or_default(),
        port: Field::known(80),
        protocol: Field::known("HTTP".into()),
        health_check_port: Field::null(),
        ip_address_type: Field::null(),
        vpc: None,
    }
}
