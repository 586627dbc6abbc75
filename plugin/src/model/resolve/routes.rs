//! Is a subnet public? Only when the plan shows its route table association and that
//! table's routes: a default route (`0.0.0.0/0`) to an internet gateway makes it public;
//! a fully known table without one makes it private. Anything else stays unknown
//! (subnets on the VPC's main route table, tables outside the plan).

use std::collections::HashMap;

use super::links::Cx;
use super::lookup::{Kind, Lookup};
use crate::model::extract::opt_string;
use crate::model::{Field, Model, Val};
use crate::plan::{Plan, Resource};

/// What one route says about the default route.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Route {
    /// Not a default IPv4 route.
    Other,
    /// Default route to an internet gateway.
    Igw,
    /// Default route elsewhere (NAT gateway, instance, TGW...).
    DefaultElsewhere,
    /// Destination or target unknown.
    Unknown,
}

fn classify(plan: &Plan, res: &Resource, prefix: &str, dest_attr: &str) -> Route {
    let dest = opt_string(res.attr(&format!("{prefix}{dest_attr}")));
    match dest.val {
        Val::Unknown => return Route::Unknown,
        Val::Known(d) if d == "0.0.0.0/0" => {}
        _ => return Route::Other,
    }
    let path = format!("{prefix}gateway_id");
    match opt_string(res.attr(&path)).val {
        Val::Known(g) if g.starts_with("igw-") => Route::Igw,
        Val::Known(_) => Route::DefaultElsewhere,
        Val::Unknown => {
            let is_igw = |t: &crate::plan::RefTarget| {
                plan.resource(&t.address)
                    .is_some_and(|r| r.type_ == "aws_internet_gateway")
            };
            let mut refs = plan.resolve_references(res, &path);
            if refs.is_empty() && !prefix.is_empty() {
                // `route` written as one attribute expression (`route = [{...}]`) has no
                // per-route paths in the configuration: use the expression's references.
                refs = plan.resolve_references(res, prefix.split('.').next().unwrap_or(prefix));
            }
            if refs.iter().any(is_igw) {
                Route::Igw
            } else {
                Route::Unknown
            }
        }
        Val::Null => Route::DefaultElsewhere,
    }
}

/// Combine routes of one table: any igw default route → public; otherwise private when
/// every route is known, else unknown.
fn combine(routes: &[Route]) -> Field<bool> {
    if routes.contains(&Route::Igw) {
        Field::known(true)
    } else if routes.contains(&Route::Unknown) {
        Field::unknown()
    } else {
        Field::known(false)
    }
}

pub(crate) fn public_subnets(plans: &[Plan], model: &mut Model, lookup: &Lookup) {
    let mut updates: Vec<(usize, Field<bool>)> = Vec::new();
    for (idx, plan) in plans.iter().enumerate() {
        // Route table address → routes; route table id → address.
        let mut routes: HashMap<&str, Vec<Route>> = HashMap::new();
        let mut by_id: HashMap<String, &str> = HashMap::new();
        for rt in plan.resources_of_type("aws_route_table") {
            let entry = routes.entry(rt.address.as_str()).or_default();
            match rt.attr("route").items().val {
                Val::Known(items) => {
                    for i in 0..items.len() {
                        entry.push(classify(plan, rt, &format!("route.{i}."), "cidr_block"));
                    }
                }
                // `route` is optional + computed: unknown without an inline route block means
                // the routes come from aws_route resources (or none).
                Val::Unknown if crate::model::extract::configured(plan, rt, "route") => {
                    entry.push(Route::Unknown)
                }
                Val::Unknown => {}
                Val::Null => {}
            }
            if let Some(id) = rt.attr("id").string().get() {
                by_id.insert(id.clone(), rt.address.as_str());
            }
        }
        let table_of = |res: &Resource| -> Option<&str> {
            if let Some(id) = res.attr("route_table_id").string().get() {
                if let Some(a) = by_id.get(id) {
                    return Some(*a);
                }
            }
            plan.resolve_references(res, "route_table_id")
                .into_iter()
                .filter_map(|t| plan.resource(&t.address))
                .find(|r| r.type_ == "aws_route_table")
                .map(|r| r.address.as_str())
        };
        for r in plan.resources_of_type("aws_route") {
            if let Some(t) = table_of(r) {
                let route = classify(plan, r, "", "destination_cidr_block");
                routes.entry(t).or_default().push(route);
            }
        }
        let c = Cx {
            plan,
            idx,
            lookup,
            model,
        };
        for assoc in plan.resources_of_type("aws_route_table_association") {
            let Some(table) = table_of(assoc) else {
                continue;
            };
            let subnet = c.link(
                assoc,
                "subnet_id",
                &opt_string(assoc.attr("subnet_id")),
                Kind::Subnet,
                |v| lookup.subnet_by_id(v, idx),
            );
            let Some(pos) = subnet
                .and_then(|l| l.address)
                .and_then(|a| lookup.at(idx, &a, Kind::Subnet))
            else {
                continue;
            };
            let public = routes
                .get(table)
                .map(|r| combine(r))
                .unwrap_or_else(Field::unknown);
            updates.push((pos, public));
        }
    }
    for (pos, public) in updates {
        model.subnets[pos].public = public;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_route_to_igw_is_public() {
        assert_eq!(combine(&[Route::Other, Route::Igw]).get(), Some(&true));
        assert_eq!(combine(&[Route::DefaultElsewhere]).get(), Some(&false));
        assert_eq!(combine(&[]).get(), Some(&false));
        assert!(combine(&[Route::Unknown, Route::Other]).is_unknown());
    }
}
