//! world.json: what already exists in the account, answered by data sources. The generator
//! sets `AWS_STANDIN_WORLD` to the scenario's file; every key is optional (see
//! testdata/scenarios/README.md for the format and the defaults).

use std::collections::BTreeMap;

use serde::Deserialize;

/// The environment variable naming the world.json to read.
pub const WORLD_ENV: &str = "AWS_STANDIN_WORLD";
pub const DEFAULT_ACCOUNT: &str = "123456789012";
pub const DEFAULT_VPC_ID: &str = "vpc-0default0000000001";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct World {
    pub account_id: Option<String>,
    pub availability_zones: Option<Vec<String>>,
    pub vpcs: Option<Vec<Vpc>>,
    pub subnets: Option<Vec<Subnet>>,
    #[serde(default)]
    pub ssm_parameters: BTreeMap<String, String>,
    #[serde(default)]
    pub security_groups: Vec<SecurityGroup>,
    #[serde(default)]
    pub route_tables: Vec<RouteTable>,
    #[serde(default)]
    pub clusters: Vec<Cluster>,
    #[serde(default)]
    pub load_balancers: Vec<LoadBalancer>,
    #[serde(default)]
    pub target_groups: Vec<TargetGroup>,
    #[serde(default)]
    pub task_definitions: Vec<TaskDefinition>,
    #[serde(default)]
    pub iam_roles: Vec<IamRole>,
    #[serde(default)]
    pub secrets: Vec<Named>,
    #[serde(default)]
    pub ecr_repositories: Vec<Named>,
    #[serde(default)]
    pub kms_aliases: Vec<KmsAlias>,
    /// Free-form note for people reading the scenario.
    #[serde(default, rename = "_comment")]
    pub comment: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vpc {
    pub id: String,
    pub cidr_block: String,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    #[serde(default)]
    pub default: bool,
    #[serde(default)]
    pub ipv6_cidr_block: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subnet {
    pub id: String,
    pub vpc_id: String,
    pub cidr_block: String,
    pub availability_zone: String,
    #[serde(default)]
    pub map_public_ip_on_launch: bool,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    #[serde(default)]
    pub default_for_az: bool,
    #[serde(default)]
    pub ipv6_cidr_block: Option<String>,
    /// Free addresses; default: the block's usable size (2^(32-prefix) - 5).
    #[serde(default)]
    pub available_ip_address_count: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub vpc_id: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteTable {
    pub id: String,
    pub vpc_id: String,
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    #[serde(default)]
    pub main: bool,
    /// Routes: `{ "cidr_block": "0.0.0.0/0", "gateway_id": "igw-…" }` or with `nat_gateway_id`.
    #[serde(default)]
    pub routes: Vec<BTreeMap<String, String>>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cluster {
    pub name: String,
    #[serde(default)]
    pub arn: Option<String>,
    /// `containerInsights` setting value, default "disabled".
    #[serde(default)]
    pub container_insights: Option<String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoadBalancer {
    pub name: String,
    #[serde(default)]
    pub arn: Option<String>,
    /// application (default), network or gateway.
    #[serde(default)]
    pub load_balancer_type: Option<String>,
    #[serde(default)]
    pub internal: bool,
    #[serde(default)]
    pub vpc_id: Option<String>,
    #[serde(default)]
    pub subnets: Vec<String>,
    #[serde(default)]
    pub security_groups: Vec<String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetGroup {
    pub name: String,
    #[serde(default)]
    pub arn: Option<String>,
    /// instance (default), ip, lambda or alb.
    #[serde(default)]
    pub target_type: Option<String>,
    #[serde(default)]
    pub port: Option<i64>,
    #[serde(default)]
    pub protocol: Option<String>,
    #[serde(default)]
    pub vpc_id: Option<String>,
    /// Health check port, default "traffic-port".
    #[serde(default)]
    pub health_check_port: Option<String>,
    #[serde(default)]
    pub health_check_path: Option<String>,
    #[serde(default)]
    pub load_balancer_arns: Vec<String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskDefinition {
    pub family: String,
    #[serde(default)]
    pub revision: Option<i64>,
    #[serde(default)]
    pub network_mode: Option<String>,
    /// The container definitions, as JSON (a list) or as the JSON string.
    #[serde(default)]
    pub container_definitions: Option<serde_json::Value>,
    #[serde(default)]
    pub requires_compatibilities: Vec<String>,
    #[serde(default)]
    pub cpu: Option<String>,
    #[serde(default)]
    pub memory: Option<String>,
    #[serde(default)]
    pub task_role_arn: Option<String>,
    #[serde(default)]
    pub execution_role_arn: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IamRole {
    pub name: String,
    #[serde(default)]
    pub arn: Option<String>,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub assume_role_policy: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Named {
    pub name: String,
    #[serde(default)]
    pub arn: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KmsAlias {
    pub name: String,
    pub target_key_id: String,
}

impl World {
    /// Reads `AWS_STANDIN_WORLD` when set (a missing or malformed file is an error: the
    /// scenario asked for it).
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Result<World, String> {
        match env(WORLD_ENV).filter(|p| !p.is_empty()) {
            None => Ok(World::default()),
            Some(path) => {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("{WORLD_ENV}={path}: {e}"))?;
                World::parse(&text).map_err(|e| format!("{path}: {e}"))
            }
        }
    }

    pub fn parse(text: &str) -> Result<World, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    pub fn account(&self) -> &str {
        self.account_id.as_deref().unwrap_or(DEFAULT_ACCOUNT)
    }

    /// The zone names: world's, else `<region>a/b/c`.
    pub fn zones(&self, region: &str) -> Vec<String> {
        match &self.availability_zones {
            Some(z) => z.clone(),
            None => ["a", "b", "c"]
                .iter()
                .map(|s| format!("{region}{s}"))
                .collect(),
        }
    }

    /// The world's VPCs, else the default VPC.
    pub fn vpcs(&self) -> Vec<Vpc> {
        match &self.vpcs {
            Some(v) => v.clone(),
            None => vec![Vpc {
                id: DEFAULT_VPC_ID.to_owned(),
                cidr_block: "172.31.0.0/16".to_owned(),
                tags: BTreeMap::new(),
                default: true,
                ipv6_cidr_block: None,
            }],
        }
    }

    /// The world's subnets, else one /20 of the default VPC per zone.
    pub fn subnets(&self, region: &str) -> Vec<Subnet> {
        match &self.subnets {
            Some(s) => s.clone(),
            None if self.vpcs.is_some() => Vec::new(),
            None => self
                .zones(region)
                .iter()
                .enumerate()
                .map(|(i, z)| Subnet {
                    id: format!("subnet-0default00000000{}", (b'a' + (i % 26) as u8) as char),
                    vpc_id: DEFAULT_VPC_ID.to_owned(),
                    cidr_block: format!("172.31.{}.0/20", 16 * (i % 16)),
                    availability_zone: z.clone(),
                    map_public_ip_on_launch: true,
                    tags: BTreeMap::new(),
                    default_for_az: true,
                    ipv6_cidr_block: None,
                    available_ip_address_count: None,
                })
                .collect(),
        }
    }

    pub fn default_vpc(&self) -> Option<Vpc> {
        let vpcs = self.vpcs();
        vpcs.iter()
            .find(|v| v.default)
            .cloned()
            .or_else(|| vpcs.first().cloned())
    }
}

/// The zone id AWS would show for a zone name: `euw1-az1` for eu-west-1a (the letter-to-number
/// mapping differs per account in reality; this one is fixed).
pub fn zone_id(zone: &str) -> String {
    let (region, letter) = zone.split_at(zone.len().saturating_sub(1));
    let n = letter
        .bytes()
        .next()
        .map_or(1, |b| u32::from(b.saturating_sub(b'a')) + 1);
    format!("{}-az{n}", region_short(region))
}

/// `euw1` for eu-west-1, `use1` for us-east-1, `apse2` for ap-southeast-2.
pub fn region_short(region: &str) -> String {
    let parts: Vec<&str> = region.split('-').collect();
    if parts.len() < 3 {
        return region.replace('-', "");
    }
    let dir = match parts[1] {
        "north" => "n",
        "south" => "s",
        "east" => "e",
        "west" => "w",
        "central" => "c",
        "northeast" => "ne",
        "southeast" => "se",
        "northwest" => "nw",
        "southwest" => "sw",
        other => &other[..1.min(other.len())],
    };
    format!("{}{}{}", parts[0], dir, parts[2..].join(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_without_a_world() {
        let w = World::default();
        assert_eq!(w.account(), DEFAULT_ACCOUNT);
        assert_eq!(
            w.zones("eu-west-1"),
            ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
        );
        let subnets = w.subnets("eu-west-1");
        assert_eq!(subnets.len(), 3);
        assert_eq!(subnets[1].cidr_block, "172.31.16.0/20");
        assert_eq!(subnets[2].availability_zone, "eu-west-1c");
        assert!(w.default_vpc().unwrap().default);
    }

    #[test]
    fn reads_the_documented_format() {
        let w = World::parse(
            r#"{"account_id":"111122223333","availability_zones":["eu-west-1a"],
                "vpcs":[{"id":"vpc-0a","cidr_block":"10.20.0.0/16","tags":{"Name":"shared"}}],
                "subnets":[{"id":"subnet-0a","vpc_id":"vpc-0a","cidr_block":"10.20.1.0/24",
                  "availability_zone":"eu-west-1a","map_public_ip_on_launch":false,"tags":{"Tier":"private"}}],
                "ssm_parameters":{"/x":"y"}}"#,
        )
        .unwrap();
        assert_eq!(w.account(), "111122223333");
        assert_eq!(w.subnets("eu-west-1")[0].tags["Tier"], "private");
        assert!(
            World::parse(r#"{"acount_id":"x"}"#).is_err(),
            "typos are errors"
        );
    }

    #[test]
    fn zone_ids_and_short_regions() {
        assert_eq!(zone_id("eu-west-1b"), "euw1-az2");
        assert_eq!(zone_id("us-east-1a"), "use1-az1");
        assert_eq!(region_short("ap-southeast-2"), "apse2");
    }
}
