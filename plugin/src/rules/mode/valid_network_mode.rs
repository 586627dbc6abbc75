//! NET001: the network mode must be one ECS accepts.

use crate::diagnostics::Diagnostic;
use crate::model::{NetworkMode, TaskDefinition};
use crate::rules::{Context, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// `network_mode` of every `aws_ecs_task_definition` is one of `awsvpc`, `bridge`, `host`
    /// or `none` (the `NetworkMode` enum of RegisterTaskDefinition), or is omitted. A written
    /// `"default"` is reported too: that is the name of the mode an omitted attribute gives
    /// on Windows, not a value the API accepts.
    ///
    /// When `network_mode` is known only after apply, the rule reports one unverifiable info
    /// for the task definition instead: every rule that depends on the mode (NET003, NET005,
    /// NET006, NET007, NET010-NET021, NET030-NET033) skips the checks that need it.
    ///
    /// ## Why it matters
    /// RegisterTaskDefinition rejects any other value with a `ClientException`, so the apply
    /// fails. Windows' `default` (Docker `nat`) mode is selected by omitting the attribute, not
    /// by writing `default`.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "api" {
    ///   family       = "api"
    ///   network_mode = "vpc"   # NET001: not a network mode
    ///   # ...
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Use `awsvpc` (recommended, and required on Fargate), `bridge`, `host` or `none`. For the
    /// Windows `default` mode, remove `network_mode`. Make the value known at plan time (a
    /// literal or a variable) so ecsnet can check the mode-dependent rules.
    pub struct ValidNetworkMode {
        id: "NET001",
        name: "valid-network-mode",
        severity: Error,
        summary: "network_mode must be awsvpc, bridge, host or none",
        url: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html",
    }
}

impl Rule for ValidNetworkMode {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for td in &cx.model.task_definitions {
            // The model reads an explicit `"default"` as the Windows default mode, which is
            // what omitting the attribute means; written out, RegisterTaskDefinition rejects it.
            let written_default = td.network_mode == NetworkMode::WindowsDefault
                && td.network_mode_raw.get().is_some_and(|v| v == "default");
            match &td.network_mode {
                NetworkMode::Invalid(_) => self.invalid(cx, td, out),
                _ if written_default => self.invalid(cx, td, out),
                NetworkMode::Unknown => {
                    cx.diag(
                        &Self::META,
                        &td.address,
                        "network_mode is known only after apply, so the mode and every rule that depends on it (NET003, NET005, NET006, NET007, NET010-NET021, NET030-NET033) could not be checked for this task definition",
                    )
                    .attribute("network_mode")
                    .help("Set network_mode from a literal or a variable known at plan time rather than from an attribute computed during apply.")
                    .plan(td.plan)
                    .unverifiable()
                    .missing(vec![crate::diagnostics::Missing::after_apply(
                        format!("network_mode of {} (known after apply)", td.address),
                        "a network_mode set from a literal or a variable known at plan time",
                    )])
                    .push(out);
                }
                _ => {}
            }
        }
    }
}

impl ValidNetworkMode {
    fn invalid(&self, cx: &Context<'_>, td: &TaskDefinition, out: &mut Vec<Diagnostic>) {
        let shown = td.network_mode_raw.show();
        // (Not for a sensitive value: the hint would tell what it is.)
        let hint = if !td.network_mode_raw.sensitive
            && td
                .network_mode_raw
                .get()
                .is_some_and(|v| v.eq_ignore_ascii_case("default") || v.eq_ignore_ascii_case("nat"))
        {
            " For the Windows default (nat) mode, omit network_mode."
        } else {
            ""
        };
        cx.diag(
                &Self::META,
                &td.address,
                format!("network_mode \"{shown}\" is not a network mode ECS accepts (awsvpc, bridge, host or none)"),
            )
            .attribute("network_mode")
            .help(format!(
                "Set network_mode to \"awsvpc\" (required on Fargate), \"bridge\", \"host\" or \"none\".{hint}"
            ))
            .plan(td.plan)
            .push(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Assumptions;
    use crate::diagnostics::Severity;
    use crate::model::testing::task_definition;
    use crate::model::{Field, Model};

    fn run(model: &Model) -> Vec<Diagnostic> {
        let assume = Assumptions::default();
        let cx = Context::new(model, &assume);
        let mut out = Vec::new();
        ValidNetworkMode.check(&cx, &mut out);
        out
    }

    #[test]
    fn fires_on_invalid_mode() {
        let mut td = task_definition(
            "aws_ecs_task_definition.a",
            NetworkMode::Invalid("default".into()),
        );
        td.network_mode_raw = Field::known("default".into());
        let model = Model {
            task_definitions: vec![td],
            ..Default::default()
        };
        let d = run(&model);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Error);
        assert_eq!(d[0].attribute.as_deref(), Some("network_mode"));
        assert!(d[0].message.contains("\"default\""), "{}", d[0].message);
        assert!(d[0].help.as_deref().unwrap().contains("omit network_mode"));
    }

    #[test]
    fn fires_on_a_written_default_that_the_model_reads_as_windows_default() {
        let mut td = task_definition("aws_ecs_task_definition.a", NetworkMode::WindowsDefault);
        td.network_mode_raw = Field::known("default".into());
        td.network_mode_explicit = true;
        let model = Model {
            task_definitions: vec![td],
            ..Default::default()
        };
        let d = run(&model);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].severity, Severity::Error);
        assert!(d[0].help.as_deref().unwrap().contains("omit network_mode"));
    }

    #[test]
    fn passes_valid_and_omitted_modes() {
        let model = Model {
            task_definitions: vec![
                task_definition("aws_ecs_task_definition.a", NetworkMode::Awsvpc),
                task_definition("aws_ecs_task_definition.b", NetworkMode::Bridge),
                task_definition("aws_ecs_task_definition.c", NetworkMode::WindowsDefault),
                task_definition("aws_ecs_task_definition.d", NetworkMode::None),
                task_definition("aws_ecs_task_definition.e", NetworkMode::Host),
            ],
            ..Default::default()
        };
        assert!(run(&model).is_empty());
    }

    #[test]
    fn unknown_mode_is_unverifiable() {
        let model = Model {
            task_definitions: vec![task_definition(
                "aws_ecs_task_definition.a",
                NetworkMode::Unknown,
            )],
            ..Default::default()
        };
        let d = run(&model);
        assert_eq!(d.len(), 1);
        assert!(d[0].unverifiable);
        assert_eq!(d[0].severity, Severity::Info);
    }

    #[test]
    fn sensitive_invalid_mode_is_redacted() {
        let mut td = task_definition(
            "aws_ecs_task_definition.a",
            NetworkMode::Invalid("secretmode".into()),
        );
        td.network_mode_raw = Field::known("secretmode".to_string()).with_sensitive(true);
        let model = Model {
            task_definitions: vec![td],
            ..Default::default()
        };
        let d = run(&model);
        assert_eq!(d.len(), 1);
        assert!(!format!("{d:?}").contains("secretmode"));
    }
}
