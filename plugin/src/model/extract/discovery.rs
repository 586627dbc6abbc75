//! `aws_service_discovery_service`: Cloud Map services that ECS registers tasks in.

use super::key;
use crate::model::resolve::{Kind, Lookup};
use crate::model::{Field, Model, PlanIndex, ServiceDiscoveryService, Val};
use crate::plan::Resource;

pub(super) fn extract<'p>(
    res: &'p Resource,
    plan: PlanIndex,
    model: &mut Model,
    lookup: &mut Lookup<'p>,
) {
    let v = res.values.root();
    let records = v.get("dns_config").at(0).get("dns_records");
    let dns_config = v.get("dns_config").items();
    let record_types = match (dns_config.val, records.items().val) {
        (Val::Unknown, _) | (_, Val::Unknown) => Field::unknown(),
        (Val::Null, _) => Field::null(),
        (Val::Known(b), _) if b.is_empty() => Field::null(),
        (_, Val::Known(items)) => {
            let mut types = Vec::with_capacity(items.len());
            let mut unknown = false;
            for r in items {
                match r.get("type").string().val {
                    Val::Known(t) => types.push(t.to_ascii_uppercase()),
                    Val::Unknown => unknown = true,
                    Val::Null => {}
                }
            }
            if unknown {
                Field::unknown()
            } else {
                Field::known(types)
            }
        }
        (_, Val::Null) => Field::known(vec![]),
    }
    .with_sensitive(records.is_sensitive());
    let sd = ServiceDiscoveryService {
        address: res.address.clone(),
        plan,
        name: v.get("name").string(),
        record_types,
    };
    let pos = model.service_discovery_services.len();
    lookup.add(plan, res, Kind::ServiceDiscovery, pos);
    if let Some(a) = key(&v.get("arn").string()) {
        lookup.sd_arn.insert(a, plan, pos);
    }
    if let Some(i) = key(&v.get("id").string()) {
        lookup.sd_id.insert(i, plan, pos);
    }
    model.service_discovery_services.push(sd);
}
