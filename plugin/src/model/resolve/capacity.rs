//! EC2 capacity links: capacity provider → autoscaling group → launch template / launch
//! configuration / mixed-instances overrides → instance types; instance → subnet.

use super::links::{match_asg, match_in, Cx};
use super::lookup::Kind;
use crate::model::extract::opt_string;
use crate::model::{Field, Link, Resolution, Val};
use crate::plan::Resource;

pub(crate) fn capacity_provider_asg(cx: &Cx<'_>, res: &Resource) -> Link {
    let path = "auto_scaling_group_provider.0.auto_scaling_group_arn";
    let value = opt_string(res.attr(path));
    let link = cx
        .link(res, path, &value, Kind::AutoscalingGroup, |v| {
            match_asg(cx.lookup, cx.idx, v)
        })
        .unwrap_or_else(Link::unresolved);
    // Hidden among several groups: capacity counts the provider from the candidate group
    // with the least to the one with the most (`capacity::cluster::span`).
    cx.or_candidates(link, res, path, Kind::AutoscalingGroup)
}

/// Whether a capacity provider is an ECS Managed Instances provider rather than an
/// autoscaling-group one.
pub(crate) fn is_managed_instances(res: &Resource) -> bool {
    let v = res.values.root();
    let mi = v.get("managed_instances_provider").items();
    matches!(&mi.val, Val::Known(items) if !items.is_empty())
        || v.get("type")
            .string()
            .get()
            .is_some_and(|t| t.eq_ignore_ascii_case("MANAGED_INSTANCES"))
}

pub(crate) struct GroupLinks {
    pub launch_template: Option<Link>,
    pub launch_configuration: Option<Link>,
    pub subnets: Field<Vec<crate::model::Link>>,
    /// `mixed_instances_policy` override instance types (Known(empty) when none).
    pub override_types: Field<Vec<String>>,
}

/// Paths where a group names its launch template: the plain block, then the mixed
/// instances policy's specification.
const LT_PATHS: &[(&str, &str)] = &[
    ("launch_template.0.id", "launch_template.0.name"),
    (
        "mixed_instances_policy.0.launch_template.0.launch_template_specification.0.launch_template_id",
        "mixed_instances_policy.0.launch_template.0.launch_template_specification.0.launch_template_name",
    ),
];

pub(crate) fn group_links(cx: &Cx<'_>, res: &Resource) -> GroupLinks {
    let mut launch_template = None;
    for (id_path, name_path) in LT_PATHS {
        let id = opt_string(res.attr(id_path));
        let name = opt_string(res.attr(name_path));
        let by_id = cx.link(res, id_path, &id, Kind::LaunchTemplate, |v| {
            match_in(&cx.lookup.lt_id, cx.idx, v)
        });
        let by_name = cx.link(res, name_path, &name, Kind::LaunchTemplate, |v| {
            match_in(&cx.lookup.lt_name, cx.idx, v)
        });
        // Prefer whichever found an address; an unknown id with a known name is common.
        let best = match (by_id, by_name) {
            (Some(a), _) if a.address.is_some() => Some(a),
            (_, Some(b)) if b.address.is_some() => Some(b),
            (Some(a), _) => Some(a),
            (None, b) => b,
        }
        // Hidden (a `dynamic "launch_template"` block over a local) among several templates:
        // keep them all.
        .map(|l| cx.or_candidates(l, res, id_path, Kind::LaunchTemplate));
        // The provider plans an omitted `launch_template` block as unknown (it is optional
        // + computed), so a group that uses a mixed instances policy gets an unresolved
        // link from the plain block: keep looking, and fall back to the first unresolved
        // or outside link only when no path names a template in the plan.
        // An only-candidate link (a `dynamic "launch_template"` block) gives way to a path
        // that names the template.
        let guessed = |l: &Link| l.resolved_by == Resolution::OnlyCandidate;
        match best {
            Some(l) if l.address.is_some() && !guessed(&l) => {
                launch_template = Some(l);
                break;
            }
            Some(l)
                if launch_template.is_none()
                    || (l.address.is_some()
                        && launch_template
                            .as_ref()
                            .is_some_and(|t| t.address.is_none())) =>
            {
                launch_template = Some(l)
            }
            _ => {}
        }
    }
    let lc_value = opt_string(res.attr("launch_configuration"));
    let launch_configuration = cx.link(
        res,
        "launch_configuration",
        &lc_value,
        Kind::LaunchConfiguration,
        |v| match_in(&cx.lookup.lc_name, cx.idx, v),
    );
    let subnets = cx.subnet_links(
        res,
        "vpc_zone_identifier",
        res.attr("vpc_zone_identifier").strings(),
    );
    GroupLinks {
        launch_template,
        launch_configuration,
        subnets,
        override_types: if crate::model::extract::configured(cx.plan, res, "mixed_instances_policy")
        {
            override_types(res)
        } else {
            Field::known(vec![])
        },
    }
}

fn override_types(res: &Resource) -> Field<Vec<String>> {
    let overrides = res
        .attr("mixed_instances_policy.0.launch_template.0.override")
        .items();
    let sensitive = overrides.sensitive;
    match overrides.val {
        Val::Known(list) => {
            let mut types = Vec::with_capacity(list.len());
            for o in list {
                match opt_string(o.get("instance_type")).val {
                    Val::Known(t) => types.push(t),
                    Val::Null => {}
                    Val::Unknown => return Field::unknown().with_sensitive(sensitive),
                }
            }
            Field::known(types)
        }
        Val::Null => Field::known(vec![]),
        Val::Unknown => Field::unknown(),
    }
    .with_sensitive(sensitive)
}

/// The instance types a group can launch: the mixed-instances overrides when there are
/// any (they replace the template's type), else the launch template's or launch
/// configuration's type. Unknown when that type is unknown or lives outside the plan, or
/// when instance requirements (attribute-based selection) pick the types at launch.
pub(crate) fn instance_types(
    uses_requirements: bool,
    overrides: &Field<Vec<String>>,
    template_type: Option<&Field<String>>,
    configuration_type: Option<&Field<String>>,
) -> Field<Vec<String>> {
    if uses_requirements || overrides.is_unknown() {
        return Field::unknown().with_sensitive(overrides.sensitive);
    }
    if let Some(types) = overrides.get().filter(|t| !t.is_empty()) {
        return Field::known(types.clone()).with_sensitive(overrides.sensitive);
    }
    match template_type.or(configuration_type) {
        Some(t) => t.clone().map(|t| vec![t]),
        None => Field::unknown(),
    }
}

pub(crate) fn instance_subnet(cx: &Cx<'_>, res: &Resource) -> Option<Link> {
    let value = opt_string(res.attr("subnet_id"));
    cx.link(res, "subnet_id", &value, Kind::Subnet, |v| {
        cx.lookup.subnet_by_id(v, cx.idx)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_replace_the_template_type() {
        let lt = Field::known("c5.large".to_string());
        let ov = Field::known(vec!["m5.large".to_string(), "m5a.large".to_string()]);
        assert_eq!(
            instance_types(false, &ov, Some(&lt), None).get().unwrap(),
            &vec!["m5.large".to_string(), "m5a.large".to_string()]
        );
        let none = Field::known(vec![]);
        assert_eq!(
            instance_types(false, &none, Some(&lt), None).get().unwrap(),
            &vec!["c5.large".to_string()]
        );
        assert!(instance_types(true, &ov, Some(&lt), None).is_unknown());
        assert!(instance_types(false, &none, None, None).is_unknown());
        let lc = Field::known("t3.micro".to_string());
        assert_eq!(
            instance_types(false, &none, None, Some(&lc)).get().unwrap(),
            &vec!["t3.micro".to_string()]
        );
    }
}
