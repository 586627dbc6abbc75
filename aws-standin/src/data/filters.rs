//! EC2-style `filter { name = ..., values = [...] }` and `tags` matching over the world.

use std::collections::BTreeMap;

use crate::codec::Value;

/// One `filter` block: any of `values` (with `*` and `?` wildcards) must match.
#[derive(Debug, Clone)]
pub struct Filter {
    pub name: String,
    pub values: Vec<String>,
}

/// The `filter` blocks of a data source configuration.
pub fn filters(config: &Value) -> Vec<Filter> {
    config
        .get("filter")
        .as_list()
        .unwrap_or_default()
        .iter()
        .map(|f| Filter {
            name: f.get("name").as_str().unwrap_or_default().to_owned(),
            values: f.get("values").strings(),
        })
        .collect()
}

/// `*` matches any run of characters, `?` one character.
pub fn glob(pattern: &str, s: &str) -> bool {
    fn go(p: &[char], s: &[char]) -> bool {
        match p.split_first() {
            None => s.is_empty(),
            Some(('*', rest)) => (0..=s.len()).any(|i| go(rest, &s[i..])),
            Some(('?', rest)) => !s.is_empty() && go(rest, &s[1..]),
            Some((c, rest)) => s.first() == Some(c) && go(rest, &s[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = s.chars().collect();
    go(&p, &s)
}

/// An object the filters look at: its attributes by filter name, and its tags.
pub trait Filterable {
    /// The object's values for a filter name (`None`: a name this object has no value for,
    /// which matches nothing).
    fn field(&self, name: &str) -> Option<Vec<String>>;
    fn tags(&self) -> &BTreeMap<String, String>;
}

/// True when every filter and every wanted tag matches.
pub fn matches(obj: &dyn Filterable, filters: &[Filter], tags: &BTreeMap<String, String>) -> bool {
    let tag_ok = tags
        .iter()
        .all(|(k, v)| obj.tags().get(k).is_some_and(|have| glob(v, have)));
    tag_ok
        && filters.iter().all(|f| {
            let have: Vec<String> = if let Some(key) = f.name.strip_prefix("tag:") {
                obj.tags()
                    .iter()
                    .filter(|(k, _)| glob(key, k))
                    .map(|(_, v)| v.clone())
                    .collect()
            } else if f.name == "tag-key" {
                obj.tags().keys().cloned().collect()
            } else {
                match obj.field(&f.name) {
                    Some(v) => v,
                    None => return false,
                }
            };
            f.values
                .iter()
                .any(|want| have.iter().any(|h| glob(want, h)))
        })
}

impl Filterable for crate::world::Subnet {
    fn field(&self, name: &str) -> Option<Vec<String>> {
        let one = |s: &str| Some(vec![s.to_owned()]);
        match name {
            "vpc-id" => one(&self.vpc_id),
            "subnet-id" => one(&self.id),
            "availability-zone" | "availabilityZone" => one(&self.availability_zone),
            "availability-zone-id" | "availabilityZoneId" => {
                one(&crate::world::zone_id(&self.availability_zone))
            }
            "cidr-block" | "cidr" | "cidrBlock" => one(&self.cidr_block),
            "default-for-az" | "defaultForAz" => one(&self.default_for_az.to_string()),
            "map-public-ip-on-launch" => one(&self.map_public_ip_on_launch.to_string()),
            "state" => one("available"),
            "ipv6-cidr-block-association.ipv6-cidr-block" => {
                Some(self.ipv6_cidr_block.iter().cloned().collect())
            }
            _ => None,
        }
    }

    fn tags(&self) -> &BTreeMap<String, String> {
        &self.tags
    }
}

impl Filterable for crate::world::Vpc {
    fn field(&self, name: &str) -> Option<Vec<String>> {
        let one = |s: &str| Some(vec![s.to_owned()]);
        match name {
            "vpc-id" => one(&self.id),
            "cidr" | "cidr-block" | "cidrBlock" | "cidr-block-association.cidr-block" => {
                one(&self.cidr_block)
            }
            "is-default" | "isDefault" => one(&self.default.to_string()),
            "state" => one("available"),
            _ => None,
        }
    }

    fn tags(&self) -> &BTreeMap<String, String> {
        &self.tags
    }
}

impl Filterable for crate::world::SecurityGroup {
    fn field(&self, name: &str) -> Option<Vec<String>> {
        let one = |s: &str| Some(vec![s.to_owned()]);
        match name {
            "group-id" => one(&self.id),
            "group-name" => one(&self.name),
            "vpc-id" => one(&self.vpc_id),
            "description" => Some(self.description.iter().cloned().collect()),
            _ => None,
        }
    }

    fn tags(&self) -> &BTreeMap<String, String> {
        &self.tags
    }
}

impl Filterable for crate::world::RouteTable {
    fn field(&self, name: &str) -> Option<Vec<String>> {
        match name {
            "route-table-id" => Some(vec![self.id.clone()]),
            "vpc-id" => Some(vec![self.vpc_id.clone()]),
            "association.subnet-id" => Some(self.subnet_ids.clone()),
            "association.main" => Some(vec![self.main.to_string()]),
            _ => None,
        }
    }

    fn tags(&self) -> &BTreeMap<String, String> {
        &self.tags
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::Subnet;

    fn subnet(id: &str, az: &str, tier: &str) -> Subnet {
        Subnet {
            id: id.into(),
            vpc_id: "vpc-1".into(),
            cidr_block: "10.0.0.0/24".into(),
            availability_zone: az.into(),
            map_public_ip_on_launch: false,
            tags: [
                ("Tier".to_owned(), tier.to_owned()),
                ("Name".to_owned(), format!("{tier}-{az}")),
            ]
            .into(),
            default_for_az: false,
            ipv6_cidr_block: None,
            available_ip_address_count: None,
        }
    }

    #[test]
    fn wildcards() {
        assert!(glob("*private*", "app-private-a"));
        assert!(glob("eu-west-1?", "eu-west-1b"));
        assert!(!glob("eu-west-1?", "eu-west-1"));
        assert!(glob("x", "x") && !glob("x", "y"));
    }

    #[test]
    fn filters_and_tags() {
        let s = subnet("subnet-1", "eu-west-1a", "private");
        let f = |n: &str, v: &[&str]| Filter {
            name: n.into(),
            values: v.iter().map(|s| s.to_string()).collect(),
        };
        let none = BTreeMap::new();
        assert!(matches(&s, &[f("vpc-id", &["vpc-1"])], &none));
        assert!(!matches(&s, &[f("vpc-id", &["vpc-2"])], &none));
        assert!(matches(&s, &[f("tag:Name", &["*-eu-west-1a"])], &none));
        assert!(matches(&s, &[f("tag:Tier", &["public", "private"])], &none));
        assert!(matches(
            &s,
            &[
                f("availability-zone", &["eu-west-1a"]),
                f("subnet-id", &["subnet-1"])
            ],
            &none
        ));
        assert!(!matches(&s, &[f("no-such-filter", &["x"])], &none));
        let tags = [("Tier".to_owned(), "private".to_owned())].into();
        assert!(matches(&s, &[], &tags));
        let tags = [("Tier".to_owned(), "public".to_owned())].into();
        assert!(!matches(&s, &[], &tags));
    }
}
