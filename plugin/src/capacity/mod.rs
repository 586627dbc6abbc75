//! Capacity math shared by the capacity rules (NET070–NET076), NET046, NET081 and
//! `ecsnet capacity`: ENI slots at max size against awsvpc EC2 tasks, subnet IPv4 addresses
//! against awsvpc tasks and instances, and static host ports against instances.
//!
//! Capacity comes in pools (see [`placement`]): every capacity provider of a cluster is one
//! (its autoscaling group), and the whole cluster is pool 0, which a service without a
//! capacity provider strategy uses. A service is judged against the pools its tasks can go
//! to, with its share of the tasks on each.
//!
//! Every count is a [`Bound`] so unknown inputs widen it instead of being guessed, and
//! carries words (`why`) so findings can show the arithmetic. [`analyze`] computes
//! everything once per model.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::config::Assumptions;
use crate::model::{Cluster, Model, NetworkMode, OsFamily, Val};
use crate::plan::SeededHash;

pub mod bound;
pub mod cluster;
pub mod demand;
pub mod memo;
pub mod placement;
pub mod ports;
pub mod subnets;
pub mod trunking;

pub use crate::diagnostics::{Missing, MissingKind};
pub use bound::{compare, Bound, Verdict};
pub use cluster::{
    fixed_source, ClusterCapacity, ClusterKey, Daemons, FixedInstances, LaunchedBefore, Pool,
    SourceCapacity,
};
pub use demand::{Counted, DeployKind, Involved, ServiceDemand};
pub use placement::{Placement, ProviderShare};
pub use ports::{PortDemand, StaticPort};
pub use subnets::{SubnetInfo, SubnetKey, SubnetUser};
pub use trunking::TrunkingSetting;

/// One cluster: its capacity and the services placed on it.
#[derive(Debug, Clone, Serialize)]
pub struct ClusterReport {
    pub key: ClusterKey,
    pub label: String,
    pub plan: usize,
    /// The `aws_ecs_cluster` address when in the plan.
    pub address: Option<String>,
    pub capacity: ClusterCapacity,
    /// Pool 0 is the whole cluster; then one per capacity provider its services' strategies
    /// name, in the order met.
    pub pools: Vec<Pool>,
    /// Services on the cluster (indices into [`Analysis::services`]).
    pub services: Vec<usize>,
    /// Static host ports held on the cluster's instances.
    pub ports: Vec<PortDemand>,
    /// Services on instances whose static ports are unknown.
    pub ports_unknown: Vec<(usize, Missing)>,
}

/// Everything computed for one model.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub trunking: TrunkingSetting,
    /// One per `model.services`, same order.
    pub services: Vec<ServiceDemand>,
    /// Where each service's tasks go among its cluster's pools (same order).
    pub placements: Vec<Placement>,
    pub clusters: Vec<ClusterReport>,
    /// Per service: index into `clusters`, `Err` when the cluster is unknown at plan time.
    pub service_cluster: Vec<Result<usize, Missing>>,
    /// Per service using subnets: its subnets, or why they are unknown.
    pub service_subnets: Vec<Option<Result<Vec<SubnetKey>, Missing>>>,
    pub subnet_users: Vec<SubnetUser>,
    /// Positions in `subnet_users` by subnet, so a subnet's users are found without
    /// scanning every user (the large-estate benchmark has thousands of services).
    #[serde(skip)]
    pub users_by_subnet: HashMap<SubnetKey, Vec<usize>>,
    pub subnets: BTreeMap<SubnetKey, SubnetInfo>,
    /// `subnet_need` results by (subnet set, phase): services of one module usually share
    /// a subnet set, and every one of them asks for the same sum.
    #[serde(skip)]
    need_cache: NeedCache,
    /// Per subnet set, what [`Analysis::subnet_need_total`] sums.
    #[serde(skip)]
    sums_cache: SumsCache,
}

/// A memo of `subnet_need`; cloning an analysis clones what was computed so far.
#[derive(Debug, Default)]
struct NeedCache(std::sync::Mutex<HashMap<(Vec<SubnetKey>, SubnetPhase), Need, SeededHash>>);

impl Clone for NeedCache {
    fn clone(&self) -> Self {
        let map = self.0.lock().map(|m| m.clone()).unwrap_or_default();
        NeedCache(std::sync::Mutex::new(map))
    }
}

/// The steady counts of a subnet set's users (in `subnet_need` order) as prefix and suffix
/// sums, their peak counts, and each service's positions among them.
#[derive(Debug)]
struct SubnetSums {
    /// `before[k]`: the steady counts of users `0..k`; `after[k]`: of users `k..`.
    before: Vec<Bound>,
    after: Vec<Bound>,
    steady: Vec<Bound>,
    peak: Vec<Bound>,
    /// The sum of `peak`.
    all_peak: Bound,
    /// (service, position) of every user that is a service, by service then position
    /// (one sorted vector: a map of small vectors cost an allocation per service and set).
    by_service: Vec<(usize, usize)>,
    /// Per position: the user (index into `subnet_users`) and how many of its subnets are
    /// in the set.
    users: Vec<(usize, usize)>,
    /// The positions whose user can add a missing input in some phase, in order: the
    /// arithmetic text names at most [`SHOWN_SUBNET_USERS`] users, so with these a
    /// `subnet_need` looks at a few users instead of every user of the set.
    with_missing: Vec<usize>,
}

/// The totals of one subnet set ([`Analysis::subnet_totals`]).
pub struct SubnetTotals(std::sync::Arc<SubnetSums>);

impl SubnetTotals {
    /// The addresses the set's users take in `phase` ([`Analysis::subnet_need_total`]).
    pub fn total(&self, phase: SubnetPhase) -> Bound {
        self.0.total(phase)
    }
}

/// A memo of [`SubnetSums`] by subnet set; cloning an analysis clones what was computed.
#[derive(Debug, Default)]
struct SumsCache(std::sync::Mutex<HashMap<Vec<SubnetKey>, std::sync::Arc<SubnetSums>, SeededHash>>);

impl Clone for SumsCache {
    fn clone(&self) -> Self {
        let map = self.0.lock().map(|m| m.clone()).unwrap_or_default();
        SumsCache(std::sync::Mutex::new(map))
    }
}

impl SubnetSums {
    /// The addresses the users take in `phase`: the steady sums, the peaks, or the steady
    /// sums with one service's positions at its peak.
    fn total(&self, phase: SubnetPhase) -> Bound {
        let n = self.peak.len();
        let service = match phase {
            SubnetPhase::Steady => return self.before[n],
            SubnetPhase::AllDeploying => return self.all_peak,
            SubnetPhase::Deploying(service) => service,
        };
        let from = self.by_service.partition_point(|&(s, _)| s < service);
        let to = from + self.by_service[from..].partition_point(|&(s, _)| s == service);
        let at = match &self.by_service[from..to] {
            [] => return self.before[n],
            &[(_, p)] => return self.before[p] + self.peak[p] + self.after[p + 1],
            more => more,
        };
        // A service listed twice among the users (not made by `analyze`, which gives each
        // service one user): every position in order.
        (0..n)
            .map(|k| {
                if at.iter().any(|&(_, p)| p == k) {
                    self.peak[k]
                } else {
                    self.steady[k]
                }
            })
            .sum()
    }
}

/// How many users the arithmetic text of a subnet total names before summarising the rest.
const SHOWN_SUBNET_USERS: usize = 8;

/// A total with its arithmetic ("aws_ecs_service.api desired 6 + aws_ecs_service.web peak 8 = 14").
#[derive(Debug, Clone, Serialize)]
pub struct Need {
    pub total: Bound,
    pub why: String,
    pub missing: Vec<Missing>,
}

/// Which count of a service to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    Desired,
    Peak,
}

/// Who is deploying when subnet addresses are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubnetPhase {
    /// Every service at its desired count.
    Steady,
    /// One service (index into [`Analysis::services`]) at its deployment peak, the others
    /// at their desired count.
    Deploying(usize),
    /// Every service at its peak: all deploying at once.
    AllDeploying,
}

impl SubnetPhase {
    /// Whether user `u` counts at its deployment peak in this phase.
    fn at_peak(self, u: &SubnetUser) -> bool {
        u.service.is_some_and(|i| match self {
            SubnetPhase::Steady => false,
            SubnetPhase::Deploying(j) => i == j,
            SubnetPhase::AllDeploying => true,
        })
    }
}

/// The arithmetic of a subnet total: the first users' words (`parts`) of `users` in all.
#[cfg(test)]
fn need_words(mut parts: Vec<String>, users: usize, total: Bound) -> String {
    let more = users - parts.len();
    match (parts.len(), more) {
        (0, _) => "nothing".to_string(),
        (1, 0) => parts.remove(0),
        (_, 0) => format!("{} = {}", parts.join(" + "), total.show()),
        _ => format!("{} + {more} more = {}", parts.join(" + "), total.show()),
    }
}

/// One service counted at something other than its desired count (a deployment's peak, or
/// the tasks a rolling deployment needs room for to make progress).
#[derive(Debug, Clone)]
pub struct Deploying {
    pub service: usize,
    pub tasks: Bound,
    /// "peak desired 6 × maximum_percent 200% = 12".
    pub why: String,
    pub missing: Option<Missing>,
}

/// " × weight 3 of 4 = 9": a provider's share of a service's `n` tasks, with the result
/// ("2 to 3" when the split does not come out even).
fn share_words(share: &str, b: Bound, n: Bound) -> String {
    if share.is_empty() || n.exact_value().is_none() || b.hi.is_none() {
        share.to_string()
    } else {
        format!("{share} = {}", b.show())
    }
}

fn involved_bound(inv: &Involved, b: Bound) -> Bound {
    match inv {
        Involved::Yes => b,
        Involved::No => Bound::ZERO,
        Involved::Maybe(_) => Bound { lo: 0, hi: b.hi },
    }
}

impl Analysis {
    pub fn cluster_of(&self, service: usize) -> Option<&ClusterReport> {
        self.service_cluster[service]
            .as_ref()
            .ok()
            .map(|&c| &self.clusters[c])
    }

    /// The pools service `i` is judged against: those of its strategy, or the whole cluster.
    pub fn pools_of(&self, i: usize) -> Vec<usize> {
        self.placements[i].pools()
    }

    /// The capacity (groups, instances, assumed capacity) of the pools service `i` is
    /// judged against; empty when its cluster is unknown.
    pub fn sources_of(&self, i: usize) -> Vec<&SourceCapacity> {
        let Some(c) = self.cluster_of(i) else {
            return Vec::new();
        };
        self.pools_of(i)
            .into_iter()
            .flat_map(|p| c.pools[p].sources.iter().map(|&k| &c.capacity.sources[k]))
            .collect()
    }

    /// Service `i` at its deployment peak.
    pub fn peak(&self, i: usize) -> Deploying {
        let d = &self.services[i];
        Deploying {
            service: i,
            tasks: d.peak_bound(),
            why: d.peak_words(),
            missing: d.peak.as_ref().err().cloned(),
        }
    }

    /// Service `i` at the tasks a rolling deployment needs room for to make progress:
    /// ceil(desired × minimum_healthy_percent / 100) + 1.
    pub fn progress(&self, i: usize) -> Deploying {
        let d = &self.services[i];
        let p = d.progress();
        Deploying {
            service: i,
            tasks: p.as_ref().map_or(Bound::unknown(), |c| Bound::exact(c.n)),
            why: p
                .as_ref()
                .map_or("unknown".into(), |c| format!("deploying: {}", c.why)),
            missing: p.err(),
        }
    }

    /// awsvpc task ENIs the services on pool `pool` of cluster `c` need, each at its desired
    /// count except `deploying`.
    pub fn eni_need(&self, c: &ClusterReport, pool: usize, deploying: Option<&Deploying>) -> Need {
        let mut parts = Vec::new();
        let mut total = Bound::ZERO;
        let mut missing = Vec::new();
        for &i in &c.services {
            let d = &self.services[i];
            if d.eni_on_instances == Involved::No {
                continue;
            }
            let (n, why, m) = match deploying {
                Some(dp) if dp.service == i => (dp.tasks, dp.why.clone(), dp.missing.clone()),
                _ => (
                    d.desired_bound(),
                    d.desired
                        .as_ref()
                        .map_or("unknown".to_string(), |c| c.why.clone()),
                    d.desired.as_ref().err().cloned(),
                ),
            };
            let Some((b, share)) = self.placements[i].on_pool(pool, n) else {
                continue;
            };
            let b = involved_bound(&d.eni_on_instances, b);
            if let Involved::Maybe(m) = &d.eni_on_instances {
                missing.push(m.clone());
            }
            if pool > 0 {
                missing.extend(self.placements[i].missing().cloned());
            }
            missing.extend(m);
            total = total + b;
            let maybe = if matches!(d.eni_on_instances, Involved::Maybe(_)) {
                " if awsvpc on EC2"
            } else {
                ""
            };
            parts.push(format!(
                "{} {why}{}{maybe}",
                d.address,
                share_words(&share, b, n)
            ));
        }
        let why = match parts.len() {
            0 => "no awsvpc tasks on container instances".to_string(),
            1 => parts.remove(0),
            _ => format!("{} = {}", parts.join(" + "), total.show()),
        };
        Need {
            total,
            why,
            missing,
        }
    }

    /// Tasks needing static port `p` on pool `pool` of cluster `c`: the REPLICA services'
    /// desired counts, except `deploying`.
    pub fn port_need(&self, p: &PortDemand, pool: usize, deploying: Option<&Deploying>) -> Need {
        let mut total = Bound::ZERO;
        let mut parts = Vec::new();
        let mut missing = Vec::new();
        for &j in &p.services {
            let d = &self.services[j];
            let (n, why, m) = match deploying {
                Some(dp) if dp.service == j => (dp.tasks, dp.why.clone(), dp.missing.clone()),
                _ => (
                    d.desired_bound(),
                    d.desired
                        .as_ref()
                        .map_or("desired unknown".to_string(), |c| c.why.clone()),
                    d.desired.as_ref().err().cloned(),
                ),
            };
            let Some((b, share)) = self.placements[j].on_pool(pool, n) else {
                continue;
            };
            if pool > 0 {
                missing.extend(self.placements[j].missing().cloned());
            }
            missing.extend(m);
            total = total + b;
            parts.push(format!("{} {why}{}", d.address, share_words(&share, b, n)));
        }
        Need {
            total,
            why: parts.join(" + "),
            missing,
        }
    }

    /// IPv4 addresses taken within `set` by every user, with the arithmetic; `phase`
    /// says which services are deploying (instances count the same in every phase).
    pub fn subnet_need(&self, set: &[SubnetKey], phase: SubnetPhase) -> Need {
        // One service's deployment is asked for once per set (by that service): a memo
        // would only copy the set and the words.
        if let SubnetPhase::Deploying(_) = phase {
            return self.compute_subnet_need(set, phase);
        }
        let key = (set.to_vec(), phase);
        if let Some(hit) = self
            .need_cache
            .0
            .lock()
            .ok()
            .and_then(|m| m.get(&key).cloned())
        {
            return hit;
        }
        let need = self.compute_subnet_need(set, phase);
        if let Ok(mut m) = self.need_cache.0.lock() {
            m.insert(key, need.clone());
        }
        need
    }

    /// The IPv4 users of `set`'s subnets (IPv6-only subnets left out of `set`): the set
    /// kept, and the users' positions in `subnet_users`, in their original order, each once.
    fn subnet_candidates(&self, set: &[SubnetKey]) -> (Vec<SubnetKey>, Vec<usize>) {
        let set: Vec<SubnetKey> = set
            .iter()
            .filter(|k| !self.subnets.get(*k).is_some_and(|s| s.ipv6_only))
            .cloned()
            .collect();
        let mut candidates: Vec<usize> = set
            .iter()
            .filter_map(|k| self.users_by_subnet.get(k))
            .flatten()
            .copied()
            .collect();
        // Users in their original order, each once, for stable arithmetic text.
        candidates.sort_unstable();
        candidates.dedup();
        (set, candidates)
    }

    /// The addresses one user takes within `set` (`shared` of its subnets are in it), at its
    /// deployment peak or not, and the words for the count.
    fn user_count(&self, u: &SubnetUser, at_peak: bool) -> (Bound, Option<&ServiceDemand>) {
        match u.service {
            Some(i) if !at_peak && !self.services[i].daemon => {
                let d = &self.services[i];
                (involved_bound(&d.uses_subnets, d.desired_bound()), Some(d))
            }
            _ => (u.count, None),
        }
    }

    /// `subnet_need(set, phase).total` without the arithmetic text, in constant time for
    /// the steady state and `Deploying(i)` once `set` has been seen: the rules ask it for every service, and
    /// summing every user of a shared subnet set for each of its services was quadratic (a
    /// third of a check on the 100 MB benchmark plan). Exactly the same total: the sum of
    /// the other users' steady counts (prefix and suffix sums; saturating addition of counts
    /// is associative) plus the deploying service's peak.
    pub fn subnet_need_total(&self, set: &[SubnetKey], phase: SubnetPhase) -> Bound {
        self.subnet_sums(set).total(phase)
    }

    /// [`Analysis::subnet_need_total`] of `set` in any phase, the set looked up once.
    pub fn subnet_totals(&self, set: &[SubnetKey]) -> SubnetTotals {
        SubnetTotals(self.subnet_sums(set))
    }

    fn subnet_sums(&self, set: &[SubnetKey]) -> std::sync::Arc<SubnetSums> {
        if let Some(hit) = self
            .sums_cache
            .0
            .lock()
            .ok()
            .and_then(|m| m.get(set).cloned())
        {
            return hit;
        }
        let (kept, candidates) = self.subnet_candidates(set);
        let mut steady = Vec::with_capacity(candidates.len());
        let mut peak = Vec::with_capacity(candidates.len());
        let mut by_service: Vec<(usize, usize)> = Vec::with_capacity(candidates.len());
        let mut users = Vec::with_capacity(candidates.len());
        let mut with_missing = Vec::new();
        for (&ui, u) in candidates.iter().map(|i| (i, &self.subnet_users[*i])) {
            let shared = u.subnets.iter().filter(|s| kept.contains(s)).count();
            if shared == 0 {
                continue;
            }
            let within = |count: Bound| count.scale(shared as u64, u.subnets.len() as u64);
            if let Some(i) = u.service {
                by_service.push((i, steady.len()));
            }
            if self.user_may_miss(u) {
                with_missing.push(steady.len());
            }
            users.push((ui, shared));
            steady.push(within(self.user_count(u, false).0));
            peak.push(within(self.user_count(u, true).0));
        }
        by_service.sort_unstable();
        let all_peak = peak.iter().copied().sum();
        let mut before = Vec::with_capacity(steady.len() + 1);
        before.push(Bound::ZERO);
        for (k, c) in steady.iter().enumerate() {
            before.push(before[k] + *c);
        }
        let mut after = vec![Bound::ZERO; steady.len() + 1];
        for k in (0..steady.len()).rev() {
            after[k] = steady[k] + after[k + 1];
        }
        let sums = std::sync::Arc::new(SubnetSums {
            before,
            after,
            steady,
            peak,
            all_peak,
            by_service,
            users,
            with_missing,
        });
        if let Ok(mut m) = self.sums_cache.0.lock() {
            m.insert(set.to_vec(), sums.clone());
        }
        sums
    }

    /// Whether user `u` adds a missing input to a `subnet_need` in some phase (what
    /// [`Analysis::user_missing`] pushes).
    fn user_may_miss(&self, u: &SubnetUser) -> bool {
        u.missing.is_some()
            || u.service.is_some_and(|i| {
                let d = &self.services[i];
                matches!(d.uses_subnets, Involved::Maybe(_))
                    || d.desired.is_err()
                    || d.peak.is_err()
            })
    }

    /// The missing inputs user `u` adds to a `subnet_need`, counted at its peak or not.
    fn user_missing(&self, u: &SubnetUser, at_peak: bool, missing: &mut Vec<Missing>) {
        if let Some(m) = &u.missing {
            missing.push(m.clone());
        }
        if let Some(i) = u.service {
            let d = &self.services[i];
            if let Involved::Maybe(m) = &d.uses_subnets {
                missing.push(m.clone());
            }
            let m = if at_peak {
                d.peak.as_ref().err()
            } else {
                d.desired.as_ref().err()
            };
            if let Some(m) = m {
                missing.push(m.clone());
            }
        }
    }

    /// The users of `set` (from its [`SubnetSums`]): the total from the sums, the words for
    /// the first [`SHOWN_SUBNET_USERS`] users, and the missing inputs of the users that
    /// have any, in the users' order. Linear in the users shown and those with a missing
    /// input, not in every user of the set.
    fn compute_subnet_need(&self, set: &[SubnetKey], phase: SubnetPhase) -> Need {
        self.need_of(&self.subnet_sums(set), phase)
    }

    /// [`Analysis::subnet_need`] of the set `totals` come from, without the memo (for
    /// one service's deployment, asked for once).
    pub fn subnet_need_of(&self, totals: &SubnetTotals, phase: SubnetPhase) -> Need {
        self.need_of(&totals.0, phase)
    }

    fn need_of(&self, sums: &SubnetSums, phase: SubnetPhase) -> Need {
        let total = sums.total(phase);
        let mut missing = Vec::new();
        for &k in &sums.with_missing {
            let u = &self.subnet_users[sums.users[k].0];
            self.user_missing(u, phase.at_peak(u), &mut missing);
        }
        // The words of `need_words`, written into one string: a subnet rule words this for
        // every service of a large subnet.
        let shown = sums.users.len().min(SHOWN_SUBNET_USERS);
        let mut why = String::with_capacity(160 * shown);
        for (n, &(ui, shared)) in sums.users[..shown].iter().enumerate() {
            if n > 0 {
                why.push_str(" + ");
            }
            let u = &self.subnet_users[ui];
            self.write_user_words(&mut why, u, shared, phase.at_peak(u));
        }
        match (shown, sums.users.len() - shown) {
            (0, _) => why.push_str("nothing"),
            (1, 0) => {}
            (_, more) => {
                use std::fmt::Write;
                if more > 0 {
                    let _ = write!(why, " + {more} more");
                }
                why.push_str(" = ");
                why.push_str(&total.show());
            }
        }
        Need {
            total,
            why,
            missing,
        }
    }

    /// "aws_ecs_service.api desired_count 4 × 2/3 subnets": one user's count in words.
    #[cfg(test)]
    fn user_words(&self, u: &SubnetUser, shared: usize, at_peak: bool) -> String {
        let mut s = String::new();
        self.write_user_words(&mut s, u, shared, at_peak);
        s
    }

    /// [`Analysis::user_words`], written at the end of `out`.
    fn write_user_words(&self, out: &mut String, u: &SubnetUser, shared: usize, at_peak: bool) {
        let (_, desired) = self.user_count(u, at_peak);
        out.push_str(&u.label);
        out.push(' ');
        match (desired, u.service) {
            (Some(d), _) => out.push_str(d.desired.as_ref().map_or("desired unknown", |c| &c.why)),
            // A service at its peak (see `SubnetUser::why`).
            (None, Some(i)) if u.why.is_empty() => self.services[i].write_peak_words(out),
            (None, _) => out.push_str(&u.why),
        }
        if shared != u.subnets.len() {
            use std::fmt::Write;
            let _ = write!(out, " × {shared}/{} subnets", u.subnets.len());
        }
    }

    /// Usable IPv4 addresses over `set` (IPv6-only subnets excluded).
    /// For a service whose subnets the configuration hides among `candidates`
    /// ([`crate::model::AwsvpcConfiguration::subnet_candidates`]): whether `tasks` more
    /// IPv4 addresses fit in every candidate subnet alone, next to what its other users
    /// take at their desired counts. Whatever subset of the candidates the list is, its
    /// tasks spread over those subnets, so fitting in each alone (the worst case: all of
    /// them in the least roomy one) means fitting in any. `Fits` only then; `Unverifiable`
    /// when a candidate is too small or its size is unknown (a subnet outside the plan
    /// counts as unknown). IPv6-only candidates take no IPv4 address.
    pub fn fits_in_every_candidate_subnet(
        &self,
        model: &Model,
        assume: &Assumptions,
        candidates: &crate::model::Link,
        plan: usize,
        tasks: Bound,
    ) -> Verdict {
        // Room for more addresses in each candidate alone (usable minus what its other users
        // take at most); the worst candidate decides.
        let room = candidates.range(|a| {
            let link =
                crate::model::Link::to_address(a, crate::model::Resolution::KnownValue, true);
            let keys = subnets::keys(model, std::slice::from_ref(&link), plan).ok()?;
            let [key] = keys.as_slice() else {
                return None;
            };
            let info = match self.subnets.get(key) {
                Some(i) => i.clone(),
                None => subnets::info(model, assume, key),
            };
            if info.ipv6_only {
                return Some(u64::MAX);
            }
            let usable = info.usable.as_ref().ok()?.n;
            let others = self
                .subnet_need_total(std::slice::from_ref(key), SubnetPhase::Steady)
                .hi?;
            Some(usable.saturating_sub(others))
        });
        match (room, tasks.hi) {
            (Some(r), Some(t)) if t <= r.least => Verdict::Fits,
            _ => Verdict::Unverifiable,
        }
    }

    pub fn subnet_usable(&self, set: &[SubnetKey]) -> Need {
        let mut total = Bound::ZERO;
        let mut parts = Vec::new();
        let mut missing = Vec::new();
        for k in set {
            let Some(info) = self.subnets.get(k) else {
                continue;
            };
            if info.ipv6_only {
                continue;
            }
            total = total + info.usable_bound();
            match &info.usable {
                Ok(c) => parts.push(format!("{}: {}", k.label(), c.why)),
                Err(m) => {
                    parts.push(format!("{}: unknown", k.label()));
                    missing.push(m.clone());
                }
            }
        }
        Need {
            total,
            why: parts.join("; "),
            missing,
        }
    }
}

/// Compute everything for `model` under `assume`.
pub fn analyze(model: &Model, assume: &Assumptions) -> Analysis {
    let setting = trunking::setting(model, assume);
    let turned = trunking::turned_on(model, &setting, assume);
    let services: Vec<ServiceDemand> = model
        .services
        .iter()
        .map(|s| demand::service_demand(model, s))
        .collect();

    // Group services by cluster; every cluster in the plan gets a report.
    let mut keys: Vec<(ClusterKey, Option<&Cluster>)> = model
        .clusters
        .iter()
        .map(|c| {
            (
                ClusterKey::Plan {
                    plan: c.plan,
                    address: c.address.clone(),
                },
                Some(c),
            )
        })
        .collect();
    let mut index: HashMap<ClusterKey, usize> = keys
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (k.clone(), i))
        .collect();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); keys.len()];
    let mut service_cluster = Vec::with_capacity(services.len());
    for (i, s) in model.services.iter().enumerate() {
        match cluster_key(model, s) {
            Ok(k) => {
                // Looked up first: the key is cloned only for a cluster seen the first time.
                let ci = match index.get(&k) {
                    Some(&ci) => ci,
                    None => {
                        index.insert(k.clone(), keys.len());
                        keys.push((k, None));
                        members.push(Vec::new());
                        keys.len() - 1
                    }
                };
                members[ci].push(i);
                service_cluster.push(Ok(ci));
            }
            Err(m) => service_cluster.push(Err(m)),
        }
    }

    let mut placements: Vec<Placement> = vec![Placement::Cluster; services.len()];
    let mut clusters: Vec<ClusterReport> = Vec::with_capacity(keys.len());
    for ((key, cluster), members) in keys.into_iter().zip(members) {
        let specs = cluster::specs(assume, &key, cluster);
        // An `assume cluster` block describes the cluster's instances as one pool.
        let plan_sources: &[&crate::model::CapacitySource] = match &specs {
            cluster::Specs::Plan(v) => v,
            cluster::Specs::Assumed { .. } => &[],
        };
        let assumed = matches!(specs, cluster::Specs::Assumed { .. });
        let mut pool_keys = Vec::new();
        for &i in &members {
            if !assumed {
                placements[i] =
                    placement::place(model, &model.services[i], plan_sources, &mut pool_keys);
            }
        }
        let os = spec_os(model, &services, &members, &placements, &specs, &pool_keys);
        let daemons = daemons(&services, &members);
        let capacity = cluster::capacity(
            &assume.instances,
            model,
            (&setting, &turned),
            &key,
            cluster,
            &specs,
            &os,
            daemons,
        );
        let label = key.label();
        let example = cluster::assume_example(&key, cluster);
        let mut pools = vec![Pool::cluster(&label, &capacity)];
        for (k, pk) in pool_keys.iter().enumerate() {
            let name = members
                .iter()
                .find_map(|&i| match &placements[i] {
                    Placement::Providers { shares, .. } => shares
                        .iter()
                        .find(|sh| sh.pool == k + 1)
                        .map(|sh| sh.name.clone()),
                    _ => None,
                })
                .unwrap_or_default();
            let group = match pk {
                placement::PoolKey::Group(_) | placement::PoolKey::OneOf(_) => Some(pk),
                placement::PoolKey::Outside(_) => None,
                placement::PoolKey::Types(t) => {
                    pools.push(Pool::of_types(&label, t, &capacity));
                    continue;
                }
            };
            pools.push(Pool::provider(&label, &name, group, &capacity, &example));
        }
        let (ports, ports_unknown) = port_demand(model, &services, &members);
        clusters.push(ClusterReport {
            label,
            plan: cluster.map_or_else(
                || members.first().map_or(0, |&i| services[i].plan),
                |c| c.plan,
            ),
            address: cluster.map(|c| c.address.clone()),
            key,
            capacity,
            pools,
            services: members,
            ports,
            ports_unknown,
        });
    }

    let mut subnet_users = Vec::new();
    let mut service_subnets = Vec::with_capacity(services.len());
    for (i, (s, d)) in model.services.iter().zip(&services).enumerate() {
        if d.uses_subnets == Involved::No {
            service_subnets.push(None);
            continue;
        }
        let keys = match &s.network_configuration.val {
            Val::Known(Some(cfg)) => match &cfg.subnets.val {
                // A subnet id unknown at plan time that no reference ecsnet followed names.
                Val::Known(links) => subnets::keys(model, links, s.plan).map_err(|l| {
                    Missing::hidden(
                        format!("a subnet of {} ({l})", s.address),
                        "subnet ids known at plan time",
                    )
                }),
                _ => Err(Missing::after_apply(
                    format!(
                        "network_configuration[0].subnets of {} (known after apply)",
                        s.address
                    ),
                    "subnet ids known at plan time",
                )),
            },
            // No awsvpc configuration: NET040 reports that, no addresses to count.
            Val::Known(None) | Val::Null => {
                service_subnets.push(None);
                continue;
            }
            Val::Unknown => Err(Missing::after_apply(
                format!("network_configuration of {} (known after apply)", s.address),
                "a known network_configuration in the plan",
            )),
        };
        if let Ok(k) = &keys {
            if !k.is_empty() {
                let (count, why) = if d.daemon {
                    let inst = service_cluster[i]
                        .as_ref()
                        .ok()
                        .map_or(Bound::unknown(), |&c| clusters[c].pools[0].instances);
                    (
                        inst,
                        format!("DAEMON: one task on each of {} instances", inst.show()),
                    )
                } else {
                    // Worded when a finding shows it (`write_user_words`), not for
                    // every service up front.
                    (d.peak_bound(), String::new())
                };
                let missing = if d.daemon && count.hi.is_none() {
                    service_cluster[i]
                        .as_ref()
                        .ok()
                        .and_then(|&c| clusters[c].capacity.missing.first().cloned())
                } else {
                    None
                };
                subnet_users.push(SubnetUser {
                    label: s.address.clone(),
                    service: Some(i),
                    subnets: k.clone(),
                    count: involved_bound(&d.uses_subnets, count),
                    why,
                    missing,
                });
            }
        }
        service_subnets.push(Some(keys));
    }
    instance_users(
        model,
        &assumed_sizes(&clusters),
        &trunked(&clusters, &setting),
        &mut subnet_users,
    );
    let subnets = subnets::infos(model, assume, &subnet_users);

    let mut users_by_subnet: HashMap<SubnetKey, Vec<usize>> = HashMap::new();
    for (i, u) in subnet_users.iter().enumerate() {
        for k in &u.subnets {
            // Looked up first: a key is cloned once, not once per user of the subnet.
            match users_by_subnet.get_mut(k) {
                Some(v) => v.push(i),
                None => {
                    users_by_subnet.insert(k.clone(), vec![i]);
                }
            }
        }
    }
    Analysis {
        trunking: setting,
        services,
        placements,
        clusters,
        service_cluster,
        service_subnets,
        subnet_users,
        users_by_subnet,
        subnets,
        need_cache: NeedCache::default(),
        sums_cache: SumsCache::default(),
    }
}

/// Plan groups and instances an `assume cluster` block describes: at most its
/// `max_instances` of them run, whatever the plan's sizes say. By (plan, address).
fn assumed_sizes(clusters: &[ClusterReport]) -> HashMap<(usize, String), Counted> {
    let mut out = HashMap::new();
    for c in clusters {
        let Some(src) = c.capacity.sources.first() else {
            continue;
        };
        let Ok(n) = &src.instances else { continue };
        if src.kind != crate::model::CapacityKind::Assumed {
            continue;
        }
        for a in &c.capacity.replaced_by_assumption {
            out.insert(
                (c.plan, a.clone()),
                Counted {
                    n: n.n,
                    why: format!("{} ({})", n.why, src.label),
                },
            );
        }
    }
    out
}

/// Instances the plan puts in subnets: groups at max size (or at most what an `assume
/// cluster` block says), spread over their subnets.
/// Groups and instances, by (plan, address), whose instances get a trunk network interface:
/// awsvpcTrunking is enabled and every instance type of the source supports it, and nothing
/// (Windows tasks, resource-name DNS A records) keeps the trunk away.
///
/// Amazon ECS Developer Guide, "Elastic network interface trunking"
/// (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-eni.html>):
/// "The container instance will have the primary network interface and Amazon ECS creates
/// and attaches a \"trunk\" network interface to the container instance." Like every
/// network interface, the trunk takes a private IPv4 address of the subnet it is in, the
/// instance's.
fn trunked(clusters: &[ClusterReport], setting: &TrunkingSetting) -> HashSet<(usize, String)> {
    let mut out = HashSet::new();
    if !setting.is_enabled() {
        return out;
    }
    for c in clusters {
        // A provider's group hidden among candidates: each candidate's instances get a trunk
        // or not whichever provider uses it.
        let candidates = c.capacity.sources.iter().flat_map(|s| &s.one_of);
        for s in c.capacity.sources.iter().chain(candidates) {
            let (Some(a), false) = (&s.address, s.types.is_empty()) else {
                continue;
            };
            if s.no_trunk.is_none()
                && s.dns_a_record_on.is_none()
                && s.types.iter().all(|t| t.with_trunking.is_some())
            {
                out.insert((c.plan, a.clone()));
            }
        }
    }
    out
}

fn instance_users(
    model: &Model,
    assumed: &HashMap<(usize, String), Counted>,
    trunked: &HashSet<(usize, String)>,
    users: &mut Vec<SubnetUser>,
) {
    // An instance with a trunk takes two addresses: its primary interface's and the trunk's.
    let per_instance = |plan: usize, a: &str, count: Bound, why: String| {
        if trunked.contains(&(plan, a.to_string())) {
            (
                count.times(Bound::exact(2)),
                format!("{why} × 2 (primary + trunk ENI)"),
            )
        } else {
            (count, why)
        }
    };
    for g in &model.autoscaling_groups {
        let Some(links) = g.subnets.get() else {
            continue;
        };
        let Ok(keys) = subnets::keys(model, links, g.plan) else {
            continue;
        };
        if keys.is_empty() {
            continue;
        }
        let known = match &g.max_size.val {
            Val::Known(n) if !g.max_size.sensitive => Some((*n).max(0) as u64),
            _ => None,
        };
        let (count, why, missing) = match (known, assumed.get(&(g.plan, g.address.clone()))) {
            (Some(n), Some(a)) if n <= a.n => (Bound::exact(n), format!("max_size {n}"), None),
            (_, Some(a)) => (Bound::exact(a.n), format!("at most {}", a.why), None),
            (Some(n), None) => (Bound::exact(n), format!("max_size {n}"), None),
            (None, None) => (
                Bound::unknown(),
                "max_size unknown".to_string(),
                Some(Missing::new(
                    format!(
                        "max_size of {} (known after apply or sensitive), whose instances take addresses in its subnets",
                        g.address
                    ),
                    "a known, non-sensitive max_size in the plan, or an `assume cluster` block for its cluster",
                    if g.max_size.sensitive {
                        MissingKind::Sensitive
                    } else {
                        MissingKind::AfterApply
                    },
                )),
            ),
        };
        let (count, why) = per_instance(g.plan, &g.address, count, why);
        users.push(SubnetUser {
            label: g.address.clone(),
            service: None,
            subnets: keys,
            count,
            why,
            missing,
        });
    }
    for i in &model.instances {
        let Some(l) = &i.subnet else { continue };
        let Ok(keys) = subnets::keys(model, std::slice::from_ref(l), i.plan) else {
            continue;
        };
        let (count, why) = per_instance(i.plan, &i.address, Bound::exact(1), "1 instance".into());
        users.push(SubnetUser {
            label: i.address.clone(),
            service: None,
            subnets: keys,
            count,
            why,
            missing: None,
        });
    }
}

fn cluster_key(model: &Model, s: &crate::model::Service) -> Result<ClusterKey, Missing> {
    cluster::key_of(model, &s.cluster, s.plan).ok_or_else(|| {
        Missing::of_link(
            &s.cluster,
            format!("the cluster of {} (known after apply)", s.address),
            "a cluster reference ecsnet can follow in the plan configuration",
        )
    })
}

/// Which operating system the awsvpc tasks on each capacity spec run: Windows instances get
/// no trunk. A spec used by Windows and Linux tasks alike (the whole cluster, by services
/// without a strategy) is `Mixed`.
fn spec_os(
    model: &Model,
    services: &[ServiceDemand],
    members: &[usize],
    placements: &[Placement],
    specs: &cluster::Specs<'_>,
    pool_keys: &[placement::PoolKey],
) -> Vec<cluster::SpecOs> {
    let n = specs.len();
    let mut windows = vec![false; n];
    let mut linux = vec![false; n];
    for &i in members {
        if services[i].eni_on_instances == Involved::No {
            continue;
        }
        let os = model
            .task_definition_of(&model.services[i])
            .map_or(OsFamily::Unspecified, |t| t.os_family);
        let on: Vec<usize> = match (&placements[i], specs) {
            (Placement::Providers { shares, .. }, cluster::Specs::Plan(v)) => shares
                .iter()
                .flat_map(|sh| match &pool_keys[sh.pool - 1] {
                    k @ (placement::PoolKey::Group(_) | placement::PoolKey::OneOf(_)) => v
                        .iter()
                        .position(|s| k.is_source_spec(s))
                        .into_iter()
                        .collect(),
                    placement::PoolKey::Outside(_) => Vec::new(),
                    // Instances of some types: any source may hold them.
                    placement::PoolKey::Types(_) => (0..n).collect(),
                })
                .collect(),
            _ => (0..n).collect(),
        };
        for k in on {
            if os == OsFamily::Windows {
                windows[k] = true;
            } else {
                linux[k] = true;
            }
        }
    }
    windows
        .into_iter()
        .zip(linux)
        .map(|(w, l)| match (w, l) {
            (true, false) => cluster::SpecOs::Windows,
            (true, true) => cluster::SpecOs::Mixed,
            _ => cluster::SpecOs::Linux,
        })
        .collect()
}

fn daemons(services: &[ServiceDemand], members: &[usize]) -> cluster::Daemons {
    let mut d = cluster::Daemons::default();
    for &i in members {
        let s = &services[i];
        if !s.daemon || s.on_instances == Involved::No {
            continue;
        }
        match (&s.mode, &s.uses_subnets) {
            (Some(NetworkMode::Awsvpc), _) | (None, Involved::Yes) => {
                d.awsvpc_services.push(s.address.clone())
            }
            (Some(_), _) => {}
            (None, _) => d.maybe_awsvpc_services.push(s.address.clone()),
        }
    }
    d.awsvpc = Bound::range(
        d.awsvpc_services.len() as u64,
        (d.awsvpc_services.len() + d.maybe_awsvpc_services.len()) as u64,
    );
    d
}

fn port_demand(
    model: &Model,
    services: &[ServiceDemand],
    members: &[usize],
) -> (Vec<PortDemand>, Vec<(usize, Missing)>) {
    let mut by_port: BTreeMap<StaticPort, PortDemand> = BTreeMap::new();
    let mut unknown = Vec::new();
    for &i in members {
        let d = &services[i];
        let s = &model.services[i];
        // host and bridge tasks only run on container instances (EC2 or external), so an
        // unknown launch type does not exempt them.
        let static_mode = matches!(
            d.mode,
            Some(NetworkMode::Host | NetworkMode::Bridge | NetworkMode::WindowsDefault)
        );
        if d.on_instances == Involved::No || (!static_mode && d.mode.is_some()) {
            continue;
        }
        let Some(td) = model.task_definition_of(s) else {
            if let Involved::Maybe(m) = &d.eni_on_instances {
                unknown.push((i, m.clone()));
            }
            continue;
        };
        match ports::static_ports(td) {
            Ok((set, sensitive)) => {
                for p in set {
                    let e = by_port.entry(p.clone()).or_insert_with(|| PortDemand {
                        port: p,
                        sensitive: false,
                        services: Vec::new(),
                        daemons: Vec::new(),
                        desired: Bound::ZERO,
                    });
                    e.sensitive |= sensitive;
                    if d.daemon {
                        e.daemons.push(i);
                    } else {
                        e.services.push(i);
                        e.desired = e.desired + d.desired_bound();
                    }
                }
            }
            Err(m) => unknown.push((i, m)),
        }
    }
    (by_port.into_values().collect(), unknown)
}

#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;
