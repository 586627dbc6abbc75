//! Subnet IPv4 addresses: what a subnet offers (2^(32 − prefix) − 5, or the free count the
//! configuration assumes) and who takes from it (one address per awsvpc task, spread
//! evenly over the service's subnets, and one per instance the plan puts there).

use std::collections::BTreeMap;

use serde::Serialize;

use super::bound::Bound;
use super::demand::Counted;
use super::Missing;
use crate::config::{Assumptions, SubnetAssumption};
use crate::model::{Link, Model, PlanIndex, Subnet, Val};

/// A subnet by plan address, or by id when it is outside the plan.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum SubnetKey {
    /// A subnet the plan creates or reads. An address is unique only within one plan:
    /// `ecsnet check staging.json prod.json` holds `module.vpc.aws_subnet.a` twice, as two
    /// subnets in two VPCs, so the plan is part of the key and demand never adds up across
    /// plans.
    Plan { plan: PlanIndex, address: String },
    /// A subnet outside the plan, by its literal id. That id names one real AWS subnet
    /// whichever plan mentions it, so the demand of every plan using it is summed.
    Outside(String),
}

impl SubnetKey {
    /// The address (or id) alone: what findings and `ecsnet capacity` name the subnet by.
    pub fn label(&self) -> &str {
        match self {
            SubnetKey::Plan { address, .. } => address,
            SubnetKey::Outside(id) => id,
        }
    }

    /// The plan holding the subnet; `None` for a subnet outside the plan, which every
    /// plan shares.
    pub fn plan(&self) -> Option<PlanIndex> {
        match self {
            SubnetKey::Plan { plan, .. } => Some(*plan),
            SubnetKey::Outside(_) => None,
        }
    }
}

/// What a subnet offers.
#[derive(Debug, Clone, Serialize)]
pub struct SubnetInfo {
    pub key: SubnetKey,
    /// Usable IPv4 addresses (or free ones, when assumed).
    pub usable: Result<Counted, Missing>,
    /// IPv6-only subnets give tasks no IPv4 address.
    pub ipv6_only: bool,
}

impl SubnetInfo {
    pub fn usable_bound(&self) -> Bound {
        self.usable
            .as_ref()
            .map_or(Bound::unknown(), |c| Bound::exact(c.n))
    }
}

/// Someone taking addresses from a set of subnets, spread evenly.
#[derive(Debug, Clone, Serialize)]
pub struct SubnetUser {
    /// The service address or instance / group address.
    pub label: String,
    /// Index into `Analysis::services` for services.
    pub service: Option<usize>,
    pub subnets: Vec<SubnetKey>,
    /// Addresses taken in total over `subnets`.
    pub count: Bound,
    /// "peak 12 (desired 6 × maximum_percent 200% = 12)". Empty for a service that is not
    /// a daemon: its words are its [`super::ServiceDemand::peak_words`], written only when a
    /// finding shows them.
    pub why: String,
    /// Why `count` is not exact, for users other than services (whose inputs live in
    /// their [`super::ServiceDemand`]).
    pub missing: Option<Missing>,
}

impl SubnetUser {
    /// Addresses taken within `set`: `count × |subnets ∩ set| / |subnets|`.
    pub fn within(&self, set: &[SubnetKey]) -> Bound {
        let k = self.subnets.iter().filter(|s| set.contains(s)).count() as u64;
        self.count.scale(k, self.subnets.len() as u64)
    }
}

/// Parse the prefix length of an IPv4 CIDR ("10.0.1.0/24" → 24).
pub fn prefix_len(cidr: &str) -> Option<u32> {
    let (addr, p) = cidr.trim().split_once('/')?;
    addr.parse::<std::net::Ipv4Addr>().ok()?;
    let p: u32 = p.parse().ok()?;
    (p <= 32).then_some(p)
}

/// Usable addresses of a prefix: AWS reserves the first four and the last.
pub fn usable_for_prefix(prefix: u32) -> u64 {
    (1u64 << (32 - prefix)).saturating_sub(5)
}

fn from_cidr(cidr: &str) -> Option<Counted> {
    let p = prefix_len(cidr)?;
    let n = usable_for_prefix(p);
    Some(Counted {
        n,
        why: format!("2^(32 − {p}) − 5 = {n} usable ({})", cidr.trim()),
    })
}

fn supply(id: &str) -> String {
    format!(
        "`{}` (or `free_addresses = 200`) inside `assume` in .ecsnet.hcl",
        crate::config::hint::subnet(id, "cidr_block", "\"10.0.1.0/24\"")
    )
}

/// The `assume` entry for a subnet's size, as one line of a pasteable block.
fn assume_entry(id: &str) -> String {
    format!(
        "{} # or free_addresses = 200",
        crate::config::hint::subnet(id, "cidr_block", "\"10.0.1.0/24\"")
    )
}

fn from_assumption(k: &str, a: &SubnetAssumption) -> Option<Counted> {
    if let Some(free) = a.free_addresses {
        return Some(Counted {
            n: free,
            why: format!("free_addresses {free} (assume subnet \"{k}\")"),
        });
    }
    let c = a.cidr_block.as_deref()?;
    from_cidr(c).map(|mut c| {
        c.why = format!("{} from assume subnet \"{k}\"", c.why);
        c
    })
}

pub(crate) fn info(model: &Model, assume: &Assumptions, key: &SubnetKey) -> SubnetInfo {
    let find_assumption = |keys: &[&str]| {
        assume
            .subnet_for(keys.iter().copied())
            .map(|(k, a)| (k.to_string(), a))
    };
    match key {
        SubnetKey::Plan {
            plan,
            address: addr,
        } => {
            // The key already chose the plan: that plan's subnet, never another's.
            let s: Option<&Subnet> = model.subnet_in(addr, *plan).filter(|s| s.plan == *plan);
            let id = s.and_then(|s| s.id.get().cloned());
            let mut keys = vec![addr.as_str()];
            if let Some(i) = id.as_deref() {
                keys.push(i);
            }
            let assumed = find_assumption(&keys);
            let ipv6_only = s.is_some_and(|s| s.ipv6_native.get() == Some(&true));
            // An assumed free count reflects addresses already in use, so it wins; the
            // plan's CIDR comes next, then an assumed CIDR.
            let usable = assumed
                .as_ref()
                .filter(|(_, a)| a.free_addresses.is_some())
                .and_then(|(k, a)| from_assumption(k, a))
                .or_else(|| {
                    s.and_then(|s| match &s.cidr_block.val {
                        Val::Known(c) if !s.cidr_block.sensitive => from_cidr(c),
                        _ => None,
                    })
                })
                .or_else(|| assumed.as_ref().and_then(|(k, a)| from_assumption(k, a)))
                .ok_or_else(|| {
                    let label = id.as_deref().unwrap_or(addr);
                    let supply = supply(label);
                    let m = match s.map(|s| &s.cidr_block) {
                        Some(f) if f.sensitive => Missing::sensitive(
                            format!("the IPv4 CIDR of {addr} (sensitive)"),
                            supply,
                        ),
                        // ecsnet reads only IPv4 CIDRs.
                        Some(f) if f.is_known() => Missing::hidden(
                            format!("the IPv4 CIDR of {addr} ({} is not an IPv4 CIDR)", f.show()),
                            supply,
                        ),
                        Some(_) => Missing::after_apply(
                            format!("the IPv4 CIDR of {addr} (known after apply)"),
                            supply,
                        ),
                        None => Missing::outside_plan(
                            format!("the IPv4 CIDR of {addr} (known after apply)"),
                            supply,
                        ),
                    };
                    m.with_assume(assume_entry(label))
                });
            SubnetInfo {
                key: key.clone(),
                usable,
                ipv6_only,
            }
        }
        SubnetKey::Outside(id) => SubnetInfo {
            key: key.clone(),
            usable: find_assumption(&[id.as_str()])
                .and_then(|(k, a)| from_assumption(&k, a))
                .ok_or_else(|| {
                    Missing::outside_plan(
                        format!("the size of subnet {id} (outside the plan)"),
                        supply(id),
                    )
                    .with_assume(assume_entry(id))
                }),
            ipv6_only: false,
        },
    }
}

/// Subnet keys of a list of links from a resource of plan `from`; `Err` when one cannot
/// be resolved.
pub(crate) fn keys(
    model: &Model,
    links: &[Link],
    from: PlanIndex,
) -> Result<Vec<SubnetKey>, String> {
    let mut out = Vec::new();
    for l in links {
        match (&l.address, &l.literal) {
            // The subnet of the link's own plan, else another plan's (a network plan and an
            // app plan checked together).
            (Some(a), _) => match model.subnet_in(a, from) {
                Some(s) => out.push(SubnetKey::Plan {
                    plan: s.plan,
                    address: s.address.clone(),
                }),
                None => out.push(SubnetKey::Outside(a.clone())),
            },
            (None, Some(id)) => out.push(SubnetKey::Outside(id.clone())),
            (None, None) => return Err(l.describe()),
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Every subnet mentioned, with what it offers.
pub(crate) fn infos(
    model: &Model,
    assume: &Assumptions,
    users: &[SubnetUser],
) -> BTreeMap<SubnetKey, SubnetInfo> {
    let mut out = BTreeMap::new();
    for k in users.iter().flat_map(|u| u.subnets.iter()) {
        // Looked up first: most subnets have many users, and a key is cloned once.
        if !out.contains_key(k) {
            out.insert(k.clone(), info(model, assume, k));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing as t;

    fn plan_key(address: &str) -> SubnetKey {
        SubnetKey::Plan {
            plan: 0,
            address: address.into(),
        }
    }

    #[test]
    fn usable_addresses() {
        assert_eq!(usable_for_prefix(28), 11);
        assert_eq!(usable_for_prefix(24), 251);
        assert_eq!(usable_for_prefix(16), 65531);
        assert_eq!(usable_for_prefix(32), 0);
        assert_eq!(prefix_len("10.0.1.0/24"), Some(24));
        assert_eq!(prefix_len("10.0.1.0"), None);
        assert_eq!(prefix_len("2001:db8::/64"), None);
    }

    #[test]
    fn plan_cidr_then_assumption() {
        let mut m = Model::default();
        m.subnets
            .push(t::subnet("aws_subnet.a", "10.0.1.0/28", "eu-west-1a"));
        let mut a = Assumptions::default();
        let i = info(&m, &a, &plan_key("aws_subnet.a"));
        assert_eq!(i.usable.as_ref().unwrap().n, 11);
        assert!(i
            .usable
            .as_ref()
            .unwrap()
            .why
            .contains("2^(32 − 28) − 5 = 11"));
        a.subnets.insert(
            "aws_subnet.a".into(),
            SubnetAssumption {
                cidr_block: None,
                free_addresses: Some(3),
                availability_zone: None,
            },
        );
        let i = info(&m, &a, &plan_key("aws_subnet.a"));
        assert_eq!(i.usable.as_ref().unwrap().n, 3);
        let o = info(&m, &a, &SubnetKey::Outside("subnet-0abc".into()));
        assert!(o.usable.unwrap_err().supply.contains("subnet-0abc"));
    }

    #[test]
    fn spread_evenly() {
        let u = SubnetUser {
            label: "s".into(),
            service: None,
            subnets: vec![plan_key("a"), plan_key("b")],
            count: Bound::exact(7),
            why: String::new(),
            missing: None,
        };
        assert_eq!(u.within(&[plan_key("a")]), Bound::range(3, 4));
        assert_eq!(u.within(&[plan_key("a"), plan_key("b")]), Bound::exact(7));
    }
}
