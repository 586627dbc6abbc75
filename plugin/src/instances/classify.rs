//! Trunking classification of an embedded instance type, decided once from the tables.
//!
//! In order (the first that applies wins):
//! 1. ECS documents a per-type awsvpc task limit (`p5.48xlarge`: 1): trunking cannot raise
//!    it, so the type is **not supported**.
//! 2. The table has a row, but the same page lists the type or its family as not supported:
//!    **unknown** (the page contradicts itself).
//! 3. The row has an impossible (negative) value (`i4i.large`: −2): **unknown**, doubtful.
//!    The other `i4i` rows are used as they are.
//! 4. The row's trunked limit is below its untrunked one (`u-18tb1.metal`: 14 → 12):
//!    **not supported** (trunking would not raise the limit).
//! 5. Any other row: **supported**, with the row's limit.
//! 6. No row, and the page lists the type or family as not supported: **not supported**.
//! 7. No row, burstable family (`t2`, `t3`, `t3a`, `t4g`): **not supported**.
//! 8. No row, and the type existed when the table was published (it is in the EC2 User
//!    Guide's ENI table of 2023-05-11, the nearest dated list to the table's 2023-04-18):
//!    **not supported**.
//! 9. Otherwise the type is newer than the table: **unknown**, never an error on its own.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::{family, table, TaskLimit, Trunking};

/// The burstable families the ECS trunking table leaves out.
const BURSTABLE: &[&str] = &["t2", "t3", "t3a", "t4g"];

/// The tables classification reads, indexed once.
pub(super) struct Known {
    trunk: HashMap<&'static str, table::TrunkRow>,
    unsupported: Vec<table::UnsupportedRow>,
    existed: HashMap<&'static str, &'static str>,
    limits: HashMap<&'static str, table::TaskLimitRow>,
    /// Source of the trunking table (every row has the same).
    trunk_source: &'static str,
}

impl Known {
    pub(super) fn load() -> Known {
        let trunk: HashMap<_, _> = table::trunking()
            .into_iter()
            .map(|r| (r.instance_type, r))
            .collect();
        let trunk_source = trunk.values().next().map_or("", |r| r.source);
        let sources: HashSet<&str> = trunk.values().map(|r| r.source).collect();
        debug_assert!(sources.len() <= 1, "one trunking table: {sources:?}");
        Known {
            trunk,
            unsupported: table::unsupported(),
            existed: table::types_2023().into_iter().collect(),
            limits: table::task_limits()
                .into_iter()
                .map(|r| (r.instance_type, r))
                .collect(),
            trunk_source,
        }
    }

    pub(super) fn task_limit(&self, instance_type: &str) -> Option<TaskLimit> {
        self.limits.get(instance_type).map(|l| TaskLimit {
            tasks: l.tasks,
            source: Cow::Borrowed(l.source),
        })
    }

    fn excluded(&self, instance_type: &str) -> Option<table::UnsupportedRow> {
        self.unsupported
            .iter()
            .find(|u| match u.scope {
                table::Scope::InstanceType => u.name == instance_type,
                table::Scope::Family => u.name == family(instance_type),
            })
            .copied()
    }

    pub(super) fn classify(&self, t: &str, limit: Option<&TaskLimit>) -> Trunking {
        if let Some(l) = limit {
            return Trunking::Unsupported {
                reason: format!(
                    "ECS runs at most {} awsvpc task{} on a {t}, with or without trunking",
                    l.tasks,
                    if l.tasks == 1 { "" } else { "s" }
                ),
                source: l.source.clone(),
            };
        }
        let excluded = self.excluded(t);
        match (self.trunk.get(t), excluded) {
            (Some(_), Some(u)) => Trunking::Unknown {
                reason: format!(
                    "the ECS trunking table (2023-04-18) lists {t}, but the same page says the {} {} is not supported",
                    u.scope.noun(),
                    u.name
                ),
            },
            (Some(r), None) if r.tasks_with < 0 || r.tasks_without < 0 => Trunking::Unknown {
                reason: format!(
                    "the ECS trunking table (2023-04-18) gives {t} an impossible value ({} tasks without, {} with trunking)",
                    r.tasks_without, r.tasks_with
                ),
            },
            (Some(r), None) if r.tasks_with < r.tasks_without => Trunking::Unsupported {
                reason: format!(
                    "the ECS trunking table (2023-04-18) gives {t} fewer awsvpc tasks with trunking ({}) than without ({}), so trunking does not raise its limit",
                    r.tasks_with, r.tasks_without
                ),
                source: Cow::Borrowed(r.source),
            },
            (Some(r), None) => Trunking::Supported {
                tasks_without: u32::try_from(r.tasks_without).unwrap_or(0),
                tasks_with: u32::try_from(r.tasks_with).unwrap_or(0),
                source: Cow::Borrowed(r.source),
            },
            (None, Some(u)) => Trunking::Unsupported {
                reason: format!(
                    "the ECS documentation lists the {} {} as not supporting ENI trunking",
                    u.scope.noun(),
                    u.name
                ),
                source: Cow::Borrowed(u.source),
            },
            (None, None) => self.without_row(t),
        }
    }

    fn without_row(&self, t: &str) -> Trunking {
        let fam = family(t);
        if BURSTABLE.contains(&fam) {
            return Trunking::Unsupported {
                reason: format!(
                    "{t} is a burstable ({fam}) type, and the ECS trunking table lists no burstable family"
                ),
                source: Cow::Borrowed(self.trunk_source),
            };
        }
        match self.existed.get(t) {
            Some(list) => Trunking::Unsupported {
                reason: format!(
                    "{t} existed when the ECS trunking table was published (2023-04-18; it is in the EC2 User Guide of 2023-05-11) but the table has no row for it"
                ),
                source: Cow::Owned(format!("{} (no row); {list}", self.trunk_source)),
            },
            None => Trunking::Unknown {
                reason: format!(
                    "{t} is newer than the ECS trunking table ecsnet embeds (2023-04-18), which has no row for it"
                ),
            },
        }
    }
}
