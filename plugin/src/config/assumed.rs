//! Which `assume` block applies: the one place that matches `assume cluster "<key>"` and
//! `assume subnet "<key>"` blocks to what the plan shows. The model (capacity sources), the
//! capacity analysis (NET070–NET076) and the service rules (NET046) all ask here.
//!
//! A cluster block's key may be the cluster's plan address, its name, or its ARN; a block
//! keyed by an ARN also matches the cluster of that name (and the reverse). A subnet block's
//! key may be the subnet's plan address or its id.

use super::{Assumptions, ClusterAssumption, SubnetAssumption};
use crate::model::arn::cluster_name;

/// What a cluster is known by. Any part may be absent (a cluster outside the plan has only
/// the name or ARN a service gives).
#[derive(Debug, Clone, Copy, Default)]
pub struct ClusterNames<'a> {
    pub address: Option<&'a str>,
    pub name: Option<&'a str>,
    pub arn: Option<&'a str>,
}

impl<'a> ClusterNames<'a> {
    /// A cluster named by a literal: a name or an ARN.
    pub fn literal(value: &'a str) -> Self {
        ClusterNames {
            address: None,
            name: Some(cluster_name(value)),
            arn: value.starts_with("arn:").then_some(value),
        }
    }
}

impl Assumptions {
    /// The `assume cluster` block for a cluster, with its key: an exact key (address, name,
    /// ARN, in that order) first, then a block whose key names the same cluster.
    pub fn cluster_for(&self, names: ClusterNames<'_>) -> Option<(&str, &ClusterAssumption)> {
        if self.clusters.is_empty() {
            return None;
        }
        let exact = [names.address, names.name, names.arn]
            .into_iter()
            .flatten()
            .find_map(|k| self.clusters.get_key_value(k));
        let by_name = || {
            let name = names.name.or(names.arn.map(cluster_name))?;
            self.clusters.iter().find(|(k, _)| cluster_name(k) == name)
        };
        exact.or_else(by_name).map(|(k, v)| (k.as_str(), v))
    }

    /// The `assume subnet` block for a subnet known by any of `keys` (plan address, id or
    /// literal id), with its key; the first key that has a block wins.
    pub fn subnet_for<'k>(
        &self,
        keys: impl IntoIterator<Item = &'k str>,
    ) -> Option<(&str, &SubnetAssumption)> {
        keys.into_iter()
            .find_map(|k| self.subnets.get_key_value(k))
            .map(|(k, v)| (k.as_str(), v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assume(key: &str) -> Assumptions {
        let mut a = Assumptions::default();
        a.clusters.insert(
            key.into(),
            ClusterAssumption {
                instance_type: "c5.large".into(),
                max_instances: 2,
                availability_zones: vec![],
            },
        );
        a
    }

    #[test]
    fn a_cluster_is_found_by_address_name_or_arn() {
        let arn = "arn:aws:ecs:eu-west-1:1:cluster/prod";
        let planned = ClusterNames {
            address: Some("aws_ecs_cluster.main"),
            name: Some("prod"),
            arn: Some(arn),
        };
        for key in ["aws_ecs_cluster.main", "prod", arn] {
            assert_eq!(assume(key).cluster_for(planned).unwrap().0, key);
        }
        // A block keyed by ARN applies to a service naming the cluster, and the reverse.
        assert!(assume(arn)
            .cluster_for(ClusterNames::literal("prod"))
            .is_some());
        assert!(assume("prod")
            .cluster_for(ClusterNames::literal(arn))
            .is_some());
        assert!(assume("staging").cluster_for(planned).is_none());
        assert!(assume("aws_ecs_cluster.main")
            .cluster_for(ClusterNames::literal("main"))
            .is_none());
    }

    #[test]
    fn a_subnet_is_found_by_any_key() {
        let mut a = Assumptions::default();
        a.subnets
            .insert("subnet-1".into(), SubnetAssumption::default());
        assert_eq!(
            a.subnet_for(["aws_subnet.a", "subnet-1"]).unwrap().0,
            "subnet-1"
        );
        assert!(a.subnet_for(["aws_subnet.a"]).is_none());
    }
}
