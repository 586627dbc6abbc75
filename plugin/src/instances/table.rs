//! Parsing of the embedded CSV files (plain comma-separated, no quoting: the files are
//! checked by the tests in `super`, which count every row).

pub(super) struct EniRow {
    pub instance_type: &'static str,
    pub max_enis: u32,
    pub ipv4_per_eni: u32,
    pub ipv6_per_eni: Option<u32>,
    pub hypervisor: Option<&'static str>,
    pub source: &'static str,
}

pub(super) struct TrunkRow {
    pub instance_type: &'static str,
    /// Signed: the 2023 table has a negative value (i4i.large) that must be recognised.
    pub tasks_without: i64,
    pub tasks_with: i64,
    pub source: &'static str,
}

pub(super) struct TaskLimitRow {
    pub instance_type: &'static str,
    pub tasks: u32,
    pub source: &'static str,
}

pub(super) struct CardRow {
    pub instance_type: &'static str,
    pub cards: u32,
    pub per_card: Vec<u32>,
    pub source: &'static str,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Scope {
    InstanceType,
    Family,
}

impl Scope {
    pub fn noun(self) -> &'static str {
        match self {
            Scope::InstanceType => "instance type",
            Scope::Family => "family",
        }
    }
}

#[derive(Clone, Copy)]
pub(super) struct UnsupportedRow {
    pub name: &'static str,
    pub scope: Scope,
    pub source: &'static str,
}

const ENI_LIMITS: &str = include_str!("../../data/ec2-eni-limits.csv");
const TRUNKING: &str = include_str!("../../data/ecs-eni-trunking.csv");
const UNSUPPORTED: &str = include_str!("../../data/ecs-eni-trunking-unsupported.csv");
const NETWORK_CARDS: &str = include_str!("../../data/ec2-network-cards.csv");
const TYPES_2023: &str = include_str!("../../data/ec2-types-2023.csv");
const TASK_LIMITS: &str = include_str!("../../data/ecs-awsvpc-task-limits.csv");
const EDITIONS: &str = include_str!("../../data/editions.csv");

/// Data rows (header skipped) split into fields; rows with the wrong field count are
/// dropped (the row-count tests catch that).
fn rows(text: &'static str, fields: usize) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .skip(1)
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').map(str::trim).collect::<Vec<_>>())
        .filter(move |f| f.len() == fields)
}

fn opt(s: &'static str) -> Option<&'static str> {
    (!s.is_empty()).then_some(s)
}

pub(super) fn eni_limits() -> Vec<EniRow> {
    rows(ENI_LIMITS, 6)
        .filter_map(|f| {
            Some(EniRow {
                instance_type: f[0],
                max_enis: f[1].parse().ok()?,
                ipv4_per_eni: f[2].parse().ok()?,
                ipv6_per_eni: opt(f[3]).and_then(|v| v.parse().ok()),
                hypervisor: opt(f[4]),
                source: f[5],
            })
        })
        .collect()
}

pub(super) fn trunking() -> Vec<TrunkRow> {
    rows(TRUNKING, 4)
        .filter_map(|f| {
            Some(TrunkRow {
                instance_type: f[0],
                tasks_without: f[1].parse().ok()?,
                tasks_with: f[2].parse().ok()?,
                source: f[3],
            })
        })
        .collect()
}

pub(super) fn unsupported() -> Vec<UnsupportedRow> {
    rows(UNSUPPORTED, 3)
        .filter_map(|f| {
            let scope = match f[1] {
                "instance_type" => Scope::InstanceType,
                "family" => Scope::Family,
                _ => return None,
            };
            Some(UnsupportedRow {
                name: f[0],
                scope,
                source: f[2],
            })
        })
        .collect()
}

pub(super) fn network_cards() -> Vec<CardRow> {
    rows(NETWORK_CARDS, 6)
        .filter_map(|f| {
            let per_card: Option<Vec<u32>> = f[3].split('|').map(|v| v.parse().ok()).collect();
            Some(CardRow {
                instance_type: f[0],
                cards: f[1].parse().ok()?,
                per_card: per_card?,
                source: f[5],
            })
        })
        .collect()
}

/// Instance types that existed when the ECS trunking table was published: the EC2 User
/// Guide's ENI table of 2023-05-11, the nearest dated list to the table's 2023-04-18.
pub(super) fn types_2023() -> Vec<(&'static str, &'static str)> {
    rows(TYPES_2023, 2).map(|f| (f[0], f[1])).collect()
}

/// ECS's own per-type limits on awsvpc tasks, whatever the type's ENIs.
pub(super) fn task_limits() -> Vec<TaskLimitRow> {
    rows(TASK_LIMITS, 3)
        .filter_map(|f| {
            Some(TaskLimitRow {
                instance_type: f[0],
                tasks: f[1].parse().ok()?,
                source: f[2],
            })
        })
        .collect()
}

/// `(table, edition, date, source)` of every embedded table.
pub(super) fn editions() -> Vec<[&'static str; 4]> {
    rows(EDITIONS, 4)
        .map(|f| [f[0], f[1], f[2], f[3]])
        .collect()
}
