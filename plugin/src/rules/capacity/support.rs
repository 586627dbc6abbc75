//! Wording shared by the capacity rules: the pools a finding is about, and the inputs a
//! slot count depends on. "Could not verify" notes are built by [`crate::rules::unverified`].

use crate::capacity::{Analysis, ClusterReport, Missing, Need, Pool, TrunkingSetting};

pub use crate::rules::unverified::Unverified;

/// The trunking setting as a missing input, when it is unknown and matters.
pub fn trunking_missing(setting: &TrunkingSetting) -> Option<Missing> {
    match setting {
        // Only a setting the plan writes from a value known after apply is unknown.
        TrunkingSetting::Unknown { why } => Some(Missing::after_apply(
            format!("whether awsvpcTrunking is enabled ({why})"),
            crate::capacity::trunking::SUPPLY_TRUNKING,
        )),
        _ => None,
    }
}

/// Missing inputs behind a pool's slot count, plus the trunking setting when the count
/// depends on it.
pub fn slot_missing(a: &Analysis, pool: &Pool) -> Vec<Missing> {
    let mut m = pool.missing.clone();
    if pool.slots_without_trunking != pool.slots_with_trunking {
        m.extend(trunking_missing(&a.trunking));
    }
    m
}

/// "cluster aws_ecs_cluster.main" for the whole cluster, the pool's label otherwise.
pub fn capacity_of(p: &Pool, pool: usize) -> String {
    // A cluster outside the plan is labelled "cluster NAME (outside the plan)" already.
    if pool == 0 && !p.label.starts_with("cluster ") {
        format!("cluster {}", p.label)
    } else {
        p.label.clone()
    }
}

/// What a provider pool's findings add when the cluster has other capacity: tasks do not
/// move between providers.
pub fn provider_note(c: &ClusterReport, pool: usize) -> &'static str {
    if pool == 0 || c.pools[pool].sources.len() >= c.capacity.sources.len() {
        ""
    } else if c.pools[pool].provider.is_none() {
        " The memberOf placement constraint keeps the tasks off the cluster's other instances."
    } else {
        " Tasks assigned to a capacity provider wait for its instances; they do not move to another provider."
    }
}

/// The addresses of a pool's capacity, for `related`.
pub fn pool_addresses(c: &ClusterReport, pool: &Pool) -> Vec<String> {
    pool.sources
        .iter()
        .filter_map(|&i| c.capacity.sources[i].address.clone())
        .collect()
}

/// The ENI arithmetic of a pool: "needs 14 awsvpc task ENIs (…), cluster X capacity 6 slots
/// at max size: 3 × c5.large …." (with the provider note when it applies).
pub fn eni_arithmetic(a: &Analysis, c: &ClusterReport, pool: usize, need: &Need) -> String {
    let p = &c.pools[pool];
    format!(
        "needs {} awsvpc task ENIs ({}), {} capacity {} slots at max size: {}.{}",
        need.total.show(),
        need.why,
        capacity_of(p, pool),
        p.slots.show(),
        p.describe(&c.capacity, &a.trunking),
        provider_note(c, pool)
    )
}
