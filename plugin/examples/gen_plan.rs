//! Writes a synthetic `terraform show -json` plan of a large estate, for benchmarks.
//!
//! ```text
//! cargo run --release -p ecsnet --example gen_plan -- --size-mb 100 --out bench-out/large.json
//! cargo run --release -p ecsnet --example gen_plan > large.json      # 100 MB to stdout
//! ```
//!
//! Shape: `module.region[<r>]` (for_each) holds a VPC, subnets (count), an ECS cluster and
//! `module.svc[<s>]` (for_each) per service; each service module holds an `aws_ecs_service`,
//! an `aws_ecs_task_definition`, a target group and about a dozen unrelated resources (IAM,
//! logs, security groups, autoscaling, DNS, SSM). Half the services already exist (no-op /
//! update, so they are in `prior_state` too), half are new (unknown ARNs and ids). The
//! configuration section describes the modules with module-relative expressions and
//! references, as Terraform writes it. Output is deterministic for a given size.

use std::io::{BufWriter, Write};

use serde_json::{json, Map, Value};

struct Args {
    size_mb: f64,
    out: Option<String>,
}

fn args() -> Args {
    let mut a = Args {
        size_mb: 100.0,
        out: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(x) = it.next() {
        match x.as_str() {
            "--size-mb" => a.size_mb = it.next().and_then(|v| v.parse().ok()).expect("--size-mb N"),
            "--out" => a.out = it.next(),
            "-h" | "--help" => {
                eprintln!(
                    "usage: gen_plan [--size-mb N (default 100)] [--out FILE (default stdout)]"
                );
                std::process::exit(0);
            }
            other => {
                eprintln!("gen_plan: unknown argument {other}; see --help");
                std::process::exit(2);
            }
        }
    }
    a
}

const SVC_PER_REGION: usize = 250;
const SUBNETS: usize = 3;

/// One resource instance: its place, its planned values and what is unknown / sensitive.
struct Res {
    module: String,
    type_: &'static str,
    name: &'static str,
    index: Option<Value>,
    mode: &'static str,
    /// Full planned object (unknown attributes included, as placeholders).
    after: Value,
    unknown: Vec<&'static str>,
    sensitive: Vec<&'static str>,
    existing: bool,
    /// The plan changes the existing object (else no-op).
    update: bool,
}

impl Res {
    fn address(&self) -> String {
        let mut a = String::new();
        if !self.module.is_empty() {
            a.push_str(&self.module);
            a.push('.');
        }
        if self.mode == "data" {
            a.push_str("data.");
        }
        a.push_str(self.type_);
        a.push('.');
        a.push_str(self.name);
        match &self.index {
            Some(Value::String(s)) => a.push_str(&format!("[{}]", Value::String(s.clone()))),
            Some(v) => a.push_str(&format!("[{v}]")),
            None => {}
        }
        a
    }

    /// `after` with unknown attributes removed, plus the two mirrors.
    fn split(&self) -> (Value, Value, Value) {
        let mut after = self.after.clone();
        let mut unknown = Map::new();
        let mut sens = Map::new();
        let obj = after.as_object_mut().unwrap();
        if !self.existing {
            for u in &self.unknown {
                obj.remove(*u);
                unknown.insert(u.to_string(), Value::Bool(true));
            }
        }
        for s in &self.sensitive {
            sens.insert(s.to_string(), Value::Bool(true));
        }
        (after, Value::Object(unknown), Value::Object(sens))
    }
}

/// Tiny deterministic generator for variety.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn tags(env: &str, svc: &str) -> Value {
    json!({"Environment": env, "Service": svc, "Owner": "platform-team", "CostCenter": "cc-4711",
           "ManagedBy": "terraform", "Repository": "github.com/example/infrastructure"})
}

fn container_definitions(svc: &str, rng: &mut Lcg) -> String {
    let port = 8000 + rng.pick(1000);
    let env: Vec<Value> = (0..12)
        .map(|i| json!({"name": format!("SETTING_{i}"), "value": format!("value-{}-{svc}", rng.pick(100000))}))
        .collect();
    json!([
        {"name": svc, "image": format!("123456789012.dkr.ecr.eu-west-1.amazonaws.com/{svc}:1.{}.0", rng.pick(50)),
         "cpu": 256, "memory": 512, "essential": true,
         "portMappings": [{"containerPort": port, "hostPort": port, "protocol": "tcp"}],
         "environment": env,
         "secrets": [{"name": "DB_PASSWORD", "valueFrom": format!("arn:aws:ssm:eu-west-1:123456789012:parameter/{svc}/db")}],
         "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": format!("/ecs/{svc}"),
             "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "ecs"}},
         "healthCheck": {"command": ["CMD-SHELL", format!("curl -f http://localhost:{port}/health || exit 1")],
             "interval": 30, "timeout": 5, "retries": 3}},
        {"name": "envoy", "image": "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.27.0.0-prod", "essential": true,
         "memory": 128, "user": "1337", "portMappings": [{"containerPort": 9901, "protocol": "tcp"}]}
    ])
    .to_string()
}

fn policy(svc: &str, n: usize) -> String {
    let stmts: Vec<Value> = (0..n)
        .map(|i| json!({"Sid": format!("S{i}"), "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject", "sqs:SendMessage", "sqs:ReceiveMessage", "kms:Decrypt"],
            "Resource": [format!("arn:aws:s3:::bucket-{svc}/*"), format!("arn:aws:sqs:eu-west-1:123456789012:{svc}-{i}")]}))
        .collect();
    json!({"Version": "2012-10-17", "Statement": stmts}).to_string()
}

fn region_resources(region: &str, existing: bool) -> Vec<Res> {
    let m = format!("module.region[{}]", Value::String(region.into()));
    let mut v = vec![
        Res {
            module: m.clone(),
            type_: "aws_vpc",
            name: "this",
            index: None,
            mode: "managed",
            after: json!({"cidr_block": "10.0.0.0/16", "enable_dns_hostnames": true, "enable_dns_support": true,
                          "id": format!("vpc-{region}"), "arn": "arn", "tags": tags(region, "network")}),
            unknown: vec!["id", "arn"],
            sensitive: vec![],
            existing,
            update: false,
        },
        Res {
            module: m.clone(),
            type_: "aws_ecs_cluster",
            name: "this",
            index: None,
            mode: "managed",
            after: json!({"name": format!("cluster-{region}"), "arn": format!("arn:aws:ecs:{region}:123456789012:cluster/cluster-{region}"),
                          "id": "id", "setting": [{"name": "containerInsights", "value": "enabled"}], "tags": tags(region, "ecs")}),
            unknown: vec!["id", "arn"],
            sensitive: vec![],
            existing,
            update: false,
        },
    ];
    for i in 0..SUBNETS {
        v.push(Res {
            module: m.clone(),
            type_: "aws_subnet",
            name: "private",
            index: Some(json!(i)),
            mode: "managed",
            after: json!({"cidr_block": format!("10.0.{}.0/20", i * 16), "availability_zone": format!("eu-west-1{}", ["a", "b", "c"][i]),
                          "map_public_ip_on_launch": false, "id": format!("subnet-{region}-{i}"), "vpc_id": format!("vpc-{region}"),
                          "ipv6_cidr_block": null, "assign_ipv6_address_on_creation": false, "tags": tags(region, "network")}),
            unknown: vec!["id", "vpc_id"],
            sensitive: vec![],
            existing,
            update: false,
        });
    }
    v
}

fn service_resources(region: &str, svc: &str, existing: bool, rng: &mut Lcg) -> Vec<Res> {
    let m = format!(
        "module.region[{}].module.svc[{}]",
        Value::String(region.into()),
        Value::String(svc.into())
    );
    let update = existing && rng.pick(4) == 0;
    let r = |type_: &'static str,
             name: &'static str,
             after: Value,
             unknown: Vec<&'static str>,
             sensitive: Vec<&'static str>| Res {
        module: m.clone(),
        type_,
        name,
        index: None,
        mode: "managed",
        after,
        unknown,
        sensitive,
        existing,
        update,
    };
    let arn = |kind: &str| format!("arn:aws:{kind}:eu-west-1:123456789012:{svc}");
    let cd_unknown = rng.pick(3) == 0;
    let mut td_unknown = vec![
        "arn",
        "arn_without_revision",
        "id",
        "revision",
        "execution_role_arn",
        "task_role_arn",
    ];
    if cd_unknown {
        td_unknown.push("container_definitions");
    }
    let mut v = vec![
        r(
            "aws_ecs_task_definition",
            "this",
            json!({
            "family": svc, "container_definitions": container_definitions(svc, rng), "cpu": "512", "memory": "1024",
            "network_mode": "awsvpc", "requires_compatibilities": ["FARGATE"], "arn": arn("ecs"), "arn_without_revision": arn("ecs"),
            "id": svc, "revision": 3, "execution_role_arn": arn("iam"), "task_role_arn": arn("iam"), "ipc_mode": null, "pid_mode": null,
            "runtime_platform": [{"cpu_architecture": "X86_64", "operating_system_family": "LINUX"}], "volume": [],
            "ephemeral_storage": [], "skip_destroy": false, "track_latest": false, "tags": tags(region, svc), "tags_all": tags(region, svc)}),
            td_unknown,
            vec![],
        ),
        r(
            "aws_ecs_service",
            "this",
            json!({
            "name": svc, "cluster": format!("arn:aws:ecs:{region}:123456789012:cluster/cluster-{region}"), "task_definition": arn("ecs"),
            "desired_count": 2 + rng.pick(4), "launch_type": "FARGATE", "platform_version": "LATEST", "propagate_tags": "SERVICE",
            "enable_execute_command": false, "health_check_grace_period_seconds": 60, "id": "id", "iam_role": "aws-service-role",
            "network_configuration": [{"subnets": (0..SUBNETS).map(|i| format!("subnet-{region}-{i}")).collect::<Vec<_>>(),
                                       "security_groups": [format!("sg-{svc}")], "assign_public_ip": false}],
            "load_balancer": [{"target_group_arn": arn("elasticloadbalancing"), "container_name": svc, "container_port": 8080, "elb_name": ""}],
            "deployment_circuit_breaker": [{"enable": true, "rollback": true}], "deployment_controller": [{"type": "ECS"}],
            "service_registries": [], "capacity_provider_strategy": [], "ordered_placement_strategy": [], "placement_constraints": [],
            "tags": tags(region, svc), "tags_all": tags(region, svc)}),
            vec!["id", "cluster", "task_definition", "iam_role"],
            vec![],
        ),
        r(
            "aws_lb_target_group",
            "this",
            json!({
            "name": format!("tg-{svc}"), "port": 8080, "protocol": "HTTP", "target_type": "ip", "vpc_id": format!("vpc-{region}"),
            "arn": arn("elasticloadbalancing"), "id": "id", "deregistration_delay": "30",
            "health_check": [{"enabled": true, "path": "/health", "port": "traffic-port", "matcher": "200", "interval": 30,
                              "timeout": 5, "healthy_threshold": 3, "unhealthy_threshold": 3, "protocol": "HTTP"}],
            "stickiness": [{"enabled": false, "type": "lb_cookie", "cookie_duration": 86400}], "tags": tags(region, svc)}),
            vec!["arn", "id", "vpc_id"],
            vec![],
        ),
        r(
            "aws_iam_role",
            "task",
            json!({"name": format!("{svc}-task"), "assume_role_policy": policy(svc, 1), "arn": arn("iam"),
            "id": "id", "max_session_duration": 3600, "path": "/", "tags": tags(region, svc), "tags_all": tags(region, svc)}),
            vec!["arn", "id", "unique_id"],
            vec![],
        ),
        r(
            "aws_iam_role",
            "execution",
            json!({"name": format!("{svc}-exec"), "assume_role_policy": policy(svc, 1), "arn": arn("iam"),
            "id": "id", "max_session_duration": 3600, "path": "/", "tags": tags(region, svc), "tags_all": tags(region, svc)}),
            vec!["arn", "id", "unique_id"],
            vec![],
        ),
        r(
            "aws_iam_role_policy",
            "task",
            json!({"name": format!("{svc}-task"), "role": format!("{svc}-task"), "policy": policy(svc, 4), "id": "id"}),
            vec!["id"],
            vec![],
        ),
        r(
            "aws_cloudwatch_log_group",
            "this",
            json!({"name": format!("/ecs/{svc}"), "retention_in_days": 30, "arn": arn("logs"),
            "kms_key_id": "", "skip_destroy": false, "log_group_class": "STANDARD", "tags": tags(region, svc), "tags_all": tags(region, svc)}),
            vec!["arn", "id"],
            vec![],
        ),
        r(
            "aws_security_group",
            "this",
            json!({"name": format!("sg-{svc}"), "description": "service", "vpc_id": format!("vpc-{region}"),
            "ingress": [{"from_port": 8080, "to_port": 8080, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/16"], "ipv6_cidr_blocks": [],
                         "prefix_list_ids": [], "security_groups": [], "self": false, "description": "lb"}],
            "egress": [{"from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": [],
                        "prefix_list_ids": [], "security_groups": [], "self": false, "description": "all"}],
            "arn": arn("ec2"), "id": "id", "owner_id": "123456789012", "revoke_rules_on_delete": false, "tags": tags(region, svc)}),
            vec!["arn", "id", "owner_id", "vpc_id"],
            vec![],
        ),
        r(
            "aws_appautoscaling_target",
            "this",
            json!({"max_capacity": 10, "min_capacity": 2, "resource_id": format!("service/cluster-{region}/{svc}"),
            "scalable_dimension": "ecs:service:DesiredCount", "service_namespace": "ecs", "role_arn": arn("iam"), "id": "id", "tags": tags(region, svc)}),
            vec!["id", "role_arn"],
            vec![],
        ),
        r(
            "aws_appautoscaling_policy",
            "cpu",
            json!({"name": format!("{svc}-cpu"), "policy_type": "TargetTrackingScaling",
            "resource_id": format!("service/cluster-{region}/{svc}"), "scalable_dimension": "ecs:service:DesiredCount", "service_namespace": "ecs",
            "target_tracking_scaling_policy_configuration": [{"target_value": 60, "scale_in_cooldown": 300, "scale_out_cooldown": 60,
                "disable_scale_in": false, "predefined_metric_specification": [{"predefined_metric_type": "ECSServiceAverageCPUUtilization", "resource_label": ""}],
                "customized_metric_specification": []}], "arn": arn("autoscaling"), "id": "id"}),
            vec!["arn", "id", "alarm_arns"],
            vec![],
        ),
        r(
            "aws_lb_listener_rule",
            "this",
            json!({"listener_arn": arn("elasticloadbalancing"), "priority": 100 + rng.pick(900),
            "action": [{"type": "forward", "target_group_arn": arn("elasticloadbalancing"), "order": 1}],
            "condition": [{"host_header": [{"values": [format!("{svc}.example.com")]}], "path_pattern": []}], "arn": arn("elasticloadbalancing"), "id": "id", "tags": tags(region, svc)}),
            vec!["arn", "id"],
            vec![],
        ),
        r(
            "aws_route53_record",
            "this",
            json!({"name": format!("{svc}.example.com"), "type": "A", "zone_id": "Z123456789",
            "alias": [{"name": "lb-123.eu-west-1.elb.amazonaws.com", "zone_id": "Z32O12XQLNTSW2", "evaluate_target_health": true}],
            "fqdn": format!("{svc}.example.com"), "id": "id", "records": [], "ttl": 0}),
            vec!["fqdn", "id"],
            vec![],
        ),
        r(
            "aws_ssm_parameter",
            "db",
            json!({"name": format!("/{svc}/db"), "type": "SecureString", "value": format!("secret-{}", rng.next()),
            "arn": arn("ssm"), "id": "id", "tier": "Standard", "version": 1, "tags": tags(region, svc)}),
            vec!["arn", "id", "version"],
            vec!["value"],
        ),
    ];
    v.push(Res {
        module: m,
        type_: "aws_iam_policy_document",
        name: "assume",
        index: None,
        mode: "data",
        after: json!({"json": policy(svc, 1), "id": "123", "statement": [{"effect": "Allow", "actions": ["sts:AssumeRole"]}]}),
        unknown: vec![],
        sensitive: vec![],
        existing: true,
        update: false,
    });
    v
}

fn resource_change(r: &Res) -> Value {
    let (after, unknown, sens) = r.split();
    let actions = if !r.existing {
        json!(["create"])
    } else if r.update {
        json!(["update"])
    } else {
        json!(["no-op"])
    };
    let before = if r.existing {
        r.after.clone()
    } else {
        Value::Null
    };
    let mut c = json!({"address": r.address(), "mode": r.mode, "type": r.type_, "name": r.name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {"actions": actions, "before": before, "after": after, "after_unknown": unknown,
                   "before_sensitive": if r.existing { sens.clone() } else { json!(false) }, "after_sensitive": sens}});
    let o = c.as_object_mut().unwrap();
    if !r.module.is_empty() {
        o.insert("module_address".into(), json!(r.module));
    }
    if let Some(i) = &r.index {
        o.insert("index".into(), i.clone());
    }
    c
}

fn values_resource(r: &Res, planned: bool) -> Value {
    let (after, _, sens) = r.split();
    let values = if planned { after } else { r.after.clone() };
    let mut v = json!({"address": r.address(), "mode": r.mode, "type": r.type_, "name": r.name,
        "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
        "values": values, "sensitive_values": sens});
    if let Some(i) = &r.index {
        v.as_object_mut().unwrap().insert("index".into(), i.clone());
    }
    v
}

fn refs(r: &[&str]) -> Value {
    json!({"references": r})
}

fn configuration() -> Value {
    let svc_resources = json!([
        {"address": "aws_ecs_service.this", "mode": "managed", "type": "aws_ecs_service", "name": "this", "provider_config_key": "aws",
         "expressions": {"name": refs(&["var.name"]), "cluster": refs(&["var.cluster_arn"]),
            "task_definition": refs(&["aws_ecs_task_definition.this.arn", "aws_ecs_task_definition.this"]),
            "desired_count": refs(&["var.desired_count"]), "launch_type": {"constant_value": "FARGATE"},
            "network_configuration": [{"subnets": refs(&["var.subnet_ids"]),
                "security_groups": refs(&["aws_security_group.this.id", "aws_security_group.this"]), "assign_public_ip": {"constant_value": false}}],
            "load_balancer": [{"target_group_arn": refs(&["aws_lb_target_group.this.arn", "aws_lb_target_group.this"]),
                "container_name": refs(&["var.name"]), "container_port": {"constant_value": 8080}}]}, "schema_version": 0},
        {"address": "aws_ecs_task_definition.this", "mode": "managed", "type": "aws_ecs_task_definition", "name": "this", "provider_config_key": "aws",
         "expressions": {"family": refs(&["var.name"]), "network_mode": {"constant_value": "awsvpc"},
            "container_definitions": refs(&["var.name", "var.image", "aws_cloudwatch_log_group.this.name", "aws_cloudwatch_log_group.this"]),
            "execution_role_arn": refs(&["aws_iam_role.execution.arn", "aws_iam_role.execution"]),
            "task_role_arn": refs(&["aws_iam_role.task.arn", "aws_iam_role.task"])}, "schema_version": 1},
        {"address": "aws_lb_target_group.this", "mode": "managed", "type": "aws_lb_target_group", "name": "this", "provider_config_key": "aws",
         "expressions": {"port": {"constant_value": 8080}, "target_type": {"constant_value": "ip"}, "vpc_id": refs(&["var.vpc_id"])}, "schema_version": 0},
        {"address": "aws_cloudwatch_log_group.this", "mode": "managed", "type": "aws_cloudwatch_log_group", "name": "this", "provider_config_key": "aws",
         "expressions": {"name": refs(&["var.name"])}, "schema_version": 0},
        {"address": "aws_security_group.this", "mode": "managed", "type": "aws_security_group", "name": "this", "provider_config_key": "aws",
         "expressions": {"vpc_id": refs(&["var.vpc_id"])}, "schema_version": 1},
        {"address": "aws_iam_role.task", "mode": "managed", "type": "aws_iam_role", "name": "task", "provider_config_key": "aws",
         "expressions": {"assume_role_policy": refs(&["data.aws_iam_policy_document.assume.json", "data.aws_iam_policy_document.assume"])}, "schema_version": 0},
        {"address": "aws_iam_role.execution", "mode": "managed", "type": "aws_iam_role", "name": "execution", "provider_config_key": "aws",
         "expressions": {"assume_role_policy": refs(&["data.aws_iam_policy_document.assume.json", "data.aws_iam_policy_document.assume"])}, "schema_version": 0},
        {"address": "data.aws_iam_policy_document.assume", "mode": "data", "type": "aws_iam_policy_document", "name": "assume",
         "provider_config_key": "aws", "expressions": {}, "schema_version": 0}
    ]);
    let svc_module = json!({
        "resources": svc_resources,
        "variables": {"name": {}, "image": {}, "cluster_arn": {}, "subnet_ids": {}, "vpc_id": {}, "desired_count": {"default": 2}},
        "outputs": {"service_name": {"expression": refs(&["aws_ecs_service.this.name", "aws_ecs_service.this"])}}
    });
    let region_module = json!({
        "resources": [
            {"address": "aws_vpc.this", "mode": "managed", "type": "aws_vpc", "name": "this", "provider_config_key": "aws",
             "expressions": {"cidr_block": {"constant_value": "10.0.0.0/16"}}, "schema_version": 1},
            {"address": "aws_subnet.private", "mode": "managed", "type": "aws_subnet", "name": "private", "provider_config_key": "aws",
             "expressions": {"vpc_id": refs(&["aws_vpc.this.id", "aws_vpc.this"]), "cidr_block": refs(&["count.index"])},
             "count_expression": {"constant_value": SUBNETS}, "schema_version": 1},
            {"address": "aws_ecs_cluster.this", "mode": "managed", "type": "aws_ecs_cluster", "name": "this", "provider_config_key": "aws",
             "expressions": {"name": refs(&["var.region"])}, "schema_version": 0}
        ],
        "module_calls": {"svc": {
            "source": "./modules/service",
            "for_each_expression": refs(&["var.services"]),
            "expressions": {
                "name": refs(&["each.key"]), "image": refs(&["each.value.image", "each.value"]),
                "cluster_arn": refs(&["aws_ecs_cluster.this.arn", "aws_ecs_cluster.this"]),
                "subnet_ids": refs(&["aws_subnet.private"]), "vpc_id": refs(&["aws_vpc.this.id", "aws_vpc.this"])
            },
            "module": svc_module
        }},
        "variables": {"region": {}, "services": {}}
    });
    json!({"provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws", "version_constraint": "~> 5.0"}},
    "root_module": {
        "module_calls": {"region": {"source": "./modules/region", "for_each_expression": refs(&["var.regions"]),
            "expressions": {"region": refs(&["each.key"]), "services": refs(&["each.value"])}, "module": region_module}},
        "variables": {"regions": {}, "db_password": {"sensitive": true}}
    }})
}

/// Everything for `units` services: (region resources, service resources).
fn world(units: usize) -> Vec<Res> {
    let mut rng = Lcg(42);
    let mut out = Vec::new();
    let regions = units.div_ceil(SVC_PER_REGION).max(1);
    for r in 0..regions {
        let region = format!("r{r:03}");
        out.extend(region_resources(&region, r % 2 == 0));
        let n = SVC_PER_REGION.min(units - r * SVC_PER_REGION);
        for s in 0..n {
            let svc = format!("svc-{r:03}-{s:04}");
            out.extend(service_resources(&region, &svc, s % 2 == 0, &mut rng));
        }
    }
    out
}

fn module_tree(res: &[&Res], planned: bool) -> Value {
    // Group by module address; the tree is root → region → svc.
    use std::collections::BTreeMap;
    let mut by_module: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for r in res {
        by_module
            .entry(&r.module)
            .or_default()
            .push(values_resource(r, planned));
    }
    let mut regions: BTreeMap<String, (Vec<Value>, Vec<Value>)> = BTreeMap::new();
    for (m, rs) in by_module {
        if m.is_empty() {
            continue;
        }
        let region_addr = match m.find(".module.svc[") {
            Some(i) => &m[..i],
            None => m,
        };
        let e = regions.entry(region_addr.to_string()).or_default();
        if region_addr == m {
            e.0.extend(rs);
        } else {
            e.1.push(json!({"resources": rs, "address": m}));
        }
    }
    let children: Vec<Value> = regions
        .into_iter()
        .map(|(addr, (rs, kids))| json!({"resources": rs, "address": addr, "child_modules": kids}))
        .collect();
    json!({"root_module": {"child_modules": children}})
}

/// Write a plan with `units` services (about 40 KB each). Also used by `benches/parse.rs`.
pub fn write_plan(w: &mut impl Write, units: usize) -> std::io::Result<()> {
    let all = world(units);
    let regions = units.div_ceil(SVC_PER_REGION).max(1);
    let managed: Vec<&Res> = all.iter().filter(|r| r.mode == "managed").collect();
    let existing: Vec<&Res> = all.iter().filter(|r| r.existing).collect();
    let mut regions_var = Map::new();
    for r in 0..regions {
        regions_var.insert(format!("r{r:03}"), json!({}));
    }
    write!(
        w,
        r#"{{"format_version":"1.2","terraform_version":"1.9.5","variables":"#
    )?;
    serde_json::to_writer(
        &mut *w,
        &json!({"regions": {"value": regions_var}, "db_password": {"value": "bench-secret-value"}}),
    )?;
    write!(w, r#","planned_values":"#)?;
    serde_json::to_writer(&mut *w, &module_tree(&managed, true))?;
    write!(w, r#","resource_changes":["#)?;
    for (i, r) in managed.iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        serde_json::to_writer(&mut *w, &resource_change(r))?;
    }
    write!(
        w,
        r#"],"prior_state":{{"format_version":"1.0","terraform_version":"1.9.5","values":"#
    )?;
    serde_json::to_writer(&mut *w, &module_tree(&existing, false))?;
    write!(w, r#"}},"configuration":"#)?;
    serde_json::to_writer(&mut *w, &configuration())?;
    write!(
        w,
        r#","timestamp":"2026-01-01T00:00:00Z","applyable":true,"complete":true,"errored":false}}"#
    )?;
    w.write_all(b"\n")
}

struct Counter(u64);
impl Write for Counter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0 += b.len() as u64;
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn main() -> std::io::Result<()> {
    let a = args();
    let target = (a.size_mb * 1024.0 * 1024.0) as u64;
    // Size of a sample, scaled: the plan grows linearly with the number of services.
    let sample = 200;
    let mut c = Counter(0);
    write_plan(&mut c, sample)?;
    let units = ((target as f64 / c.0 as f64) * sample as f64)
        .round()
        .max(1.0) as usize;
    let out: Box<dyn Write> = match &a.out {
        Some(p) => {
            if let Some(dir) = std::path::Path::new(p).parent() {
                std::fs::create_dir_all(dir)?;
            }
            Box::new(std::fs::File::create(p)?)
        }
        None => Box::new(std::io::stdout().lock()),
    };
    let mut w = BufWriter::with_capacity(1 << 20, out);
    write_plan(&mut w, units)?;
    w.flush()?;
    let resources = world(units).iter().filter(|r| r.mode == "managed").count();
    eprintln!(
        "gen_plan: {units} services (+ task definitions) in {} regions, {resources} managed resource instances, ~{:.0} MB{}",
        units.div_ceil(SVC_PER_REGION),
        a.size_mb,
        a.out.as_deref().map(|p| format!(" -> {p}")).unwrap_or_default()
    );
    Ok(())
}
