//! `aws_subnet` / `data.aws_subnet` and `aws_vpc` / `data.aws_vpc`. Data sources read
//! during planning come from `prior_state` (the plan reader puts them in the planned world);
//! a read deferred to apply is all unknown.

use super::written::{written, Written};
use super::{key, opt_string};
use crate::model::resolve::{Kind, Lookup};
use crate::model::{Field, Model, PlanIndex, Subnet, Vpc, VpcEndpoint};
use crate::plan::{Mode, Plan, Resource};

/// `data.aws_subnets` read while planning with a `vpc-id` filter of one value: every id it
/// returned is a subnet of that VPC (AWS applies the filter), whether or not the plan
/// describes the subnet. The VPC is kept as a literal, resolved with the other VPC links.
pub(super) fn extract_subnet_ids(res: &Resource, plan: PlanIndex, model: &mut Model) {
    if res.action != crate::plan::Action::DataRead {
        return;
    }
    let v = res.values.root();
    let Some(filters) = v.get("filter").items().get().cloned() else {
        return;
    };
    let vpc = filters.iter().find_map(|f| {
        let name = f.get("name").string();
        let values = f.get("values").strings();
        match (
            name.get().map(String::as_str),
            values.get().map(Vec::as_slice),
        ) {
            (Some("vpc-id"), Some([one])) if !values.sensitive && !name.sensitive => {
                Some(one.clone())
            }
            _ => None,
        }
    });
    let (Some(vpc), ids) = (vpc, v.get("ids").strings()) else {
        return;
    };
    if ids.sensitive {
        return;
    }
    for id in ids.get().into_iter().flatten() {
        model
            .filtered_subnet_vpcs
            .insert((plan, id.clone()), crate::model::Link::outside(vpc.clone()));
    }
}

pub(super) fn extract_subnet<'p>(
    p: &Plan,
    res: &'p Resource,
    plan: PlanIndex,
    model: &mut Model,
    lookup: &mut Lookup<'p>,
) {
    let v = res.values.root();
    let subnet = Subnet {
        address: res.address.clone(),
        plan,
        id: opt_string(v.get("id")),
        cidr_block: opt_string(v.get("cidr_block")),
        ipv6_cidr_block: ipv6_cidr_block(p, res),
        ipv6_cidr_set: res.mode == Mode::Managed && p.source_sets(res, "ipv6_cidr_block"),
        ipv6_native: v.get("ipv6_native").bool(),
        availability_zone: opt_string(v.get("availability_zone")),
        availability_zone_id: opt_string(v.get("availability_zone_id")),
        vpc: None,
        map_public_ip_on_launch: v.get("map_public_ip_on_launch").bool(),
        // Filled by resolve::routes when the plan shows the subnet's route table.
        public: Field::unknown(),
        egress: Field::unknown(),
        route_table: None,
        egress_unknown: Some(crate::diagnostics::MissingKind::OutsidePlan),
        resource_name_dns_a_record_on_launch: v
            .get("enable_resource_name_dns_a_record_on_launch")
            .bool(),
    };
    let pos = model.subnets.len();
    lookup.add(plan, res, Kind::Subnet, pos);
    if let Some(id) = key(&subnet.id) {
        match res.mode {
            Mode::Managed => lookup.subnet_id.insert(id, plan, pos),
            Mode::Data => lookup.data_subnet_id.insert(id, plan, pos),
        }
    }
    model.subnets.push(subnet);
}

/// A managed subnet's `ipv6_cidr_block`. Provider 6.x plans it unknown on create even when
/// the configuration leaves it out (optional + computed), but AWS gives a subnet no IPv6
/// block on its own: in the hashicorp/aws provider (schemas 5.100.0 and 6.47.0) a subnet gets
/// one only from its `ipv6_cidr_block` argument (`ipv6_native` and
/// `assign_ipv6_address_on_creation` need it). So an unknown value that the configuration
/// does not write (also through null module variables) is no block.
fn ipv6_cidr_block(plan: &Plan, res: &Resource) -> Field<String> {
    let f = opt_string(res.values.root().get("ipv6_cidr_block"));
    if f.is_unknown()
        && res.mode == Mode::Managed
        && written(plan, res, "ipv6_cidr_block") == Written::Omitted
    {
        return Field::null().with_sensitive(f.sensitive);
    }
    f
}

pub(super) fn extract_vpc<'p>(
    res: &'p Resource,
    plan: PlanIndex,
    model: &mut Model,
    lookup: &mut Lookup<'p>,
) {
    let v = res.values.root();
    let vpc = Vpc {
        address: res.address.clone(),
        plan,
        id: opt_string(v.get("id")),
        cidr_block: opt_string(v.get("cidr_block")),
        enable_dns_support: v.get("enable_dns_support").bool(),
        managed: res.mode == Mode::Managed,
    };
    let pos = model.vpcs.len();
    lookup.add(plan, res, Kind::Vpc, pos);
    if let Some(id) = key(&vpc.id) {
        lookup.vpc_id.insert(id, plan, pos);
    }
    model.vpcs.push(vpc);
}

/// `aws_vpc_endpoint`: its VPC is linked by `resolve`.
pub(super) fn extract_vpc_endpoint(res: &Resource, plan: PlanIndex, model: &mut Model) {
    let v = res.values.root();
    model.vpc_endpoints.push(VpcEndpoint {
        address: res.address.clone(),
        plan,
        service_name: opt_string(v.get("service_name")),
        endpoint_type: opt_string(v.get("vpc_endpoint_type")),
        private_dns_enabled: v.get("private_dns_enabled").bool(),
        vpc: None,
    });
}
