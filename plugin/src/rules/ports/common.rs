//! Helpers shared by the port-mapping rules (NET010–NET019) and the container-parameter
//! rules (NET030–NET032): attribute paths, redacting names, how a mapping binds ports on
//! the host, the agent's default reserved ports and ephemeral ranges, and the single
//! "container definitions unknown" info per task definition and rule group.

use crate::diagnostics::Diagnostic;
#[cfg(test)]
use crate::model::PortMapping;
use crate::model::{show_value, Container, NetworkMode, OsFamily, TaskDefinition};
use crate::rules::{Context, RuleMeta};

/// Lowest and highest valid port numbers (API `PortMapping.containerPort`).
pub(crate) const PORT_MIN: i64 = 1;
pub(crate) const PORT_MAX: i64 = 65535;

/// `ECS_RESERVED_PORTS` on Linux when the user data does not set it. The API reference for
/// `PortMapping.hostPort` lists 22, 2375, 2376 and the agent ports 51678-51680 (the agent
/// README's default list stops at 51679; 51680 is kept because the API text names it).
pub(crate) const LINUX_RESERVED_PORTS: &[u16] = &[22, 2375, 2376, 51678, 51679, 51680];
/// `ECS_RESERVED_PORTS` on Windows (amazon-ecs-agent README, agent configuration table).
pub(crate) const WINDOWS_RESERVED_PORTS: &[u16] = &[
    53, 135, 139, 445, 2375, 2376, 3389, 5985, 5986, 51678, 51679,
];

/// Decoded container definitions and whether they are sensitive, when known.
pub(crate) fn known_containers(td: &TaskDefinition) -> Option<(&[Container], bool)> {
    td.containers
        .get()
        .map(|v| (v.as_slice(), td.containers.sensitive))
}

/// `container_definitions[3]`.
pub(crate) fn container_path(i: usize) -> String {
    format!("container_definitions[{i}]")
}

// Which mappings hold a host port has one home: `model::ports`.
pub(crate) use crate::model::ports::{mapping_path, static_ports};

/// The container's name quoted for a message, redacted when the definitions are sensitive.
pub(crate) fn cname(c: &Container, sensitive: bool) -> String {
    format!("'{}'", show_value(&c.name, sensitive))
}

/// A number from the container definitions, redacted when they are sensitive.
pub(crate) fn num(v: i64, sensitive: bool) -> String {
    show_value(&v, sensitive)
}

/// Parses `containerPortRange` ("8000-8100") into its bounds. `None` when it is not two
/// integers separated by a dash.
pub(crate) fn parse_range(s: &str) -> Option<(i64, i64)> {
    let (a, b) = s.split_once('-')?;
    let lo = a.trim().parse::<i64>().ok()?;
    let hi = b.trim().parse::<i64>().ok()?;
    Some((lo, hi))
}

/// A range that passes NET016's own checks (valid syntax, in bounds, first < last).
pub(crate) fn valid_range(s: &str) -> Option<(i64, i64)> {
    parse_range(s).filter(|&(lo, hi)| lo >= PORT_MIN && hi <= PORT_MAX && lo < hi)
}

/// True for the modes in which containers bind ports on the instance's own network stack
/// (static bridge host ports, every host-mode port). `awsvpc` ports live on the task's ENI.
pub(crate) fn uses_instance_ports(mode: &NetworkMode) -> bool {
    matches!(
        mode,
        NetworkMode::Bridge | NetworkMode::Host | NetworkMode::WindowsDefault
    )
}

/// The agent's default TCP reserved ports for an OS family. `None` when the family is
/// unknown at plan time.
pub(crate) fn default_reserved(os: OsFamily) -> Option<&'static [u16]> {
    match os {
        OsFamily::Linux | OsFamily::Unspecified => Some(LINUX_RESERVED_PORTS),
        OsFamily::Windows => Some(WINDOWS_RESERVED_PORTS),
        OsFamily::Unknown => None,
    }
}

/// Which rule of the port group reports "container definitions unknown" for a task
/// definition: the rule that matters most for its mode, so each task definition gets one
/// info for the whole group instead of one per rule.
pub(crate) fn ports_unknown_owner(mode: &NetworkMode) -> Option<&'static str> {
    match mode {
        NetworkMode::Awsvpc => Some("NET010"),
        NetworkMode::Host => Some("NET011"),
        NetworkMode::None => Some("NET012"),
        NetworkMode::Bridge | NetworkMode::WindowsDefault | NetworkMode::Unknown => Some("NET013"),
        // NET001 already rejects the task definition.
        NetworkMode::Invalid(_) => None,
    }
}

/// Help text for container definitions that are unknown at plan time.
pub(crate) const UNKNOWN_CONTAINERS_HELP: &str = "Build container_definitions from values known at plan time (literals, variables, locals and jsonencode() of them); an attribute of a resource created in the same apply (for example an image URL from a new aws_ecr_repository) makes the whole JSON string unknown. Or re-run ecsnet on a plan made after those resources exist.";

/// Help text for container definitions that are known but could not be decoded.
pub(crate) const DECODE_ERROR_HELP: &str = "container_definitions must be a JSON array of container objects; build it with jsonencode() so it is valid JSON.";

/// When `td`'s container definitions are unknown at plan time, emits the port group's single
/// unverifiable info if `meta` is the group's owner for this mode. Returns the containers when
/// they are known; `None` means the caller has nothing to check.
pub(crate) fn ports_containers<'t>(
    cx: &Context<'_>,
    meta: &'static RuleMeta,
    td: &'t TaskDefinition,
    out: &mut Vec<Diagnostic>,
) -> Option<(&'t [Container], bool)> {
    let owner = ports_unknown_owner(&td.network_mode) == Some(meta.id.as_str());
    if let (Some(err), true) = (&td.containers_error, owner) {
        cx.diag(
            meta,
            &td.address,
            format!("{err}, so the port mapping checks (NET010-NET021) could not run for this task definition"),
        )
        .attribute("container_definitions")
        .help(DECODE_ERROR_HELP)
        .plan(td.plan)
        .unverifiable()
        .missing(vec![crate::diagnostics::Missing::hidden(format!("container_definitions of {} ({err})", td.address), DECODE_ERROR_HELP)])
        .push(out);
    }
    if td.containers.is_unknown() && owner {
        cx.diag(
            meta,
            &td.address,
            format!(
                "container_definitions is known only after apply, so the port mapping checks for this {} task definition (NET010-NET021) could not run",
                td.network_mode.as_str()
            ),
        )
        .attribute("container_definitions")
        .help(UNKNOWN_CONTAINERS_HELP)
        .plan(td.plan)
        .unverifiable()
        .missing(vec![crate::diagnostics::Missing::after_apply(format!("container_definitions of {} (known after apply)", td.address), UNKNOWN_CONTAINERS_HELP)])
        .push(out);
    }
    known_containers(td)
}

/// Runs one rule over a model, for unit tests.
#[cfg(test)]
pub(crate) fn run_rule(
    rule: &dyn crate::rules::Rule,
    model: &crate::model::Model,
    assume: &crate::config::Assumptions,
) -> Vec<Diagnostic> {
    let cx = Context::new(model, assume);
    let mut out = Vec::new();
    rule.check(&cx, &mut out);
    out
}

/// `rule` over a model holding only `td`.
#[cfg(test)]
pub(crate) fn run_on_task(
    rule: &dyn crate::rules::Rule,
    td: TaskDefinition,
    assume: &crate::config::Assumptions,
) -> Vec<Diagnostic> {
    let model = crate::model::Model {
        task_definitions: vec![td],
        ..Default::default()
    };
    run_rule(rule, &model, assume)
}

/// `aws_ecs_task_definition.a` for `os`, with one container "web" mapping `ports`.
#[cfg(test)]
pub(crate) fn web_task(mode: NetworkMode, os: OsFamily, ports: Vec<PortMapping>) -> TaskDefinition {
    use crate::model::testing::{container, task_definition};
    let mut td = task_definition("aws_ecs_task_definition.a", mode);
    td.os_family = os;
    td.containers = crate::model::Field::known(vec![container("web", ports)]);
    td
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse_and_validate() {
        assert_eq!(parse_range("8000-8100"), Some((8000, 8100)));
        assert_eq!(parse_range(" 1 - 2 "), Some((1, 2)));
        assert_eq!(parse_range("8000"), None);
        assert_eq!(parse_range("a-b"), None);
        assert_eq!(valid_range("9000-8000"), None);
        assert_eq!(valid_range("0-10"), None);
        assert_eq!(valid_range("10-70000"), None);
        assert_eq!(valid_range("10-20"), Some((10, 20)));
    }
}
