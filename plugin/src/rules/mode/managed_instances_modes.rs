//! NET007: ECS Managed Instances run only task definitions with an explicit awsvpc or host
//! network mode.

use crate::diagnostics::Diagnostic;
use crate::model::{Launch, NetworkMode, TaskDefinition};
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// Task definitions meant for Amazon ECS Managed Instances set `network_mode` to
    /// `awsvpc` or `host`:
    /// - an `aws_ecs_task_definition` whose `requires_compatibilities` contains
    ///   `MANAGED_INSTANCES`;
    /// - the task definition of an `aws_ecs_service` whose tasks run on a Managed Instances
    ///   capacity provider (an `aws_ecs_capacity_provider` with
    ///   `managed_instances_provider`, AWS provider 6.x).
    ///
    /// A `bridge` mode and an omitted mode (which means `bridge` elsewhere) are reported.
    /// `none` is not: the ECS API reference lists it for Managed Instances while the
    /// developer guide does not, so ecsnet does not call it an error.
    ///
    /// ## Why it matters
    /// The Amazon ECS Developer Guide ("Amazon ECS task networking for Amazon ECS Managed
    /// Instances") says: "You must specify a network mode in the task definition. You will
    /// not be able to run tasks on Amazon ECS Managed Instances using a task definition that
    /// doesn't specify a network mode." Its table of supported modes lists `awsvpc` and
    /// `host` only. Such a task definition is refused for `MANAGED_INSTANCES`, or its tasks
    /// are never placed.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "render" {
    ///   family                   = "render"
    ///   requires_compatibilities = ["MANAGED_INSTANCES"]
    ///   # network_mode omitted: NET007
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Set `network_mode = "awsvpc"` (and give the services a `network_configuration`), or
    /// `network_mode = "host"`. Run `bridge` workloads on an EC2 Auto Scaling group capacity
    /// provider instead.
    pub struct ManagedInstancesModes {
        id: "NET007",
        name: "managed-instances-network-mode",
        severity: Error,
        summary: "ECS Managed Instances need an explicit network_mode, awsvpc or host (not bridge)",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instance-networking.html",
    }
}

/// Whether ECS Managed Instances refuse this task definition's mode.
fn unsupported(td: &TaskDefinition) -> bool {
    !td.network_mode_explicit || td.network_mode == NetworkMode::Bridge
}

/// What the rule finds.
enum Violation<'a> {
    /// The task definition lists MANAGED_INSTANCES.
    TaskDefinition(&'a TaskDefinition),
    /// A service on Managed Instances runs it.
    Service(&'a TaskDefinition),
}

impl Violation<'_> {
    fn message(&self) -> String {
        match self {
            Violation::TaskDefinition(td) => format!(
                "requires_compatibilities contains MANAGED_INSTANCES but {}; Managed Instances run only task definitions that set network_mode awsvpc or host",
                super::mode_phrase(td)
            ),
            Violation::Service(td) => format!(
                "this service runs on a Managed Instances capacity provider, and in its task definition {} {}; Managed Instances run only task definitions that set network_mode awsvpc or host",
                td.address,
                super::mode_phrase(td)
            ),
        }
    }
}

const HELP: &str = "Set network_mode = \"awsvpc\" (with a network_configuration on the services) or \"host\"; run bridge workloads on an EC2 Auto Scaling group capacity provider.";

impl Rule for ManagedInstancesModes {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for td in &cx.model.task_definitions {
            if td.requires("MANAGED_INSTANCES") == Some(true) && unsupported(td) {
                let v = Violation::TaskDefinition(td);
                cx.diag(&Self::META, &td.address, v.message())
                    .attribute("network_mode")
                    .help(HELP)
                    .plan(td.plan)
                    .push(out);
            }
        }
        for svc in &cx.model.services {
            if svc.launch.get() != Some(&Launch::ManagedInstances) {
                continue;
            }
            let Some(td) = cx.model.task_definition_of(svc) else {
                continue;
            };
            // A task definition that lists MANAGED_INSTANCES is reported on its own (above).
            if !unsupported(td) || td.requires("MANAGED_INSTANCES") == Some(true) {
                continue;
            }
            let v = Violation::Service(td);
            cx.diag(&Self::META, &svc.address, v.message())
                .attribute("task_definition")
                .help(HELP)
                .related(td.address.clone())
                .plan(svc.plan)
                .push(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing as t;
    use crate::model::{Field, Model};
    use crate::rules::service::support::test_support::run;

    fn model(mode: NetworkMode, compat: &[&str], launch: Launch) -> Model {
        let mut m = t::one_service("render", mode, launch);
        m.task_definitions[0].requires_compatibilities =
            Field::known(compat.iter().map(|c| c.to_string()).collect());
        m
    }

    #[test]
    fn omitted_or_bridge_fire_once() {
        // task_definition(.., Bridge) models an omitted mode.
        let d = run(
            &ManagedInstancesModes,
            &model(
                NetworkMode::Bridge,
                &["MANAGED_INSTANCES"],
                Launch::ManagedInstances,
            ),
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("omitted"), "{}", d[0].message);
        let d = run(
            &ManagedInstancesModes,
            &model(NetworkMode::Bridge, &["EC2"], Launch::ManagedInstances),
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].address, "aws_ecs_service.render");
    }

    #[test]
    fn awsvpc_host_none_and_ec2_pass() {
        for mode in [NetworkMode::Awsvpc, NetworkMode::Host, NetworkMode::None] {
            let m = model(mode, &["MANAGED_INSTANCES"], Launch::ManagedInstances);
            assert!(run(&ManagedInstancesModes, &m).is_empty());
        }
        let m = model(NetworkMode::Bridge, &["EC2"], Launch::Ec2);
        assert!(run(&ManagedInstancesModes, &m).is_empty());
    }
}
