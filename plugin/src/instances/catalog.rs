//! The facts rules use: the embedded tables with `.ecsnet.hcl` `instance_type` blocks
//! applied over them.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::{builtin, normalize, InstanceFacts, Trunking};

/// No EC2 type attaches more than a few hundred ENIs; a larger `max_enis` is a typo.
pub const MAX_ENIS_LIMIT: u32 = 1024;
/// The ECS table's largest trunked limit is 500; a larger value is a typo.
pub const MAX_TRUNKED_LIMIT: u32 = 10_000;

/// One `instance_type "NAME" { ... }` block of `.ecsnet.hcl`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceOverride {
    /// The label, as written.
    pub name: String,
    pub max_enis: Option<u32>,
    pub awsvpc_tasks_trunked: Option<u32>,
    /// Where the numbers come from, as the user says (`None`: the block itself).
    pub source: Option<String>,
    /// `.ecsnet.hcl:12`.
    pub location: String,
}

/// Embedded facts plus the user's overrides; `Catalog::default()` is the embedded facts.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// By lower-case name.
    overrides: BTreeMap<String, Arc<InstanceFacts>>,
}

impl Catalog {
    /// Facts for an instance type (case-insensitive, surrounding spaces ignored): the
    /// override when `.ecsnet.hcl` has one, else the embedded facts.
    pub fn lookup(&self, instance_type: &str) -> Option<Arc<InstanceFacts>> {
        let key = normalize(instance_type);
        match self.overrides.get(key.as_ref()) {
            Some(f) => Some(Arc::clone(f)),
            None => builtin(&key).cloned(),
        }
    }

    /// Up to `n` known names closest to `instance_type` (types added in `.ecsnet.hcl`
    /// first), for "did you mean" hints.
    pub fn suggest(&self, instance_type: &str, n: usize) -> Vec<String> {
        let want = normalize(instance_type);
        let mut out: Vec<String> = self
            .overrides
            .keys()
            .filter(|k| builtin(k).is_none() && super::edit_distance_within(&want, k, 2).is_some())
            .cloned()
            .collect();
        out.extend(
            super::suggest(instance_type, n)
                .into_iter()
                .map(String::from),
        );
        out.truncate(n);
        out
    }

    /// Instance types with ENI facts, embedded and added.
    pub fn count(&self) -> usize {
        super::count()
            + self
                .overrides
                .keys()
                .filter(|k| builtin(k).is_none())
                .count()
    }

    /// The facts `.ecsnet.hcl` changed or added, by name.
    pub fn overrides(&self) -> impl Iterator<Item = &InstanceFacts> {
        self.overrides.values().map(|f| &**f)
    }

    pub fn has_override(&self, instance_type: &str) -> bool {
        self.overrides
            .contains_key(normalize(instance_type).as_ref())
    }

    /// Apply one block. The error says what is wrong, without the location (the caller
    /// adds the file and line).
    pub fn apply(&mut self, o: &InstanceOverride) -> Result<(), String> {
        let key = normalize(&o.name).into_owned();
        if !is_type_name(&key) {
            return Err(format!(
                "instance_type \"{}\" is not an EC2 instance type name; write it as family.size, e.g. \"c7i.large\"",
                o.name
            ));
        }
        if o.max_enis.is_none() && o.awsvpc_tasks_trunked.is_none() {
            return Err(format!(
                "instance_type \"{key}\" sets neither max_enis nor awsvpc_tasks_trunked; give at least one"
            ));
        }
        let facts = overridden(&key, builtin(&key).map(|f| &**f), o)?;
        self.overrides.insert(key, Arc::new(facts));
        Ok(())
    }
}

/// Lower-case letters, digits and `-`, one dot between family and size.
fn is_type_name(s: &str) -> bool {
    let ok = |p: &str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    matches!(s.split_once('.'), Some((f, z)) if ok(f) && ok(z))
}

fn overridden(
    key: &str,
    base: Option<&InstanceFacts>,
    o: &InstanceOverride,
) -> Result<InstanceFacts, String> {
    let cited = || {
        Cow::Owned(match &o.source {
            Some(s) => format!("{s} ({})", o.location),
            None => format!("stated in {}", o.location),
        })
    };
    let (mut f, max_enis) = match (base, o.max_enis) {
        (Some(b), None) => (b.clone(), b.max_enis),
        (Some(b), Some(n)) => {
            let mut f = b.clone();
            f.max_enis = n;
            f.eni_source = cited();
            // The ENIs are now the user's: a documented per-type limit no longer applies.
            f.awsvpc_task_limit = None;
            (f, n)
        }
        (None, Some(n)) => (added(key, n, cited()), n),
        (None, None) => {
            return Err(format!(
                "instance_type \"{key}\" is not among the {} EC2 types ecsnet knows, so it needs max_enis (the type's NetworkInfo.MaximumNetworkInterfaces, all network cards together)",
                super::count()
            ))
        }
    };
    f.instance_type = Cow::Owned(key.to_string());
    f.overridden_at = Some(o.location.clone());
    if o.awsvpc_tasks_trunked.is_some() {
        f.awsvpc_task_limit = None;
    }
    let untrunked = f.awsvpc_slots_without_trunking();
    match o.awsvpc_tasks_trunked {
        Some(n) if n < untrunked => {
            return Err(format!(
                "awsvpc_tasks_trunked = {n} is below the {untrunked} awsvpc tasks {key} runs without trunking ({max_enis} ENIs − 1 primary); trunking never lowers the limit"
            ))
        }
        Some(n) => {
            f.trunking = Trunking::Supported {
                tasks_without: untrunked,
                tasks_with: n,
                source: cited(),
            }
        }
        None => {
            if let Trunking::Supported { tasks_with, .. } = &f.trunking {
                if *tasks_with < untrunked {
                    f.trunking = Trunking::Unsupported {
                        reason: format!(
                            "the ECS trunking table's {tasks_with} awsvpc tasks with trunking are fewer than the {untrunked} without it that max_enis = {max_enis} gives"
                        ),
                        source: cited(),
                    };
                }
            }
        }
    }
    Ok(f)
}

/// Facts of a type only `.ecsnet.hcl` knows.
fn added(key: &str, max_enis: u32, source: Cow<'static, str>) -> InstanceFacts {
    InstanceFacts {
        instance_type: Cow::Owned(key.to_string()),
        max_enis,
        ipv4_per_eni: None,
        ipv6_per_eni: None,
        hypervisor: None,
        eni_source: source,
        network_cards: None,
        awsvpc_task_limit: None,
        trunking: Trunking::Unknown {
            reason: format!(
                "{key} is added in .ecsnet.hcl without awsvpc_tasks_trunked, and the ECS trunking table ecsnet embeds has no row for it"
            ),
        },
        overridden_at: None,
    }
}
