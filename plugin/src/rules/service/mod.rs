//! Service wiring rules (NET040-NET047): one file per rule. `support` holds the lookups the
//! service, load balancer, discovery, daemon and IPv6 groups share.

use super::Rule;

mod assign_public_ip;
mod awsvpc_limits;
mod capacity_availability_zones;
mod ec2_public_subnets;
mod fargate_registry_route;
mod iam_role_awsvpc;
mod network_configuration_forbidden;
mod network_configuration_required;
pub(in crate::rules) mod support;

pub(super) fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &network_configuration_required::NetworkConfigurationRequired,
        &network_configuration_forbidden::NetworkConfigurationForbidden,
        &awsvpc_limits::AwsvpcLimits,
        &assign_public_ip::AssignPublicIpFargateOnly,
        &ec2_public_subnets::Ec2PublicSubnets,
        &fargate_registry_route::FargateRegistryRoute,
        &capacity_availability_zones::CapacityAvailabilityZones,
        &iam_role_awsvpc::IamRoleAwsvpc,
    ]
}
