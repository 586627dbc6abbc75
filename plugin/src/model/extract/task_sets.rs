//! `aws_ecs_task_set`: tasks of an EXTERNAL-controller service. Links are filled in by
//! `resolve::services`.

use super::{first_block, opt_string};
use crate::model::{Field, Link, Model, PlanIndex, TaskSet, Val};
use crate::plan::Resource;

pub(super) fn extract(res: &Resource, plan: PlanIndex, model: &mut Model) {
    let v = res.values.root();
    model.task_sets.push(TaskSet {
        address: res.address.clone(),
        plan,
        service: Link::unresolved(),
        cluster: Link::unresolved(),
        task_definition: Link::unresolved(),
        launch_type: opt_string(v.get("launch_type")),
        network_configuration: Field::null(),
        load_balancers: Field::null(),
        scale_percent: scale_percent(v.get("scale")),
    });
}

/// `scale[0]` with unit PERCENT (the only unit ECS accepts); an absent block means 100%.
fn scale_percent(a: crate::plan::AttrRef<'_>) -> Field<f64> {
    let b = first_block(a);
    let sensitive = b.sensitive;
    match b.val {
        Val::Known(Some(s)) => {
            let value = s.get("value").raw();
            match value.val {
                Val::Known(n) => n.as_f64().map(Field::known).unwrap_or_else(Field::null),
                Val::Null => Field::null(),
                Val::Unknown => Field::unknown(),
            }
            .with_sensitive(value.sensitive)
        }
        Val::Known(None) | Val::Null => Field::null(),
        Val::Unknown => Field::unknown(),
    }
    .with_sensitive(sensitive)
}
