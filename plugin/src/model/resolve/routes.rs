//! Where a subnet's traffic for the internet goes: the one place that reads route tables.
//! It sets [`Subnet::egress`](crate::model::Subnet) (internet gateway, forwarded elsewhere,
//! other networks only, isolated), [`Subnet::public`](crate::model::Subnet) (the same fact
//! as yes/no) and the route table the subnet uses.
//!
//! A subnet uses the route table of its `aws_route_table_association`; without one, the main
//! route table of its VPC. The main route table is known when the VPC is an `aws_vpc` of the
//! plan: it holds the local route plus what the plan adds to it (`aws_default_route_table`,
//! `aws_route` on `main_route_table_id` / `default_route_table_id`), unless an
//! `aws_main_route_table_association` makes another table the main one. A table's routes
//! come from its inline `route` blocks and from `aws_route` resources.
//!
//! Anything the plan does not tie down stays unknown: a subnet outside the plan, an
//! association or route whose table or subnet cannot be resolved (it could be the one that
//! matters), routes with unknown destinations or targets.

use std::collections::HashMap;

use super::links::Cx;
use super::lookup::{Kind, Lookup};
use crate::diagnostics::MissingKind;
use crate::model::extract::opt_string;
use crate::model::{Egress, Field, Model, Val};
use crate::plan::{Mode, Plan, Resource};

/// What one route says about leaving the VPC.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Route {
    /// Not a default IPv4 route, and not to another network (local, endpoint, IPv6...).
    Other,
    /// A route (not the default one) to a transit gateway, peering connection, VPN gateway
    /// or core network.
    OtherNetwork,
    /// Default route to an internet gateway.
    Igw,
    /// Default route elsewhere (NAT gateway, instance, transit gateway...).
    DefaultElsewhere,
    /// Destination or target unknown.
    Unknown,
}

/// A route table as the subnets see it.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
enum Table {
    /// An `aws_route_table` (or an `aws_default_route_table` whose VPC is not known).
    Resource(String),
    /// The main route table of an `aws_vpc` of the plan (its default route table).
    Main(String),
}

impl Table {
    fn describe(&self) -> String {
        match self {
            Table::Resource(a) => a.clone(),
            Table::Main(vpc) => format!("the main route table of {vpc}"),
        }
    }
}

/// The type of a resource address (`module.m["k"].aws_nat_gateway.this[0]` →
/// `aws_nat_gateway`), also for resources the plan reader does not keep.
fn ref_type(address: &str) -> &str {
    let base = match address.strip_suffix(']') {
        Some(s) => s.rfind('[').map_or(address, |i| &address[..i]),
        None => address,
    };
    base.rsplit('.').nth(1).unwrap_or("")
}

/// Whether a target attribute is set: a known non-empty value, or unknown.
fn set(f: &Field<String>) -> bool {
    matches!(&f.val, Val::Known(s) if !s.is_empty()) || f.is_unknown()
}

/// The types a route's `gateway_id` references, when its value is unknown.
fn gateway_ref_types(plan: &Plan, res: &Resource, path: &str, prefix: &str) -> Vec<String> {
    let mut refs = plan.resolve_references(res, path);
    if refs.is_empty() && !prefix.is_empty() {
        // `route` written as one attribute expression (`route = [{...}]`) has no per-route
        // paths in the configuration: use the expression's references.
        refs = plan.resolve_references(res, prefix.split('.').next().unwrap_or(prefix));
    }
    refs.iter()
        .map(|t| ref_type(&t.address).to_string())
        .collect()
}

fn classify(plan: &Plan, res: &Resource, prefix: &str, dest_attr: &str) -> Route {
    let dest = opt_string(res.attr(&format!("{prefix}{dest_attr}")));
    let default = match dest.val {
        Val::Unknown => return Route::Unknown,
        Val::Known(d) => d == "0.0.0.0/0",
        Val::Null => false,
    };
    let path = format!("{prefix}gateway_id");
    let gateway = opt_string(res.attr(&path));
    if !default {
        let other_network = [
            "transit_gateway_id",
            "vpc_peering_connection_id",
            "core_network_arn",
        ]
        .iter()
        .any(|a| set(&opt_string(res.attr(&format!("{prefix}{a}")))))
            || match &gateway.val {
                Val::Known(g) => g.starts_with("vgw-"),
                Val::Unknown => gateway_ref_types(plan, res, &path, prefix)
                    .iter()
                    .any(|t| t == "aws_vpn_gateway"),
                Val::Null => false,
            };
        return if other_network {
            Route::OtherNetwork
        } else {
            Route::Other
        };
    }
    match gateway.val {
        Val::Known(g) if g.starts_with("igw-") => Route::Igw,
        Val::Known(_) | Val::Null => Route::DefaultElsewhere,
        Val::Unknown => {
            let types = gateway_ref_types(plan, res, &path, prefix);
            if types.iter().any(|t| t == "aws_internet_gateway") {
                Route::Igw
            } else if types.is_empty() {
                Route::Unknown
            } else {
                Route::DefaultElsewhere
            }
        }
    }
}

/// Where a table with these routes sends internet traffic. A table holds at most one
/// `0.0.0.0/0` route, so a known default route settles it whatever else is unknown.
fn combine(routes: &[Route]) -> Field<Egress> {
    if routes.contains(&Route::Igw) {
        Field::known(Egress::InternetGateway)
    } else if routes.contains(&Route::DefaultElsewhere) {
        Field::known(Egress::Forwarded)
    } else if routes.contains(&Route::Unknown) {
        Field::unknown()
    } else if routes.contains(&Route::OtherNetwork) {
        Field::known(Egress::OtherNetworks)
    } else {
        Field::known(Egress::Isolated)
    }
}

/// The inline `route` blocks of an `aws_route_table` / `aws_default_route_table`, and its
/// propagated routes.
fn inline_routes(plan: &Plan, rt: &Resource) -> Vec<Route> {
    let mut out = Vec::new();
    match rt.attr("route").items().val {
        Val::Known(items) => {
            for i in 0..items.len() {
                out.push(classify(plan, rt, &format!("route.{i}."), "cidr_block"));
            }
        }
        // `route` is optional + computed: unknown without an inline route block means the
        // routes come from aws_route resources (or none).
        Val::Unknown if crate::model::extract::configured(plan, rt, "route") => {
            out.push(Route::Unknown)
        }
        Val::Unknown | Val::Null => {}
    }
    // Routes a VPN gateway propagates (BGP) may include anything, a default route too.
    match rt.attr("propagating_vgws").strings().val {
        Val::Known(v) if !v.is_empty() => out.push(Route::Unknown),
        Val::Unknown if crate::model::extract::configured(plan, rt, "propagating_vgws") => {
            out.push(Route::Unknown)
        }
        _ => {}
    }
    out
}

/// Route tables of one plan and the subnets that use them.
#[derive(Default)]
struct Tables {
    routes: HashMap<Table, Vec<Route>>,
    by_id: HashMap<String, Table>,
    /// `aws_default_route_table` address → the table it manages.
    defaults: HashMap<String, Table>,
    /// VPC address → the table an `aws_main_route_table_association` makes main (`None`:
    /// the association's table is not known).
    main_override: HashMap<String, Option<Table>>,
    /// An `aws_main_route_table_association` whose VPC is not known: no main table is.
    stray_main: bool,
    /// An `aws_route` out of the VPC (or unknown) whose `route_table_id` is unknown and
    /// unresolved: any table of the plan without a default route might have it.
    stray_route: bool,
    /// Subnet id → table, from the `associations` of `data "aws_route_table"` reads: the
    /// table an existing subnet uses, known at plan time.
    data_associations: Vec<(String, Table)>,
}

impl Tables {
    fn read(plan: &Plan, c: &Cx<'_>) -> Tables {
        let mut t = Tables::default();
        for vpc in plan.resources_of_type("aws_vpc") {
            if vpc.mode != Mode::Managed {
                continue;
            }
            let main = Table::Main(vpc.address.clone());
            t.routes.entry(main.clone()).or_default();
            for a in ["main_route_table_id", "default_route_table_id"] {
                if let Some(id) = vpc.attr(a).string().get() {
                    t.by_id.insert(id.clone(), main.clone());
                }
            }
        }
        for rt in plan.resources_of_type("aws_route_table") {
            let key = Table::Resource(rt.address.clone());
            if rt.mode == Mode::Data {
                t.read_data_table(plan, rt, key);
                continue;
            }
            t.routes
                .entry(key.clone())
                .or_default()
                .extend(inline_routes(plan, rt));
            if let Some(id) = rt.attr("id").string().get() {
                t.by_id.insert(id.clone(), key);
            }
        }
        for rt in plan.resources_of_type("aws_default_route_table") {
            let key = t
                .vpc_table(plan, rt, "default_route_table_id")
                .unwrap_or_else(|| Table::Resource(rt.address.clone()));
            t.routes
                .entry(key.clone())
                .or_default()
                .extend(inline_routes(plan, rt));
            if let Some(id) = rt.attr("id").string().get() {
                t.by_id.insert(id.clone(), key.clone());
            }
            t.defaults.insert(rt.address.clone(), key);
        }
        for r in plan.resources_of_type("aws_route") {
            let route = classify(plan, r, "", "destination_cidr_block");
            match t.table_of(plan, r) {
                Some(key) => t.routes.entry(key).or_default().push(route),
                // A known id that names no table of the plan is a table outside it; an
                // unknown one could be any table being created here.
                None if route != Route::Other && r.attr("route_table_id").string().is_unknown() => {
                    t.stray_route = true
                }
                None => {}
            }
        }
        for a in plan.resources_of_type("aws_main_route_table_association") {
            let vpc = c
                .link(a, "vpc_id", &opt_string(a.attr("vpc_id")), Kind::Vpc, |v| {
                    super::links::match_in(&c.lookup.vpc_id, c.idx, v)
                })
                .and_then(|l| l.address);
            match vpc {
                Some(v) => {
                    let table = t.table_of(plan, a);
                    t.main_override.insert(v, table);
                }
                None => t.stray_main = true,
            }
        }
        t
    }

    /// A `data "aws_route_table"`: an existing table, read while planning, whose `routes`
    /// and `associations` the plan shows (every attribute unknown when the read waits for
    /// apply). Its associations are kept for the subnets they name ([`Tables::data_associations`]).
    fn read_data_table(&mut self, plan: &Plan, rt: &Resource, key: Table) {
        let routes = match rt.attr("routes").items().val {
            Val::Known(items) => (0..items.len())
                .map(|i| classify(plan, rt, &format!("routes.{i}."), "cidr_block"))
                .collect(),
            _ => vec![Route::Unknown],
        };
        self.routes.entry(key.clone()).or_default().extend(routes);
        for a in ["id", "route_table_id"] {
            if let Some(id) = rt.attr(a).string().get().filter(|id| !id.is_empty()) {
                self.by_id.insert(id.clone(), key.clone());
            }
        }
        if let Val::Known(items) = rt.attr("associations").items().val {
            for i in 0..items.len() {
                let subnet = opt_string(rt.attr(&format!("associations.{i}.subnet_id")));
                if let Some(s) = subnet.get().filter(|s| !s.is_empty()) {
                    self.data_associations.push((s.clone(), key.clone()));
                }
            }
        }
    }

    /// The table a `route_table_id` (or `default_route_table_id`) names: by known id, else
    /// by the configuration's references.
    fn table_of(&self, plan: &Plan, res: &Resource) -> Option<Table> {
        if let Some(id) = res.attr("route_table_id").string().get() {
            if let Some(k) = self.by_id.get(id) {
                return Some(k.clone());
            }
        }
        plan.resolve_references(res, "route_table_id")
            .into_iter()
            .find_map(|r| match ref_type(&r.address) {
                "aws_route_table" => Some(Table::Resource(r.address.to_string())),
                "aws_default_route_table" => self.defaults.get(&*r.address).cloned(),
                "aws_vpc" => matches!(
                    r.attribute.as_deref(),
                    Some("main_route_table_id" | "default_route_table_id")
                )
                .then(|| Table::Main(r.address.to_string())),
                _ => None,
            })
    }

    /// The main table of the `aws_vpc` an attribute references (`aws_vpc.x.default_route_table_id`).
    fn vpc_table(&self, plan: &Plan, res: &Resource, attr: &str) -> Option<Table> {
        if let Some(id) = res.attr(attr).string().get() {
            if let Some(k) = self.by_id.get(id) {
                return Some(k.clone());
            }
        }
        plan.resolve_references(res, attr)
            .into_iter()
            .find(|r| ref_type(&r.address) == "aws_vpc")
            .map(|r| Table::Main(r.address.to_string()))
    }

    /// The main route table of a VPC, when the plan shows it.
    fn main_of(&self, plan: &Plan, vpc: &str) -> Option<Table> {
        if self.stray_main {
            return None;
        }
        let managed = plan
            .resource(vpc)
            .is_some_and(|r| r.type_ == "aws_vpc" && r.mode == Mode::Managed);
        if !managed {
            return None;
        }
        match self.main_override.get(vpc) {
            Some(t) => t.clone(),
            None => Some(Table::Main(vpc.to_string())),
        }
    }

    fn egress(&self, table: &Table) -> Field<Egress> {
        let e = self
            .routes
            .get(table)
            .map(|r| combine(r))
            .unwrap_or_else(Field::unknown);
        match e.get() {
            Some(Egress::Isolated | Egress::OtherNetworks) if self.stray_route => Field::unknown(),
            _ => e,
        }
    }
}

/// What the route tables settle for one subnet: its position, the table it uses, where its
/// internet traffic goes, and why that is unknown when it is.
type SubnetEgress = (usize, Option<Table>, Field<Egress>, Option<MissingKind>);

pub(crate) fn subnet_egress(plans: &[Plan], model: &mut Model, lookup: &Lookup) {
    let mut updates: Vec<SubnetEgress> = Vec::new();
    for (idx, plan) in plans.iter().enumerate() {
        let c = Cx {
            plan,
            idx,
            lookup,
            model,
        };
        let tables = Tables::read(plan, &c);
        // Subnet position → the table its association names (`None`: not known).
        let mut associated: HashMap<usize, Option<Table>> = HashMap::new();
        let mut unresolved_association = false;
        for assoc in plan.resources_of_type("aws_route_table_association") {
            let subnet_id = opt_string(assoc.attr("subnet_id"));
            let subnet = c.link(assoc, "subnet_id", &subnet_id, Kind::Subnet, |v| {
                lookup.subnet_by_id(v, idx)
            });
            let pos = match &subnet {
                Some(l) => l
                    .address
                    .as_deref()
                    .and_then(|a| lookup.at(idx, a, Kind::Subnet)),
                None => None,
            };
            match pos {
                Some(pos) => {
                    associated.insert(pos, tables.table_of(plan, assoc));
                }
                // A subnet outside the plan, or a gateway association: no subnet here.
                None if subnet.as_ref().is_some_and(|l| l.literal.is_some()) => {}
                None if subnet.is_none() && !subnet_id.is_unknown() => {}
                None => unresolved_association = true,
            }
        }
        // Existing tables read while planning name the subnets associated with them; an
        // association the plan manages for the subnet comes first.
        for (id, table) in &tables.data_associations {
            if let Some((pos, _)) = lookup.subnet_by_id(id, idx) {
                associated.entry(pos).or_insert_with(|| Some(table.clone()));
            }
        }
        for (pos, s) in model.subnets.iter().enumerate() {
            if s.plan != idx {
                continue;
            }
            let managed = plan
                .resource(&s.address)
                .is_some_and(|r| r.mode == Mode::Managed);
            // Why the table is not known, when it is not: an existing subnet's association,
            // or the main route table of a VPC outside the plan, is outside the plan; an
            // association ecsnet could not resolve hides it.
            let (table, no_table) = match associated.get(&pos) {
                Some(t) => (t.clone(), MissingKind::Hidden),
                None if !managed => (None, MissingKind::OutsidePlan),
                None if unresolved_association => (None, MissingKind::Hidden),
                // No association: the VPC's main route table, when the VPC is in the plan.
                None => match s.vpc.as_ref() {
                    Some(l) => match l.address.as_deref() {
                        Some(v) => (
                            tables.main_of(plan, v),
                            if tables.stray_main {
                                MissingKind::Hidden
                            } else {
                                MissingKind::OutsidePlan
                            },
                        ),
                        None => (None, MissingKind::of_link(l)),
                    },
                    None => (None, MissingKind::Hidden),
                },
            };
            let egress = table
                .as_ref()
                .map(|t| tables.egress(t))
                .unwrap_or_else(Field::unknown);
            // A known table whose routes do not settle it: a route or association ecsnet
            // could not resolve.
            let why = egress.is_unknown().then_some(if table.is_some() {
                MissingKind::Hidden
            } else {
                no_table
            });
            updates.push((pos, table, egress, why));
        }
    }
    for (pos, table, egress, why) in updates {
        let s = &mut model.subnets[pos];
        s.egress_unknown = why;
        s.public = match egress.get() {
            Some(e) => Field::known(*e == Egress::InternetGateway),
            None => Field::unknown(),
        };
        s.egress = egress;
        s.route_table = table.map(|t| t.describe());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// A plan of `resources`: (type, name, values), no-op, except that a value `"?"` is an
    /// attribute known only after apply (and the resource is created).
    fn plan(resources: &[(&str, &str, Value)]) -> Plan {
        let changes: Vec<Value> = resources
            .iter()
            .map(|(t, n, v)| {
                let unknown: serde_json::Map<String, Value> = v
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(_, x)| x.as_str() == Some("?"))
                    .map(|(k, _)| (k.clone(), json!(true)))
                    .collect();
                let action = if unknown.is_empty() { "no-op" } else { "create" };
                json!({ "address": format!("{t}.{n}"), "mode": "managed", "type": t, "name": n,
                    "provider_name": "registry.terraform.io/hashicorp/aws",
                    "change": { "actions": [action], "before": null, "after": v, "after_unknown": unknown,
                                "before_sensitive": {}, "after_sensitive": {} } })
            })
            .collect();
        let planned: Vec<Value> = resources
            .iter()
            .map(|(t, n, v)| {
                json!({ "address": format!("{t}.{n}"), "mode": "managed", "type": t, "name": n,
                        "values": v, "sensitive_values": {} })
            })
            .collect();
        let doc = json!({ "format_version": "1.2", "terraform_version": "1.11.4",
            "planned_values": { "root_module": { "resources": planned } },
            "resource_changes": changes });
        crate::plan::parse_bytes(
            doc.to_string().as_bytes(),
            "plan.json",
            &crate::plan::LoadOptions::default(),
        )
        .unwrap()
    }

    fn egress(p: &Plan, subnet: &str) -> Option<Egress> {
        let m = crate::model::build(std::slice::from_ref(p), &Default::default());
        m.subnet(subnet).unwrap().egress.get().copied()
    }

    fn route(dest: &str, nat: &str) -> Value {
        json!({ "cidr_block": dest, "gateway_id": "", "nat_gateway_id": nat, "transit_gateway_id": "",
                "vpc_peering_connection_id": "", "core_network_arn": "" })
    }

    fn network(extra: &[(&str, &str, Value)]) -> Plan {
        let mut r = vec![
            (
                "aws_vpc",
                "main",
                json!({ "id": "vpc-1", "main_route_table_id": "rtb-main", "default_route_table_id": "rtb-main" }),
            ),
            (
                "aws_subnet",
                "a",
                json!({ "id": "subnet-a", "vpc_id": "vpc-1", "cidr_block": "10.0.1.0/24" }),
            ),
            (
                "aws_subnet",
                "b",
                json!({ "id": "subnet-b", "vpc_id": "vpc-1", "cidr_block": "10.0.2.0/24" }),
            ),
            (
                "aws_default_route_table",
                "main",
                json!({ "id": "rtb-main", "default_route_table_id": "rtb-main",
                "route": [route("0.0.0.0/0", "nat-1")] }),
            ),
            (
                "aws_route_table",
                "iso",
                json!({ "id": "rtb-iso", "vpc_id": "vpc-1", "route": [] }),
            ),
            (
                "aws_route_table_association",
                "b",
                json!({ "id": "rtbassoc-b", "subnet_id": "subnet-b", "route_table_id": "rtb-iso" }),
            ),
        ];
        r.extend(extra.iter().cloned());
        plan(&r)
    }

    #[test]
    fn main_route_table_default_route_table_and_main_association() {
        let p = network(&[]);
        // No association: the main route table, managed by aws_default_route_table (NAT).
        assert_eq!(egress(&p, "aws_subnet.a"), Some(Egress::Forwarded));
        assert_eq!(egress(&p, "aws_subnet.b"), Some(Egress::Isolated));
        // Another table made main.
        let p = network(&[(
            "aws_main_route_table_association",
            "main",
            json!({ "id": "rtbassoc-m", "vpc_id": "vpc-1", "route_table_id": "rtb-iso" }),
        )]);
        assert_eq!(egress(&p, "aws_subnet.a"), Some(Egress::Isolated));
    }

    #[test]
    fn a_route_whose_table_is_unknown_could_be_anyones() {
        let stray = |table: &str| {
            network(&[(
                "aws_route",
                "stray",
                json!({ "route_table_id": table, "destination_cidr_block": "0.0.0.0/0", "nat_gateway_id": "nat-2" }),
            )])
        };
        let p = stray("?");
        assert_eq!(egress(&p, "aws_subnet.a"), Some(Egress::Forwarded));
        assert_eq!(egress(&p, "aws_subnet.b"), None);
        // A known id of no table in the plan: a table outside it.
        assert_eq!(
            egress(&stray("rtb-elsewhere"), "aws_subnet.b"),
            Some(Egress::Isolated)
        );
        // A route to a transit gateway (not the default one) leaves the VPC.
        let p = network(&[(
            "aws_route",
            "tgw",
            json!({ "id": "r-2", "route_table_id": "rtb-iso", "destination_cidr_block": "10.0.0.0/8",
                    "transit_gateway_id": "tgw-1" }),
        )]);
        assert_eq!(egress(&p, "aws_subnet.b"), Some(Egress::OtherNetworks));
    }

    #[test]
    fn one_default_route_settles_a_table() {
        let e = |r: &[Route]| combine(r).get().copied();
        assert_eq!(
            e(&[Route::Other, Route::Igw]),
            Some(Egress::InternetGateway)
        );
        assert_eq!(e(&[Route::DefaultElsewhere]), Some(Egress::Forwarded));
        assert_eq!(
            e(&[Route::DefaultElsewhere, Route::Unknown]),
            Some(Egress::Forwarded)
        );
        assert_eq!(e(&[]), Some(Egress::Isolated));
        assert_eq!(
            e(&[Route::Other, Route::OtherNetwork]),
            Some(Egress::OtherNetworks)
        );
        assert_eq!(e(&[Route::Unknown, Route::Other]), None);
        assert_eq!(e(&[Route::Unknown, Route::OtherNetwork]), None);
    }

    #[test]
    fn resource_types_from_addresses() {
        assert_eq!(ref_type("aws_nat_gateway.this[0]"), "aws_nat_gateway");
        assert_eq!(
            ref_type(r#"module.vpc["a.b"].aws_internet_gateway.this"#),
            "aws_internet_gateway"
        );
        assert_eq!(
            ref_type(r#"aws_route_table.private["x.y"]"#),
            "aws_route_table"
        );
        assert_eq!(ref_type("data.aws_vpc.main"), "aws_vpc");
        assert_eq!(ref_type("x"), "");
    }
}
