//! Embedded EC2 ENI limits and the ECS ENI-trunking table, looked up in constant time.
//!
//! The CSV files in `plugin/data/` (see its README for provenance) are compiled into the
//! binary and parsed once, on first use, into a `HashMap`. Every fact keeps the `source`
//! column of the row it came from so messages and `ecsnet instance-type` can cite it.
//!
//! Rules and commands ask a [`Catalog`]: the embedded facts with the `.ecsnet.hcl`
//! `instance_type` blocks applied over them (it lives in [`crate::config::Assumptions`], so
//! everything that reads the assumptions reads the same facts).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use serde::Serialize;

mod catalog;
mod classify;
mod table;

pub use catalog::{Catalog, InstanceOverride, MAX_ENIS_LIMIT, MAX_TRUNKED_LIMIT};

/// AWS page that documents the per-type awsvpc task limits with and without trunking.
pub const TRUNKING_DOC_URL: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/eni-trunking-supported-instance-types.html";

/// Everything ecsnet knows about one instance type's networking.
#[derive(Debug, Clone, Serialize)]
pub struct InstanceFacts {
    pub instance_type: Cow<'static, str>,
    /// Network interfaces the instance can attach, all network cards together
    /// (EC2 `NetworkInfo.MaximumNetworkInterfaces`).
    pub max_enis: u32,
    /// `None` for a type added in `.ecsnet.hcl`, which does not state it.
    pub ipv4_per_eni: Option<u32>,
    /// `None` when the source has no IPv6 figure for the type.
    pub ipv6_per_eni: Option<u32>,
    /// `nitro`, `xen`, or `None` (bare metal or not stated).
    pub hypervisor: Option<&'static str>,
    /// Where `max_enis` / `ipv4_per_eni` / `ipv6_per_eni` were read.
    pub eni_source: Cow<'static, str>,
    /// `None` for a type added in `.ecsnet.hcl`.
    pub network_cards: Option<NetworkCards>,
    /// ECS's own limit on awsvpc tasks per instance of this type, whatever its ENIs and
    /// trunking (the developer guide names `p5.48xlarge`: 1).
    pub awsvpc_task_limit: Option<TaskLimit>,
    pub trunking: Trunking,
    /// `.ecsnet.hcl:12` when an `instance_type` block changed or added these facts.
    pub overridden_at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NetworkCards {
    pub count: u32,
    /// ENIs per card, card 0 first; empty for single-card types (all ENIs on card 0).
    pub per_card_max_enis: Vec<u32>,
    /// `None` for single-card types (they have no row in the network-card table).
    pub source: Option<&'static str>,
}

/// A documented limit on awsvpc tasks per instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskLimit {
    pub tasks: u32,
    pub source: Cow<'static, str>,
}

/// Whether ECS ENI trunking raises the awsvpc task limit of a type, per the ECS table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Trunking {
    /// The table lists the type and nothing contradicts it (or `.ecsnet.hcl` gives the
    /// trunked limit).
    Supported {
        /// The table's "task limit without ENI trunking" (2023; shown for reference: ecsnet
        /// computes the untrunked limit from current EC2 data as `max_enis − 1`).
        tasks_without: u32,
        /// The table's "task limit with ENI trunking".
        tasks_with: u32,
        source: Cow<'static, str>,
    },
    /// Trunking does not raise the limit: the page's explicit "not supported" list, a
    /// burstable family, a type that existed when the table was published but has no row,
    /// a row whose trunked limit is below the untrunked one, or an ECS per-type limit.
    Unsupported {
        reason: String,
        source: Cow<'static, str>,
    },
    /// A type newer than the table, an impossible value, or a row that contradicts the
    /// exclusion list: never an error on its own.
    Unknown { reason: String },
}

impl Trunking {
    /// The trunked awsvpc task limit, when the table gives a usable one.
    pub fn tasks_with(&self) -> Option<u32> {
        match self {
            Trunking::Supported { tasks_with, .. } => Some(*tasks_with),
            _ => None,
        }
    }
    pub fn status(&self) -> &'static str {
        match self {
            Trunking::Supported { .. } => "supported",
            Trunking::Unsupported { .. } => "unsupported",
            Trunking::Unknown { .. } => "unknown",
        }
    }
}

impl InstanceFacts {
    /// awsvpc tasks the type can run without trunking: every ENI but the primary one, and
    /// never more than ECS's own limit for the type.
    pub fn awsvpc_slots_without_trunking(&self) -> u32 {
        let enis = self.max_enis.saturating_sub(1);
        self.awsvpc_task_limit
            .as_ref()
            .map_or(enis, |l| enis.min(l.tasks))
    }

    /// How [`Self::awsvpc_slots_without_trunking`] is reached, for messages:
    /// `3 ENIs − 1 primary`, or with the ECS limit named.
    pub fn untrunked_arithmetic(&self) -> String {
        let base = format!("{} ENIs − 1 primary", self.max_enis);
        match &self.awsvpc_task_limit {
            Some(l) if l.tasks < self.max_enis.saturating_sub(1) => format!(
                "{base}, but ECS runs at most {} awsvpc task{} on a {}",
                l.tasks,
                if l.tasks == 1 { "" } else { "s" },
                self.instance_type
            ),
            _ => base,
        }
    }
}

/// An `.ecsnet.hcl` block that adds `instance_type`'s facts, for hints (HCL ecsnet's parser
/// accepts; the number is an example to replace).
pub fn override_example(instance_type: &str) -> String {
    let shown: String = instance_type.trim().chars().take(64).collect();
    format!(
        "`instance_type \"{shown}\" {{ max_enis = 4 }}` with the type's NetworkInfo.MaximumNetworkInterfaces (`aws ec2 describe-instance-types --instance-types {shown}`)"
    )
}

/// The family part of an instance type name: `c5n` for `c5n.large`, `u-6tb1` for
/// `u-6tb1.56xlarge`.
pub fn family(instance_type: &str) -> &str {
    instance_type
        .split_once('.')
        .map_or(instance_type, |(f, _)| f)
}

static FACTS: LazyLock<HashMap<&'static str, Arc<InstanceFacts>>> = LazyLock::new(build);

fn normalize(instance_type: &str) -> Cow<'_, str> {
    let key = instance_type.trim();
    if key.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(key.to_ascii_lowercase())
    } else {
        Cow::Borrowed(key)
    }
}

fn builtin(instance_type: &str) -> Option<&'static Arc<InstanceFacts>> {
    FACTS.get(normalize(instance_type).as_ref())
}

/// Embedded facts for an instance type (case-insensitive, surrounding spaces ignored),
/// without `.ecsnet.hcl` overrides: rules ask [`Catalog::lookup`].
pub fn lookup(instance_type: &str) -> Option<&'static InstanceFacts> {
    builtin(instance_type).map(|f| &**f)
}

/// Up to `n` embedded type names closest to `instance_type`, for "did you mean" hints.
pub fn suggest(instance_type: &str, n: usize) -> Vec<&'static str> {
    let want = instance_type.trim();
    // No name is near one this long: say so before lower-casing or comparing anything.
    if want.len() > MAX_NAME_LEN {
        return Vec::new();
    }
    let want = want.to_ascii_lowercase();
    let fam = family(&want).to_string();
    let mut scored: Vec<(usize, &'static str)> = FACTS
        .keys()
        .filter_map(|k| {
            let mut d = edit_distance_within(&want, k, 4)?;
            // Same family first: `c5.larg` should suggest c5 sizes before c6.
            if family(k) != fam {
                d += 1;
            }
            Some((d, *k))
        })
        .filter(|(d, _)| *d <= 4)
        .collect();
    scored.sort();
    scored.into_iter().take(n).map(|(_, k)| k).collect()
}

/// Number of embedded instance types with ENI facts.
pub fn count() -> usize {
    FACTS.len()
}

/// One embedded table: what it is, its edition, the date of its data and its source.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Edition {
    pub table: &'static str,
    pub edition: &'static str,
    pub date: &'static str,
    pub source: &'static str,
}

/// The edition and date of every embedded table (`plugin/data/editions.csv`).
pub fn editions() -> Vec<Edition> {
    table::editions()
        .into_iter()
        .map(|[table, edition, date, source]| Edition {
            table,
            edition,
            date,
            source,
        })
        .collect()
}

/// `table: edition (date)` lines, for `--version` and `ecsnet instance-type`.
pub fn editions_text(indent: &str) -> String {
    editions()
        .iter()
        .map(|e| format!("{indent}{}: {}, {}\n", e.table, e.edition, e.date))
        .collect()
}

/// Longer than any instance type name (the longest are about 20 characters, such as
/// `u7in-32tb.224xlarge`): a string past it gets no suggestion and costs no comparison.
pub const MAX_NAME_LEN: usize = 64;

/// The edit distance of `a` and `b` when it is at most `max`. The distance is at least the
/// difference of their lengths, so strings far apart in length are not compared: a
/// 100,000-character `instance_type` used to take seconds against every known name.
fn edit_distance_within(a: &str, b: &str, max: usize) -> Option<usize> {
    // (Past this many bytes, `a` has more characters than any name plus `max`.)
    if a.len().max(b.len()) > 4 * (MAX_NAME_LEN + max) {
        return None;
    }
    if a.chars().count().abs_diff(b.chars().count()) > max {
        return None;
    }
    let d = edit_distance(a, b);
    (d <= max).then_some(d)
}

#[cfg(test)]
thread_local! {
    /// Characters of `a` compared by [`edit_distance`] on this thread: what a test counts
    /// instead of timing it.
    pub(crate) static EDIT_ROWS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

fn edit_distance(a: &str, b: &str) -> usize {
    #[cfg(test)]
    EDIT_ROWS.with(|c| c.set(c.get() + a.chars().count() as u64));
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

fn build() -> HashMap<&'static str, Arc<InstanceFacts>> {
    let eni = table::eni_limits();
    let cards = table::network_cards();
    let known = classify::Known::load();
    let cards_by_type: HashMap<&str, &table::CardRow> =
        cards.iter().map(|r| (r.instance_type, r)).collect();

    let mut out = HashMap::with_capacity(eni.len());
    for row in &eni {
        let awsvpc_task_limit = known.task_limit(row.instance_type);
        let trunking = known.classify(row.instance_type, awsvpc_task_limit.as_ref());
        let network_cards = match cards_by_type.get(row.instance_type) {
            Some(c) => NetworkCards {
                count: c.cards,
                per_card_max_enis: c.per_card.clone(),
                source: Some(c.source),
            },
            None => NetworkCards {
                count: 1,
                per_card_max_enis: Vec::new(),
                source: None,
            },
        };
        out.insert(
            row.instance_type,
            Arc::new(InstanceFacts {
                instance_type: Cow::Borrowed(row.instance_type),
                max_enis: row.max_enis,
                ipv4_per_eni: Some(row.ipv4_per_eni),
                ipv6_per_eni: row.ipv6_per_eni,
                hypervisor: row.hypervisor,
                eni_source: Cow::Borrowed(row.source),
                network_cards: Some(network_cards),
                awsvpc_task_limit,
                trunking,
                overridden_at: None,
            }),
        );
    }
    out
}

#[cfg(test)]
mod tests;
