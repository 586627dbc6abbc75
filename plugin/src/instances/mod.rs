//! Embedded EC2 ENI limits and the ECS ENI-trunking table, looked up in constant time.
//!
//! The CSV files in `plugin/data/` (see its README for provenance) are compiled into the
//! binary and parsed once, on first use, into a `HashMap`. Every fact keeps the `source`
//! column of the row it came from so messages and `ecsnet instance-type` can cite it.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;

mod table;

/// AWS page that documents the per-type awsvpc task limits with and without trunking.
pub const TRUNKING_DOC_URL: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/eni-trunking-supported-instance-types.html";

/// Everything ecsnet knows about one instance type's networking.
#[derive(Debug, Clone, Serialize)]
pub struct InstanceFacts {
    pub instance_type: &'static str,
    /// Network interfaces the instance can attach, all network cards together
    /// (EC2 `NetworkInfo.MaximumNetworkInterfaces`).
    pub max_enis: u32,
    pub ipv4_per_eni: u32,
    /// `None` when the source has no IPv6 figure for the type.
    pub ipv6_per_eni: Option<u32>,
    /// `nitro`, `xen`, or `None` (bare metal or not stated).
    pub hypervisor: Option<&'static str>,
    /// Where `max_enis` / `ipv4_per_eni` / `ipv6_per_eni` were read.
    pub eni_source: &'static str,
    pub network_cards: NetworkCards,
    pub trunking: Trunking,
}

#[derive(Debug, Clone, Serialize)]
pub struct NetworkCards {
    pub count: u32,
    /// ENIs per card, card 0 first; empty for single-card types (all ENIs on card 0).
    pub per_card_max_enis: Vec<u32>,
    /// `None` for single-card types (they have no row in the network-card table).
    pub source: Option<&'static str>,
}

/// Whether ECS ENI trunking raises the awsvpc task limit of a type, per the ECS table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Trunking {
    /// The table lists the type and nothing contradicts it.
    Supported {
        /// The table's "task limit without ENI trunking" (2023; shown for reference: ecsnet
        /// computes the untrunked limit from current EC2 data as `max_enis − 1`).
        tasks_without: u32,
        /// The table's "task limit with ENI trunking".
        tasks_with: u32,
        source: &'static str,
    },
    /// The type or its family is in the page's explicit "not supported" list.
    Unsupported {
        reason: String,
        source: &'static str,
    },
    /// No row, an impossible value, or a row that contradicts the exclusion list.
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
    /// awsvpc tasks the type can run without trunking: every ENI but the primary one.
    pub fn awsvpc_slots_without_trunking(&self) -> u32 {
        self.max_enis.saturating_sub(1)
    }
}

/// The family part of an instance type name: `c5n` for `c5n.large`, `u-6tb1` for
/// `u-6tb1.56xlarge`.
pub fn family(instance_type: &str) -> &str {
    instance_type
        .split_once('.')
        .map_or(instance_type, |(f, _)| f)
}

static FACTS: LazyLock<HashMap<&'static str, InstanceFacts>> = LazyLock::new(build);

/// Facts for an instance type (case-insensitive, surrounding spaces ignored).
pub fn lookup(instance_type: &str) -> Option<&'static InstanceFacts> {
    let key = instance_type.trim();
    if key.bytes().any(|b| b.is_ascii_uppercase()) {
        FACTS.get(key.to_ascii_lowercase().as_str())
    } else {
        FACTS.get(key)
    }
}

/// Up to `n` known type names closest to `instance_type`, for "did you mean" hints.
pub fn suggest(instance_type: &str, n: usize) -> Vec<&'static str> {
    let want = instance_type.trim().to_ascii_lowercase();
    let fam = family(&want).to_string();
    let mut scored: Vec<(usize, &'static str)> = FACTS
        .keys()
        .map(|k| {
            let mut d = edit_distance(&want, k);
            // Same family first: `c5.larg` should suggest c5 sizes before c6.
            if family(k) != fam {
                d += 1;
            }
            (d, *k)
        })
        .filter(|(d, _)| *d <= 4)
        .collect();
    scored.sort();
    scored.into_iter().take(n).map(|(_, k)| k).collect()
}

/// Number of instance types with ENI facts.
pub fn count() -> usize {
    FACTS.len()
}

fn edit_distance(a: &str, b: &str) -> usize {
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

fn build() -> HashMap<&'static str, InstanceFacts> {
    let eni = table::eni_limits();
    let cards = table::network_cards();
    let trunk = table::trunking();
    let unsupported = table::unsupported();

    // A family with any impossible value in the table (i4i.large: −2) makes every row of
    // that family suspect: the i4i rows are all 2 below the pattern of the other families.
    let suspect_families: HashMap<&str, &table::TrunkRow> = trunk
        .iter()
        .filter(|r| r.tasks_with < 0 || r.tasks_without < 0)
        .map(|r| (family(r.instance_type), r))
        .collect();
    let trunk_by_type: HashMap<&str, &table::TrunkRow> =
        trunk.iter().map(|r| (r.instance_type, r)).collect();
    let cards_by_type: HashMap<&str, &table::CardRow> =
        cards.iter().map(|r| (r.instance_type, r)).collect();

    let mut out = HashMap::with_capacity(eni.len());
    for row in &eni {
        let excluded = unsupported
            .iter()
            .find(|u| match u.scope {
                table::Scope::InstanceType => u.name == row.instance_type,
                table::Scope::Family => u.name == family(row.instance_type),
            })
            .copied();
        let trunking = classify(
            row.instance_type,
            trunk_by_type.get(row.instance_type).copied(),
            excluded,
            &suspect_families,
        );
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
            InstanceFacts {
                instance_type: row.instance_type,
                max_enis: row.max_enis,
                ipv4_per_eni: row.ipv4_per_eni,
                ipv6_per_eni: row.ipv6_per_eni,
                hypervisor: row.hypervisor,
                eni_source: row.source,
                network_cards,
                trunking,
            },
        );
    }
    out
}

fn classify(
    instance_type: &str,
    row: Option<&table::TrunkRow>,
    excluded: Option<table::UnsupportedRow>,
    suspect_families: &HashMap<&str, &table::TrunkRow>,
) -> Trunking {
    let fam = family(instance_type);
    match (row, excluded) {
        (Some(_), Some(u)) => Trunking::Unknown {
            reason: format!(
                "the ECS trunking table (2023) lists {instance_type}, but the same page says the {} {} is not supported",
                u.scope.noun(),
                u.name
            ),
        },
        (None, Some(u)) => Trunking::Unsupported {
            reason: format!(
                "the ECS documentation lists the {} {} as not supporting ENI trunking",
                u.scope.noun(),
                u.name
            ),
            source: u.source,
        },
        (Some(r), None) if suspect_families.contains_key(fam) => {
            let bad = suspect_families[fam];
            Trunking::Unknown {
                reason: format!(
                    "the ECS trunking table (2023) has implausible values for the {fam} family \
                     ({instance_type}: {} without, {} with trunking; {} has a negative limit, {})",
                    r.tasks_without,
                    r.tasks_with,
                    bad.instance_type,
                    bad.tasks_with.min(bad.tasks_without)
                ),
            }
        }
        (Some(r), None) => Trunking::Supported {
            tasks_without: r.tasks_without.max(0) as u32,
            tasks_with: r.tasks_with.max(0) as u32,
            source: r.source,
        },
        (None, None) => Trunking::Unknown {
            reason: format!(
                "{instance_type} has no row in the ECS trunking table ecsnet embeds (2023 version); \
                 newer families and the burstable t families are missing from it"
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_loaded() {
        assert_eq!(table::eni_limits().len(), 1420);
        assert_eq!(table::trunking().len(), 435);
        assert_eq!(table::unsupported().len(), 30);
        assert_eq!(table::network_cards().len(), 66);
        assert_eq!(count(), 1420);
    }

    #[test]
    fn c5_large_has_two_slots_and_ten_with_trunking() {
        let f = lookup("c5.large").expect("c5.large");
        assert_eq!(f.max_enis, 3);
        assert_eq!(f.ipv4_per_eni, 10);
        assert_eq!(f.awsvpc_slots_without_trunking(), 2);
        assert_eq!(f.trunking.tasks_with(), Some(10));
        assert!(f.eni_source.starts_with("getmoto/moto"));
        assert_eq!(f.network_cards.count, 1);
    }

    #[test]
    fn lookup_is_case_insensitive() {
        assert_eq!(lookup(" C5.Large ").map(|f| f.max_enis), Some(3));
        assert!(lookup("c5.huge").is_none());
    }

    #[test]
    fn i4i_family_is_unknown_not_supported() {
        for t in ["i4i.large", "i4i.xlarge", "i4i.32xlarge"] {
            let f = lookup(t).expect(t);
            assert!(
                matches!(f.trunking, Trunking::Unknown { .. }),
                "{t}: {:?}",
                f.trunking
            );
        }
    }

    #[test]
    fn t3_has_no_row_so_unknown() {
        let f = lookup("t3.medium").expect("t3.medium");
        match &f.trunking {
            Trunking::Unknown { reason } => assert!(reason.contains("no row"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn excluded_family_without_row_is_unsupported() {
        let f = lookup("c5n.large").expect("c5n.large");
        match &f.trunking {
            Trunking::Unsupported { reason, .. } => assert!(reason.contains("c5n"), "{reason}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            lookup("c5.metal").unwrap().trunking,
            Trunking::Unsupported { .. }
        ));
    }

    #[test]
    fn row_contradicting_the_exclusion_list_is_unknown() {
        for t in ["m5n.large", "c5a.8xlarge", "u-6tb1.56xlarge"] {
            assert!(
                matches!(lookup(t).unwrap().trunking, Trunking::Unknown { .. }),
                "{t}"
            );
        }
    }

    #[test]
    fn multi_card_types_count_every_card() {
        let f = lookup("p4d.24xlarge").expect("p4d.24xlarge");
        assert_eq!(f.max_enis, 60);
        assert_eq!(f.awsvpc_slots_without_trunking(), 59);
        assert_eq!(f.network_cards.count, 4);
        assert_eq!(f.network_cards.per_card_max_enis.iter().sum::<u32>(), 60);
        // Current EC2 data (16 ENIs) wins over the 2023 table's 13 tasks.
        let c = lookup("c6in.32xlarge").unwrap();
        assert_eq!(c.awsvpc_slots_without_trunking(), 15);
        assert!(matches!(
            c.trunking,
            Trunking::Supported {
                tasks_without: 13,
                ..
            }
        ));
    }

    #[test]
    fn suggestions_are_close_names() {
        let s = suggest("c5.larg", 3);
        assert_eq!(s.first(), Some(&"c5.large"), "{s:?}");
        assert!(suggest("zzzzzzzzzzzz", 3).is_empty());
    }

    #[test]
    fn family_splits_at_the_first_dot() {
        assert_eq!(family("u-6tb1.56xlarge"), "u-6tb1");
        assert_eq!(family("c5"), "c5");
    }
}
