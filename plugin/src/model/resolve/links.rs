//! Turning an attribute into a [`Link`]: a known value matched against the lookup
//! indexes first, then the configuration's references, then "outside the plan".

use std::borrow::Cow;

use super::lookup::{KeyIndex, Kind, Lookup};
use crate::model::{Field, Link, Model, PlanIndex, Resolution, Val};
use crate::plan::{Plan, Resource};

/// Most candidates a [`Resolution::OneOfCandidates`] link keeps: asking each of them is
/// work per link, so a module with more entities of the kind gives no candidates.
const MAX_CANDIDATES: usize = 64;

/// Everything a link needs: the plan the referring resource is in, and the indexes.
pub(crate) struct Cx<'a> {
    pub plan: &'a Plan,
    pub idx: PlanIndex,
    pub lookup: &'a Lookup<'a>,
    pub model: &'a Model,
}

/// Literal text for a link that leaves the plan; a sensitive value is never copied.
fn literal(value: &str, sensitive: bool) -> String {
    if sensitive {
        "(sensitive)".to_string()
    } else {
        value.to_string()
    }
}

impl<'a> Cx<'a> {
    /// The address of an entity by kind and position.
    pub(crate) fn address(&self, kind: Kind, pos: usize) -> String {
        let m = self.model;
        match kind {
            Kind::TaskDefinition => m.task_definitions[pos].address.clone(),
            Kind::Service => m.services[pos].address.clone(),
            Kind::Cluster => m.clusters[pos].address.clone(),
            Kind::CapacityProvider => m.capacity_providers[pos].address.clone(),
            Kind::AutoscalingGroup => m.autoscaling_groups[pos].address.clone(),
            Kind::LaunchTemplate => m.launch_templates[pos].address.clone(),
            Kind::LaunchConfiguration => m.launch_configurations[pos].address.clone(),
            Kind::Instance => m.instances[pos].address.clone(),
            Kind::Subnet => m.subnets[pos].address.clone(),
            Kind::Vpc => m.vpcs[pos].address.clone(),
            Kind::TargetGroup => m.target_groups[pos].address.clone(),
            Kind::ServiceDiscovery => m.service_discovery_services[pos].address.clone(),
        }
    }

    /// Entities of `kind` that the attribute's configuration expression references
    /// (through module variables and outputs), deduplicated, with certainty.
    pub(crate) fn referenced(&self, res: &Resource, path: &str, kind: Kind) -> Vec<(usize, bool)> {
        self.referenced_by(res, path, kind).0
    }

    /// [`Cx::referenced`] with how the targets were found: what the Terraform sources say
    /// the unknown value references (exact through locals, `dynamic` blocks and `slice()`)
    /// when it names an entity of `kind`, else the configuration's references.
    pub(crate) fn referenced_by(
        &self,
        res: &Resource,
        path: &str,
        kind: Kind,
    ) -> (Vec<(usize, bool)>, Resolution) {
        let from_sources = self.positions(self.plan.source_references(res, path), kind);
        if !from_sources.is_empty() {
            return (from_sources, Resolution::Source);
        }
        let refs = self.plan.resolve_references(res, path);
        (self.positions(&refs, kind), Resolution::ConfigReference)
    }

    fn positions(&self, targets: &[crate::plan::RefTarget], kind: Kind) -> Vec<(usize, bool)> {
        let mut out: Vec<(usize, bool)> = Vec::new();
        for t in targets {
            if let Some(pos) = self.lookup.at(self.idx, &t.address, kind) {
                match out.iter_mut().find(|(p, _)| *p == pos) {
                    Some(existing) => existing.1 |= t.certain,
                    None => out.push((pos, t.certain)),
                }
            }
        }
        out
    }

    /// A link from a reference: the single target, or the first of several (uncertain).
    pub(crate) fn link_from_refs(&self, res: &Resource, path: &str, kind: Kind) -> Option<Link> {
        let (refs, by) = self.referenced_by(res, path, kind);
        let (pos, certain) = *refs.first()?;
        Some(Link::to_address(
            self.address(kind, pos),
            by,
            certain && refs.len() == 1,
        ))
    }

    /// Whether the configuration hides how `path` is set, so that no reference can name its
    /// target: the expression reads only `local.*`, `each.*` or `count.*` (which the plan's
    /// configuration section does not expand), or the attribute sits in a block that the
    /// configuration does not show at all (a `dynamic` block). An argument simply left out
    /// of a block the configuration shows is not hidden. False without a configuration.
    pub(crate) fn hidden(&self, res: &Resource, path: &str) -> bool {
        if !self.plan.config.present {
            return false;
        }
        let Some(cfg) = self.plan.config_resource(res) else {
            return false;
        };
        let top = path.split('.').next().unwrap_or(path);
        match cfg.expressions.lookup(path) {
            Some(e) => e.reads_only_locals_or_iterators(),
            None => top != path && !cfg.expressions.0.contains_key(top),
        }
    }

    /// The entities of `kind` a hidden attribute can only mean, as groups of one resource's
    /// instances (a counted subnet resource is one group). First the entities declared in
    /// the referring resource's own module instance; when there are none, those that the
    /// inputs of the module call creating that instance name, when exactly one input names
    /// any. Empty when neither settles it.
    pub(crate) fn candidates(&self, res: &Resource, kind: Kind) -> Cow<'a, [Vec<usize>]> {
        let own = self.lookup.in_module(self.idx, &res.module_address, kind);
        if !own.is_empty() {
            return Cow::Borrowed(own);
        }
        let mut found: Option<Vec<usize>> = None;
        for (_, targets) in self.plan.module_inputs(&res.module_address) {
            let mut positions: Vec<usize> = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for t in targets {
                if let Some(p) = self.lookup.at(self.idx, &t.address, kind) {
                    if seen.insert(p) {
                        positions.push(p);
                    }
                }
            }
            if positions.is_empty() {
                continue;
            }
            if found.is_some() {
                return Cow::Owned(Vec::new());
            }
            found = Some(positions);
        }
        // One input: whatever it names is the one candidate set (a list of subnets may
        // span several resources, e.g. `concat(a[*].id, b[*].id)`).
        Cow::Owned(found.map(|p| vec![p]).unwrap_or_default())
    }

    /// The only entity of `kind` a hidden single-valued attribute can name
    /// ([`Cx::candidates`] with one group of one instance).
    pub(crate) fn only_candidate(&self, res: &Resource, path: &str, kind: Kind) -> Option<Link> {
        if !self.hidden(res, path) {
            return None;
        }
        match self.candidates(res, kind).as_ref() {
            [one] if one.len() == 1 => Some(Link::to_address(
                self.address(kind, one[0]),
                Resolution::OnlyCandidate,
                false,
            )),
            _ => None,
        }
    }

    /// Every entity of `kind` a hidden attribute can name when there are several
    /// ([`Cx::candidates`], all groups together), as a [`Resolution::OneOfCandidates`] link.
    /// None when a module instance nested in the referring resource's module also holds
    /// such entities (a local may name one of those), or when there are more than
    /// [`MAX_CANDIDATES`].
    pub(crate) fn one_of(&self, res: &Resource, path: &str, kind: Kind) -> Option<Link> {
        if !self.hidden(res, path) || self.lookup.has_nested(self.idx, &res.module_address, kind) {
            return None;
        }
        let groups = self.candidates(res, kind);
        let n: usize = groups.iter().map(Vec::len).sum();
        if !(2..=MAX_CANDIDATES).contains(&n) {
            return None;
        }
        Some(Link::one_of(
            groups
                .iter()
                .flatten()
                .map(|&p| self.address(kind, p))
                .collect(),
        ))
    }

    /// An unresolved link ([`Cx::link`]) replaced by the candidates ([`Cx::one_of`]) of the
    /// unknown value the configuration hides, when there are some; any other kept.
    pub(crate) fn or_candidates(&self, link: Link, res: &Resource, path: &str, kind: Kind) -> Link {
        if link.resolved_by != Resolution::Unresolved {
            return link;
        }
        self.one_of(res, path, kind).unwrap_or(link)
    }

    /// The general rule for a single-valued link attribute:
    /// known value matched by `matcher` → reference → outside the plan → unresolved.
    /// `None` when the value is null and no reference names a target (not set).
    pub(crate) fn link(
        &self,
        res: &Resource,
        path: &str,
        value: &Field<String>,
        kind: Kind,
        matcher: impl Fn(&str) -> Option<(usize, bool)>,
    ) -> Option<Link> {
        match &value.val {
            Val::Known(v) if !v.is_empty() => {
                if let Some((pos, certain)) = matcher(v) {
                    // Several entities share the value (one family in many module
                    // instances): a reference that names one of them settles it.
                    if !certain {
                        if let Some(l) = self.link_from_refs(res, path, kind) {
                            if l.certain {
                                return Some(l);
                            }
                        }
                    }
                    return Some(Link::to_address(
                        self.address(kind, pos),
                        Resolution::KnownValue,
                        certain,
                    ));
                }
                if let Some(l) = self.link_from_refs(res, path, kind) {
                    return Some(l);
                }
                Some(Link::outside(literal(v, value.sensitive)))
            }
            Val::Unknown => Some(
                self.link_from_refs(res, path, kind)
                    .or_else(|| self.only_candidate(res, path, kind))
                    .unwrap_or_else(Link::unresolved),
            ),
            Val::Known(_) | Val::Null => self.link_from_refs(res, path, kind),
        }
    }

    /// A list of subnet ids (service `network_configuration`, ASG `vpc_zone_identifier`).
    /// Known ids are matched to subnets in the plan (including `data.aws_subnet` read during
    /// planning); an unknown list is resolved through the configuration's references and
    /// stays unknown when they name no subnet.
    pub(crate) fn subnet_links(
        &self,
        res: &Resource,
        path: &str,
        ids: Field<Vec<String>>,
    ) -> Field<Vec<Link>> {
        let sensitive = ids.sensitive;
        match ids.val {
            Val::Known(list) => Field::known(
                list.iter()
                    .map(|id| match self.lookup.subnet_by_id(id, self.idx) {
                        Some((pos, certain)) => Link::to_address(
                            self.address(Kind::Subnet, pos),
                            Resolution::KnownValue,
                            certain,
                        ),
                        None => Link::outside(literal(id, sensitive)),
                    })
                    .collect(),
            ),
            Val::Unknown => {
                let (mut refs, by) = self.referenced_by(res, path, Kind::Subnet);
                // A list attribute referencing a counted resource as a whole (`aws_subnet.x[*].id`)
                // means every instance: the reader marks each "uncertain" because no single
                // instance is named, but together they are exactly the list. Only candidates
                // spread over several module instances remain a guess.
                let bases: std::collections::HashSet<String> = refs
                    .iter()
                    .filter(|(_, certain)| !certain)
                    .filter_map(|(pos, _)| {
                        let a = &self.model.subnets[*pos].address;
                        self.plan.resource(a).map(|r| r.base_address())
                    })
                    .collect();
                if bases.len() == 1 {
                    for r in refs.iter_mut() {
                        r.1 = true;
                    }
                }
                if refs.is_empty() {
                    // Hidden (a `dynamic` block, a local): the one group of subnets that can
                    // be meant, every instance of it.
                    match self.candidates(res, Kind::Subnet).as_ref() {
                        [one] if self.hidden(res, path) => Field::known(
                            one.iter()
                                .map(|&p| {
                                    Link::to_address(
                                        self.address(Kind::Subnet, p),
                                        Resolution::OnlyCandidate,
                                        false,
                                    )
                                })
                                .collect(),
                        ),
                        _ => Field::unknown(),
                    }
                } else {
                    Field::known(
                        refs.into_iter()
                            .map(|(pos, certain)| {
                                Link::to_address(self.address(Kind::Subnet, pos), by, certain)
                            })
                            .collect(),
                    )
                }
            }
            Val::Null => Field::null(),
        }
        .with_sensitive(sensitive)
    }
}

// ARN → name has one home: `model::arn`.
pub(crate) use crate::model::arn::resource_after as arn_resource;

/// A task definition named by ARN, `family:revision` or family.
pub(crate) fn match_task_definition(
    lookup: &Lookup,
    plan: PlanIndex,
    value: &str,
) -> Option<(usize, bool)> {
    if let Some(hit) = lookup.td_arn.pick(value, plan) {
        return Some(hit);
    }
    let name = arn_resource(value, "task-definition/").unwrap_or(value);
    let family = name.split(':').next().unwrap_or(name);
    lookup.td_family.pick(family, plan)
}

/// A cluster named by ARN or name.
pub(crate) fn match_cluster(
    lookup: &Lookup,
    plan: PlanIndex,
    value: &str,
) -> Option<(usize, bool)> {
    if let Some(hit) = lookup.cluster_arn.pick(value, plan) {
        return Some(hit);
    }
    let name = crate::model::arn::cluster_name(value);
    lookup.cluster_name.pick(name, plan)
}

/// An autoscaling group named by ARN (`...:autoScalingGroupName/<name>`) or name.
pub(crate) fn match_asg(lookup: &Lookup, plan: PlanIndex, value: &str) -> Option<(usize, bool)> {
    if let Some(hit) = lookup.asg_arn.pick(value, plan) {
        return Some(hit);
    }
    let name = arn_resource(value, "autoScalingGroupName/").unwrap_or(value);
    lookup.asg_name.pick(name, plan)
}

/// A service named by ARN (`.../service/<cluster>/<name>` or the old `.../service/<name>`) or name.
pub(crate) fn match_service(
    lookup: &Lookup,
    plan: PlanIndex,
    value: &str,
) -> Option<(usize, bool)> {
    if let Some(hit) = lookup.service_arn.pick(value, plan) {
        return Some(hit);
    }
    lookup
        .service_name
        .pick(crate::model::arn::service_name(value), plan)
}

/// A value looked up in one index.
pub(crate) fn match_in(index: &KeyIndex, plan: PlanIndex, value: &str) -> Option<(usize, bool)> {
    index.pick(value, plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_and_short_names_match() {
        let mut l = Lookup::default();
        l.td_family.insert("web", 0, 4);
        l.cluster_name.insert("prod", 0, 1);
        l.asg_name.insert("ecs-asg", 0, 2);
        l.service_name.insert("api", 0, 5);
        assert_eq!(
            match_task_definition(&l, 0, "arn:aws:ecs:eu-west-1:1:task-definition/web:41"),
            Some((4, true))
        );
        assert_eq!(match_task_definition(&l, 0, "web:7"), Some((4, true)));
        assert_eq!(match_task_definition(&l, 0, "web"), Some((4, true)));
        assert_eq!(match_task_definition(&l, 0, "other:1"), None);
        assert_eq!(
            match_cluster(&l, 0, "arn:aws:ecs:eu-west-1:1:cluster/prod"),
            Some((1, true))
        );
        assert_eq!(match_cluster(&l, 0, "prod"), Some((1, true)));
        assert_eq!(
            match_asg(
                &l,
                0,
                "arn:aws:autoscaling:eu-west-1:1:autoScalingGroup:0f-11:autoScalingGroupName/ecs-asg"
            ),
            Some((2, true))
        );
        assert_eq!(
            match_service(&l, 0, "arn:aws:ecs:eu-west-1:1:service/prod/api"),
            Some((5, true))
        );
    }

    #[test]
    fn sensitive_literals_are_not_copied() {
        assert_eq!(literal("subnet-1", false), "subnet-1");
        assert_eq!(literal("subnet-1", true), "(sensitive)");
    }
}
