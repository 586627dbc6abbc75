//! NET060: service discovery record types and registry fields by network mode.

use crate::diagnostics::Diagnostic;
use crate::model::{NetworkMode, ServiceRegistry};
use crate::rules::service::support::{self, Missing};
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// The `service_registries` block of an `aws_ecs_service` against its task definition's
    /// network mode and the DNS record types of the `aws_service_discovery_service` it
    /// registers in (`dns_config.dns_records[].type`):
    /// - `none`: service discovery is not supported at all;
    /// - `bridge` / `host`: only SRV records, and `container_name` plus `container_port`
    ///   must be set;
    /// - `awsvpc`: A and/or SRV; with SRV records set either `container_name` plus
    ///   `container_port`, or `port`, but not both.
    ///
    /// ## Why it matters
    /// ECS rejects the service otherwise ("When specifying 'host' or 'bridge' for
    /// networkMode, values for 'containerName' and 'containerPort' must be specified from the
    /// task definition."), or registers instances Cloud Map cannot answer for: an A record
    /// needs an IP address of the task's own, which only awsvpc tasks have.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_service_discovery_service" "web" {
    ///   dns_config {
    ///     dns_records { type = "A" }    # NET060 for a bridge task definition
    ///   }
    /// }
    /// resource "aws_ecs_service" "web" {
    ///   service_registries {
    ///     registry_arn = aws_service_discovery_service.web.arn
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// For bridge and host use SRV records and set `container_name` and `container_port`;
    /// for awsvpc with SRV set either the container pair or `port`; do not register `none`
    /// tasks.
    pub struct RecordTypesByMode {
        id: "NET060",
        name: "service-discovery-by-mode",
        severity: Error,
        summary: "Service discovery record types and registry fields must suit the network mode",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceRegistry.html",
    }
}

/// A registry field is set: Terraform stores unset numbers as 0 and strings as "".
fn set_str(f: &crate::model::Field<String>) -> Option<bool> {
    if f.is_null() {
        return Some(false);
    }
    f.get().map(|s| !s.is_empty())
}

fn set_num(f: &crate::model::Field<i64>) -> Option<bool> {
    if f.is_null() {
        return Some(false);
    }
    f.get().map(|n| *n != 0)
}

struct Finding {
    attr: String,
    message: String,
    help: &'static str,
}

impl RecordTypesByMode {
    /// Checks one registry; `Err` when an input it needs is unknown.
    fn check_registry(
        mode: &NetworkMode,
        i: usize,
        r: &ServiceRegistry,
        record_types: Result<&[String], Missing>,
        findings: &mut Vec<Finding>,
    ) -> Result<(), Missing> {
        let unknown_field = |what: &str| {
            Missing::after_apply(
                format!("service_registries {what} is known only after apply"),
                "Set service_registries fields from values known at plan time.",
            )
        };
        let name = set_str(&r.container_name).ok_or_else(|| unknown_field("container_name"))?;
        let cport = set_num(&r.container_port).ok_or_else(|| unknown_field("container_port"))?;
        let port = set_num(&r.port).ok_or_else(|| unknown_field("port"))?;
        match mode {
            NetworkMode::Bridge | NetworkMode::Host => {
                if !(name && cport) {
                    findings.push(Finding {
                        attr: format!(
                            "service_registries[{i}].{}",
                            if name { "container_port" } else { "container_name" }
                        ),
                        message: format!(
                            "service discovery with network mode {} needs container_name and container_port in service_registries",
                            mode.as_str()
                        ),
                        help: "Set container_name and container_port to the container and containerPort whose host port the SRV record should carry.",
                    });
                }
                let types = record_types?;
                let non_srv: Vec<&str> = types
                    .iter()
                    .filter(|t| !t.eq_ignore_ascii_case("SRV"))
                    .map(|t| t.as_str())
                    .collect();
                if !non_srv.is_empty() {
                    findings.push(Finding {
                        attr: format!("service_registries[{i}].registry_arn"),
                        message: format!(
                            "the discovery service has {} record(s), but network mode {} supports only SRV records (tasks have no IP address of their own)",
                            support::and_list(&non_srv),
                            mode.as_str()
                        ),
                        help: "Use dns_records { type = \"SRV\" } only in the discovery service's dns_config, or switch the task definition to awsvpc.",
                    });
                }
            }
            NetworkMode::Awsvpc => {
                let types = record_types?;
                if !types.iter().any(|t| t.eq_ignore_ascii_case("SRV")) {
                    return Ok(());
                }
                let pair = name || cport;
                if pair && port {
                    findings.push(Finding {
                        attr: format!("service_registries[{i}].port"),
                        message: "with SRV records and awsvpc, service_registries sets both container_name/container_port and port; set one or the other".to_string(),
                        help: "Remove port, or remove container_name and container_port.",
                    });
                } else if !pair && !port {
                    findings.push(Finding {
                        attr: format!("service_registries[{i}]"),
                        message: "the discovery service has SRV records, so service_registries needs either container_name and container_port, or port".to_string(),
                        help: "Set container_name and container_port (or port) so the SRV record carries a port.",
                    });
                } else if pair && !(name && cport) {
                    findings.push(Finding {
                        attr: format!(
                            "service_registries[{i}].{}",
                            if name { "container_port" } else { "container_name" }
                        ),
                        message: "service_registries sets only one of container_name and container_port; they go together".to_string(),
                        help: "Set both container_name and container_port, or neither and port instead.",
                    });
                }
            }
            _ => {}
        }
        Ok(())
    }
}

impl Rule for RecordTypesByMode {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let check = "the service discovery settings for this service's network mode";
        for svc in &cx.model.services {
            let Some(regs) = svc.service_registries.get() else {
                continue;
            };
            if regs.is_empty() {
                continue;
            }
            let view = support::service_mode(cx, svc);
            let Some(mode) = view.mode.clone() else {
                out.push(support::unverifiable(
                    cx,
                    &Self::META,
                    svc,
                    "service_registries",
                    check,
                    &view.missing(),
                ));
                continue;
            };
            if mode == NetworkMode::None {
                cx.diag(
                    &Self::META,
                    &svc.address,
                    format!(
                        "this service registers in service discovery, but {}; tasks without networking cannot be discovered",
                        view.basis
                    ),
                )
                .attribute("service_registries")
                .help("Remove service_registries, or use awsvpc, bridge or host.")
                .plan(svc.plan)
                .push(out);
                continue;
            }
            let mut missing: Option<Missing> = None;
            for (i, r) in regs.iter().enumerate() {
                let sd = r
                    .registry
                    .address
                    .as_deref()
                    .and_then(|a| cx.model.service_discovery_service_in(a, svc.plan));
                let types: Result<&[String], Missing> = match sd {
                    // Record types are never secret in practice, but a sensitive list must
                    // not be printed, so it is treated as unreadable.
                    Some(s) if s.record_types.sensitive => Err(Missing::sensitive(
                        format!("the DNS record types of {} are sensitive", s.address),
                        "Do not derive dns_config record types from sensitive values.",
                    )),
                    Some(s) => s.record_types.get().map(|v| v.as_slice()).ok_or_else(|| {
                        Missing::after_apply(
                            format!("the DNS record types of {} are known only after apply", s.address),
                            "Set dns_config.dns_records types from literals.",
                        )
                    }),
                    None => Err(Missing::of_link(
                        &r.registry,
                        format!(
                            "discovery service {} is outside the plan, so its DNS record types are unknown",
                            r.registry.describe()
                        ),
                        "Manage the aws_service_discovery_service in the same plan and reference it (registry_arn = aws_service_discovery_service.x.arn).",
                    )),
                };
                let mut findings = Vec::new();
                let result = Self::check_registry(&mode, i, r, types, &mut findings);
                for f in findings {
                    let mut d = cx
                        .diag(&Self::META, &svc.address, f.message)
                        .attribute(f.attr)
                        .detail(view.basis.clone())
                        .help(f.help)
                        .plan(svc.plan);
                    if let Some(s) = sd {
                        d = d.related(s.address.clone());
                    }
                    if let Ok(td) = &view.td {
                        d = d.related(td.address.clone());
                    }
                    d.push(out);
                }
                if let Err(m) = result {
                    missing.get_or_insert(m);
                }
            }
            if let Some(m) = missing {
                out.push(support::unverifiable(
                    cx,
                    &Self::META,
                    svc,
                    "service_registries",
                    check,
                    &m,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing as t;
    use crate::model::{Field, Link, Model, Resolution, ServiceDiscoveryService};
    use crate::rules::service::support::test_support::{firm, run, unverified};

    fn model(
        mode: NetworkMode,
        types: &[&str],
        name: Option<&str>,
        cport: i64,
        port: i64,
    ) -> Model {
        let mut m = Model::default();
        m.task_definitions
            .push(t::task_definition("aws_ecs_task_definition.w", mode));
        m.service_discovery_services.push(ServiceDiscoveryService {
            address: "aws_service_discovery_service.w".into(),
            plan: 0,
            name: Field::known("w".into()),
            record_types: Field::known(types.iter().map(|s| s.to_string()).collect()),
        });
        let mut s = t::service("aws_ecs_service.w", "aws_ecs_task_definition.w", "c");
        s.service_registries = Field::known(vec![ServiceRegistry {
            registry: Link::to_address(
                "aws_service_discovery_service.w",
                Resolution::ConfigReference,
                true,
            ),
            // Terraform stores unset numbers as 0 and strings as "".
            port: Field::known(port),
            container_name: Field::known(name.unwrap_or("").to_string()),
            container_port: Field::known(cport),
        }]);
        m.services.push(s);
        m
    }

    #[test]
    fn bridge_needs_srv_and_container_pair() {
        let d = run(
            &RecordTypesByMode,
            &model(NetworkMode::Bridge, &["A"], None, 0, 0),
        );
        assert_eq!(firm(&d).len(), 2);
        assert!(d
            .iter()
            .any(|d| d.attribute.as_deref() == Some("service_registries[0].container_name")));
        assert!(d.iter().any(|d| d.message.contains("A record")));
        let ok = model(NetworkMode::Host, &["SRV"], Some("w"), 80, 0);
        assert!(run(&RecordTypesByMode, &ok).is_empty());
    }

    #[test]
    fn awsvpc_srv_needs_exactly_one_way() {
        let d = run(
            &RecordTypesByMode,
            &model(NetworkMode::Awsvpc, &["SRV"], Some("w"), 80, 80),
        );
        assert_eq!(firm(&d).len(), 1);
        assert_eq!(
            d[0].attribute.as_deref(),
            Some("service_registries[0].port")
        );
        let d = run(
            &RecordTypesByMode,
            &model(NetworkMode::Awsvpc, &["A", "SRV"], None, 0, 0),
        );
        assert_eq!(firm(&d).len(), 1);
        assert!(run(
            &RecordTypesByMode,
            &model(NetworkMode::Awsvpc, &["SRV"], None, 0, 80)
        )
        .is_empty());
        assert!(run(
            &RecordTypesByMode,
            &model(NetworkMode::Awsvpc, &["A"], None, 0, 0)
        )
        .is_empty());
    }

    #[test]
    fn none_is_unsupported() {
        let d = run(
            &RecordTypesByMode,
            &model(NetworkMode::None, &["A"], None, 0, 0),
        );
        assert_eq!(firm(&d).len(), 1);
        assert_eq!(d[0].attribute.as_deref(), Some("service_registries"));
    }

    #[test]
    fn unknown_record_types_are_unverifiable_but_pair_still_checked() {
        let mut m = model(NetworkMode::Bridge, &[], None, 0, 0);
        m.service_discovery_services.clear();
        m.services[0].service_registries = Field::known(vec![ServiceRegistry {
            registry: Link::outside("arn:aws:servicediscovery:eu-west-1:1:service/srv-1"),
            port: Field::null(),
            container_name: Field::null(),
            container_port: Field::null(),
        }]);
        let d = run(&RecordTypesByMode, &m);
        assert_eq!(firm(&d).len(), 1);
        assert_eq!(unverified(&d).len(), 1);
        assert!(unverified(&d)[0].message.contains("outside the plan"));
    }
}
