//! Data sources answer from world.json (and plausible defaults without one), wholly known.

use aws_standin::codec::{msgpack, object, Value};
use aws_standin::pb;
use aws_standin::provider::AwsStandin;
use aws_standin::version::AwsVersion;
use aws_standin::world::World;

fn s(v: &str) -> Value {
    Value::string(v)
}

fn strs(items: &[&str]) -> Value {
    Value::List(items.iter().map(|i| s(i)).collect())
}

const WORLD: &str = r#"{
  "account_id": "111122223333",
  "availability_zones": ["eu-west-1a", "eu-west-1b"],
  "vpcs": [{ "id": "vpc-0a", "cidr_block": "10.20.0.0/16", "tags": { "Name": "shared" } },
           { "id": "vpc-0b", "cidr_block": "10.30.0.0/16" }],
  "subnets": [
    { "id": "subnet-1", "vpc_id": "vpc-0a", "cidr_block": "10.20.1.0/24", "availability_zone": "eu-west-1a", "tags": { "Tier": "private", "Name": "app-a" } },
    { "id": "subnet-2", "vpc_id": "vpc-0a", "cidr_block": "10.20.2.0/24", "availability_zone": "eu-west-1b", "tags": { "Tier": "private", "Name": "app-b" } },
    { "id": "subnet-3", "vpc_id": "vpc-0a", "cidr_block": "10.20.3.0/26", "availability_zone": "eu-west-1a", "map_public_ip_on_launch": true, "tags": { "Tier": "public" } }
  ],
  "ssm_parameters": { "/app/image": "repo/app:1" },
  "target_groups": [{ "name": "legacy", "target_type": "ip", "port": 8080, "vpc_id": "vpc-0a" }]
}"#;

fn provider(world: Option<&str>) -> AwsStandin {
    let w = world.map(|w| World::parse(w).unwrap()).unwrap_or_default();
    let p = AwsStandin::new(AwsVersion::V6_47_0, &|_| None)
        .unwrap()
        .with_world(w);
    p.configure(&object([("region", s("eu-west-1"))]));
    p
}

fn read(p: &AwsStandin, type_name: &str, config: Value) -> Result<Value, String> {
    let ty = &p.schema.data_sources[type_name].ty;
    let resp = p.read_data(&pb::read_data_source::Request {
        type_name: type_name.into(),
        config: Some(pb::DynamicValue {
            msgpack: msgpack::encode(&config, ty).unwrap(),
            json: vec![],
        }),
        ..Default::default()
    });
    if let Some(d) = resp.diagnostics.first() {
        return Err(d.summary.clone());
    }
    let v = msgpack::decode(&resp.state.unwrap().msgpack, ty).unwrap();
    assert!(v.is_wholly_known(), "{type_name}: {v:?}");
    Ok(v)
}

fn filter(name: &str, values: &[&str]) -> Value {
    object([("name", s(name)), ("values", strs(values))])
}

#[test]
fn subnets_by_filter_and_tags() {
    let p = provider(Some(WORLD));
    let private = read(
        &p,
        "aws_subnets",
        object([
            ("filter", Value::List(vec![filter("vpc-id", &["vpc-0a"])])),
            ("tags", object([("Tier", s("private"))])),
        ]),
    )
    .unwrap();
    assert_eq!(private.get("ids"), &strs(&["subnet-1", "subnet-2"]));
    let by_name = read(
        &p,
        "aws_subnets",
        object([(
            "filter",
            Value::List(vec![
                filter("tag:Name", &["app-*"]),
                filter("availability-zone", &["eu-west-1b"]),
            ]),
        )]),
    )
    .unwrap();
    assert_eq!(by_name.get("ids"), &strs(&["subnet-2"]));
    let one = read(&p, "aws_subnet", object([("id", s("subnet-3"))])).unwrap();
    assert_eq!(one.get("cidr_block"), &s("10.20.3.0/26"));
    assert_eq!(one.get("available_ip_address_count"), &Value::int(59));
    assert_eq!(one.get("map_public_ip_on_launch"), &Value::Bool(true));
    assert_eq!(one.get("availability_zone_id"), &s("euw1-az1"));
    assert_eq!(one.get("owner_id"), &s("111122223333"));
    let err = read(
        &p,
        "aws_subnet",
        object([("filter", Value::List(vec![filter("vpc-id", &["vpc-0a"])]))]),
    )
    .unwrap_err();
    assert!(err.contains("multiple"), "{err}");
    let err = read(&p, "aws_subnet", object([("id", s("subnet-9"))])).unwrap_err();
    assert!(err.contains("no matching"), "{err}");
}

#[test]
fn vpcs_zones_and_identity() {
    let p = provider(Some(WORLD));
    let vpc = read(
        &p,
        "aws_vpc",
        object([("tags", object([("Name", s("shared"))]))]),
    )
    .unwrap();
    assert_eq!(vpc.get("id"), &s("vpc-0a"));
    assert_eq!(vpc.get("cidr_block"), &s("10.20.0.0/16"));
    let all = read(&p, "aws_vpcs", object::<[(&str, Value); 0], &str>([])).unwrap();
    assert_eq!(all.get("ids"), &strs(&["vpc-0a", "vpc-0b"]));
    let az = read(
        &p,
        "aws_availability_zones",
        object([("exclude_names", strs(&["eu-west-1a"]))]),
    )
    .unwrap();
    assert_eq!(az.get("names"), &strs(&["eu-west-1b"]));
    assert_eq!(az.get("zone_ids"), &strs(&["euw1-az2"]));
    let me = read(
        &p,
        "aws_caller_identity",
        object::<[(&str, Value); 0], &str>([]),
    )
    .unwrap();
    assert_eq!(me.get("account_id"), &s("111122223333"));
    let region = read(&p, "aws_region", object::<[(&str, Value); 0], &str>([])).unwrap();
    assert_eq!(region.get("region"), &s("eu-west-1"));
    assert_eq!(region.get("description"), &s("Europe (Ireland)"));
}

#[test]
fn defaults_without_a_world() {
    let p = provider(None);
    let vpc = read(&p, "aws_vpc", object([("default", Value::Bool(true))])).unwrap();
    assert_eq!(vpc.get("id"), &s("vpc-0default0000000001"));
    let subnets = read(
        &p,
        "aws_subnets",
        object([(
            "filter",
            Value::List(vec![filter("vpc-id", &["vpc-0default0000000001"])]),
        )]),
    )
    .unwrap();
    assert_eq!(subnets.get("ids").as_list().map(<[Value]>::len), Some(3));
    let me = read(
        &p,
        "aws_caller_identity",
        object::<[(&str, Value); 0], &str>([]),
    )
    .unwrap();
    assert_eq!(me.get("account_id"), &s("123456789012"));
}

#[test]
fn parameters_target_groups_and_policies() {
    let p = provider(Some(WORLD));
    let param = read(&p, "aws_ssm_parameter", object([("name", s("/app/image"))])).unwrap();
    assert_eq!(param.get("value"), &s("repo/app:1"));
    let ami = read(
        &p,
        "aws_ssm_parameter",
        object([(
            "name",
            s("/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"),
        )]),
    )
    .unwrap();
    let id = ami.get("value").as_str().unwrap();
    assert!(id.starts_with("ami-0") && id.len() == 21, "{id}");
    let rec = read(
        &p,
        "aws_ssm_parameter",
        object([(
            "name",
            s("/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended"),
        )]),
    )
    .unwrap();
    let doc: serde_json::Value = serde_json::from_str(rec.get("value").as_str().unwrap()).unwrap();
    assert_eq!(
        doc["image_id"], id,
        "the image_id parameter and the document agree"
    );

    let tg = read(&p, "aws_lb_target_group", object([("name", s("legacy"))])).unwrap();
    assert_eq!(tg.get("target_type"), &s("ip"));
    assert_eq!(tg.get("port"), &Value::int(8080));
    let other = read(
        &p,
        "aws_lb_target_group",
        object([("name", s("unknown-tg"))]),
    )
    .unwrap();
    assert_eq!(other.get("target_type"), &s("instance"), "AWS's default");

    let doc = read(
        &p,
        "aws_iam_policy_document",
        object([(
            "statement",
            Value::List(vec![object([
                ("actions", strs(&["ecr:GetAuthorizationToken"])),
                ("resources", strs(&["*"])),
            ])]),
        )]),
    )
    .unwrap();
    let j: serde_json::Value = serde_json::from_str(doc.get("json").as_str().unwrap()).unwrap();
    assert_eq!(j["Statement"][0]["Action"], "ecr:GetAuthorizationToken");
    assert_eq!(j["Statement"][0]["Resource"], "*");
    // As real plans store the data source (workspace's shared realplans: cloudstruct,
    // aws-samples): SDK defaults for what the configuration omits (version, effect), zero
    // values for the other unset statement fields.
    assert_eq!(doc.get("version"), &s("2012-10-17"));
    let st = &doc.get("statement").as_list().unwrap()[0];
    assert_eq!(st.get("effect"), &s("Allow"));
    assert_eq!(st.get("sid"), &s(""));
    assert_eq!(st.get("not_actions"), &Value::List(vec![]));
    assert_eq!(st.get("condition"), &Value::List(vec![]));
}

#[test]
fn listeners_certificates_and_zones() {
    let p = provider(None);
    let lb = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/front/50dc6c495c0c9188";
    let l = read(
        &p,
        "aws_lb_listener",
        object([("load_balancer_arn", s(lb)), ("port", Value::int(443))]),
    )
    .unwrap();
    let arn = l.get("arn").as_str().unwrap();
    assert!(
        arn.starts_with(
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/front/50dc6c495c0c9188/"
        ),
        "{arn}"
    );
    assert_eq!(l.get("protocol"), &s("HTTPS"));
    assert_eq!(l.get("id"), l.get("arn"));
    // By ARN alone: the load balancer is the ARN's prefix.
    let by_arn = read(&p, "aws_lb_listener", object([("arn", s(arn))])).unwrap();
    assert_eq!(by_arn.get("load_balancer_arn"), &s(lb));

    let cert = read(
        &p,
        "aws_acm_certificate",
        object([("domain", s("shop.example.com"))]),
    )
    .unwrap();
    let arn = cert.get("arn").as_str().unwrap();
    assert!(
        arn.starts_with("arn:aws:acm:eu-west-1:123456789012:certificate/"),
        "{arn}"
    );
    assert_eq!(cert.get("status"), &s("ISSUED"));

    let zone = read(
        &p,
        "aws_route53_zone",
        object([("name", s("example.com."))]),
    )
    .unwrap();
    let id = zone.get("zone_id").as_str().unwrap();
    assert!(id.starts_with('Z') && id.len() == 21, "{id}");
    assert_eq!(
        zone.get("name_servers").as_list().map(<[Value]>::len),
        Some(4)
    );
}
