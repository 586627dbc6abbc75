//! Helpers for the container-parameter rules (NET030-NET033): which parameters a
//! container sets, and the group's single unverifiable info per task definition.

use crate::diagnostics::Diagnostic;
use crate::model::{Container, NetworkMode, OsFamily, TaskDefinition};
use crate::rules::ports::common::{known_containers, DECODE_ERROR_HELP, UNKNOWN_CONTAINERS_HELP};
use crate::rules::{Context, RuleMeta};

/// The rule of this group that reports unknown inputs: NET030 comes first and is relevant
/// in every mode except Linux bridge, which is exactly when nothing in the group can fire.
const OWNER: &str = "NET030";

/// Is the task definition Fargate-compatible? `None` when unknown at plan time.
pub(crate) fn fargate(td: &TaskDefinition) -> Option<bool> {
    if td.requires_compatibilities.is_unknown() {
        None
    } else {
        Some(td.requires_fargate() == Some(true))
    }
}

/// Does any container set a parameter this group restricts?
fn uses_restricted(c: &Container) -> bool {
    !c.links.is_empty()
        || c.hostname.is_some()
        || !c.extra_hosts.is_empty()
        || !c.dns_servers.is_empty()
        || !c.dns_search_domains.is_empty()
        || c.disable_networking == Some(true)
}

/// Nothing in the group can fire for a Linux, EC2-only `bridge` task definition.
fn group_relevant(td: &TaskDefinition) -> bool {
    !(matches!(td.network_mode, NetworkMode::Bridge)
        && matches!(td.os_family, OsFamily::Linux | OsFamily::Unspecified)
        && fargate(td) == Some(false))
}

/// Emits the group's single unverifiable info for `td` when `meta` is the owner and an input
/// the group needs is unknown: the container definitions, or (when some container sets a
/// restricted parameter) the OS family or `requires_compatibilities`.
/// Returns the containers when known.
pub(crate) fn group_containers<'t>(
    cx: &Context<'_>,
    meta: &'static RuleMeta,
    td: &'t TaskDefinition,
    out: &mut Vec<Diagnostic>,
) -> Option<(&'t [Container], bool)> {
    if matches!(td.network_mode, NetworkMode::Invalid(_)) {
        // NET001 rejects the task definition.
        return None;
    }
    let known = known_containers(td);
    if meta.id != OWNER {
        return known;
    }
    if let Some(err) = &td.containers_error {
        if group_relevant(td) {
            cx.diag(
                meta,
                &td.address,
                format!("{err}, so the container network parameter checks (NET030-NET033) could not run"),
            )
            .attribute("container_definitions")
            .help(DECODE_ERROR_HELP)
            .plan(td.plan)
            .unverifiable()
            .missing(vec![crate::diagnostics::Missing::hidden(format!("container_definitions of {} ({err})", td.address), DECODE_ERROR_HELP)])
            .push(out);
        }
        return None;
    }
    if td.containers.is_unknown() {
        if group_relevant(td) {
            cx.diag(
                meta,
                &td.address,
                "container_definitions is known only after apply, so the container network parameter checks (NET030-NET033: links, hostname, extraHosts, dnsServers, dnsSearchDomains, disableNetworking, systemControls) could not run",
            )
            .attribute("container_definitions")
            .help(UNKNOWN_CONTAINERS_HELP)
            .plan(td.plan)
            .unverifiable()
            .missing(vec![crate::diagnostics::Missing::after_apply(format!("container_definitions of {} (known after apply)", td.address), UNKNOWN_CONTAINERS_HELP)])
            .push(out);
        }
        return None;
    }
    if let Some((containers, _)) = known {
        if containers.iter().any(uses_restricted) {
            // An unknown network_mode is reported once by NET001.
            let mut missing = Vec::new();
            if td.os_family == OsFamily::Unknown {
                missing.push("runtime_platform.operating_system_family");
            }
            if fargate(td).is_none() {
                missing.push("requires_compatibilities");
            }
            if !missing.is_empty() {
                cx.diag(
                    meta,
                    &td.address,
                    format!(
                        "{} {} known only after apply, so links, hostname, extraHosts and the DNS parameters set in container_definitions could not be checked (NET030-NET032)",
                        missing.join(" and "),
                        if missing.len() == 1 { "is" } else { "are" }
                    ),
                )
                .attribute(missing[0])
                .help(format!("Set {} from literals or variables known at plan time.", missing.join(" and ")))
                .plan(td.plan)
                .unverifiable()
                .missing(vec![crate::diagnostics::Missing::after_apply(format!("{} of {} (known after apply)", missing.join(" and "), td.address), format!("{} from literals or variables known at plan time", missing.join(" and ")))])
                .push(out);
            }
        }
    }
    known
}
