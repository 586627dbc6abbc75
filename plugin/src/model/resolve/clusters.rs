//! Where a cluster's container instances come from: capacity providers (attached to the
//! cluster, in its default strategy, or in the strategies of its services) leading to
//! autoscaling groups; groups and instances whose user data sets `ECS_CLUSTER=<name>`;
//! and, when the plan shows no EC2 capacity, an `assume cluster` block.

use std::collections::{HashMap, HashSet};

use crate::config::Assumptions;
use crate::model::{CapacityKind, CapacitySource, Cluster, Link, Model, Resolution};

/// One capacity provider that leads to a cluster, by name or by position.
#[derive(Debug, Clone)]
pub(crate) enum ProviderRef {
    Name(String),
    /// Position in `model.capacity_providers` (from a configuration reference).
    Position(usize, bool),
}

/// Capacity sources of one cluster. `providers` lists what leads to it; `cp_by_name`
/// finds providers by name (same plan preferred); user data maps are keyed by cluster name.
pub(crate) struct CapacityInputs<'a> {
    pub model: &'a Model,
    pub cp_by_name: &'a dyn Fn(&str) -> Option<(usize, bool)>,
    pub groups_by_user_data: &'a HashMap<String, Vec<usize>>,
    pub instances_by_user_data: &'a HashMap<String, Vec<usize>>,
    pub assume: &'a Assumptions,
}

pub(crate) fn capacity_sources(
    cluster: &Cluster,
    providers: &[ProviderRef],
    inp: &CapacityInputs<'_>,
) -> Vec<CapacitySource> {
    let mut out: Vec<CapacitySource> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut fargate_seen: HashSet<String> = HashSet::new();
    for p in providers {
        let (pos, certain) = match p {
            ProviderRef::Name(name) if name == "FARGATE" || name == "FARGATE_SPOT" => {
                if fargate_seen.insert(name.clone()) {
                    out.push(CapacitySource {
                        address: None,
                        kind: CapacityKind::Fargate,
                        via: Resolution::KnownValue,
                        certain: true,
                        capacity_provider: Some(name.clone()),
                        candidates: Vec::new(),
                        provider_address: None,
                    });
                }
                continue;
            }
            ProviderRef::Name(name) => match (inp.cp_by_name)(name) {
                Some(hit) => hit,
                None => continue,
            },
            ProviderRef::Position(pos, certain) => (*pos, *certain),
        };
        let cp = &inp.model.capacity_providers[pos];
        let name = cp
            .name
            .get()
            .filter(|_| !cp.name.sensitive)
            .cloned()
            .unwrap_or_else(|| cp.address.clone());
        let Some(asg) = cp.autoscaling_group.address.as_deref() else {
            // The configuration hides the provider's group among several: one source that
            // is one of them (its candidates stay free to join the cluster by user data).
            let groups = &cp.autoscaling_group.candidates;
            if cp.autoscaling_group.resolved_by == Resolution::OneOfCandidates
                && !groups.is_empty()
                && seen.insert(format!("provider {}", cp.address))
            {
                out.push(CapacitySource {
                    address: None,
                    kind: CapacityKind::AutoscalingGroup,
                    via: Resolution::OneOfCandidates,
                    certain: false,
                    capacity_provider: Some(name),
                    candidates: groups.clone(),
                    provider_address: Some(cp.address.clone()),
                });
            }
            continue;
        };
        if !seen.insert(asg.to_string()) {
            continue;
        }
        out.push(CapacitySource {
            address: Some(asg.to_string()),
            kind: CapacityKind::AutoscalingGroup,
            via: cp.autoscaling_group.resolved_by,
            certain: certain && cp.autoscaling_group.certain,
            capacity_provider: Some(name),
            candidates: Vec::new(),
            provider_address: Some(cp.address.clone()),
        });
    }
    // User data joins instances to the cluster by name (the name is compared, never printed).
    if let Some(name) = cluster.name.get() {
        let groups = inp
            .groups_by_user_data
            .get(name)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for &g in groups {
            let addr = &inp.model.autoscaling_groups[g].address;
            if seen.insert(addr.clone()) {
                out.push(user_data_source(addr, CapacityKind::AutoscalingGroup));
            }
        }
        let instances = inp
            .instances_by_user_data
            .get(name)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for &i in instances {
            let addr = &inp.model.instances[i].address;
            if seen.insert(addr.clone()) {
                out.push(user_data_source(addr, CapacityKind::Instance));
            }
        }
    }
    let has_ec2 = out.iter().any(|s| {
        matches!(
            s.kind,
            CapacityKind::AutoscalingGroup | CapacityKind::Instance
        )
    });
    if !has_ec2 && inp.assume.cluster_for(cluster.names()).is_some() {
        out.push(CapacitySource {
            address: None,
            kind: CapacityKind::Assumed,
            via: Resolution::Assumption,
            certain: true,
            capacity_provider: None,
            candidates: Vec::new(),
            provider_address: None,
        });
    }
    out
}

fn user_data_source(address: &str, kind: CapacityKind) -> CapacitySource {
    CapacitySource {
        address: Some(address.to_string()),
        kind,
        via: Resolution::UserData,
        certain: true,
        capacity_provider: None,
        candidates: Vec::new(),
        provider_address: None,
    }
}

/// The capacity providers a link list names, as [`ProviderRef`]s.
pub(crate) fn provider_from_item(
    name: Option<&str>,
    link: Option<&Link>,
    pos_of: impl Fn(&str) -> Option<usize>,
) -> Option<ProviderRef> {
    if let Some(pos) = link.and_then(|l| l.address.as_deref()).and_then(&pos_of) {
        return Some(ProviderRef::Position(pos, link.is_some_and(|l| l.certain)));
    }
    name.map(|n| ProviderRef::Name(n.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ClusterAssumption;
    use crate::model::testing;
    use crate::model::{CapacityProvider, Field};

    fn model_with_provider() -> Model {
        let mut m = Model::default();
        m.autoscaling_groups.push(testing::autoscaling_group(
            "aws_autoscaling_group.ecs",
            &["c5.large"],
            4,
        ));
        m.instances.push(crate::model::Ec2Instance {
            address: "aws_instance.box".into(),
            plan: 0,
            instance_type: Field::known("t3.large".into()),
            subnet: None,
            availability_zone: Field::null(),
            ecs_cluster_from_user_data: Some("prod".into()),
            reserved_ports_from_user_data: None,
            relaunch: Default::default(),
        });
        m.capacity_providers.push(CapacityProvider {
            address: "aws_ecs_capacity_provider.ec2".into(),
            plan: 0,
            name: Field::known("ec2".into()),
            autoscaling_group: Link::to_address(
                "aws_autoscaling_group.ecs",
                Resolution::ConfigReference,
                true,
            ),
            managed_scaling: Field::known(true),
        });
        m
    }

    #[test]
    fn providers_user_data_and_assumptions() {
        let m = model_with_provider();
        let cluster = testing::cluster("aws_ecs_cluster.prod", &[]);
        let mut cluster = cluster;
        cluster.name = Field::known("prod".into());
        let by_name = |n: &str| (n == "ec2").then_some((0, true));
        let groups = HashMap::new();
        let mut instances = HashMap::new();
        instances.insert("prod".to_string(), vec![0]);
        let assume = Assumptions::default();
        let inp = CapacityInputs {
            model: &m,
            cp_by_name: &by_name,
            groups_by_user_data: &groups,
            instances_by_user_data: &instances,
            assume: &assume,
        };
        let got = capacity_sources(
            &cluster,
            &[
                ProviderRef::Name("FARGATE".into()),
                ProviderRef::Name("ec2".into()),
                ProviderRef::Name("FARGATE".into()),
                ProviderRef::Position(0, true),
            ],
            &inp,
        );
        let kinds: Vec<_> = got.iter().map(|s| (s.kind, s.via)).collect();
        assert_eq!(
            kinds,
            vec![
                (CapacityKind::Fargate, Resolution::KnownValue),
                (CapacityKind::AutoscalingGroup, Resolution::ConfigReference),
                (CapacityKind::Instance, Resolution::UserData),
            ]
        );
        assert_eq!(got[1].capacity_provider.as_deref(), Some("ec2"));

        // Nothing in the plan, but the user described the cluster.
        let mut assume = Assumptions::default();
        assume.clusters.insert(
            "prod".into(),
            ClusterAssumption {
                instance_type: "m5.large".into(),
                max_instances: 3,
                availability_zones: vec![],
            },
        );
        let empty = HashMap::new();
        let inp = CapacityInputs {
            model: &m,
            cp_by_name: &by_name,
            groups_by_user_data: &empty,
            instances_by_user_data: &empty,
            assume: &assume,
        };
        let got = capacity_sources(&cluster, &[], &inp);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].kind, CapacityKind::Assumed);
        assert_eq!(got[0].via, Resolution::Assumption);
    }
}
