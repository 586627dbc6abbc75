//! Where a service's tasks may run among its cluster's container instances, and how many
//! of them land on each capacity provider.
//!
//! ECS picks the capacity for every task from the service's `capacity_provider_strategy`,
//! else the cluster's default strategy, else the launch type (managed-scaling-behavior.html:
//! "Amazon ECS selects a capacity provider for each task by following the capacity provider
//! strategy from the service, standalone task, or the cluster default"). A task assigned to
//! a provider waits in PROVISIONING for that provider's instances: it does not spill over to
//! another provider. So each provider is its own pool of capacity (its autoscaling group),
//! and a service with a strategy is judged against the providers of its strategy, each with
//! its share of the tasks. Without a strategy (launch type EC2, or nothing set anywhere), a
//! task may go to any container instance registered to the cluster: the pool is the whole
//! cluster.
//!
//! The share of a provider follows `base` and `weight` (API CapacityProviderStrategyItem):
//! `base` tasks go to the one provider that sets it first; the rest is split by weight
//! ("if you specify a weight of 1 for capacityProviderA and a weight of 4 for
//! capacityProviderB, then for every one task that's run using capacityProviderA, four tasks
//! would use capacityProviderB"). A split that does not come out even is a range (10 tasks
//! at 1:3 put 2 or 3 on the first provider).

use serde::Serialize;

use super::bound::Bound;
use crate::diagnostics::Missing;
use crate::model::{CapacityProviderStrategyItem, CapacitySource, Model, Service, Val};

/// One provider of a strategy, as far as the plan tells.
#[derive(Debug, Clone)]
pub struct ProviderShare {
    /// Index into the cluster's pools ([`super::ClusterReport::pools`]).
    pub pool: usize,
    /// The provider's name as the strategy writes it (or its address when the name is not
    /// known; never a sensitive value).
    pub name: String,
    /// `base` and `weight`; `None` when unknown at plan time (null counts as 0, the API
    /// default).
    pub base: Option<u64>,
    pub weight: Option<u64>,
    /// The plan marks `base` or `weight` sensitive: computed with, never printed.
    pub sensitive: bool,
}

/// `{pool, name, base, weight}`, with `"(sensitive)"` for a sensitive base and weight.
impl Serialize for ProviderShare {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("ProviderShare", 4)?;
        st.serialize_field("pool", &self.pool)?;
        st.serialize_field("name", &self.name)?;
        if self.sensitive {
            st.serialize_field("base", crate::model::SENSITIVE)?;
            st.serialize_field("weight", crate::model::SENSITIVE)?;
        } else {
            st.serialize_field("base", &self.base)?;
            st.serialize_field("weight", &self.weight)?;
        }
        st.end()
    }
}

/// Where a service's tasks go.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Placement {
    /// Any container instance of the cluster (no capacity provider strategy applies).
    Cluster,
    /// The providers of a strategy, and where the strategy comes from.
    Providers {
        from: &'static str,
        shares: Vec<ProviderShare>,
    },
    /// The strategy cannot be read: the tasks may be on any provider of the cluster.
    Unknown { missing: Missing },
}

impl Placement {
    /// How many of `n` tasks land on pool `pool` (0 is the whole cluster), with the words
    /// for the arithmetic ("× weight 3 of 4"); `None` when the service puts none there.
    pub fn on_pool(&self, pool: usize, n: Bound) -> Option<(Bound, String)> {
        if pool == 0 {
            return Some((n, String::new()));
        }
        match self {
            Placement::Cluster => None,
            Placement::Unknown { .. } => Some((
                Bound { lo: 0, hi: n.hi },
                " if its strategy puts them there".to_string(),
            )),
            Placement::Providers { shares, .. } => {
                let k = shares.iter().position(|s| s.pool == pool)?;
                Some(share(shares, k, n))
            }
        }
    }

    /// The pools the service's tasks may use (0 for the whole cluster).
    pub fn pools(&self) -> Vec<usize> {
        match self {
            Placement::Providers { shares, .. } => {
                let mut v: Vec<usize> = shares.iter().map(|s| s.pool).collect();
                v.dedup();
                v
            }
            _ => vec![0],
        }
    }

    pub fn missing(&self) -> Option<&Missing> {
        match self {
            Placement::Unknown { missing } => Some(missing),
            _ => None,
        }
    }
}

/// Tasks of `n` on share `k`, with words. Unknown bases or weights leave `[0, n]`.
fn share(shares: &[ProviderShare], k: usize, n: Bound) -> (Bound, String) {
    if shares.len() == 1 {
        return (n, String::new());
    }
    let known: Option<Vec<(u64, u64)>> =
        shares.iter().map(|s| Some((s.base?, s.weight?))).collect();
    let Some(items) = known else {
        return (
            Bound { lo: 0, hi: n.hi },
            " (the strategy's base or weight is unknown)".to_string(),
        );
    };
    let at = |n: u64| split(&items, k, n);
    let lo = at(n.lo).lo;
    let hi = n.hi.and_then(|h| at(h).hi);
    let (base, weight) = items[k];
    let total: u64 = items.iter().map(|i| i.1).sum();
    let mut words = String::new();
    if shares.iter().any(|s| s.sensitive) {
        words.push_str(" (by the strategy's base and weight, which are sensitive)");
    } else if base > 0 {
        words.push_str(&format!(" (base {base}"));
        words.push_str(&format!(", then weight {weight} of {total})"));
    } else {
        words.push_str(&format!(" × weight {weight} of {total}"));
    }
    (Bound { lo, hi }, words)
}

/// ECS's split of `n` tasks: bases first, in strategy order, then the rest by weight
/// (floor and ceiling of the exact share when it does not come out even).
fn split(items: &[(u64, u64)], k: usize, n: u64) -> Bound {
    let mut left = n;
    let mut base_k = 0;
    for (i, (base, _)) in items.iter().enumerate() {
        let b = (*base).min(left);
        left -= b;
        if i == k {
            base_k = b;
        }
    }
    let total: u64 = items.iter().map(|i| i.1).sum();
    if total == 0 {
        // No weight anywhere: ECS refuses such a strategy; what is left has no place.
        return Bound::exact(base_k);
    }
    let w = u128::from(items[k].1);
    let rest = u128::from(left) * w;
    let t = u128::from(total);
    let floor = u64::try_from(rest / t).unwrap_or(u64::MAX);
    let ceil = u64::try_from(rest.div_ceil(t)).unwrap_or(u64::MAX);
    Bound::range(base_k + floor, base_k + ceil)
}

/// The strategy that decides a service's placement, and where it comes from; `Ok(None)` when
/// none applies (launch type, or nothing set anywhere). A strategy known in the plan is
/// used even when `launch_type` is unknown: ECS refuses a service that sets both.
pub(crate) fn strategy<'m>(
    model: &'m Model,
    s: &'m Service,
) -> Result<Option<(&'static str, &'m [CapacityProviderStrategyItem])>, Missing> {
    match &s.capacity_provider_strategy.val {
        Val::Known(items) if !items.is_empty() => {
            return Ok(Some(("its capacity_provider_strategy", items)))
        }
        Val::Unknown => {
            return Err(Missing::after_apply(
                format!(
                    "capacity_provider_strategy of {} (known after apply)",
                    s.address
                ),
                "a capacity_provider_strategy known at plan time",
            ))
        }
        _ => {}
    }
    // A launch type opts out of the cluster's default strategy. An unknown one that the
    // configuration does not set (the provider computes it) does not: then `launch` was
    // derived from the cluster's default strategy.
    if s.launch_type.is_known() || (s.launch_type.is_unknown() && s.launch.is_unknown()) {
        return Ok(None);
    }
    let Some(c) = model.cluster_of(s) else {
        return Ok(None);
    };
    match &c.default_strategy.val {
        Val::Known(items) if !items.is_empty() => Ok(Some((
            "the cluster's default capacity provider strategy",
            items,
        ))),
        Val::Unknown => Err(Missing::after_apply(
            format!(
                "the default capacity provider strategy of {} (known after apply)",
                c.address
            ),
            "a default_capacity_provider_strategy known at plan time",
        )),
        _ => Ok(None),
    }
}

/// The pool of a strategy item's provider: its autoscaling group, or the provider itself when
/// the configuration hides which of several groups it uses (`Err` with the provider's words
/// when the plan does not show one), `Ok(None)` for FARGATE and FARGATE_SPOT.
pub(crate) fn item_group(
    model: &Model,
    plan: usize,
    item: &CapacityProviderStrategyItem,
) -> Result<Option<PoolKey>, String> {
    let name = item
        .capacity_provider
        .get()
        .filter(|_| !item.capacity_provider.sensitive);
    if name.is_some_and(|n| n == "FARGATE" || n == "FARGATE_SPOT") {
        return Ok(None);
    }
    let by_link = item
        .link
        .as_ref()
        .and_then(|l| l.address.as_deref())
        .and_then(|a| model.capacity_provider_in(a, plan));
    let by_name = || {
        let n = item.capacity_provider.get()?;
        let named: Vec<_> = model
            .capacity_providers
            .iter()
            .filter(|p| p.name.get() == Some(n))
            .collect();
        named
            .iter()
            .find(|p| p.plan == plan)
            .or(named.first())
            .copied()
    };
    let words = name
        .cloned()
        .or_else(|| item.link.as_ref().and_then(|l| l.address.clone()))
        .unwrap_or_else(|| "(known after apply)".to_string());
    match by_link.or_else(by_name) {
        Some(cp) => match &cp.autoscaling_group.address {
            Some(g) => Ok(Some(PoolKey::Group(g.clone()))),
            // Hidden among several groups: the provider's pool is the one source that
            // spans them.
            None if !cp.autoscaling_group.candidates.is_empty() => {
                Ok(Some(PoolKey::OneOf(cp.address.clone())))
            }
            None => Err(words),
        },
        None => Err(words),
    }
}

/// Resolve a service's strategy to shares of the cluster's pools. `sources` are the
/// cluster's plan capacity sources; a provider's pool is found by its group, and new pools
/// are added to `pools` (labels) as providers are met.
pub(crate) fn place(
    model: &Model,
    s: &Service,
    sources: &[&CapacitySource],
    pools: &mut Vec<PoolKey>,
) -> Placement {
    let items = match strategy(model, s) {
        Ok(Some((from, items))) => (from, items),
        Ok(None) => return constrained(s, pools),
        Err(missing) => return Placement::Unknown { missing },
    };
    let (from, items) = items;
    let mut shares = Vec::new();
    for it in items {
        let group = match item_group(model, s.plan, it) {
            Ok(Some(k)) => k,
            // A Fargate provider: the service does not run on container instances.
            Ok(None) => return Placement::Cluster,
            Err(words) if it.capacity_provider.is_unknown() && it.link.is_none() => {
                return Placement::Unknown {
                    // Unknown, and no reference ecsnet followed names the provider.
                    missing: Missing::hidden(
                        format!(
                            "a capacity provider of the strategy of {} ({words})",
                            s.address
                        ),
                        "capacity provider names known at plan time",
                    ),
                };
            }
            Err(words) => PoolKey::Outside(words),
        };
        let name = it
            .capacity_provider
            .get()
            .filter(|_| !it.capacity_provider.sensitive)
            .cloned()
            .unwrap_or_else(|| match &group {
                PoolKey::Group(g) | PoolKey::OneOf(g) => sources
                    .iter()
                    .find(|src| group.is_source_spec(src))
                    .and_then(|src| src.capacity_provider.clone())
                    .unwrap_or_else(|| g.clone()),
                PoolKey::Outside(w) => w.clone(),
                PoolKey::Types(t) => constraint_words(t),
            });
        let pool = pool_of(pools, group);
        let num = |f: &crate::model::Field<i64>| match &f.val {
            Val::Known(v) => Some((*v).max(0) as u64),
            Val::Null => Some(0),
            Val::Unknown => None,
        };
        shares.push(ProviderShare {
            pool,
            name,
            base: num(&it.base),
            weight: num(&it.weight),
            sensitive: it.base.sensitive || it.weight.sensitive,
        });
    }
    Placement::Providers { from, shares }
}

/// The pool (1-based) of `key`, added when new.
fn pool_of(pools: &mut Vec<PoolKey>, key: PoolKey) -> usize {
    match pools.iter().position(|k| *k == key) {
        Some(p) => p + 1,
        None => {
            pools.push(key);
            pools.len()
        }
    }
}

/// A service without a capacity provider strategy may use any instance of its cluster,
/// unless its `memberOf` placement constraints pin it to instance types: then the pool of
/// the cluster's instances of those types (see `Pool::of_types`).
///
/// Amazon ECS Developer Guide, "Create expressions to define container instances for Amazon
/// ECS tasks" (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-query-language.html>):
/// expressions have the syntax "subject operator [argument]", the subject
/// `attribute:attribute-name` selects container instances by an attribute (here the
/// built-in `ecs.instance-type`), and the operators include equals (`==`) and `in` (a
/// bracketed list). Any other expression (`=~`, `and`/`or`, other attributes) leaves the
/// whole cluster.
fn constrained(s: &Service, pools: &mut Vec<PoolKey>) -> Placement {
    let mut types: Option<Vec<String>> = None;
    for e in &s.member_of {
        let Some(t) = instance_types_of(e) else {
            continue;
        };
        types = Some(match types {
            None => t,
            // Several constraints all apply.
            Some(prev) => prev.into_iter().filter(|x| t.contains(x)).collect(),
        });
    }
    let Some(mut types) = types else {
        return Placement::Cluster;
    };
    types.sort();
    types.dedup();
    let name = format!("memberOf {}", constraint_words(&types));
    let pool = pool_of(pools, PoolKey::Types(types));
    Placement::Providers {
        from: "its memberOf placement constraint",
        shares: vec![ProviderShare {
            pool,
            name,
            base: Some(0),
            weight: Some(1),
            sensitive: false,
        }],
    }
}

/// "ecs.instance-type m5.large" or "ecs.instance-type in [m5.large, c5.large]".
pub(crate) fn constraint_words(types: &[String]) -> String {
    match types {
        [one] => format!("ecs.instance-type == {one}"),
        _ => format!("ecs.instance-type in [{}]", types.join(", ")),
    }
}

/// The instance types `attribute:ecs.instance-type == X` or `... in [X, Y]` admits; None for
/// any other expression.
pub(crate) fn instance_types_of(expr: &str) -> Option<Vec<String>> {
    let rest = expr.trim().strip_prefix("attribute:ecs.instance-type")?;
    let rest = rest.trim_start();
    let value = |v: &str| {
        let v = v.trim().trim_matches(['"', '\'']);
        (!v.is_empty()
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-')))
        .then(|| v.to_string())
    };
    if let Some(v) = rest.strip_prefix("==") {
        return value(v).map(|v| vec![v]);
    }
    let list = rest.strip_prefix("in")?.trim();
    let inner = list.strip_prefix('[')?.strip_suffix(']')?;
    inner.split(',').map(value).collect()
}

/// What a provider pool is: an autoscaling group (by address), or a provider whose group
/// the plan does not show (by name); or the cluster's instances of some types, which a
/// `memberOf` placement constraint pins a service to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PoolKey {
    Group(String),
    /// A provider (by address) whose group the configuration hides among several
    /// candidates: the one cluster source spanning them.
    OneOf(String),
    Outside(String),
    Types(Vec<String>),
}

impl PoolKey {
    /// Whether the cluster's capacity spec `s` is this pool's group.
    pub(crate) fn is_source_spec(&self, s: &CapacitySource) -> bool {
        match self {
            PoolKey::Group(g) => s.address.as_deref() == Some(g.as_str()),
            PoolKey::OneOf(p) => {
                !s.candidates.is_empty() && s.provider_address.as_deref() == Some(p.as_str())
            }
            PoolKey::Outside(_) | PoolKey::Types(_) => false,
        }
    }
    /// Whether the cluster's source `s` is this pool's group.
    pub(crate) fn is_source(&self, s: &super::SourceCapacity) -> bool {
        match self {
            PoolKey::Group(g) => s.address.as_deref() == Some(g.as_str()),
            PoolKey::OneOf(p) => {
                !s.one_of.is_empty() && s.provider_address.as_deref() == Some(p.as_str())
            }
            PoolKey::Outside(_) | PoolKey::Types(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_type_constraints() {
        assert_eq!(
            instance_types_of("attribute:ecs.instance-type == m5.large"),
            Some(vec!["m5.large".to_string()])
        );
        assert_eq!(
            instance_types_of("attribute:ecs.instance-type in [m5.large, c5.xlarge]"),
            Some(vec!["m5.large".to_string(), "c5.xlarge".to_string()])
        );
        assert_eq!(
            instance_types_of("attribute:ecs.instance-type =~ m5.*"),
            None
        );
        assert_eq!(
            instance_types_of(
                "attribute:ecs.instance-type == m5.large and attribute:ecs.os-type == linux"
            ),
            None
        );
        assert_eq!(
            instance_types_of("attribute:ecs.availability-zone == us-east-1a"),
            None
        );
        assert_eq!(instance_types_of("attribute:ecs.instance-type in []"), None);
    }

    fn shares(items: &[(Option<u64>, Option<u64>)]) -> Vec<ProviderShare> {
        items
            .iter()
            .enumerate()
            .map(|(i, (b, w))| ProviderShare {
                pool: i + 1,
                name: format!("p{i}"),
                base: *b,
                weight: *w,
                sensitive: false,
            })
            .collect()
    }

    #[test]
    fn sensitive_weights_are_used_but_not_worded() {
        let mut s = shares(&[(Some(0), Some(1)), (Some(0), Some(41023))]);
        s[1].sensitive = true;
        let (b, words) = share(&s, 1, Bound::exact(41024));
        assert_eq!(b, Bound::exact(41023));
        assert!(!words.contains("41023"), "{words}");
        assert!(words.contains("sensitive"));
    }

    fn on(p: &Placement, pool: usize, n: u64) -> Bound {
        p.on_pool(pool, Bound::exact(n)).unwrap().0
    }

    #[test]
    fn weights_split_the_tasks() {
        let p = Placement::Providers {
            from: "t",
            shares: shares(&[(Some(0), Some(1)), (Some(0), Some(3))]),
        };
        assert_eq!(on(&p, 1, 12), Bound::exact(3));
        assert_eq!(on(&p, 2, 12), Bound::exact(9));
        // 10 at 1:3: 2.5 and 7.5.
        assert_eq!(on(&p, 1, 10), Bound::range(2, 3));
        assert_eq!(on(&p, 2, 10), Bound::range(7, 8));
        assert_eq!(on(&p, 0, 10), Bound::exact(10));
        assert!(p.on_pool(3, Bound::exact(10)).is_none());
        assert_eq!(
            p.on_pool(2, Bound::exact(12)).unwrap().1,
            " × weight 3 of 4"
        );
    }

    #[test]
    fn base_comes_first() {
        let p = Placement::Providers {
            from: "t",
            shares: shares(&[(Some(2), Some(1)), (Some(0), Some(1))]),
        };
        assert_eq!(on(&p, 1, 1), Bound::exact(1));
        assert_eq!(on(&p, 2, 1), Bound::exact(0));
        assert_eq!(on(&p, 1, 6), Bound::exact(4));
        assert_eq!(on(&p, 2, 6), Bound::exact(2));
    }

    #[test]
    fn unknown_weights_and_strategies_are_ranges() {
        let p = Placement::Providers {
            from: "t",
            shares: shares(&[(Some(0), None), (Some(0), Some(1))]),
        };
        assert_eq!(on(&p, 1, 6), Bound::range(0, 6));
        let u = Placement::Unknown {
            missing: Missing::after_apply("x", "y"),
        };
        assert_eq!(on(&u, 1, 6), Bound::range(0, 6));
        assert_eq!(on(&Placement::Cluster, 0, 6), Bound::exact(6));
        assert!(Placement::Cluster.on_pool(1, Bound::exact(6)).is_none());
    }
}
