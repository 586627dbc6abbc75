//! NET062: Service Connect `port_name` must name a port mapping.

use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{show_value, OsFamily, Service, ServiceConnect, TaskDefinition};
use crate::rules::service::support::{self, Missing};
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// Every `port_name` of a `service` block in the `service_connect_configuration` of an
    /// `aws_ecs_service` names a port mapping of its task definition
    /// (`portMappings[].name` in `container_definitions`). It also warns when Service
    /// Connect cannot run at all: Windows task definitions, or a task definition without
    /// task-level `memory`. (EXTERNAL, ECS Anywhere, capacity has no Service Connect either:
    /// NET006 reports that.)
    ///
    /// ## Why it matters
    /// Service Connect finds the port to publish by that name. CreateService fails when no
    /// container has a port mapping with that name, and port mappings without a `name` are
    /// the default in most task definitions written before Service Connect existed.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "api" {
    ///   container_definitions = jsonencode([{
    ///     name         = "api"
    ///     portMappings = [{ containerPort = 8080 }]   # no name
    ///   }])
    /// }
    /// resource "aws_ecs_service" "api" {
    ///   service_connect_configuration {
    ///     enabled = true
    ///     service {
    ///       port_name = "http"                        # NET062
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Give the port mapping a `name` (and usually an `appProtocol`) and use the same name in
    /// `port_name`.
    pub struct ServiceConnectPortNames {
        id: "NET062",
        name: "service-connect-port-name",
        severity: Error,
        summary: "Service Connect port_name must match a portMappings[].name in the task definition",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceConnectService.html",
    }
}

impl ServiceConnectPortNames {
    /// Where Service Connect cannot run (warnings: the service is created, the proxy is not).
    fn platform(
        &self,
        cx: &Context<'_>,
        svc: &Service,
        td: &TaskDefinition,
        out: &mut Vec<Diagnostic>,
    ) {
        let mut problems: Vec<String> = Vec::new();
        if td.os_family == OsFamily::Windows {
            problems.push(format!(
                "task definition {} is Windows, which Service Connect does not support",
                td.address
            ));
        }
        // EXTERNAL (ECS Anywhere) capacity, which has no Service Connect either, is NET006's.
        if td.memory.is_null() {
            problems.push(format!(
                "task definition {} sets no task-level memory, which Service Connect requires",
                td.address
            ));
        }
        if problems.is_empty() {
            return;
        }
        cx.diag(
            &Self::META,
            &svc.address,
            format!("Service Connect is enabled, but {}", support::and_list(&problems)),
        )
        .severity(Severity::Warning)
        .attribute("service_connect_configuration[0].enabled")
        .help("Run Service Connect services on Linux (Fargate or EC2) with task-level memory set, or disable Service Connect for this service.")
        .related(td.address.clone())
        .plan(svc.plan)
        .push(out);
    }
}

impl Rule for ServiceConnectPortNames {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let check = "that Service Connect port names exist in the task definition";
        for svc in &cx.model.services {
            let Some(Some(sc)) = svc.service_connect.get() else {
                continue;
            };
            if sc.enabled.get() == Some(&false) || sc.port_names.is_empty() {
                continue;
            }
            let judge = |td: &TaskDefinition, out: &mut Vec<Diagnostic>| {
                self.judge(cx, svc, sc, td, check, out)
            };
            if support::judge_td_candidates(
                cx,
                &Self::META,
                svc,
                &svc.task_definition,
                FIRST_PORT_NAME,
                check,
                judge,
                out,
            ) {
                continue;
            }
            let td = match support::service_task_definition(cx.model, svc) {
                Ok(td) => td,
                Err(m) => {
                    out.push(support::unverifiable(
                        cx,
                        &Self::META,
                        svc,
                        FIRST_PORT_NAME,
                        check,
                        &m,
                    ));
                    continue;
                }
            };
            self.judge(cx, svc, sc, td, check, out);
        }
    }
}

/// Where a note about the whole service points: the first `port_name`.
const FIRST_PORT_NAME: &str = "service_connect_configuration[0].service[0].port_name";

impl ServiceConnectPortNames {
    /// The rule for a service against one task definition.
    fn judge(
        &self,
        cx: &Context<'_>,
        svc: &Service,
        sc: &ServiceConnect,
        td: &TaskDefinition,
        check: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        self.platform(cx, svc, td, out);
        let Some(containers) = td.containers.get() else {
            out.push(support::unverifiable(
                cx,
                &Self::META,
                svc,
                FIRST_PORT_NAME,
                check,
                &support::containers_missing(td),
            ));
            return;
        };
        let sensitive = td.containers.sensitive;
        let names: Vec<&String> = containers
            .iter()
            .flat_map(|c| c.port_mappings.iter().filter_map(|m| m.name.as_ref()))
            .collect();
        let mut missing: Option<(String, Missing)> = None;
        for (j, pn) in sc.port_names.iter().enumerate() {
            let attr = format!("service_connect_configuration[0].service[{j}].port_name");
            let Some(p) = pn.get() else {
                missing.get_or_insert((
                    attr,
                    Missing::after_apply(
                        "port_name is known only after apply",
                        "Set port_name from a literal or a variable known at plan time.",
                    ),
                ));
                continue;
            };
            if names.contains(&p) {
                continue;
            }
            let listed = if names.is_empty() {
                "no port mapping has a name".to_string()
            } else {
                let shown: Vec<String> = names.iter().map(|n| show_value(n, sensitive)).collect();
                format!("named port mappings: {}", support::and_list(&shown))
            };
            cx.diag(
                &Self::META,
                &svc.address,
                format!(
                    "Service Connect port_name {} matches no portMappings[].name in task definition {}",
                    pn.show(),
                    td.address
                ),
            )
            .attribute(attr)
            .detail(format!("In {}: {listed}.", td.address))
            .help("Add \"name\" (and \"appProtocol\") to the port mapping Service Connect should publish, and use that name as port_name.")
            .related(td.address.clone())
            .plan(svc.plan)
            .push(out);
        }
        if let Some((attr, m)) = missing {
            out.push(support::unverifiable(
                cx,
                &Self::META,
                svc,
                &attr,
                check,
                &m,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing as t;
    use crate::model::{Field, Link, Model, NetworkMode, ServiceConnect};
    use crate::rules::service::support::test_support::{firm, run, unverified};

    fn model(mapping_name: Option<&str>, port_name: Field<String>) -> Model {
        let mut m = Model::default();
        let mut td = t::task_definition("aws_ecs_task_definition.api", NetworkMode::Awsvpc);
        td.memory = Field::known("512".into());
        let mut p = t::port(8080, None);
        p.name = mapping_name.map(|s| s.to_string());
        td.containers = Field::known(vec![t::container("api", vec![p])]);
        m.task_definitions.push(td);
        let mut s = t::service("aws_ecs_service.api", "aws_ecs_task_definition.api", "c");
        s.service_connect = Field::known(Some(ServiceConnect {
            enabled: Field::known(true),
            port_names: vec![port_name],
        }));
        m.services.push(s);
        m
    }

    #[test]
    fn hidden_task_definitions_are_judged_over_every_candidate() {
        // A second candidate naming its mapping `second`; the service publishes "http".
        let with = |first: &str, second: &str| {
            let mut m = model(Some(first), Field::known("http".into()));
            let mut td = m.task_definitions[0].clone();
            td.address = "aws_ecs_task_definition.arm".into();
            let mut p = t::port(8080, None);
            p.name = Some(second.into());
            td.containers = Field::known(vec![t::container("api", vec![p])]);
            m.task_definitions.push(td);
            m.services[0].task_definition = Link::one_of(vec![
                "aws_ecs_task_definition.api".into(),
                "aws_ecs_task_definition.arm".into(),
            ]);
            run(&ServiceConnectPortNames, &m)
        };
        assert!(with("http", "http").is_empty());
        let d = with("web", "grpc");
        assert_eq!((d.len(), firm(&d).len()), (1, 1));
        assert!(d[0]
            .message
            .contains("the same holds for every task definition"));
        let d = with("http", "grpc");
        assert_eq!((d.len(), unverified(&d).len()), (1, 1));
    }

    #[test]
    fn fires_on_unknown_name() {
        let d = run(
            &ServiceConnectPortNames,
            &model(Some("web"), Field::known("http".into())),
        );
        assert_eq!(firm(&d).len(), 1);
        assert_eq!(
            d[0].attribute.as_deref(),
            Some("service_connect_configuration[0].service[0].port_name")
        );
        assert!(d[0].detail.as_deref().unwrap().contains("web"));
        let d = run(
            &ServiceConnectPortNames,
            &model(None, Field::known("http".into())),
        );
        assert!(d[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("no port mapping has a name"));
    }

    #[test]
    fn passes_on_match_or_disabled() {
        assert!(run(
            &ServiceConnectPortNames,
            &model(Some("http"), Field::known("http".into()))
        )
        .is_empty());
        let mut m = model(None, Field::known("http".into()));
        if let crate::model::Val::Known(Some(sc)) = &mut m.services[0].service_connect.val {
            sc.enabled = Field::known(false);
        }
        assert!(run(&ServiceConnectPortNames, &m).is_empty());
    }

    #[test]
    fn windows_and_missing_memory_warn() {
        let mut m = model(Some("http"), Field::known("http".into()));
        m.task_definitions[0].os_family = OsFamily::Windows;
        m.task_definitions[0].memory = Field::null();
        let d = run(&ServiceConnectPortNames, &m);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Warning);
        assert!(d[0].message.contains("Windows") && d[0].message.contains("memory"));
    }

    #[test]
    fn unknown_inputs_are_unverifiable() {
        let d = run(
            &ServiceConnectPortNames,
            &model(Some("http"), Field::unknown()),
        );
        assert_eq!(unverified(&d).len(), 1);
        let mut m = model(Some("http"), Field::known("http".into()));
        m.task_definitions.clear();
        m.services[0].task_definition = Link::outside("api:9");
        assert_eq!(unverified(&run(&ServiceConnectPortNames, &m)).len(), 1);
    }
}
