//! What one service asks for: tasks at steady state and at a deployment's peak, whether
//! they take an ENI on an instance, an address in a subnet, or a static host port.

use serde::Serialize;

use super::bound::Bound;
use super::Missing;
use crate::model::{
    DeploymentController, Field, Launch, Model, NetworkMode, Service, TaskDefinition, Val,
};

/// A count with the words that explain it ("desired_count 6", "desired 6 × maximum_percent 200%").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Counted {
    pub n: u64,
    pub why: String,
}

/// Does a service take part in some kind of demand?
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "reason", rename_all = "snake_case")]
pub enum Involved {
    Yes,
    No,
    /// Cannot tell: the missing input.
    Maybe(Missing),
}

/// How a service deploys new revisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeployKind {
    /// ECS rolling update: peak = floor(desired × maximum_percent / 100).
    Rolling,
    /// CODE_DEPLOY, or the ECS-native BLUE_GREEN / LINEAR / CANARY strategies: both
    /// revisions run at full size, so the peak is twice the desired count.
    BlueGreen,
    /// EXTERNAL controller: task sets decide, which the plan does not show.
    External,
    /// Controller or strategy unknown at plan time.
    Unknown,
}

/// One service's demand.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceDemand {
    pub address: String,
    pub plan: usize,
    pub daemon: bool,
    /// The network mode ECS will use; `None` when unknown or the task definition is outside the plan.
    pub mode: Option<NetworkMode>,
    pub launch: Option<Launch>,
    pub deploy: DeployKind,
    /// Words for the deployment kind, e.g. "deployment_controller CODE_DEPLOY".
    pub deploy_why: String,
    pub desired: Result<Counted, Missing>,
    pub maximum_percent: Result<Counted, Missing>,
    pub minimum_healthy_percent: Result<Counted, Missing>,
    /// Tasks running at once during a deployment.
    pub peak: Result<Counted, Missing>,
    /// The peak as a bound: exact when known; when only the strategy is unknown, between
    /// the rolling peak and twice the desired count (blue/green), whichever it is.
    pub peak_range: Bound,
    /// Takes one ENI per task on a container instance (awsvpc on EC2, not a daemon).
    pub eni_on_instances: Involved,
    /// Takes one IPv4 address per task in its subnets (awsvpc, EC2 or Fargate).
    pub uses_subnets: Involved,
    /// Runs on EC2 container instances (host ports and ENIs live there).
    pub on_instances: Involved,
}

impl ServiceDemand {
    /// Desired tasks as a bound, `[0, ∞)` when unknown.
    pub fn desired_bound(&self) -> Bound {
        self.desired
            .as_ref()
            .map_or(Bound::unknown(), |c| Bound::exact(c.n))
    }
    pub fn peak_bound(&self) -> Bound {
        self.peak_range
    }

    /// "peak desired 6 × maximum_percent 200% = 12", or what is known of it.
    pub fn peak_words(&self) -> String {
        let mut s = String::new();
        self.write_peak_words(&mut s);
        s
    }

    /// [`ServiceDemand::peak_words`], written at the end of `out`.
    pub fn write_peak_words(&self, out: &mut String) {
        match &self.peak {
            Ok(c) => {
                out.push_str("peak ");
                out.push_str(&c.why);
            }
            Err(_) if self.peak_range.hi.is_some() => {
                out.push_str("peak ");
                out.push_str(&self.peak_range.show());
                out.push_str(" (rolling or blue/green: the deployment strategy is unknown)");
            }
            Err(_) => out.push_str("peak unknown"),
        }
    }

    /// The tasks a rolling deployment must be able to run at once to make progress: the
    /// ones it keeps healthy, ceil(desired × minimum_healthy_percent / 100), plus one new
    /// task. ECS may stop old tasks down to that minimum before it starts new ones
    /// (DeploymentConfiguration.minimumHealthyPercent), so a deployment whose peak does not
    /// fit still progresses as long as this many fit.
    pub fn progress(&self) -> Result<Counted, Missing> {
        let d = self.desired.as_ref().map_err(Clone::clone)?;
        let m = self
            .minimum_healthy_percent
            .as_ref()
            .map_err(Clone::clone)?;
        let keep = d.n.saturating_mul(m.n).div_ceil(100).min(d.n);
        let n = keep + 1;
        Ok(Counted {
            n,
            why: format!(
                "ceil({} × minimum_healthy_percent {}% / 100) + 1 new = {n}",
                d.n, m.n
            ),
        })
    }
}

pub(crate) fn service_demand(model: &Model, s: &Service) -> ServiceDemand {
    let td = model.task_definition_of(s);
    let daemon = s.is_daemon();
    // The one task definition's mode, or the mode every candidate of a hidden link uses.
    let mode = match s.task_definition.all(|a| {
        model
            .task_definition_in(a, s.plan)
            .map(|t| t.network_mode.clone())
            .filter(|m| *m != NetworkMode::Unknown)
    }) {
        crate::model::Verdict::All(m) => Some(m),
        crate::model::Verdict::Undecided => None,
    };
    let launch = s.launch.get().copied();
    let (deploy, deploy_why) = deploy_kind(s);
    let desired = desired(s, daemon);
    let maximum_percent = percent(
        &s.deployment_maximum_percent,
        "deployment_maximum_percent",
        if daemon { 100 } else { 200 },
        s,
    );
    let minimum_healthy_percent = percent(
        &s.deployment_minimum_healthy_percent,
        "deployment_minimum_healthy_percent",
        if daemon { 0 } else { 100 },
        s,
    );
    let peak = peak(&desired, &maximum_percent, deploy, &deploy_why, s);
    let peak_range = peak_range(&peak, &desired, &maximum_percent, deploy);

    let mode_missing = || mode_missing(s, td);
    let launch_missing = || {
        Missing::after_apply(
            format!(
                "where {} runs (launch type / capacity provider known after apply)",
                s.address
            ),
            "a known launch_type or capacity_provider_strategy in the plan",
        )
    };
    let on_instances = match launch {
        Some(Launch::Ec2) => Involved::Yes,
        Some(_) => Involved::No,
        None => Involved::Maybe(launch_missing()),
    };
    let awsvpc = match &mode {
        Some(NetworkMode::Awsvpc) => Involved::Yes,
        Some(_) => Involved::No,
        // ECS accepts a network_configuration block only for awsvpc task definitions
        // (NET041), so a plan that can apply with one is awsvpc.
        None if matches!(s.network_configuration.get(), Some(Some(_))) => Involved::Yes,
        None => Involved::Maybe(mode_missing()),
    };
    let eni_on_instances = if daemon {
        Involved::No
    } else {
        both(&on_instances, &awsvpc)
    };
    // Any awsvpc task takes an address from its subnet, on Fargate as on EC2.
    let uses_subnets = awsvpc.clone();
    ServiceDemand {
        address: s.address.clone(),
        plan: s.plan,
        daemon,
        mode,
        launch,
        deploy,
        deploy_why,
        desired,
        maximum_percent,
        minimum_healthy_percent,
        peak,
        peak_range,
        eni_on_instances,
        uses_subnets,
        on_instances,
    }
}

fn both(a: &Involved, b: &Involved) -> Involved {
    match (a, b) {
        (Involved::No, _) | (_, Involved::No) => Involved::No,
        (Involved::Maybe(m), _) | (_, Involved::Maybe(m)) => Involved::Maybe(m.clone()),
        (Involved::Yes, Involved::Yes) => Involved::Yes,
    }
}

fn mode_missing(s: &Service, td: Option<&TaskDefinition>) -> Missing {
    match td {
        Some(t) => Missing::after_apply(
            format!("network_mode of {} (known after apply)", t.address),
            "a known network_mode in the task definition",
        ),
        None if !s.task_definition.candidates.is_empty() => Missing::hidden(
            format!(
                "the network mode of {}: the task definitions the configuration can name ({}) do not all use one known mode",
                s.address,
                s.task_definition.candidates.join(", ")
            ),
            "a direct reference to the task definition (task_definition = aws_ecs_task_definition.app.arn)",
        ),
        None => Missing::of_link(
            &s.task_definition,
            format!(
                "the task definition of {} ({}), which is not in the plan",
                s.address,
                s.task_definition.describe()
            ),
            "a plan that includes the task definition (pass several plans to ecsnet)",
        ),
    }
}

fn desired(s: &Service, daemon: bool) -> Result<Counted, Missing> {
    if daemon {
        // One task per container instance: the cluster's capacity decides, not desired_count.
        return Ok(Counted {
            n: 0,
            why: "DAEMON: one task per instance".to_string(),
        });
    }
    let field = &s.desired_count;
    if field.sensitive {
        return Err(sensitive_missing("desired_count", &s.address));
    }
    match &field.val {
        // Not sensitive (above): the value as `show` writes it, without its own string.
        Val::Known(n) => Ok(Counted {
            n: (*n).max(0) as u64,
            why: format!("desired_count {n}"),
        }),
        // The AWS provider's default desired_count is 0.
        Val::Null => Ok(Counted {
            n: 0,
            why: "desired_count not set (0)".to_string(),
        }),
        Val::Unknown => Err(Missing::after_apply(
            format!("desired_count of {} (known after apply)", s.address),
            "a known desired_count in the plan",
        )),
    }
}

fn percent(f: &Field<i64>, attr: &str, default: u64, s: &Service) -> Result<Counted, Missing> {
    if f.sensitive {
        return Err(sensitive_missing(attr, &s.address));
    }
    match &f.val {
        Val::Known(n) => Ok(Counted {
            n: (*n).max(0) as u64,
            why: format!("{attr} {n}%"),
        }),
        // Not set in the configuration (also when the provider plans it as unknown).
        Val::Null => Ok(Counted {
            n: default,
            why: format!("{attr} {default}% (default)"),
        }),
        Val::Unknown => Err(unknown_setting(
            s,
            attr,
            &format!("a known {attr} in the plan"),
        )),
    }
}

/// A deployment setting unknown at plan time: written from a value known after apply, or
/// in a configuration ecsnet cannot see (then it may be ECS's default, or not).
fn unknown_setting(s: &Service, what: &str, supply: &str) -> Missing {
    match &s.deployment_unseen {
        None => Missing::after_apply(
            format!("{what} of {} (known after apply)", s.address),
            supply,
        ),
        // The configuration ecsnet could not see may set it, or not.
        Some(why) => Missing::hidden(
            format!(
                "{what} of {} (known after apply; {why}, so ecsnet cannot tell whether it is set or takes the ECS default)",
                s.address
            ),
            "a plan whose configuration section shows the service (terraform show -json of the saved plan), or the setting written out without a dynamic block",
        ),
    }
}

/// Capacity findings print their arithmetic, so a sensitive count cannot take part.
pub(crate) fn sensitive_missing(attr: &str, address: &str) -> Missing {
    Missing::sensitive(
        format!("{attr} of {address} is sensitive, and ecsnet never prints sensitive values"),
        format!("a non-sensitive {attr} (capacity findings show their arithmetic)"),
    )
}

fn deploy_kind(s: &Service) -> (DeployKind, String) {
    let controller = match &s.deployment_controller.val {
        Val::Known(c) => Some(*c),
        Val::Null => Some(DeploymentController::Ecs),
        Val::Unknown => None,
    };
    match controller {
        None => (DeployKind::Unknown, "deployment_controller".to_string()),
        Some(DeploymentController::CodeDeploy) => (
            DeployKind::BlueGreen,
            "deployment_controller CODE_DEPLOY".to_string(),
        ),
        Some(DeploymentController::External) => (
            DeployKind::External,
            "deployment_controller EXTERNAL".to_string(),
        ),
        Some(DeploymentController::Ecs) => match &s.deployment_strategy.val {
            Val::Known(st)
                if ["BLUE_GREEN", "LINEAR", "CANARY"]
                    .iter()
                    .any(|b| st.eq_ignore_ascii_case(b)) =>
            {
                (
                    DeployKind::BlueGreen,
                    format!("deployment strategy {}", s.deployment_strategy.show()),
                )
            }
            Val::Unknown => (DeployKind::Unknown, "deployment strategy".to_string()),
            _ => (DeployKind::Rolling, "rolling update".to_string()),
        },
    }
}

fn peak(
    desired: &Result<Counted, Missing>,
    max: &Result<Counted, Missing>,
    deploy: DeployKind,
    deploy_why: &str,
    s: &Service,
) -> Result<Counted, Missing> {
    let d = desired.as_ref().map_err(Clone::clone)?;
    match deploy {
        DeployKind::Rolling => {
            let m = max.as_ref().map_err(Clone::clone)?;
            // ECS rounds the maximum down (DeploymentConfiguration.maximumPercent).
            let n = d.n.saturating_mul(m.n) / 100;
            Ok(Counted {
                n,
                why: format!("desired {} × maximum_percent {}% = {n}", d.n, m.n),
            })
        }
        DeployKind::BlueGreen => Ok(Counted {
            n: d.n.saturating_mul(2),
            why: format!(
                "desired {} × 2 = {} ({deploy_why} runs both revisions)",
                d.n,
                d.n.saturating_mul(2)
            ),
        }),
        // The task sets an external controller creates are not in this plan.
        DeployKind::External => Err(Missing::outside_plan(
            format!(
                "the deployment peak of {}: an EXTERNAL controller's task sets decide it",
                s.address
            ),
            "an ignore block for this finding once capacity for the task sets is planned",
        )),
        DeployKind::Unknown => Err(unknown_setting(
            s,
            &format!("the {deploy_why}"),
            "a known deployment_controller and deployment_configuration strategy in the plan",
        )),
    }
}

/// The peak as a bound. A deployment of unknown strategy (ECS controller) peaks either at
/// the rolling peak or at twice the desired count, so when both are known the peak lies
/// between them.
fn peak_range(
    peak: &Result<Counted, Missing>,
    desired: &Result<Counted, Missing>,
    max: &Result<Counted, Missing>,
    deploy: DeployKind,
) -> Bound {
    match (peak, desired, max, deploy) {
        (Ok(p), ..) => Bound::exact(p.n),
        (Err(_), Ok(d), Ok(m), DeployKind::Unknown) => {
            let rolling = d.n.saturating_mul(m.n) / 100;
            Bound::range(rolling, d.n.saturating_mul(2))
        }
        _ => Bound::unknown(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing as t;

    fn model_with(s: Service, td: TaskDefinition) -> Model {
        Model {
            services: vec![s],
            task_definitions: vec![td],
            ..Model::default()
        }
    }

    #[test]
    fn rolling_peak_rounds_down() {
        let mut s = t::service("aws_ecs_service.api", "aws_ecs_task_definition.api", "c");
        s.desired_count = Field::known(5);
        s.deployment_maximum_percent = Field::known(150);
        let m = model_with(
            s,
            t::task_definition("aws_ecs_task_definition.api", NetworkMode::Awsvpc),
        );
        let d = service_demand(&m, &m.services[0]);
        assert_eq!(d.peak.as_ref().unwrap().n, 7);
        assert_eq!(
            d.peak.as_ref().unwrap().why,
            "desired 5 × maximum_percent 150% = 7"
        );
        assert_eq!(d.eni_on_instances, Involved::Yes);
        assert_eq!(d.uses_subnets, Involved::Yes);
    }

    #[test]
    fn defaults_and_blue_green() {
        let mut s = t::service("aws_ecs_service.api", "aws_ecs_task_definition.api", "c");
        s.desired_count = Field::known(6);
        let m = model_with(
            s.clone(),
            t::task_definition("aws_ecs_task_definition.api", NetworkMode::Bridge),
        );
        let d = service_demand(&m, &m.services[0]);
        assert_eq!(d.peak.as_ref().unwrap().n, 12);
        assert_eq!(d.minimum_healthy_percent.as_ref().unwrap().n, 100);
        assert_eq!(d.eni_on_instances, Involved::No);

        s.deployment_controller = Field::known(DeploymentController::CodeDeploy);
        s.deployment_maximum_percent = Field::known(100);
        let m = model_with(
            s,
            t::task_definition("aws_ecs_task_definition.api", NetworkMode::Bridge),
        );
        let d = service_demand(&m, &m.services[0]);
        assert_eq!(d.deploy, DeployKind::BlueGreen);
        assert_eq!(d.peak.as_ref().unwrap().n, 12);
    }

    #[test]
    fn unknown_inputs_become_missing() {
        let mut s = t::service("aws_ecs_service.api", "aws_ecs_task_definition.x", "c");
        s.desired_count = Field::unknown();
        let m = Model {
            services: vec![s],
            ..Model::default()
        };
        let d = service_demand(&m, &m.services[0]);
        assert!(d.peak.is_err());
        match &d.eni_on_instances {
            Involved::Maybe(m) => assert!(m.what.contains("not in the plan"), "{}", m.what),
            other => panic!("{other:?}"),
        }
    }
}
