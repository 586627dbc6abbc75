//! The ECS model: entities extracted from plans and linked together.
//!
//! [`build`] is the entry point: plans → [`Model`]. Extraction (`extract/`, one file per
//! entity family) decodes each resource; resolution (`resolve/`) links them.

pub mod arn;
pub mod entities;
pub(crate) mod extract;
pub mod field;
pub mod index;
pub mod ports;
pub(crate) mod resolve;
#[doc(hidden)]
pub mod testing;

pub use entities::*;
pub use field::{show_value, Field, Val, SENSITIVE};

use crate::config::Assumptions;
use crate::plan::Plan;

/// Build the model of one or more plans (in command-line order; entities record their
/// plan's position). Assumptions add capacity the plan cannot show.
pub fn build(plans: &[Plan], assume: &Assumptions) -> Model {
    let mut model = Model::default();
    let mut lookup = resolve::Lookup::default();
    for (idx, plan) in plans.iter().enumerate() {
        model.plans.push(PlanSummary {
            path: plan.name.clone(),
            format_version: plan.format_version.clone(),
            terraform_version: plan.terraform_version.clone(),
            resources: plan.resource_count,
            ecs_resources: None,
        });
        extract::extract_plan(plan, idx, &mut model, &mut lookup);
    }
    resolve::resolve(plans, &mut model, &lookup, assume);
    model
}

#[cfg(test)]
mod tests;
