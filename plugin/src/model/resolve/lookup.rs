//! Hash indexes over the extracted entities, so that every link is found in O(1):
//! by plan address, and by the identifying values AWS uses in references (ARN, id, name,
//! task definition family). Values are matched even when sensitive (computation is
//! allowed); they are never printed from here.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::model::PlanIndex;
use crate::plan::{Resource, SeededHash};

/// A map with the plan's seeded fast hash (SipHash, the std default, showed in profiles).
type FastMap<K, V> = HashMap<K, V, SeededHash>;

/// Which model vector an index position points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    TaskDefinition,
    Service,
    Cluster,
    CapacityProvider,
    AutoscalingGroup,
    LaunchTemplate,
    LaunchConfiguration,
    Instance,
    Subnet,
    Vpc,
    TargetGroup,
    ServiceDiscovery,
}

/// Positions of entities sharing one key, with the plan each came from: nearly always
/// one, kept without an allocation of its own.
#[derive(Debug)]
enum Candidates {
    One((PlanIndex, usize)),
    /// In the order added, and whether that order is ascending: entities are added in plan
    /// order, so it nearly always is, and then a new one greater than the last is not
    /// among them without a scan (one key shared by thousands of entities, a placeholder
    /// `id` say, made the scans quadratic).
    Many(Vec<(PlanIndex, usize)>, bool),
}

impl Candidates {
    fn as_slice(&self) -> &[(PlanIndex, usize)] {
        match self {
            Candidates::One(c) => std::slice::from_ref(c),
            Candidates::Many(v, _) => v,
        }
    }

    /// Add `c` unless it is already there.
    fn add(&mut self, c: (PlanIndex, usize)) {
        match self {
            Candidates::One(first) if *first == c => {}
            Candidates::One(first) => *self = Candidates::Many(vec![*first, c], *first < c),
            Candidates::Many(v, ascending) => {
                let after_last = v.last().is_some_and(|&last| last < c);
                if *ascending && after_last {
                    v.push(c);
                } else if !v.contains(&c) {
                    v.push(c);
                    *ascending &= after_last;
                }
            }
        }
    }
}

/// A value-keyed index for one kind of key (family, name, ARN, id). A key read from a
/// plan's values is borrowed from the plan (`'p`); others are copied.
#[derive(Debug, Default)]
pub(crate) struct KeyIndex<'p>(FastMap<Cow<'p, str>, Candidates>);

impl<'p> KeyIndex<'p> {
    pub(crate) fn insert(&mut self, key: &str, plan: PlanIndex, pos: usize) {
        // The key is copied only the first time it is seen.
        match self.0.get_mut(key) {
            Some(e) => Self::add(e, plan, pos),
            None => self.insert_cow(Cow::Owned(key.to_string()), plan, pos),
        }
    }

    /// [`KeyIndex::insert`] of a key that may be borrowed from the plan.
    pub(crate) fn insert_cow(&mut self, key: Cow<'p, str>, plan: PlanIndex, pos: usize) {
        if key.is_empty() {
            return;
        }
        match self.0.entry(key) {
            Entry::Occupied(mut e) => Self::add(e.get_mut(), plan, pos),
            Entry::Vacant(e) => {
                e.insert(Candidates::One((plan, pos)));
            }
        }
    }

    /// Room for `n` more keys.
    pub(crate) fn reserve(&mut self, n: usize) {
        self.0.reserve(n);
    }

    fn add(entry: &mut Candidates, plan: PlanIndex, pos: usize) {
        entry.add((plan, pos));
    }

    /// The entity a key names, preferring the plan the reference comes from. `certain` is
    /// false when several entities share the key (e.g. the same family in two modules).
    pub(crate) fn pick(&self, key: &str, plan: PlanIndex) -> Option<(usize, bool)> {
        let cands = self.0.get(key)?.as_slice();
        let mut same = cands.iter().filter(|(p, _)| *p == plan).map(|(_, i)| *i);
        match same.next() {
            Some(first) => Some((first, same.next().is_none())),
            None => cands.first().map(|&(_, i)| (i, cands.len() == 1)),
        }
    }
}

/// The entities of one kind in one module instance, grouped by resource.
#[derive(Debug, Default)]
struct ModuleEntities {
    groups: Vec<Vec<usize>>,
    /// Resource address without instance key → position in `groups`.
    index: FastMap<String, usize>,
}

/// Which entities each module instance declares, built from [`Lookup::added`] when first
/// asked (only links that the configuration hides ask). It holds copies of the addresses,
/// so that [`Lookup`] stays covariant in the plans' lifetime.
#[derive(Debug, Default)]
struct Modules {
    /// (plan, kind) → module instance address → entities of that kind declared directly
    /// in the module instance (`""` for the root module), grouped by resource (the
    /// instances of one `count`/`for_each` resource form one group).
    by_module: FastMap<(PlanIndex, Kind), FastMap<String, ModuleEntities>>,
    /// (plan, kind) → every module instance with entities of that kind in a module
    /// instance nested inside it (at any depth).
    nested: FastMap<(PlanIndex, Kind), HashSet<String, SeededHash>>,
}

impl Modules {
    fn build(added: &[(PlanIndex, &str, Kind, usize)]) -> Self {
        let mut m = Modules::default();
        for &(plan, address, kind, pos) in added {
            m.add(plan, address, kind, pos);
        }
        m
    }

    fn add(&mut self, plan: PlanIndex, address: &str, kind: Kind, pos: usize) {
        let base = crate::plan::address::strip_instance_key(address).unwrap_or(address);
        // The module prefix is a prefix of the address: borrowed from it.
        let module = &address[..crate::plan::address::module_prefix(address).len()];
        let modules = self.by_module.entry((plan, kind)).or_default();
        let entities = match modules.get_mut(module) {
            Some(e) => e,
            None => {
                if !module.is_empty() {
                    self.nested
                        .entry((plan, kind))
                        .or_default()
                        .extend(enclosing_modules(module));
                }
                modules.entry(module.to_string()).or_default()
            }
        };
        match entities.index.get(base) {
            Some(&g) => entities.groups[g].push(pos),
            None => {
                entities
                    .index
                    .insert(base.to_string(), entities.groups.len());
                entities.groups.push(vec![pos]);
            }
        }
    }
}

/// Every index used by resolution. Addresses are borrowed from the plans' resources
/// (`'p`): the model's entities hold copies of them, so the index needs none of its own.
#[derive(Debug, Default)]
pub(crate) struct Lookup<'p> {
    /// Per plan (by position): address → entity.
    by_address: Vec<FastMap<&'p str, (Kind, usize)>>,
    /// Per kind (by `Kind as usize`), the plan and resource of each entity by position.
    resources: Vec<Vec<Option<(PlanIndex, &'p Resource)>>>,
    /// Every address added, in order, for [`Modules`].
    added: Vec<(PlanIndex, &'p str, Kind, usize)>,
    modules: OnceLock<Modules>,
    pub(crate) td_family: KeyIndex<'p>,
    pub(crate) td_arn: KeyIndex<'p>,
    pub(crate) service_name: KeyIndex<'p>,
    pub(crate) service_arn: KeyIndex<'p>,
    pub(crate) cluster_name: KeyIndex<'p>,
    pub(crate) cluster_arn: KeyIndex<'p>,
    pub(crate) cp_name: KeyIndex<'p>,
    pub(crate) asg_name: KeyIndex<'p>,
    pub(crate) asg_arn: KeyIndex<'p>,
    pub(crate) lt_id: KeyIndex<'p>,
    pub(crate) lt_name: KeyIndex<'p>,
    pub(crate) lc_name: KeyIndex<'p>,
    /// Ids of managed `aws_subnet`s; ask [`Lookup::subnet_by_id`], which also knows data sources.
    pub(crate) subnet_id: KeyIndex<'p>,
    /// Ids of `data.aws_subnet`s.
    pub(crate) data_subnet_id: KeyIndex<'p>,
    pub(crate) vpc_id: KeyIndex<'p>,
    pub(crate) tg_arn: KeyIndex<'p>,
    pub(crate) tg_name: KeyIndex<'p>,
    pub(crate) sd_arn: KeyIndex<'p>,
    pub(crate) sd_id: KeyIndex<'p>,
}

impl<'p> Lookup<'p> {
    /// Room for `n` more addresses of `plan` (its entities to extract), so that the
    /// address map is not grown step by step.
    pub(crate) fn reserve(&mut self, plan: PlanIndex, n: usize) {
        if self.by_address.len() <= plan {
            self.by_address.resize_with(plan + 1, FastMap::default);
        }
        self.by_address[plan].reserve(n);
        self.added.reserve(n);
    }

    pub(crate) fn add_address(
        &mut self,
        plan: PlanIndex,
        address: &'p str,
        kind: Kind,
        pos: usize,
    ) {
        if self.by_address.len() <= plan {
            self.by_address.resize_with(plan + 1, FastMap::default);
        }
        self.by_address[plan].insert(address, (kind, pos));
        self.added.push((plan, address, kind, pos));
        // Built again, with this address, when next asked.
        self.modules.take();
    }

    /// [`Lookup::add_address`] of an entity's resource, which [`Lookup::resource`] then gives.
    pub(crate) fn add(&mut self, plan: PlanIndex, res: &'p Resource, kind: Kind, pos: usize) {
        self.add_address(plan, &res.address, kind, pos);
        let k = kind as usize;
        if self.resources.len() <= k {
            self.resources.resize_with(k + 1, Vec::new);
        }
        let of_kind = &mut self.resources[k];
        if of_kind.len() <= pos {
            of_kind.resize(pos + 1, None);
        }
        of_kind[pos] = Some((plan, res));
    }

    /// The plan and resource of the entity of `kind` at `pos`, when added by [`Lookup::add`].
    pub(crate) fn resource(&self, kind: Kind, pos: usize) -> Option<(PlanIndex, &'p Resource)> {
        *self.resources.get(kind as usize)?.get(pos)?
    }

    fn modules(&self) -> &Modules {
        self.modules.get_or_init(|| Modules::build(&self.added))
    }

    /// Whether module instance `module` has entities of `kind` in a nested module instance.
    pub(crate) fn has_nested(&self, plan: PlanIndex, module: &str, kind: Kind) -> bool {
        self.modules()
            .nested
            .get(&(plan, kind))
            .is_some_and(|n| n.contains(module))
    }

    /// The entities of `kind` declared directly in module instance `module` of `plan`, one
    /// group per resource.
    pub(crate) fn in_module(&self, plan: PlanIndex, module: &str, kind: Kind) -> &[Vec<usize>] {
        self.modules()
            .by_module
            .get(&(plan, kind))
            .and_then(|m| m.get(module))
            .map_or(&[], |e| e.groups.as_slice())
    }

    /// The subnet an id names. A managed `aws_subnet` wins over a `data.aws_subnet` that
    /// reads the same subnet (an update plan reads data sources with the ids the managed
    /// subnets already have): the managed one is what the configuration creates, and its
    /// route table associations are in the plan.
    pub(crate) fn subnet_by_id(&self, id: &str, plan: PlanIndex) -> Option<(usize, bool)> {
        self.subnet_id
            .pick(id, plan)
            .or_else(|| self.data_subnet_id.pick(id, plan))
    }

    /// The position of the entity of `kind` at `address` in `plan`.
    pub(crate) fn at(&self, plan: PlanIndex, address: &str, kind: Kind) -> Option<usize> {
        match self.by_address.get(plan)?.get(address) {
            Some((k, pos)) if *k == kind => Some(*pos),
            _ => None,
        }
    }

    /// Like [`Lookup::at`], but a link found by a known value may point into another plan:
    /// the referring plan is tried first, then every other plan.
    pub(crate) fn at_any(&self, plan: PlanIndex, address: &str, kind: Kind) -> Option<usize> {
        self.at(plan, address, kind).or_else(|| {
            self.by_address
                .iter()
                .enumerate()
                .find_map(|(p, m)| match m.get(address) {
                    Some((k, pos)) if p != plan && *k == kind => Some(*pos),
                    _ => None,
                })
        })
    }
}

/// The module instances enclosing module instance `module` (its ancestors and the root,
/// `""`): those that hold its entities in a nested module instance.
fn enclosing_modules(module: &str) -> Vec<String> {
    let Some(path) = crate::plan::address::module_path(module) else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(path.len());
    let mut ancestor = String::new();
    for (call, key) in &path[..path.len().saturating_sub(1)] {
        out.push(ancestor.clone());
        let segment = match key {
            Some(k) => format!("module.{call}[{k}]"),
            None => format!("module.{call}"),
        };
        ancestor = crate::plan::address::join(&ancestor, &segment);
    }
    out.push(ancestor);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pick_prefers_same_plan_and_flags_ambiguity() {
        let mut k = KeyIndex::default();
        k.insert("web", 0, 3);
        k.insert("web", 1, 7);
        assert_eq!(k.pick("web", 1), Some((7, true)));
        assert_eq!(k.pick("web", 2), Some((3, false)));
        k.insert("web", 1, 8);
        assert_eq!(k.pick("web", 1), Some((7, false)));
        assert_eq!(k.pick("api", 0), None);
    }

    /// Candidates keep the order they were added in and each entity once, whether added in
    /// plan order (no scan) or out of it (a scan from then on).
    #[test]
    fn candidates_are_kept_once_in_the_order_added() {
        let mut c = Candidates::One((0, 5));
        for x in [
            (0, 5),
            (0, 6),
            (0, 6),
            (1, 0),
            (0, 2),
            (0, 6),
            (0, 9),
            (0, 2),
            (0, 5),
        ] {
            c.add(x);
        }
        assert_eq!(c.as_slice(), &[(0, 5), (0, 6), (1, 0), (0, 2), (0, 9)]);
        let mut c = Candidates::One((0, 1));
        for pos in (2..100).chain(1..100) {
            c.add((0, pos));
        }
        assert_eq!(c.as_slice(), (1..100).map(|p| (0, p)).collect::<Vec<_>>());
        assert!(matches!(c, Candidates::Many(_, true)));
    }

    #[test]
    fn keys_borrowed_or_copied_index_alike() {
        let mut k = KeyIndex::default();
        let text = String::from("svc");
        k.insert_cow(Cow::Borrowed(text.as_str()), 0, 1);
        // The same entity twice is one candidate; another makes the key ambiguous.
        k.insert("svc", 0, 1);
        assert_eq!(k.pick("svc", 0), Some((1, true)));
        k.insert_cow(Cow::Owned("svc".to_string()), 0, 2);
        assert_eq!(k.pick("svc", 0), Some((1, false)));
        k.insert_cow(Cow::Borrowed(""), 0, 3);
        k.insert("", 0, 4);
        assert_eq!(k.pick("", 0), None);
    }

    #[test]
    fn module_index_includes_entities_added_after_a_question() {
        let mut l = Lookup::default();
        l.add_address(0, "module.m.aws_subnet.a[0]", Kind::Subnet, 0);
        assert_eq!(l.in_module(0, "module.m", Kind::Subnet), &[vec![0]]);
        assert!(!l.has_nested(0, "module.m", Kind::Subnet));
        l.add_address(0, "module.m.aws_subnet.a[1]", Kind::Subnet, 1);
        l.add_address(0, "module.m.aws_subnet.b", Kind::Subnet, 2);
        l.add_address(0, "module.m.module.n.aws_subnet.c", Kind::Subnet, 3);
        assert_eq!(
            l.in_module(0, "module.m", Kind::Subnet),
            &[vec![0, 1], vec![2]]
        );
        assert!(l.has_nested(0, "module.m", Kind::Subnet));
    }

    #[test]
    fn entity_resources_are_kept_by_kind_and_position() {
        let p = crate::plan::parse_bytes(
            br#"{"format_version": "1.2", "resource_changes": [
                {"address": "aws_subnet.a", "mode": "managed", "type": "aws_subnet",
                 "name": "a", "change": {"actions": ["create"], "after": {}}}]}"#,
            "p",
            &Default::default(),
        )
        .unwrap();
        let mut l = Lookup::default();
        l.add(0, &p.resources[0], Kind::Subnet, 1);
        assert_eq!(
            l.resource(Kind::Subnet, 1)
                .map(|(plan, r)| (plan, r.address.as_str())),
            Some((0, "aws_subnet.a"))
        );
        assert!(l.resource(Kind::Subnet, 0).is_none());
        assert!(l.resource(Kind::Vpc, 1).is_none());
        assert_eq!(l.at(0, "aws_subnet.a", Kind::Subnet), Some(1));
    }

    #[test]
    fn managed_subnets_win_over_data_sources_with_the_same_id() {
        let mut l = Lookup::default();
        l.data_subnet_id.insert("subnet-1", 0, 0);
        l.subnet_id.insert("subnet-1", 1, 1);
        l.data_subnet_id.insert("subnet-2", 0, 2);
        // The managed subnet of the other plan is still the one meant, and certain.
        assert_eq!(l.subnet_by_id("subnet-1", 0), Some((1, true)));
        assert_eq!(l.subnet_by_id("subnet-2", 0), Some((2, true)));
        assert_eq!(l.subnet_by_id("subnet-3", 0), None);
    }

    #[test]
    fn address_lookup_checks_kind() {
        let mut l = Lookup::default();
        l.add_address(0, "aws_subnet.a", Kind::Subnet, 2);
        assert_eq!(l.at(0, "aws_subnet.a", Kind::Subnet), Some(2));
        assert_eq!(l.at(0, "aws_subnet.a", Kind::Vpc), None);
        assert_eq!(l.at(1, "aws_subnet.a", Kind::Subnet), None);
    }

    #[test]
    fn modules_know_whether_nested_modules_hold_an_entity_kind() {
        let mut l = Lookup::default();
        l.add_address(
            0,
            "module.a[\"x\"].module.b.aws_lb_target_group.t",
            Kind::TargetGroup,
            0,
        );
        l.add_address(0, "module.c.aws_lb_target_group.t", Kind::TargetGroup, 1);
        l.add_address(0, "aws_lb_target_group.root", Kind::TargetGroup, 2);
        for m in ["", "module.a[\"x\"]"] {
            assert!(l.has_nested(0, m, Kind::TargetGroup), "{m}");
        }
        for m in ["module.a[\"x\"].module.b", "module.c"] {
            assert!(!l.has_nested(0, m, Kind::TargetGroup), "{m}");
        }
        assert!(!l.has_nested(0, "", Kind::Subnet));
        assert!(!l.has_nested(1, "", Kind::TargetGroup));
    }
}
