//! Links of services and task sets: task definition, cluster, capacity provider strategy,
//! subnets, target groups and service registries.

use super::links::{match_cluster, match_service, match_task_definition, Cx};
use super::lookup::Kind;
use super::network::{awsvpc_configuration, load_balancers, service_registries, strategy};
use crate::model::{
    AwsvpcConfiguration, CapacityProviderStrategyItem, Field, Link, LoadBalancer, ServiceRegistry,
};
use crate::plan::Resource;

/// The cluster a service or task set runs in. A service without `cluster` runs in the
/// account's `default` cluster.
pub(crate) fn cluster_link(cx: &Cx<'_>, res: &Resource) -> Link {
    let value = res.values.root().get("cluster").string();
    cx.link(res, "cluster", &value, Kind::Cluster, |v| {
        match_cluster(cx.lookup, cx.idx, v)
    })
    .unwrap_or_else(|| {
        if value.is_null() {
            match match_cluster(cx.lookup, cx.idx, "default") {
                Some((pos, certain)) => Link::to_address(
                    cx.address(Kind::Cluster, pos),
                    crate::model::Resolution::KnownValue,
                    certain,
                ),
                None => Link::outside("default"),
            }
        } else {
            Link::unresolved()
        }
    })
}

pub(crate) fn task_definition_link(cx: &Cx<'_>, res: &Resource) -> Link {
    let value = res.values.root().get("task_definition").string();
    let link = cx
        .link(res, "task_definition", &value, Kind::TaskDefinition, |v| {
            match_task_definition(cx.lookup, cx.idx, v)
        })
        .unwrap_or_else(Link::unresolved);
    // Hidden behind a local among several task definitions of the module: keep them all,
    // the rules decide where they agree.
    cx.or_candidates(link, res, "task_definition", Kind::TaskDefinition)
}

/// Everything about a service that depends on other entities.
pub(crate) struct ServiceLinks {
    pub task_definition: Link,
    pub cluster: Link,
    pub strategy: Field<Vec<CapacityProviderStrategyItem>>,
    pub network: Field<Option<AwsvpcConfiguration>>,
    pub load_balancers: Field<Vec<LoadBalancer>>,
    pub registries: Field<Vec<ServiceRegistry>>,
}

pub(crate) fn service_links(cx: &Cx<'_>, res: &Resource) -> ServiceLinks {
    ServiceLinks {
        task_definition: task_definition_link(cx, res),
        cluster: cluster_link(cx, res),
        strategy: strategy(cx, res, "capacity_provider_strategy"),
        network: awsvpc_configuration(cx, res),
        load_balancers: load_balancers(cx, res),
        registries: service_registries(cx, res),
    }
}

pub(crate) struct TaskSetLinks {
    pub service: Link,
    pub cluster: Link,
    pub task_definition: Link,
    pub network: Field<Option<AwsvpcConfiguration>>,
    pub load_balancers: Field<Vec<LoadBalancer>>,
}

pub(crate) fn task_set_links(cx: &Cx<'_>, res: &Resource) -> TaskSetLinks {
    let service = res.values.root().get("service").string();
    TaskSetLinks {
        service: cx
            .link(res, "service", &service, Kind::Service, |v| {
                match_service(cx.lookup, cx.idx, v)
            })
            .unwrap_or_else(Link::unresolved),
        cluster: cluster_link(cx, res),
        task_definition: task_definition_link(cx, res),
        network: awsvpc_configuration(cx, res),
        load_balancers: load_balancers(cx, res),
    }
}
