//! The source overlay: what the Terraform sources settle of what a plan leaves unknown,
//! computed once per plan before the model is built.
//!
//! For every managed resource of the planned world whose values are partly unknown, each
//! attribute that holds an unknown is evaluated with [`tfsource::Evaluator`] for that
//! resource instance (module path, `count.index`/`each.key` from the address):
//!
//! - a known source value fills the unknown part (a `network_mode = var.mode` that is null,
//!   a `security_groups = [aws_security_group.a.id]` whose length becomes 1);
//! - a JSON string the plan shows wholly unknown (`container_definitions =
//!   jsonencode([...])` with an ECR image inside) becomes its structure with unknown leaves,
//!   which [`super::AttrRef::decode_json`] reads;
//! - an unknown source value that names resource attributes (`local.td` →
//!   `aws_ecs_task_definition.app.arn`, a `dynamic "network_configuration"` block's subnets)
//!   gives references that link resolution follows ([`Plan::source_references`]) and
//!   reports as `source`;
//! - a value from a sensitive variable stays unknown and is marked sensitive; a source
//!   value never replaces a known plan value: a disagreement is only counted
//!   ([`OverlayStats`]).

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Map, Value as J};
use tfsource::address::Key;
use tfsource::{Evaluator, Ref, Sources, Value as V};

use super::configuration::ConfigResource;
use super::{Action, Attrs, ExprNode, Mode, Plan, RefTarget, Resource};
use crate::model::Val;

/// Attributes holding JSON text whose structure the overlay may give.
pub const JSON_STRING_ATTRIBUTES: &[&str] = &["container_definitions"];

/// What the sources found of one overlaid resource besides its values: the plan resources
/// its unknown parts reference and the unknown paths they show set (see
/// [`Plan::source_references`], [`Plan::source_sets`]). A few paths per resource (five on
/// the sources bench): kept in three allocations and searched one by one (most differ in
/// length), rather than a string and a vector per path in hashed maps built and moved per
/// resource, or sorted.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct SourceFound {
    /// The dotted paths (`network_configuration.0.subnets`), one after another.
    paths: String,
    /// One per path.
    entries: Vec<FoundPath>,
    /// The targets of every path, one path's after another's.
    targets: Vec<RefTarget>,
}

/// One path of a [`SourceFound`]: where it and its targets are, and whether it is set.
#[derive(Debug, Clone, PartialEq)]
struct FoundPath {
    path: std::ops::Range<usize>,
    targets: std::ops::Range<usize>,
    set: bool,
}

impl SourceFound {
    fn entry(&self, path: &str) -> Option<&FoundPath> {
        self.entries
            .iter()
            .find(|e| same_path(&self.paths, &e.path, path))
    }

    /// The targets recorded for a path (empty when none).
    pub(super) fn references(&self, path: &str) -> &[RefTarget] {
        self.entry(path)
            .map_or(&[], |e| &self.targets[e.targets.clone()])
    }

    /// Whether the sources show a path set.
    pub(super) fn sets(&self, path: &str) -> bool {
        self.entry(path).is_some_and(|e| e.set)
    }

    /// Whether any reference was recorded.
    pub(super) fn has_references(&self) -> bool {
        !self.targets.is_empty()
    }

    fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every path with its targets and whether it is set.
    #[cfg(test)]
    fn iter(&self) -> impl Iterator<Item = (&str, &[RefTarget], bool)> {
        self.entries.iter().map(|e| {
            let targets = &self.targets[e.targets.clone()];
            (&self.paths[e.path.clone()], targets, e.set)
        })
    }
}

/// Whether the path at `at` in `paths` is `path`: compared as bytes (the lengths first),
/// no character boundaries to check.
fn same_path(paths: &str, at: &std::ops::Range<usize>, path: &str) -> bool {
    at.len() == path.len() && paths.as_bytes()[at.clone()] == *path.as_bytes()
}

/// A path [`Merge`] recorded: where it is in [`Merge::paths`], the references of the
/// source value there (none when it is only set), and whether the sources show it set
/// (see [`never_null`]).
struct Recorded {
    path: std::ops::Range<usize>,
    refs: Vec<Ref>,
    set: bool,
}

/// The attributes the overlay merges into one resource's values: name, `after` node,
/// unknown mirror node and sensitivity additions (`Null` for none). They are put in when
/// every resource has been looked at (the plan is read meanwhile).
type Patch = Vec<(String, J, J, J)>;

/// What the sources say of one resource's unknown parts: what changes in its values
/// (`None`: the planned values stay, the sources only give references), and the paths
/// recorded (see [`Recorded`]) with the text they are in.
type ResourceOverlay = (Option<Patch>, String, Vec<Recorded>);

/// One overlaid resource: its index in the plan, what changes in its values (`None`:
/// nothing), and what the sources found besides.
type Change = (usize, Option<Patch>, SourceFound);

/// What the overlay did to one plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OverlayStats {
    /// Resources the sources settled something of: values, or references for what stays
    /// unknown.
    pub resources: usize,
    /// Unknown values (leaves or whole attributes) the sources made known.
    pub filled: usize,
    /// Unknown attribute paths the sources gave references for.
    pub references: usize,
    /// Known plan values the sources contradict (the plan wins).
    pub disagreements: usize,
    /// The first of them: resource address and attribute path.
    pub first_disagreement: Option<(String, String)>,
    /// Managed resources with unknown values that the sources do not declare.
    pub undeclared: usize,
    pub first_undeclared: Option<String>,
}

impl OverlayStats {
    /// Add the stats of the resources that come after these (the first disagreement
    /// stays the first).
    fn add(&mut self, later: OverlayStats) {
        self.resources += later.resources;
        self.filled += later.filled;
        self.references += later.references;
        self.disagreements += later.disagreements;
        self.undeclared += later.undeclared;
        if self.first_disagreement.is_none() {
            self.first_disagreement = later.first_disagreement;
        }
        if self.first_undeclared.is_none() {
            self.first_undeclared = later.first_undeclared;
        }
    }

    /// The one note a run gives when the sources contradict the plan, or `None`.
    pub fn disagreement_note(&self) -> Option<String> {
        let mismatch = self.disagreements + self.undeclared;
        if mismatch == 0 {
            return None;
        }
        let first = match (&self.first_disagreement, &self.first_undeclared) {
            (Some((a, p)), _) => format!("{a} {p} differs from its planned value"),
            (None, Some(a)) => format!("{a} is not declared in them"),
            (None, None) => String::new(),
        };
        Some(format!(
            "the Terraform sources read disagree with the plan in {mismatch} place{} ({first}); the plan's values were used: are the sources those of the plan?",
            if mismatch == 1 { "" } else { "s" }
        ))
    }
}

/// Plans with their sources applied, and what the run should say about it.
#[derive(Debug, Default)]
pub struct Overlaid {
    /// The overlaid copies of the plans ([`apply_all`]), when any plan has sources; `None`:
    /// use the plans as read (or as overlaid in place, [`apply_all_in_place`]).
    pub plans: Option<OverlaidPlans>,
    /// At most one note: the sources disagree with the plans.
    pub notes: Vec<String>,
    pub stats: Vec<OverlayStats>,
}

/// The overlaid copies of a run's plans (they deref to `[Plan]`).
///
/// Freeing a large plan is tens of thousands of small deallocations, and a check drops
/// its overlaid copies just before it reports (and the CLI then exits): large copies are
/// freed on a thread of their own, off the path to the report, when there is another core.
/// Were no thread to be had, they are freed at once.
#[derive(Debug, Default)]
pub struct OverlaidPlans(Vec<Plan>);

/// Overlaid plans with at least this many resources in all are freed on their own thread.
const BACKGROUND_FREE_MIN: usize = 256;

/// Set by a caller that exits right after its check ([`free_nothing_before_exit`]).
static EXITING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// For a process that ends right after its check (the CLI): overlaid plans, and the
/// evaluators' values, are then not freed at all, as the CLI does not free the plans it
/// read (the OS takes the memory back at once). Never for a library user or the plugin
/// server, which keep running.
pub fn free_nothing_before_exit() {
    EXITING.store(true, std::sync::atomic::Ordering::Relaxed);
}

impl std::ops::Deref for OverlaidPlans {
    type Target = [Plan];

    fn deref(&self) -> &[Plan] {
        &self.0
    }
}

impl Drop for OverlaidPlans {
    fn drop(&mut self) {
        let plans = std::mem::take(&mut self.0);
        if EXITING.load(std::sync::atomic::Ordering::Relaxed) {
            std::mem::forget(plans);
            return;
        }
        let large = plans.iter().map(|p| p.resources.len()).sum::<usize>() >= BACKGROUND_FREE_MIN;
        if large && crate::par::threads() > 1 {
            // On failure the closure, and the plans with it, is dropped here.
            let _ = std::thread::Builder::new()
                .name("ecsnet-free".to_string())
                .spawn(move || drop(plans));
        }
    }
}

/// Apply each plan's sources (indexed like the plans; missing or `None`: no sources) to
/// copies of the plans.
pub fn apply_all(plans: &[Plan], sources: &[Option<Arc<Sources>>]) -> Overlaid {
    if !sources.iter().any(Option::is_some) {
        return Overlaid::default();
    }
    let mut out = plans.to_vec();
    let (notes, stats) = overlay_plans(&mut out, sources);
    Overlaid {
        plans: Some(OverlaidPlans(out)),
        notes,
        stats,
    }
}

/// [`apply_all`] to the plans themselves: for a caller that does not need them as read
/// (the plans of the result are `None`).
pub fn apply_all_in_place(plans: &mut [Plan], sources: &[Option<Arc<Sources>>]) -> Overlaid {
    if !sources.iter().any(Option::is_some) {
        return Overlaid::default();
    }
    let (notes, stats) = overlay_plans(plans, sources);
    Overlaid {
        plans: None,
        notes,
        stats,
    }
}

/// Apply each plan's sources: the run's notes, and what the overlay did to each plan.
fn overlay_plans(
    plans: &mut [Plan],
    sources: &[Option<Arc<Sources>>],
) -> (Vec<String>, Vec<OverlayStats>) {
    let stats: Vec<OverlayStats> = plans
        .iter_mut()
        .enumerate()
        .map(|(i, plan)| match sources.get(i).and_then(Option::as_ref) {
            Some(src) => apply(plan, src),
            None => OverlayStats::default(),
        })
        .collect();
    // One note per run: the first plan that disagrees names the place, the count is the
    // total.
    let mut total = OverlayStats::default();
    for st in &stats {
        if total.first_disagreement.is_none() && total.first_undeclared.is_none() {
            total.first_disagreement = st.first_disagreement.clone();
            total.first_undeclared = st.first_undeclared.clone();
        }
        total.disagreements += st.disagreements;
        total.undeclared += st.undeclared;
    }
    (total.disagreement_note().into_iter().collect(), stats)
}

/// Without sources: the note saying how many unverifiable notes reading the Terraform
/// sources could settle, or `None` when none could (or every plan has its sources).
///
/// A note counts when it is about a resource of a module instance in which some resource
/// has an unknown attribute that the plan's `configuration` section hides (an expression
/// reading only `local.*`, `each.*` or `count.*`, or a nested block written as `dynamic`)
/// or a JSON string attribute (`container_definitions`) built from expressions: the
/// sources evaluate exactly those. It is an upper bound: some of them stay unknown until
/// apply.
pub fn settle_note(
    plans: &[Plan],
    sources: &[Option<Arc<Sources>>],
    diagnostics: &[crate::diagnostics::Diagnostic],
) -> Option<String> {
    let mut settleable = 0;
    let mut unverifiable = 0;
    for (i, plan) in plans.iter().enumerate() {
        if sources.get(i).is_some_and(Option::is_some)
            || !plan.config.present
            || !diagnostics.iter().any(|d| d.plan == i && d.unverifiable)
        {
            continue;
        }
        // The module of each note's resource (an index into `modules`); then, only in
        // those modules, whether a resource hides an unknown value (one is enough for its
        // module).
        let mut notes: Vec<Option<usize>> = Vec::new();
        let mut index: HashMap<&str, usize, super::SeededHash> = HashMap::with_capacity_and_hasher(
            diagnostics.len().min(plan.resources.len()),
            Default::default(),
        );
        // Each noted module: its address and the position of one of its resources.
        let mut modules: Vec<(&str, usize)> = Vec::new();
        let base = plan.resources.as_ptr() as usize;
        let size = std::mem::size_of::<Resource>().max(1);
        for d in diagnostics
            .iter()
            .filter(|d| d.plan == i && d.unverifiable && d.suppressed.is_none())
        {
            let module = plan.resource(&d.address).map(|r| {
                let m = r.module_address.as_str();
                *index.entry(m).or_insert_with(|| {
                    // Its position in `plan.resources`, from where it lies in the vector.
                    let at = (r as *const Resource as usize - base) / size;
                    modules.push((m, at));
                    modules.len() - 1
                })
            });
            notes.push(module);
        }
        let mut key = String::with_capacity(64);
        let hides: Vec<bool> = modules
            .iter()
            .map(|&(m, at)| module_hides_unknown(plan, m, at, &mut key))
            .collect();
        unverifiable += notes.len();
        settleable += notes.iter().filter(|m| m.is_some_and(|k| hides[k])).count();
    }
    (settleable > 0).then(|| {
        format!(
            "reading the Terraform sources would settle up to {settleable} of the {unverifiable} unverifiable note{} (values the plan hides behind locals, dynamic blocks or JSON built from expressions): run ecsnet in the configuration directory or pass --source DIR",
            if unverifiable == 1 { "" } else { "s" }
        )
    })
}

/// Whether a managed resource of module instance `module` hides an unknown value
/// ([`hides_unknown`]); `at` is the position of one of its resources in `plan.resources`,
/// `key` a buffer for the resources' configuration keys.
///
/// Resources are in address order, so those whose address starts with the module's
/// (`module.a.`) lie together around `at`: the module's own, and its child modules'. Only
/// those are looked at (all of them for the root module): a large plan's resources are
/// not all touched for a few noted modules.
fn module_hides_unknown(plan: &Plan, module: &str, at: usize, key: &mut String) -> bool {
    let Some(config) = plan.module_config(module) else {
        return false;
    };
    let within = |r: &Resource| {
        module.is_empty()
            || r.address
                .strip_prefix(module)
                .is_some_and(|rest| rest.starts_with('.'))
    };
    let all = &plan.resources;
    if !all.get(at).is_some_and(&within) {
        return false;
    }
    let start = all[..at]
        .iter()
        .rposition(|r| !within(r))
        .map_or(0, |i| i + 1);
    let end = all[at..]
        .iter()
        .position(|r| !within(r))
        .map_or(all.len(), |i| at + i);
    // The block of a resource, as [`Plan::config_resource`] finds it (a managed resource's
    // key is `TYPE.NAME`).
    all[start..end]
        .iter()
        .filter(|r| r.mode == Mode::Managed && r.module_address == module)
        .any(|r| {
            key.clear();
            key.push_str(&r.type_);
            key.push('.');
            key.push_str(&r.name);
            config
                .resources
                .get(key.as_str())
                .is_some_and(|cfg| hides_unknown(r, cfg))
        })
}

/// Whether a resource (its configuration block `cfg`) has an unknown attribute whose
/// expression the plan's configuration hides, or an unknown JSON string built from
/// expressions.
fn hides_unknown(res: &Resource, cfg: &ConfigResource) -> bool {
    let root = res.values.root();
    if !root.contains_unknown() {
        return false;
    }
    // An attribute with an unknown part is marked in the unknown mirror: its members are
    // enough, and reading them parses nothing of a lazily read `after`.
    let (unknown, _) = res.values.mirrors();
    let Some(marked) = unknown.as_object() else {
        return false;
    };
    for (key, mark) in marked {
        if !any_true(mark) {
            continue;
        }
        let hidden = match cfg.expressions.0.get(key.as_str()) {
            Some(node) => node_hides(node, JSON_STRING_ATTRIBUTES.contains(&key.as_str())),
            // Wholly unknown and not in the configuration (`arn`, `id`): no nested block
            // the plan shows, and nothing of `after` to read.
            None if mark == &J::Bool(true) => false,
            // A nested block the configuration does not show: a `dynamic` block.
            None => matches!(
                root.get(key).raw().val,
                Val::Known(J::Array(a)) if a.iter().any(J::is_object)
            ),
        };
        if hidden {
            return true;
        }
    }
    false
}

fn node_hides(node: &ExprNode, json_string: bool) -> bool {
    match node {
        // A JSON string built from any references (an unknown image) still hides its
        // structure from the plan.
        ExprNode::Expr(e) => {
            e.reads_only_locals_or_iterators()
                || (json_string && e.constant_value.is_none() && !e.references.is_empty())
        }
        ExprNode::Block(b) => b.0.values().any(|n| node_hides(n, false)),
        ExprNode::List(bs) => bs
            .iter()
            .any(|b| b.0.values().any(|n| node_hides(n, false))),
    }
}

/// Apply the sources to a plan (see the module documentation).
pub fn apply(plan: &mut Plan, sources: &Sources) -> OverlayStats {
    let variables = J::Object(
        plan.variables
            .iter()
            .map(|(k, v)| {
                let mut m = Map::new();
                m.insert("value".to_string(), v.value.clone());
                (k.clone(), J::Object(m))
            })
            .collect(),
    );
    // Counted resources whose count reads a data source or another unknown: the plan
    // shows their instances.
    let mut instances: HashMap<String, Vec<Key>> = HashMap::new();
    for r in &plan.resources {
        let key = match &r.index {
            Some(J::Number(n)) => n.as_i64().map(Key::Int),
            Some(J::String(s)) => Some(Key::Str(s.clone())),
            _ => None,
        };
        if let Some(k) = key {
            instances.entry(r.base_address()).or_default().push(k);
        }
    }
    let secrets: Vec<String> = plan
        .variables
        .values()
        .filter(|v| v.sensitive)
        .filter_map(|v| match &v.value {
            J::String(s) if !s.is_empty() => Some(s.clone()),
            J::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .collect();
    // The resources the sources may settle something of, in address order.
    let candidates: Vec<usize> = plan
        .resources
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            r.mode == Mode::Managed
                && !matches!(r.action, Action::Read | Action::DataRead)
                && r.values.root().contains_unknown()
        })
        .map(|(i, _)| i)
        .collect();
    // The candidates in pieces, each ending where a module instance ends, so that an
    // instance (its inputs and locals) is evaluated by one evaluator. The threads take the
    // pieces one at a time: a thread the OS pauses, or a slower piece, leaves the rest to
    // the others instead of holding up the check. The results are merged in address
    // order, as one run gives them.
    let pieces = module_pieces(plan, &candidates);
    let job = OverlayJob {
        plan,
        sources,
        variables: &variables,
        instances: &instances,
        secrets: &secrets,
        pieces: &pieces,
    };
    let (mut stats, mut changes, found, user_data) = job.run();
    stats.filled += user_data.len();
    stats.resources = changes.len();
    // The values of the changed resources patched in two halves while what the sources
    // found is recorded, on every core when the overlay was split.
    let parallel = pieces.len() > 1;
    let mid = changes.len() / 2;
    let boundary = changes.get(mid).map_or(plan.resources.len(), |c| c.0);
    let (low, high) = plan.resources.split_at_mut(boundary);
    let (first, second) = changes.split_at_mut(mid);
    crate::par::join(
        parallel,
        || patch_values(low, 0, first, &secrets),
        || patch_values(high, boundary, second, &secrets),
    );
    // Already in index order, as the plan keeps it: moved in whole, nothing rehashed.
    plan.source_found = found;
    plan.source_user_data.extend(user_data);
    stats
}

/// What the sources found of one changed resource, apart from its values: its index in
/// the plan and the findings (see [`Plan::source_references`]).
pub(super) type Found = (usize, SourceFound);

/// Take what the sources found of the resources of `changes` out of them, for the plan.
fn take_found(changes: &mut [Change]) -> Vec<Found> {
    changes
        .iter_mut()
        .filter(|(.., found)| !found.is_empty())
        .map(|(i, _, found)| (*i, std::mem::take(found)))
        .collect()
}

/// Plans with at least this many resources to overlay are overlaid in [`PIECES`] pieces
/// (see [`apply`]); fewer, in one.
const PARALLEL_MIN: usize = 64;

/// How many pieces the overlay of a large plan is cut into: enough for the threads to end
/// together when one of them is slowed, few enough that each piece's lookups (the plan
/// resources a reference names) are mostly hits.
const PIECES: usize = 8;

/// Heap reserved for the overlay of one resource (evaluator values, the new planned
/// values): the second run of the sources bench grew its heap by about 960 pages (8 KiB
/// per resource), and the blocks reserved may first reuse free space in the heap.
const HEAP_PER_RESOURCE: usize = 16 << 10;

/// The candidate resources (indexes into `plan.resources`, in address order) in pieces of
/// about equal size, each ending where a module instance ends; one piece when there are
/// few.
fn module_pieces<'c>(plan: &Plan, candidates: &'c [usize]) -> Vec<&'c [usize]> {
    if candidates.len() < PARALLEL_MIN {
        return vec![candidates];
    }
    let module = |i: usize| plan.resources[candidates[i]].module_address.as_str();
    let size = candidates.len().div_ceil(PIECES);
    let mut pieces = Vec::with_capacity(PIECES);
    let mut rest = candidates;
    let mut start = 0;
    while !rest.is_empty() {
        let mut at = size.min(rest.len());
        while at < rest.len() && module(start + at) == module(start + at - 1) {
            at += 1;
        }
        let (piece, after) = rest.split_at(at);
        pieces.push(piece);
        rest = after;
        start += at;
    }
    pieces
}

/// The overlay of a plan's candidate resources, piece by piece on every thread.
struct OverlayJob<'a> {
    plan: &'a Plan,
    sources: &'a Sources,
    variables: &'a J,
    instances: &'a HashMap<String, Vec<Key>>,
    secrets: &'a [String],
    pieces: &'a [&'a [usize]],
}

/// What one piece gave: its position among the pieces, its stats, its changes and what
/// the sources found of them besides values.
type PieceResult = (usize, OverlayStats, Vec<Change>, Vec<Found>);

/// Resource address → the user data text the sources give (see [`hashed_user_data`]).
type UserData = Vec<(String, String)>;

/// What one thread gave: its pieces' results, and the hashed user data when it took that.
type SeatResult = (Vec<PieceResult>, Option<UserData>);

impl OverlayJob<'_> {
    /// Overlay every piece, then find the hashed user data (see [`hashed_user_data`]):
    /// the stats, changes and findings of the pieces in address order, and the user data.
    fn run(&self) -> (OverlayStats, Vec<Change>, Vec<Found>, UserData) {
        let next = std::sync::atomic::AtomicUsize::new(0);
        let caller = std::thread::current().id();
        let seats = vec![(); crate::par::threads().min(self.pieces.len())];
        let seated = crate::par::map(&seats, 1, |_| self.seat(&next, caller));
        let mut results: Vec<PieceResult> = Vec::with_capacity(self.pieces.len());
        let mut user_data = Vec::new();
        for (done, data) in seated {
            results.extend(done);
            user_data.extend(data.into_iter().flatten());
        }
        results.sort_unstable_by_key(|r| r.0);
        let mut stats = OverlayStats::default();
        let mut changes = Vec::with_capacity(results.iter().map(|r| r.2.len()).sum());
        let mut found = Vec::with_capacity(results.iter().map(|r| r.3.len()).sum());
        for (_, later, more, more_found) in results {
            stats.add(later);
            changes.extend(more);
            found.extend(more_found);
        }
        (stats, changes, found, user_data)
    }

    /// One thread's share: the next piece not taken until none is left (the one after the
    /// last is the user data), with an evaluator of its own, made when it first takes one.
    fn seat(
        &self,
        next: &std::sync::atomic::AtomicUsize,
        caller: std::thread::ThreadId,
    ) -> SeatResult {
        let mut ev: Option<Evaluator<'_>> = None;
        let mut done = Vec::new();
        let mut user_data = None;
        loop {
            let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if k > self.pieces.len() {
                break;
            }
            let ev = ev.get_or_insert_with(|| self.evaluator(caller));
            match self.pieces.get(k) {
                Some(part) => {
                    let mut stats = OverlayStats::default();
                    let mut changes = overlay_part(self.plan, part, ev, self.secrets, &mut stats);
                    let found = take_found(&mut changes);
                    done.push((k, stats, changes, found));
                }
                None => user_data = Some(hashed_user_data(self.plan, ev)),
            }
        }
        if EXITING.load(std::sync::atomic::Ordering::Relaxed) {
            // Its instances, inputs and locals are not freed either (see
            // [`free_nothing_before_exit`]).
            std::mem::forget(ev);
        }
        (done, user_data)
    }

    /// A thread's evaluator. A thread other than the caller's first makes room in its heap
    /// for its share of the resources.
    fn evaluator(&self, caller: std::thread::ThreadId) -> Evaluator<'_> {
        if std::thread::current().id() != caller {
            let share = self.pieces.iter().map(|p| p.len()).sum::<usize>() / crate::par::threads();
            tfsource::reserve_thread_heap(share * HEAP_PER_RESOURCE);
        }
        Evaluator::from_plan_variables(self.sources, self.variables)
            .with_known_instances(self.instances.clone())
    }
}

/// Overlay the resources at `part` (indexes into `plan.resources`): the changed ones with
/// what changes.
fn overlay_part(
    plan: &Plan,
    part: &[usize],
    ev: &Evaluator<'_>,
    secrets: &[String],
    stats: &mut OverlayStats,
) -> Vec<Change> {
    let sources = ev.sources();
    let mut changes = Vec::new();
    // One seed for the run's maps (making one draws a random number).
    let seed = super::SeededHash::default();
    let mut managed = ManagedAddresses(HashMap::with_hasher(seed));
    for &i in part {
        let res = &plan.resources[i];
        let overlay = match overlay_resource(res, ev, secrets, stats, &mut managed) {
            Ok(overlay) => overlay,
            Err(Undeclared) => {
                // A module the sources do not hold (not downloaded) says nothing; a module
                // they hold without the resource does.
                let held = tfsource::address::Address::parse(&res.address)
                    .is_some_and(|a| sources.module(&a.module_key()).is_some());
                if held {
                    stats.undeclared += 1;
                    stats
                        .first_undeclared
                        .get_or_insert_with(|| res.address.clone());
                }
                continue;
            }
        };
        if let Some((patch, paths, recorded)) = overlay {
            changes.push((i, patch, found(plan, paths, recorded)));
        }
    }
    changes
}

/// What [`overlay_resource`] recorded of one resource (`paths` holds the recorded paths)
/// as the plan keeps it: each path's references as the plan resources they name.
fn found(plan: &Plan, paths: String, recorded: Vec<Recorded>) -> SourceFound {
    // A part's references are also its container's: each distinct reference is looked up
    // once per resource (where its targets are in `targets`).
    let mut named: Vec<(Ref, std::ops::Range<usize>)> = Vec::new();
    let mut targets = Vec::with_capacity(recorded.len());
    let mut entries: Vec<FoundPath> = Vec::with_capacity(recorded.len());
    // Taken from the end: of a path recorded twice (a JSON string's structure, then the
    // string), the last references given are kept; it is set when set in either.
    for rec in recorded.into_iter().rev() {
        let path = &paths[rec.path.clone()];
        let at = entries
            .iter()
            .position(|e| same_path(&paths, &e.path, path));
        if let Some(at) = at {
            entries[at].set |= rec.set;
            if !entries[at].targets.is_empty() || rec.refs.is_empty() {
                continue;
            }
        }
        let start = targets.len();
        for r in rec.refs {
            match named.iter().find(|(n, _)| *n == r) {
                Some((_, was)) => targets.extend_from_within(was.clone()),
                None => {
                    let first = targets.len();
                    push_targets(plan, &r, &mut targets);
                    named.push((r, first..targets.len()));
                }
            }
        }
        match at {
            // Only set until now.
            Some(at) => entries[at].targets = start..targets.len(),
            None => entries.push(FoundPath {
                path: rec.path,
                targets: start..targets.len(),
                set: rec.set,
            }),
        }
    }
    SourceFound {
        paths,
        entries,
        targets,
    }
}

/// The sources do not declare a resource of the plan.
struct Undeclared;

/// The user data the provider stores as its SHA-1 (`aws_instance` before provider v5,
/// `aws_launch_configuration`): resource address → the text the sources evaluate to, for
/// each resource whose planned digest is that text's, so the sources are certainly the
/// plan's there.
fn hashed_user_data(plan: &Plan, ev: &Evaluator<'_>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let read = crate::model::extract::user_data::READ_BY_MODEL;
    for res in &plan.resources {
        if res.mode != Mode::Managed || !read.contains(&res.type_.as_str()) {
            continue;
        }
        let f = res.values.root().get("user_data").string();
        let Val::Known(digest) = &f.val else { continue };
        if f.sensitive || !crate::model::extract::user_data::is_sha1_hex(digest.trim()) {
            continue;
        }
        if let Some(V::String(text)) = ev.attribute(&res.address, "user_data") {
            if tfsource::sha1_hex(text.as_bytes()).eq_ignore_ascii_case(digest.trim()) {
                out.push((res.address.clone(), text));
            }
        }
    }
    out
}

/// The plan resources a source reference names, added to `out`: the instance, or every
/// instance of a counted resource whose key the sources do not settle (uncertain).
fn push_targets(plan: &Plan, r: &Ref, out: &mut Vec<RefTarget>) {
    // The reference's own strings where they are the target's (no copy).
    let first = r.attribute.split(['.', '[']).next().unwrap_or_default();
    let attribute: Option<Arc<str>> = match first {
        "" => None,
        a if a.len() == r.attribute.len() => Some(r.attribute.clone()),
        a => Some(a.into()),
    };
    let target = |address: Arc<str>, certain: bool| RefTarget {
        address,
        attribute: attribute.clone(),
        certain,
    };
    if plan.resource(&r.address).is_some() {
        out.push(target(r.address.clone(), true));
        return;
    }
    let base = r.address.strip_suffix("[*]").unwrap_or(&r.address);
    let all = plan.instances_of(base);
    if all.is_empty() {
        let exact = base == &*r.address;
        let address = if exact {
            r.address.clone()
        } else {
            base.into()
        };
        out.push(target(address, exact));
        return;
    }
    let certain = all.len() == 1;
    out.extend(
        all.iter()
            .map(|x| target(x.address.as_str().into(), certain)),
    );
}

/// The overlaid values of one resource and the references of its unknown parts, or `None`
/// when the sources change nothing.
fn overlay_resource(
    res: &Resource,
    ev: &Evaluator<'_>,
    secrets: &[String],
    stats: &mut OverlayStats,
    managed: &mut ManagedAddresses,
) -> Result<Option<ResourceOverlay>, Undeclared> {
    let (unknown, _) = res.values.mirrors();
    // The attributes with an unknown part: each is marked in the unknown mirror (a
    // managed resource's mirror is an object; a wholly unknown one has no `after`).
    let keys = unknown
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, mark)| any_true(mark))
        .map(|(k, _)| k.as_str());
    // Only what the sources write is evaluated; nothing is copied when they write none
    // of it (an `arn`, an `id`). The address is resolved once, by the evaluator; only
    // when it is not found is it asked whether the sources declare it.
    // Of a JSON string, only the members the model reads are evaluated, unless a string
    // holding a sensitive variable's value is to be marked (`secrets`).
    let values = match secrets.is_empty() {
        true => ev.written_attributes_reading(&res.address, keys, &json_read_members),
        false => ev.written_attributes(&res.address, keys),
    };
    let Some(values) = values else {
        return match ev.sources().declares(&res.address) {
            true => Ok(None),
            false => Err(Undeclared),
        };
    };
    if values.is_empty() || !unknown.is_object() {
        return Ok(None);
    }
    // Each attribute's planned value is read on its own (a lazily read `after` parses only
    // that member); the whole tree is parsed and copied only when the sources change a
    // value, not when they only give references for what stays unknown (a `vpc_id =
    // var.vpc_id` naming `aws_vpc.main.id`).
    let root = res.values.root();
    let member = |key: &str| match root.get(key).raw().val {
        Val::Known(v) => Some(v),
        _ => None,
    };
    let mut m = Merge::new(managed);
    let mut merged = Vec::with_capacity(values.len());
    let mut differs = false;
    // One buffer for the attributes' paths (see [`Merge::merge`]).
    let mut path = String::with_capacity(64);
    for (key, v) in values {
        // The attribute's unknown mark, looked up once.
        let mark = unknown.get(key);
        let wholly_unknown = matches!(mark, Some(J::Bool(true)));
        // A wholly unknown attribute's planned member (most often absent) is looked up only
        // when the mirrors have not told already that the values change.
        let planned = if wholly_unknown { None } else { member(key) };
        path.clear();
        path.push_str(key);
        let (a, u, s) = if wholly_unknown {
            // Wholly unknown in the plan: the source value is taken as it is (of a JSON
            // string's structure, what the model reads).
            let (a, u, s, _) = m.sourced(read_part(key, v, secrets), &mut path);
            (a, u, s)
        } else {
            m.merge(planned, mark, v, &mut path)
        };
        let changes = !s.is_null()
            || !same(mark, &u)
            || !same(if wholly_unknown { member(key) } else { planned }, &a);
        differs = differs || changes;
        // A member the sources leave as it is is not put in again (with secrets, the
        // values are rebuilt all the same).
        if changes {
            merged.push((key, a, u, s));
        }
    }
    stats.filled += m.filled;
    let references = m.recorded.iter().filter(|r| !r.refs.is_empty()).count();
    stats.references += references;
    if let Some(first) = m.disagreements.first() {
        stats
            .first_disagreement
            .get_or_insert_with(|| (res.address.clone(), first.clone()));
    }
    stats.disagreements += m.disagreements.len();
    if m.filled == 0 && references == 0 {
        return Ok(None);
    }
    // A value the sources fill in that holds a sensitive variable's value (through a
    // resource argument written with it, say) is sensitive too: with secrets, the
    // values are always rebuilt and marked.
    if !differs && secrets.is_empty() {
        return Ok(Some((None, m.paths, m.recorded)));
    }
    let patch = merged
        .into_iter()
        .map(|(key, a, u, s)| (key.to_string(), a, u, s))
        .collect();
    Ok(Some((Some(patch), m.paths, m.recorded)))
}

/// What the model reads of the objects in each JSON string attribute's structure (see
/// [`read_part`]).
fn json_read_members(attribute: &str) -> Option<tfsource::ReadMembers<'static>> {
    use crate::model::extract::{CONTAINER_READ_MEMBERS, CONTAINER_READ_WITHIN};
    match attribute {
        "container_definitions" => Some(tfsource::ReadMembers {
            names: CONTAINER_READ_MEMBERS,
            within: CONTAINER_READ_WITHIN,
        }),
        _ => None,
    }
}

/// A source value with the structure of a JSON string attribute (an unknown
/// `jsonencode` result: a list of objects, or one) cut down to the members the model reads
/// of each object ([`json_read_members`]): the rest would be converted, put into the plan
/// and copied into the model for no reader. The string's own references, sensitivity and
/// certainty stay those of the value, and a member holding a sensitive variable's value
/// (`secrets`) is kept, so that the attribute is marked sensitive as before.
fn read_part(attribute: &str, mut v: V, secrets: &[String]) -> V {
    let Some(read) = json_read_members(attribute) else {
        return v;
    };
    if let V::Unknown(u) = &mut v {
        let keep = |o: &mut V| keep_members(o, read, secrets);
        match u.json.as_deref_mut() {
            Some(V::List(items)) => items.iter_mut().for_each(keep),
            Some(o) => keep(o),
            None => {}
        }
    }
    v
}

/// An object's members cut down to those read, and of each, to the members read within
/// it; a part holding one of `secrets` stays.
fn keep_members(v: &mut V, read: tfsource::ReadMembers<'_>, secrets: &[String]) {
    let V::Map(m) = v else { return };
    m.retain(|k, member| {
        if holds_secret(member, secrets) {
            return true;
        }
        if !read.takes(k) {
            return false;
        }
        if let (Some(inner), V::Map(im)) = (read.within(k), member) {
            im.retain(|k, x| inner.contains(&k.as_str()) || holds_secret(x, secrets));
        }
        true
    });
}

/// Whether a string of a value contains one of `secrets` (as [`Attrs::mark_sensitive_strings`]
/// looks for them once the value is in the plan).
fn holds_secret(v: &V, secrets: &[String]) -> bool {
    match v {
        _ if secrets.is_empty() => false,
        V::String(s) => secrets.iter().any(|x| s.contains(x.as_str())),
        V::List(items) => items.iter().any(|x| holds_secret(x, secrets)),
        V::Map(m) => m.values().any(|x| holds_secret(x, secrets)),
        V::Unknown(u) => u.json.as_deref().is_some_and(|j| holds_secret(j, secrets)),
        _ => false,
    }
}

/// Put the patches of `changes` into the values of `resources` (the plan's from index
/// `offset` on).
fn patch_values(
    resources: &mut [Resource],
    offset: usize,
    changes: &mut [Change],
    secrets: &[String],
) {
    for (i, patch, ..) in changes {
        if let Some(patch) = patch.take() {
            let values = &mut resources[*i - offset].values;
            *values = patched(std::mem::take(values), patch, secrets);
        }
    }
}

/// A resource's values with the overlay's patch put in. Without secrets the patch goes in
/// place: of a lazily read `after`, only the members replaced are touched, the others stay
/// text (parsing and moving every member of a service cost more than the merge). With
/// secrets every string is looked at, so the values are rebuilt: the planned members the
/// patch does not replace are moved, not copied, into the new values.
fn patched(mut values: Attrs, patch: Patch, secrets: &[String]) -> Attrs {
    if !secrets.is_empty() {
        let (after, unknown, sensitive) = values.into_parts();
        values = Attrs::new(after, unknown, sensitive);
    }
    for (key, a, u, s) in patch {
        if !s.is_null() {
            add_sensitive(values.sensitive_mut(), &key, s);
        }
        values.set_member(&key, a, u);
    }
    if !secrets.is_empty() {
        values.mark_sensitive_strings(secrets);
    }
    values
}

/// Add the sensitivity marks `s` of attribute `key` to a resource's sensitivity mirror:
/// every mark the plan has stays, the sources only add.
fn add_sensitive(sensitive: &mut J, key: &str, s: J) {
    if !sensitive.is_object() && *sensitive != J::Bool(true) {
        *sensitive = J::Object(Map::new());
    }
    if let J::Object(o) = sensitive {
        let merged = union(o.get(key).unwrap_or(&J::Null), s);
        o.insert(key.to_string(), merged);
    }
}

/// Whether a merged node is what the plan has there (absent and null are the same).
fn same(planned: Option<&J>, merged: &J) -> bool {
    match planned {
        None | Some(J::Null) => merged.is_null(),
        Some(p) => p == merged,
    }
}

/// Put a merged member into the new `after` and unknown mirror objects (each built
/// member by member, without repeats), leaving it out where null: the source value's own
/// key moves into one of them, a copy is made only when both hold it.
fn put(a: &mut Map<String, J>, u: &mut Map<String, J>, key: String, na: J, nu: J) {
    match (na.is_null(), nu.is_null()) {
        (false, false) => {
            u.insert(key.clone(), nu);
            a.insert(key, na);
        }
        (false, true) => {
            a.insert(key, na);
        }
        (true, false) => {
            u.insert(key, nu);
        }
        (true, true) => {}
    }
}

/// Bytes first reserved for the paths [`Merge`] records of a resource.
const RECORDED_TEXT: usize = 256;

struct Merge<'m> {
    /// The recorded paths, one after another: one string per resource, not one per path.
    paths: String,
    /// Paths that stay (partly) unknown, with the references of the source value there,
    /// and paths that stay unknown but are certainly set (see [`never_null`]).
    recorded: Vec<Recorded>,
    filled: usize,
    /// Attribute paths where a known plan value and a known source value differ.
    disagreements: Vec<String>,
    managed: &'m mut ManagedAddresses,
}

/// Whether reference addresses are a managed resource's ([`managed_resource`]), by where
/// each address is allocated: the evaluator shares one allocation among the references to
/// a resource (a root subnet named by every module call; a resource named by its module's
/// expressions), so most are looked up once per run rather than parsed each time. An entry
/// holds its address, so that allocation is not reused for another while it is cached.
struct ManagedAddresses(HashMap<usize, (Arc<str>, bool), super::document::SeededHash>);

impl ManagedAddresses {
    fn is_managed(&mut self, address: &Arc<str>) -> bool {
        let key = Arc::as_ptr(address) as *const u8 as usize;
        self.0
            .entry(key)
            .or_insert_with(|| (address.clone(), managed_resource(address)))
            .1
    }
}

impl<'m> Merge<'m> {
    fn new(managed: &'m mut ManagedAddresses) -> Self {
        Merge {
            paths: String::new(),
            recorded: Vec::new(),
            filled: 0,
            disagreements: Vec::new(),
            managed,
        }
    }

    /// Record a path (see [`Recorded`]): its index in [`Merge::recorded`].
    fn record(&mut self, path: &str, refs: Vec<Ref>, set: bool) -> usize {
        if self.recorded.is_empty() {
            // Sized once for a resource's few paths (a container definition's: about 5).
            self.paths.reserve(RECORDED_TEXT);
            self.recorded.reserve(8);
        }
        let start = self.paths.len();
        self.paths.push_str(path);
        let path = start..self.paths.len();
        self.recorded.push(Recorded { path, refs, set });
        self.recorded.len() - 1
    }

    /// Merge one plan node (`after`, its unknown mirror) with the source value (taken: the
    /// parts the plan leaves unknown move into its tree, not copied): the new `after` node,
    /// unknown mirror and sensitivity additions (`Null` for none). `path` is the node's
    /// dotted path, extended in place for its members and restored.
    fn merge(
        &mut self,
        after: Option<&J>,
        unknown: Option<&J>,
        v: V,
        path: &mut String,
    ) -> (J, J, J) {
        let keep = || {
            (
                after.cloned().unwrap_or(J::Null),
                unknown.cloned().unwrap_or(J::Null),
                J::Null,
            )
        };
        if matches!(unknown, Some(J::Bool(true))) {
            let (a, u, s, _) = self.sourced(v, path);
            return (a, u, s);
        }
        // The references of a collection merged part by part ([`V::refs`]), taken before
        // its parts move: recorded with its path when it stays partly unknown.
        let refs = match (after, &v) {
            (Some(J::Object(_)), V::Map(_)) | (Some(J::Array(_)), V::List(_)) => v.refs(),
            _ => Vec::new(),
        };
        let out = match (after, v) {
            (_, V::Unknown(_)) | (None | Some(J::Null), _) => return keep(),
            (Some(J::Object(o)), V::Map(mut vm)) => {
                let um = unknown.and_then(J::as_object);
                let mut a = Map::new();
                let mut u = Map::new();
                let mut s = Map::new();
                // The members of the plan's node, then those only its unknown mirror has
                // (no disagreement can be found there): a member the sources do not write
                // is copied as it is, the others are merged (and left out when null).
                let mirror_only = um
                    .into_iter()
                    .flat_map(|m| m.keys())
                    .filter(|k| !o.contains_key(k.as_str()));
                for k in o.keys().chain(mirror_only) {
                    let (pa, pu) = (o.get(k), um.and_then(|m| m.get(k)));
                    let Some((key, sv)) = vm.remove_entry(k) else {
                        if let Some(x) = pa {
                            a.insert(k.clone(), x.clone());
                        }
                        if let Some(x) = pu {
                            u.insert(k.clone(), x.clone());
                        }
                        continue;
                    };
                    let len = path.len();
                    path.push('.');
                    path.push_str(k);
                    let (na, nu, ns) = self.merge(pa, pu, sv, path);
                    path.truncate(len);
                    if !ns.is_null() {
                        s.insert(k.clone(), ns);
                    }
                    put(&mut a, &mut u, key, na, nu);
                }
                (J::Object(a), J::Object(u), object_or_null(s))
            }
            // A single nested block the plan shows as an object.
            (Some(J::Object(_)), V::List(mut items)) if items.len() == 1 => {
                let len = path.len();
                path.push_str(".0");
                let out = self.merge(after, unknown, items.remove(0), path);
                path.truncate(len);
                return out;
            }
            (Some(J::Array(xs)), V::List(mut items)) if xs.len() == items.len() => {
                let um = unknown.and_then(J::as_array);
                // Sets (`load_balancer` blocks, `volume`s) come back in the provider's
                // order: each plan element goes with the first unused source element that
                // agrees with its known parts, else the one at its own position.
                let pairing = pair(xs, &items);
                let parts = xs
                    .iter()
                    .enumerate()
                    .map(|(i, x)| {
                        let len = path.len();
                        push_index(path, i);
                        // A permutation: each source element is taken once.
                        let item = std::mem::replace(&mut items[pairing[i]], V::Null);
                        let out = self.merge(Some(x), um.and_then(|m| m.get(i)), item, path);
                        path.truncate(len);
                        out
                    })
                    .collect();
                array_of(parts)
            }
            (Some(plan), v) => {
                let contains_unknown = unknown.is_some_and(any_true);
                if !contains_unknown && v.is_wholly_known() && !agrees(plan, &v) {
                    self.disagreements.push(path.clone());
                }
                return keep();
            }
        };
        if !refs.is_empty() && any_true(&out.1) {
            self.record(path, refs, false);
        }
        out
    }

    /// A node the plan shows wholly unknown, from the source value (taken: its strings
    /// move into the plan's tree): the node, its unknown and sensitivity mirrors, and the
    /// references of the value ([`V::refs`]). `path` is the node's dotted path, extended in
    /// place for its members and restored.
    fn sourced(&mut self, v: V, path: &mut String) -> (J, J, J, PartRefs) {
        // A part with nothing unknown (most of a container definition) is moved into the
        // plan's tree in one walk: no references, paths or sensitivity to collect.
        if matches!(v, V::List(_) | V::Map(_)) && v.is_wholly_known() {
            let (a, u) = known_json(v, &mut self.filled);
            return (a, u, J::Null, PartRefs::Own(Vec::new()));
        }
        // Whether this (unknown) part is certainly set.
        let mut set_here = false;
        let (out, refs) = match v {
            V::Unknown(u) => {
                let sensitive = u.sensitive;
                let set = never_null_by(&u, |a| self.managed.is_managed(a));
                let mut refs = unique(u.refs);
                match u.json.map(|j| *j) {
                    Some(j @ (V::List(_) | V::Map(_))) => {
                        let (a, un, s, inner) = self.sourced(j, path);
                        self.add_part_refs(&mut refs, inner);
                        let s = if sensitive { J::Bool(true) } else { s };
                        ((a, un, s), refs)
                    }
                    json => {
                        set_here = set;
                        if let Some(j) = json {
                            add_refs(&mut refs, j.refs());
                        }
                        let s = if sensitive { J::Bool(true) } else { J::Null };
                        ((J::Null, J::Bool(true), s), refs)
                    }
                }
            }
            V::List(items) => {
                let mut parts = Vec::with_capacity(items.len());
                let mut refs = Vec::new();
                for (i, item) in items.into_iter().enumerate() {
                    let len = path.len();
                    push_index(path, i);
                    let (a, u, s, r) = self.sourced(item, path);
                    path.truncate(len);
                    parts.push((a, u, s));
                    self.add_part_refs(&mut refs, r);
                }
                (array_of(parts), refs)
            }
            V::Map(m) => {
                let mut a = Map::new();
                let mut u = Map::new();
                let mut s = Map::new();
                let mut refs = Vec::new();
                for (k, item) in m {
                    let len = path.len();
                    path.push('.');
                    path.push_str(&k);
                    let (na, nu, ns, r) = self.sourced(item, path);
                    path.truncate(len);
                    self.add_part_refs(&mut refs, r);
                    if !nu.is_null() {
                        u.insert(k.clone(), nu);
                    }
                    if !ns.is_null() {
                        s.insert(k.clone(), ns);
                    }
                    a.insert(k, na);
                }
                ((J::Object(a), object_or_null(u), object_or_null(s)), refs)
            }
            known => {
                self.filled += 1;
                (
                    (known.into_json().unwrap_or(J::Null), J::Null, J::Null),
                    Vec::new(),
                )
            }
        };
        // The references of a part that stays unknown, recorded with its path (where its
        // container finds them too); a path that is set, recorded once with them.
        if any_true(&out.1) && !refs.is_empty() {
            let at = self.record(path, refs, set_here);
            return (out.0, out.1, out.2, PartRefs::Recorded(at));
        }
        if set_here {
            self.record(path, Vec::new(), true);
        }
        (out.0, out.1, out.2, PartRefs::Own(refs))
    }

    /// Add the references of a part (see [`add_refs`]).
    fn add_part_refs(&self, refs: &mut Vec<Ref>, part: PartRefs) {
        match part {
            PartRefs::Own(more) => add_refs(refs, more),
            PartRefs::Recorded(i) => {
                for r in &self.recorded[i].refs {
                    if !refs.contains(r) {
                        refs.push(r.clone());
                    }
                }
            }
        }
    }
}

/// The references of a part [`Merge::sourced`] made: its own, or, for a part that stays
/// unknown, where they are recorded with its path in [`Merge::recorded`] (not copied there).
enum PartRefs {
    Own(Vec<Ref>),
    Recorded(usize),
}

/// A wholly known source value as the plan's tree and its unknown mirror, as
/// [`Merge::sourced`] makes them member by member: each scalar becomes its JSON (null
/// when it has none, and counted in `filled`), a list's mirror is an array with `false`
/// (or the element's own array) per element, a map's mirror holds only the members whose
/// mirror is an array (`Null` when none).
fn known_json(v: V, filled: &mut usize) -> (J, J) {
    match v {
        V::List(items) => {
            let mut a = Vec::with_capacity(items.len());
            let mut u = Vec::with_capacity(items.len());
            for item in items {
                let (na, nu) = known_json(item, filled);
                a.push(na);
                u.push(if nu.is_null() { J::Bool(false) } else { nu });
            }
            (J::Array(a), J::Array(u))
        }
        V::Map(m) => {
            let mut a = Map::new();
            let mut u = Map::new();
            for (k, item) in m {
                let (na, nu) = known_json(item, filled);
                if !nu.is_null() {
                    u.insert(k.clone(), nu);
                }
                a.insert(k, na);
            }
            (J::Object(a), object_or_null(u))
        }
        scalar => {
            *filled += 1;
            (scalar.into_json().unwrap_or(J::Null), J::Null)
        }
    }
}

/// `.I` added to a dotted path: the short lists nested blocks and container definitions
/// make (under ten elements) without the formatting machinery.
fn push_index(path: &mut String, i: usize) {
    path.push('.');
    match u8::try_from(i) {
        Ok(d) if d < 10 => path.push(char::from(b'0' + d)),
        _ => {
            use std::fmt::Write as _;
            let _ = write!(path, "{i}");
        }
    }
}

/// References without repeats, in order: the vector itself when it has none (an unknown's
/// references are most often one or two).
fn unique(refs: Vec<Ref>) -> Vec<Ref> {
    let repeats = refs.iter().enumerate().any(|(i, r)| refs[..i].contains(r));
    if !repeats {
        return refs;
    }
    let mut out = Vec::with_capacity(refs.len());
    add_refs(&mut out, refs);
    out
}

/// Add references not yet in `refs`, in order ([`V::refs`] order: a value's own, then
/// its parts').
fn add_refs(refs: &mut Vec<Ref>, more: Vec<Ref>) {
    for r in more {
        if !refs.contains(&r) {
            refs.push(r);
        }
    }
}

/// Whether an unknown source value is certainly not null: exactly the `arn` or `id` of a
/// managed resource (`iam_role = aws_iam_role.svc.arn`, also through variables, locals and
/// module outputs). Terraform requires every managed resource instance to have an `id` once
/// created, and an ARN identifies every AWS resource that has one; a conditional or a
/// function in between (`var.legacy ? aws_iam_role.svc.arn : null`) is not exact. Also the
/// result of a function that never returns null or of a string template
/// ([`tfsource::Unknown::not_null`]: `ipv6_cidr_block = cidrsubnet(aws_vpc.this.ipv6_cidr_block,
/// 8, count.index)`): Terraform fails the plan rather than give null there.
#[cfg(test)]
fn never_null(u: &tfsource::Unknown) -> bool {
    never_null_by(u, |a| managed_resource(a))
}

/// [`never_null`], with `managed` telling whether an address is [`managed_resource`]'s.
fn never_null_by(u: &tfsource::Unknown, managed: impl FnOnce(&Arc<str>) -> bool) -> bool {
    if u.not_null {
        return true;
    }
    let [r] = u.refs.as_slice() else {
        return false;
    };
    u.exact && matches!(&*r.attribute, "arn" | "id") && managed(&r.address)
}

/// Whether an address is a managed resource's.
fn managed_resource(address: &str) -> bool {
    tfsource::address::Borrowed::scan(address, |_, _| {})
        // Resource types are `PROVIDER_TYPE`; `var`, `local`, `each`, `self` are not.
        .is_some_and(|a| !a.data && a.rtype.contains('_'))
}

/// For each plan element, the index of the source element it is merged with (a
/// permutation; see the call).
fn pair(xs: &[J], items: &[V]) -> Vec<usize> {
    // Quadratic: only for the short lists nested blocks make.
    if xs.len() > 32 {
        return (0..xs.len()).collect();
    }
    let mut used = vec![false; items.len()];
    let mut out = vec![usize::MAX; xs.len()];
    for (i, x) in xs.iter().enumerate() {
        if let Some(j) = (0..items.len()).find(|&j| !used[j] && agrees(x, &items[j])) {
            used[j] = true;
            out[i] = j;
        }
    }
    for (i, slot) in out.iter_mut().enumerate() {
        if *slot == usize::MAX {
            let j = if !used[i] {
                i
            } else {
                used.iter().position(|u| !u).unwrap_or(i)
            };
            used[j] = true;
            *slot = j;
        }
    }
    out
}

/// Two sensitivity mirrors together: marked where either marks.
fn union(a: &J, b: J) -> J {
    match (a, b) {
        (J::Bool(true), _) | (_, J::Bool(true)) => J::Bool(true),
        (J::Object(x), J::Object(mut y)) => {
            for (k, v) in x {
                let merged = union(v, y.remove(k).unwrap_or(J::Null));
                y.insert(k.clone(), merged);
            }
            J::Object(y)
        }
        (J::Array(x), J::Array(y)) => {
            let n = x.len().max(y.len());
            let mut y = y.into_iter();
            J::Array(
                (0..n)
                    .map(|i| union(x.get(i).unwrap_or(&J::Null), y.next().unwrap_or(J::Null)))
                    .collect(),
            )
        }
        (J::Null | J::Bool(false), b) => b,
        (a, _) => a.clone(),
    }
}

/// An array node from its elements' (after, unknown mirror, sensitivity) triples.
fn array_of(parts: Vec<(J, J, J)>) -> (J, J, J) {
    let mut a = Vec::with_capacity(parts.len());
    let mut u = Vec::with_capacity(parts.len());
    // The sensitivity mirror is made only once an element has marks (most have none).
    let mut s: Option<Vec<J>> = None;
    let or_false = |x: J| if x.is_null() { J::Bool(false) } else { x };
    for (i, (na, nu, ns)) in parts.into_iter().enumerate() {
        a.push(na);
        u.push(or_false(nu));
        if s.is_none() && !matches!(ns, J::Null | J::Bool(false)) {
            s = Some(vec![J::Bool(false); i]);
        }
        if let Some(s) = &mut s {
            s.push(or_false(ns));
        }
    }
    (J::Array(a), J::Array(u), s.map_or(J::Null, J::Array))
}

fn object_or_null(m: Map<String, J>) -> J {
    if m.is_empty() {
        J::Null
    } else {
        J::Object(m)
    }
}

/// Whether a mirror tree marks anything.
fn any_true(v: &J) -> bool {
    match v {
        J::Bool(b) => *b,
        J::Array(a) => a.iter().any(any_true),
        J::Object(o) => o.values().any(any_true),
        _ => false,
    }
}

/// Whether a known plan value and a wholly known source value say the same, allowing for
/// what providers normalise: numbers written as strings, letter case, set order, JSON
/// text (compared by neither: providers rewrite it), empty versus absent collections.
fn agrees(plan: &J, v: &V) -> bool {
    match (plan, v) {
        (J::Null, _) | (_, V::Null) | (_, V::Unknown(_)) => true,
        (J::String(p), V::String(s)) => {
            let json_like = |x: &str| x.trim_start().starts_with(['{', '[']);
            json_like(p) || json_like(s) || p.eq_ignore_ascii_case(s)
        }
        (J::Number(p), _) => match (p.as_f64(), v.as_f64()) {
            (Some(a), Some(b)) => (a - b).abs() < 1e-9,
            _ => true,
        },
        (J::String(p), V::Number(_) | V::Bool(_)) => {
            v.to_template_string().is_some_and(|s| &s == p)
        }
        (J::Bool(p), _) => v.as_bool().is_none_or(|b| b == *p),
        (J::Array(xs), V::List(items)) => {
            if xs.len() != items.len() {
                return xs.is_empty() && items.is_empty();
            }
            // Sets come back in the provider's order: every source element must agree
            // with some plan element.
            items.iter().all(|i| xs.iter().any(|x| agrees(x, i)))
        }
        (J::Object(o), V::Map(m)) => m
            .iter()
            .all(|(k, sv)| o.get(k).is_none_or(|p| agrees(p, sv))),
        (J::Array(xs), V::Map(_)) if xs.len() == 1 => agrees(&xs[0], v),
        (J::Object(_), V::List(items)) if items.len() == 1 => agrees(plan, &items[0]),
        _ => true,
    }
}

#[cfg(test)]
mod tests;
