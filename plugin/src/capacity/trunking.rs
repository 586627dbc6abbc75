//! Whether the `awsvpcTrunking` account setting applies, and what it does to one
//! instance type's awsvpc task slots.

use serde::Serialize;

use super::bound::Bound;
use crate::config::Assumptions;
use crate::instances::{InstanceFacts, Trunking};
use crate::model::{Model, Val};

/// The `awsvpcTrunking` setting as far as the plan and the configuration tell.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum TrunkingSetting {
    Enabled { by: String },
    Disabled { by: String },
    Unknown { why: String },
}

impl TrunkingSetting {
    pub fn is_enabled(&self) -> bool {
        matches!(self, TrunkingSetting::Enabled { .. })
    }
    pub fn is_disabled(&self) -> bool {
        matches!(self, TrunkingSetting::Disabled { .. })
    }
    /// Where the value came from, or why it is unknown.
    pub fn describe(&self) -> String {
        match self {
            TrunkingSetting::Enabled { by } => format!("awsvpcTrunking enabled ({by})"),
            TrunkingSetting::Disabled { by } => format!("awsvpcTrunking disabled ({by})"),
            TrunkingSetting::Unknown { why } => format!("awsvpcTrunking unknown ({why})"),
        }
    }
}

/// How to tell ecsnet the setting when the plan does not.
pub const SUPPLY_TRUNKING: &str =
    "`assume { awsvpc_trunking = true }` (or false) in .ecsnet.hcl, or an aws_ecs_account_setting_default \"awsvpcTrunking\" in the plan";

/// The plan's `aws_ecs_account_setting_default` wins (it is what apply will set); the
/// configuration's `assume` covers a setting made outside the plan.
pub fn setting(model: &Model, assume: &Assumptions) -> TrunkingSetting {
    let s = &model.account_settings;
    let addr = s
        .awsvpc_trunking_address
        .clone()
        .unwrap_or_else(|| "aws_ecs_account_setting_default".to_string());
    match &s.awsvpc_trunking.val {
        Val::Known(true) => TrunkingSetting::Enabled { by: addr },
        Val::Known(false) => TrunkingSetting::Disabled { by: addr },
        other => match assume.awsvpc_trunking {
            Some(true) => TrunkingSetting::Enabled {
                by: "assume awsvpc_trunking = true".to_string(),
            },
            Some(false) => TrunkingSetting::Disabled {
                by: "assume awsvpc_trunking = false".to_string(),
            },
            // The rule and AWS's: trunking raises the limit only where the setting is
            // enabled. A plan that does not enable it (and no assumption that says it is
            // enabled elsewhere) gets the regular ENI limit; NET071 suggests trunking.
            None if matches!(other, Val::Unknown) => TrunkingSetting::Unknown {
                why: format!("the value of {addr} is known after apply"),
            },
            None => TrunkingSetting::Disabled {
                by: "not enabled in the plan nor by `assume { awsvpc_trunking = true }`"
                    .to_string(),
            },
        },
    }
}

/// Whether this plan turns awsvpcTrunking on, which matters to the instances already
/// running: Amazon ECS developer guide, "Increasing Amazon ECS Linux container instance
/// network interfaces" (container-instance-eni.html): "When you use these instance types
/// and turn on the awsvpcTrunking account setting, additional ENIs are available on newly
/// launched container instances." Instances launched before keep their regular ENI limit
/// until they are replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TurnedOn {
    /// The setting is not turned on by this plan (it was on already, stays off, or comes
    /// from an `assume`, which describes how the account is).
    No,
    /// The plan changes it from disabled to enabled: "X turns awsvpcTrunking on (disabled before)".
    Yes(String),
    /// The plan creates the setting enabled; what the account had before is not in the plan.
    Maybe(String),
}

/// See [`TurnedOn`]. Only a setting the plan enables can be turned on by it; when the plan
/// creates it, `assume { awsvpc_trunking = … }` says what the account had before.
pub fn turned_on(model: &Model, setting: &TrunkingSetting, assume: &Assumptions) -> TurnedOn {
    let s = &model.account_settings;
    let (TrunkingSetting::Enabled { by }, Val::Known(true)) = (setting, &s.awsvpc_trunking.val)
    else {
        return TurnedOn::No;
    };
    match &s.awsvpc_trunking_before.val {
        Val::Known(false) => TurnedOn::Yes(format!(
            "{by} turns awsvpcTrunking on in this plan (disabled before)"
        )),
        Val::Unknown => match assume.awsvpc_trunking {
            Some(true) => TurnedOn::No,
            Some(false) => TurnedOn::Yes(format!(
                "{by} turns awsvpcTrunking on in this plan (disabled before: assume awsvpc_trunking = false)"
            )),
            None => TurnedOn::Maybe(format!(
                "{by} is created enabled by this plan, and whether awsvpcTrunking was enabled before is not in the plan"
            )),
        },
        _ => TurnedOn::No,
    }
}

/// How to give running instances the trunk once the setting is on (for fix hints).
pub const REPLACE_INSTANCES: &str = "in the same change, add an instance_refresh block to the group and set its launch_template version to aws_launch_template.NAME.latest_version, so that the template change starts a refresh (or create a new group); or start an instance refresh after apply";

/// awsvpc task slots of one instance of `facts` before daemons, given the setting.
///
/// `dns_a_record_on`: the launch template turns on resource-based IPv4 DNS A records,
/// which the ECS documentation says trunked instances must not have; such an instance may
/// fail to register, so its slots fall to between 0 and the untrunked limit.
pub fn slots(facts: &InstanceFacts, setting: &TrunkingSetting, dns_a_record_on: bool) -> Bound {
    let without = u64::from(facts.awsvpc_slots_without_trunking());
    if setting.is_disabled() {
        return Bound::exact(without);
    }
    let maybe_on = match &facts.trunking {
        Trunking::Supported { tasks_with, .. } => Bound::exact(u64::from(*tasks_with)),
        Trunking::Unsupported { .. } => Bound::exact(without),
        // No usable table row: the instance gets at least its regular ENIs when no trunk
        // is attached; what a trunk would give is not known.
        Trunking::Unknown { .. } => Bound::at_least(without),
    };
    if dns_a_record_on && !matches!(facts.trunking, Trunking::Unsupported { .. }) {
        return Bound::range(0, without);
    }
    if setting.is_enabled() {
        maybe_on
    } else {
        maybe_on.hull(Bound::exact(without))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instances::lookup;

    fn on() -> TrunkingSetting {
        TrunkingSetting::Enabled { by: "t".into() }
    }
    fn off() -> TrunkingSetting {
        TrunkingSetting::Disabled { by: "t".into() }
    }
    fn unk() -> TrunkingSetting {
        TrunkingSetting::Unknown { why: "t".into() }
    }

    #[test]
    fn c5_large() {
        let f = lookup("c5.large").unwrap();
        assert_eq!(slots(f, &off(), false), Bound::exact(2));
        assert_eq!(slots(f, &on(), false), Bound::exact(10));
        assert_eq!(slots(f, &unk(), false), Bound::range(2, 10));
        assert_eq!(slots(f, &on(), true), Bound::range(0, 2));
    }

    #[test]
    fn unsupported_and_unknown_types() {
        let n = lookup("c5n.large").unwrap();
        assert_eq!(slots(n, &on(), false), Bound::exact(2));
        // Burstable: not supported.
        let t3 = lookup("t3.medium").unwrap();
        assert_eq!(slots(t3, &on(), false), Bound::exact(2));
        // Newer than the trunking table: unknown.
        let c7i = lookup("c7i.large").unwrap();
        assert_eq!(slots(c7i, &on(), false), Bound::at_least(2));
        assert_eq!(slots(c7i, &off(), false), Bound::exact(2));
        // ECS runs one awsvpc task on a p5.48xlarge, trunked or not.
        let p5 = lookup("p5.48xlarge").unwrap();
        assert_eq!(slots(p5, &on(), false), Bound::exact(1));
        assert_eq!(slots(p5, &unk(), false), Bound::exact(1));
    }

    #[test]
    fn turned_on_needs_the_prior_value() {
        let mut m = Model::default();
        let none = Assumptions::default();
        m.account_settings.awsvpc_trunking = crate::model::Field::known(true);
        m.account_settings.awsvpc_trunking_address =
            Some("aws_ecs_account_setting_default.t".into());
        let s = setting(&m, &none);
        m.account_settings.awsvpc_trunking_before = crate::model::Field::known(false);
        let yes = turned_on(&m, &s, &none);
        assert!(
            matches!(&yes, TurnedOn::Yes(w) if w.contains("disabled before")),
            "{yes:?}"
        );
        m.account_settings.awsvpc_trunking_before = crate::model::Field::known(true);
        assert_eq!(turned_on(&m, &s, &none), TurnedOn::No);
        // Created by the plan: the account's value before is unknown unless assumed.
        m.account_settings.awsvpc_trunking_before = crate::model::Field::unknown();
        assert!(matches!(turned_on(&m, &s, &none), TurnedOn::Maybe(_)));
        let mut a = Assumptions {
            awsvpc_trunking: Some(true),
            ..Assumptions::default()
        };
        assert_eq!(turned_on(&m, &s, &a), TurnedOn::No);
        a.awsvpc_trunking = Some(false);
        assert!(matches!(turned_on(&m, &s, &a), TurnedOn::Yes(_)));
        // Enabled by an assumption only: it describes the account as it is.
        let m = Model::default();
        a.awsvpc_trunking = Some(true);
        assert_eq!(turned_on(&m, &setting(&m, &a), &a), TurnedOn::No);
    }

    #[test]
    fn setting_precedence() {
        let mut m = Model::default();
        let mut a = Assumptions::default();
        // Not enabled anywhere: trunking does not apply.
        assert!(setting(&m, &a).is_disabled());
        m.account_settings.awsvpc_trunking = crate::model::Field::unknown();
        assert!(matches!(setting(&m, &a), TrunkingSetting::Unknown { .. }));
        a.awsvpc_trunking = Some(true);
        assert!(setting(&m, &a).is_enabled());
        m.account_settings.awsvpc_trunking = crate::model::Field::known(false);
        assert!(setting(&m, &a).is_disabled());
    }
}
