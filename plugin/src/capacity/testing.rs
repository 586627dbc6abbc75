//! The model the capacity tests start from, shared by the analysis tests, the capacity
//! rules' tests and `ecsnet capacity`'s tests so they describe one and the same cluster.

use crate::model::testing as t;
use crate::model::{Field, Model, NetworkMode};

/// Cluster `main` with an autoscaling group of `types` at `max`, one awsvpc service with
/// `desired` tasks in subnet `a` (`cidr`).
pub(crate) fn awsvpc_cluster(types: &[&str], max: i64, desired: i64, cidr: &str) -> Model {
    let mut m = Model::default();
    m.clusters.push(t::cluster(
        "aws_ecs_cluster.main",
        &["aws_autoscaling_group.ecs"],
    ));
    m.autoscaling_groups.push(t::autoscaling_group(
        "aws_autoscaling_group.ecs",
        types,
        max,
    ));
    m.task_definitions.push(t::task_definition(
        "aws_ecs_task_definition.api",
        NetworkMode::Awsvpc,
    ));
    let mut s = t::service(
        "aws_ecs_service.api",
        "aws_ecs_task_definition.api",
        "aws_ecs_cluster.main",
    );
    s.desired_count = Field::known(desired);
    s.network_configuration = Field::known(Some(t::awsvpc(&["aws_subnet.a"])));
    m.services.push(s);
    m.subnets
        .push(t::subnet("aws_subnet.a", cidr, "eu-west-1a"));
    m
}
