//! Where a service's tasks run (`Service::launch`), following ECS's own order: the launch
//! type; else the service's capacity provider strategy (also when the launch type is
//! unknown: ECS refuses both together); else the cluster's default strategy; else EC2,
//! which is what ECS uses when neither is set.

use crate::model::{CapacityProviderStrategyItem, Field, Launch, Val};

/// What is known about the cluster's default capacity provider strategy.
pub(crate) enum ClusterDefault<'a> {
    /// The cluster (or its `aws_ecs_cluster_capacity_providers`) is in the plan.
    Known(&'a Field<Vec<CapacityProviderStrategyItem>>),
    /// The cluster is outside the plan or unresolved: its default strategy cannot be seen.
    Unseen,
}

/// `launch_type_configured`: the configuration sets `launch_type` (so an unknown value is a
/// real unknown, not the provider computing it from a strategy).
pub(crate) fn derive(
    launch_type: &Field<String>,
    launch_type_configured: bool,
    strategy: &Field<Vec<CapacityProviderStrategyItem>>,
    cluster_default: ClusterDefault<'_>,
    is_managed_instances: &dyn Fn(&CapacityProviderStrategyItem) -> bool,
) -> Field<Launch> {
    match &launch_type.val {
        Val::Known(t) => return from_launch_type(t),
        // ECS refuses a service that sets both a launch type and a strategy, so a strategy
        // known in the plan decides even when the launch type is unknown.
        Val::Unknown if launch_type_configured => {
            return match &strategy.val {
                Val::Known(items) if !items.is_empty() => {
                    from_strategy(items, is_managed_instances)
                }
                _ => Field::unknown(),
            }
        }
        Val::Unknown | Val::Null => {}
    }
    match &strategy.val {
        Val::Known(items) if !items.is_empty() => {
            return from_strategy(items, is_managed_instances)
        }
        Val::Unknown => return Field::unknown(),
        _ => {}
    }
    match cluster_default {
        ClusterDefault::Known(d) => match &d.val {
            Val::Known(items) if !items.is_empty() => from_strategy(items, is_managed_instances),
            Val::Unknown => Field::unknown(),
            _ => Field::known(Launch::Ec2),
        },
        ClusterDefault::Unseen => Field::unknown(),
    }
}

fn from_launch_type(t: &str) -> Field<Launch> {
    match t.to_ascii_uppercase().as_str() {
        "FARGATE" => Field::known(Launch::Fargate),
        "EC2" => Field::known(Launch::Ec2),
        "EXTERNAL" => Field::known(Launch::External),
        "MANAGED_INSTANCES" => Field::known(Launch::ManagedInstances),
        // An invalid launch type: the API rejects it, so there is no placement to model.
        _ => Field::null(),
    }
}

/// A strategy cannot mix Fargate and EC2 providers (the API rejects it), so the first
/// item with a known provider decides.
fn from_strategy(
    items: &[CapacityProviderStrategyItem],
    is_managed_instances: &dyn Fn(&CapacityProviderStrategyItem) -> bool,
) -> Field<Launch> {
    let first = &items[0];
    match &first.capacity_provider.val {
        Val::Known(name) if name == "FARGATE" || name == "FARGATE_SPOT" => {
            Field::known(Launch::Fargate)
        }
        Val::Known(_) if is_managed_instances(first) => Field::known(Launch::ManagedInstances),
        Val::Known(_) => Field::known(Launch::Ec2),
        Val::Null | Val::Unknown => Field::unknown(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(name: &str) -> CapacityProviderStrategyItem {
        CapacityProviderStrategyItem {
            capacity_provider: Field::known(name.to_string()),
            link: None,
            weight: Field::known(1),
            base: Field::null(),
        }
    }
    const NO_MI: &dyn Fn(&CapacityProviderStrategyItem) -> bool = &|_| false;

    #[test]
    fn launch_type_wins_then_strategy_then_cluster_default() {
        let none: Field<Vec<CapacityProviderStrategyItem>> = Field::known(vec![]);
        let fargate = Field::known(vec![item("FARGATE_SPOT")]);
        let custom = Field::known(vec![item("prod-ec2")]);
        let lt = Field::known("EXTERNAL".to_string());
        assert_eq!(
            derive(&lt, true, &fargate, ClusterDefault::Unseen, NO_MI).get(),
            Some(&Launch::External)
        );
        // Computed launch_type (not configured) with a strategy: the strategy decides.
        assert_eq!(
            derive(
                &Field::unknown(),
                false,
                &fargate,
                ClusterDefault::Unseen,
                NO_MI
            )
            .get(),
            Some(&Launch::Fargate)
        );
        // A configured but unknown launch type beside a known strategy: the strategy decides.
        assert_eq!(
            derive(
                &Field::unknown(),
                true,
                &fargate,
                ClusterDefault::Unseen,
                NO_MI
            )
            .get(),
            Some(&Launch::Fargate)
        );
        assert!(derive(
            &Field::unknown(),
            true,
            &none,
            ClusterDefault::Unseen,
            NO_MI
        )
        .is_unknown());
        assert_eq!(
            derive(
                &Field::null(),
                false,
                &none,
                ClusterDefault::Known(&custom),
                NO_MI
            )
            .get(),
            Some(&Launch::Ec2)
        );
        assert_eq!(
            derive(
                &Field::null(),
                false,
                &none,
                ClusterDefault::Known(&fargate),
                NO_MI
            )
            .get(),
            Some(&Launch::Fargate)
        );
        // No launch type, no strategy, cluster without default: ECS uses EC2.
        assert_eq!(
            derive(
                &Field::null(),
                false,
                &none,
                ClusterDefault::Known(&Field::null()),
                NO_MI
            )
            .get(),
            Some(&Launch::Ec2)
        );
        assert!(derive(&Field::null(), false, &none, ClusterDefault::Unseen, NO_MI).is_unknown());
        assert!(derive(
            &Field::null(),
            false,
            &Field::unknown(),
            ClusterDefault::Unseen,
            NO_MI
        )
        .is_unknown());
        let mi: &dyn Fn(&CapacityProviderStrategyItem) -> bool = &|_| true;
        assert_eq!(
            derive(&Field::null(), false, &custom, ClusterDefault::Unseen, mi).get(),
            Some(&Launch::ManagedInstances)
        );
    }
}
