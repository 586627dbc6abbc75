//! The memory plans are received into: one budget shared by every call, and the buffer kept
//! between calls.
//!
//! **Budget.** Every byte a call holds for its plan is charged to [`PlanBuffers`] before it
//! is allocated, and a call that would take the total past the budget
//! (`ECSNET_PLUGIN_MAX_INFLIGHT_BYTES`) fails instead of allocating. Charged are: each gRPC
//! message's declared length when its header arrives (tonic reserves that much to receive
//! it; see `limits.rs`), and the buffer a streamed plan is put together in. That buffer is
//! grown as data arrives, never sized from the client's word alone: each step at most
//! doubles it, so it never holds more than twice what has arrived, and the size the header
//! announced only caps the steps, so a plan whose size was announced ends in a buffer of
//! exactly that size. A call's charges ([`Grant`]) are released when it ends.
//!
//! **Kept buffer.** Memory fresh from the kernel is faulted in a page at a time as it is
//! first written: about 25,000 faults for a 100 MB plan. On the machine this was measured on,
//! the plugin bench copies a 105 MB plan into fresh memory in about 55 ms and into memory in
//! use in under 10 ms, and the plugin receives it in about 100 ms with a fresh buffer against
//! 68–71 ms with a kept one (`BENCH_VERBOSE=1 make bench` shows its receive times). A host
//! that validates several plans in a row (one per workspace, say) would pay that on every
//! call. So once a check is done, the buffer its plan arrived in is kept as a spare for the
//! next call, and handed back to the kernel after [`IDLE`] without calls. At most one spare
//! is kept (the largest recent one). It counts against the budget like a call's buffer, and
//! is the first thing freed when a call needs the room.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use prost::bytes::Bytes;

/// How long a spare buffer is kept when no call comes.
pub const IDLE: Duration = Duration::from_secs(60);

/// The budget and the spare, shared by every call (cheap to clone).
#[derive(Clone)]
pub struct PlanBuffers {
    shared: Arc<Shared>,
}

struct Shared {
    /// The budget, in bytes.
    max: usize,
    /// The largest plan accepted: no buffer grows past it.
    max_plan: usize,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Charged by calls and the spare.
    used: usize,
    spare: Option<Vec<u8>>,
    /// Bumped whenever a buffer is given back, so an idle timer started earlier knows a
    /// newer call has been served since and leaves the spare alone.
    generation: u64,
}

/// A charge the budget could not take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OverBudget {
    /// What was asked for.
    pub wanted: usize,
    /// Charged by every call (and the spare) at the time.
    pub in_use: usize,
    pub max: usize,
}

impl PlanBuffers {
    /// A budget of `max` bytes for plans being received, none larger than `max_plan`.
    pub fn new(max: usize, max_plan: usize) -> PlanBuffers {
        PlanBuffers {
            shared: Arc::new(Shared {
                max,
                max_plan,
                state: Mutex::new(State::default()),
            }),
        }
    }

    pub fn max(&self) -> usize {
        self.shared.max
    }

    /// Bytes charged now, by calls and the spare.
    pub fn in_use(&self) -> usize {
        self.lock().used
    }

    /// A new call's account, holding nothing yet.
    pub fn grant(&self) -> Grant {
        Grant {
            buffers: self.clone(),
            state: Mutex::new(GrantState::default()),
        }
    }

    /// Charges `n` bytes, freeing the spare first if that makes the room.
    fn reserve(&self, n: usize) -> Result<(), OverBudget> {
        let mut state = self.lock();
        let fits = |used: usize| used.checked_add(n).is_some_and(|t| t <= self.shared.max);
        let mut evicted = None;
        if !fits(state.used) && state.spare.is_some() {
            evicted = state.spare.take();
            state.used -= evicted.as_ref().map_or(0, Vec::capacity);
        }
        let result = if fits(state.used) {
            state.used += n;
            Ok(())
        } else {
            Err(OverBudget {
                wanted: n,
                in_use: state.used,
                max: self.shared.max,
            })
        };
        drop(state);
        free(evicted);
        result
    }

    fn release(&self, n: usize) {
        let mut state = self.lock();
        state.used = state.used.saturating_sub(n);
    }

    /// Drops the spare unless a buffer has been given back after `generation`.
    fn release_if_idle_since(&self, generation: u64) {
        let freed = {
            let mut state = self.lock();
            if state.generation == generation {
                let spare = state.spare.take();
                state.used -= spare.as_ref().map_or(0, Vec::capacity);
                spare
            } else {
                None
            }
        };
        drop(freed);
    }

    /// The capacity of the spare kept now (0: none).
    pub fn spare_capacity(&self) -> usize {
        self.lock().spare.as_ref().map_or(0, Vec::capacity)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is plain counters and an optional buffer, updated together under the
        // lock: a panic elsewhere cannot leave it half-written.
        self.shared
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Frees a large buffer off the async threads when called on one (freeing hundreds of MB
/// takes milliseconds).
fn free(buffer: Option<Vec<u8>>) {
    let Some(buffer) = buffer else { return };
    match tokio::runtime::Handle::try_current() {
        Ok(rt) => drop(rt.spawn_blocking(move || drop(buffer))),
        Err(_) => drop(buffer),
    }
}

/// What one call holds against the budget; all of it is released when the call's grant is
/// dropped. Shared by the call's request body (which charges messages as their headers
/// arrive) and its handler (which puts the plan together).
pub struct Grant {
    buffers: PlanBuffers,
    state: Mutex<GrantState>,
}

#[derive(Default)]
struct GrantState {
    /// Everything charged for this call.
    held: usize,
    /// Lengths of the messages charged and not yet taken by the handler, oldest first.
    messages: VecDeque<usize>,
}

impl Grant {
    /// Bytes this call holds against the budget.
    pub fn held(&self) -> usize {
        self.lock().held
    }

    /// Charges a message of `len` bytes whose header has arrived.
    pub fn charge_message(&self, len: usize) -> Result<(), OverBudget> {
        let mut state = self.lock();
        self.buffers.reserve(len)?;
        state.held += len;
        state.messages.push_back(len);
        Ok(())
    }

    /// The handler took the oldest message and keeps its bytes: its charge stays with the
    /// call (release it with [`Grant::release`]). Returns what it was charged.
    pub fn message_kept(&self) -> usize {
        self.lock().messages.pop_front().unwrap_or(0)
    }

    /// The handler took the oldest message and has let go of its bytes.
    pub fn message_dropped(&self) {
        let len = self.message_kept();
        self.release(len);
    }

    /// Releases `n` bytes of this call's charges.
    pub fn release(&self, n: usize) {
        let mut state = self.lock();
        let n = n.min(state.held);
        state.held -= n;
        self.buffers.release(n);
    }

    fn charge(&self, n: usize) -> Result<(), OverBudget> {
        let mut state = self.lock();
        self.buffers.reserve(n)?;
        state.held += n;
        Ok(())
    }

    /// A buffer for a streamed plan of which `needed` bytes have arrived, `hint` the size
    /// announced (0: none): the spare when it can hold what has arrived (memory already
    /// held, so it costs the budget nothing new), a new one otherwise.
    pub fn buffer(&self, needed: usize, hint: usize) -> Result<Vec<u8>, OverBudget> {
        {
            let mut state = self.lock();
            let mut buffers = self.buffers.lock();
            if buffers
                .spare
                .as_ref()
                .is_some_and(|s| s.capacity() >= needed)
            {
                let mut spare = buffers.spare.take().unwrap_or_default();
                // Its charge moves from the spare to this call.
                state.held += spare.capacity();
                spare.clear();
                return Ok(spare);
            }
        }
        let mut v = Vec::new();
        self.make_room(&mut v, needed, hint)?;
        Ok(v)
    }

    /// Makes room in `buf` for `extra` more bytes, charging the growth first (see the
    /// module's documentation for how much it grows).
    pub fn make_room(
        &self,
        buf: &mut Vec<u8>,
        extra: usize,
        hint: usize,
    ) -> Result<(), OverBudget> {
        let needed = buf.len().saturating_add(extra);
        let cap = buf.capacity();
        if needed <= cap {
            return Ok(());
        }
        let target = next_capacity(cap, needed, hint, self.buffers.shared.max_plan);
        // When the budget cannot give the step, exactly what is needed may still fit.
        let target = match self.charge(target - cap) {
            Ok(()) => target,
            Err(e) if target > needed => {
                self.charge(needed - cap).map_err(|_| e)?;
                needed
            }
            Err(e) => return Err(e),
        };
        buf.reserve_exact(target - buf.len());
        // The allocator may round up; what is held is what is charged.
        if buf.capacity() > target {
            self.lock().held += buf.capacity() - target;
            self.buffers.lock().used += buf.capacity() - target;
        }
        Ok(())
    }

    /// The call is over: its charges end, and `plan`'s allocation is kept as the spare when
    /// nothing else refers to it and it is larger than the spare already kept (then charged
    /// as the spare); it is released after [`IDLE`] unless another call comes first. Runs on
    /// a blocking thread (it may free a large buffer), inside the runtime whose handle is
    /// given.
    pub fn give_back(&self, plan: Bytes, runtime: &tokio::runtime::Handle) {
        let buffer = plan.try_into_mut().ok().map(|mut owned| {
            // Emptied first, so turning it into a Vec moves no bytes.
            owned.clear();
            Vec::from(owned)
        });
        let mut state = self.lock();
        let mut buffers = self.buffers.lock();
        let held = std::mem::take(&mut state.held);
        state.messages.clear();
        buffers.used = buffers.used.saturating_sub(held);
        let Some(buffer) = buffer else {
            return;
        };
        buffers.generation += 1;
        let generation = buffers.generation;
        let spare = buffers.spare.as_ref().map_or(0, Vec::capacity);
        let room = (self.buffers.shared.max).saturating_sub(buffers.used.saturating_sub(spare));
        let freed = if buffer.capacity() > spare && buffer.capacity() <= room {
            buffers.used = buffers.used.saturating_sub(spare) + buffer.capacity();
            buffers.spare.replace(buffer)
        } else {
            Some(buffer)
        };
        drop(buffers);
        drop(state);
        // The smaller one is freed here, outside the caller's answer path.
        drop(freed);
        let kept = self.buffers.clone();
        runtime.spawn(async move {
            tokio::time::sleep(IDLE).await;
            kept.release_if_idle_since(generation);
        });
    }

    fn lock(&self) -> MutexGuard<'_, GrantState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for Grant {
    fn drop(&mut self) {
        let held = std::mem::take(&mut self.lock().held);
        self.buffers.release(held);
    }
}

/// The capacity a buffer of capacity `cap` grows to when `needed` bytes must fit: twice
/// `cap` (twice `needed` for a new buffer), so a plan arriving in many chunks is moved few
/// times; never past the announced size `hint` when it covers what is needed, nor past the
/// largest plan accepted. Never more than twice `needed`.
fn next_capacity(cap: usize, needed: usize, hint: usize, max_plan: usize) -> usize {
    let mut target = if cap == 0 {
        needed.saturating_mul(2)
    } else {
        needed.max(cap.saturating_mul(2))
    };
    if hint >= needed {
        target = target.min(hint);
    }
    target.min(max_plan).max(needed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap()
    }

    const MIB: usize = 1 << 20;

    fn buffers(max: usize) -> PlanBuffers {
        PlanBuffers::new(max, 1 << 30)
    }

    #[test]
    fn growth_follows_the_data_and_stops_at_the_announced_size() {
        // A new buffer: twice what has arrived, or the announced size when smaller.
        assert_eq!(next_capacity(0, 2 * MIB, 0, usize::MAX), 4 * MIB);
        assert_eq!(next_capacity(0, 2 * MIB, 3 * MIB, usize::MAX), 3 * MIB);
        // Never on the client's word alone: a 100 GB announcement changes nothing.
        assert_eq!(next_capacity(0, 2 * MIB, 100 << 30, usize::MAX), 4 * MIB);
        assert_eq!(
            next_capacity(4 * MIB, 5 * MIB, 100 << 30, usize::MAX),
            8 * MIB
        );
        // The last step ends at the announced size.
        assert_eq!(
            next_capacity(64 * MIB, 65 * MIB, 105 * MIB, usize::MAX),
            105 * MIB
        );
        // An announcement too small is ignored; the cap on plans applies.
        assert_eq!(next_capacity(4 * MIB, 5 * MIB, MIB, usize::MAX), 8 * MIB);
        assert_eq!(next_capacity(4 * MIB, 5 * MIB, 0, 6 * MIB), 6 * MIB);
        // Whatever the inputs, what is needed fits and at most twice it is taken.
        for (cap, needed, hint) in [(0, 1, 0), (3, 7, 5), (100, 101, 1000), (0, 9, 9)] {
            let t = next_capacity(cap, needed, hint, usize::MAX);
            assert!(
                t >= needed && t <= 2 * needed,
                "{cap} {needed} {hint} → {t}"
            );
        }
    }

    #[test]
    fn charges_are_released_when_the_call_ends() {
        let b = buffers(10 * MIB);
        let g = b.grant();
        g.charge_message(MIB).unwrap();
        let mut v = g.buffer(MIB, 0).unwrap();
        assert_eq!(v.capacity(), 2 * MIB);
        assert_eq!(b.in_use(), 3 * MIB);
        g.message_dropped();
        assert_eq!(b.in_use(), 2 * MIB);
        v.extend_from_slice(&[1; MIB]);
        g.make_room(&mut v, MIB + 1, 0).unwrap();
        assert_eq!(v.capacity(), 4 * MIB);
        assert_eq!((g.held(), b.in_use()), (4 * MIB, 4 * MIB));
        drop(g);
        assert_eq!(b.in_use(), 0);
    }

    #[test]
    fn the_budget_is_shared_and_refuses_beyond_it() {
        let b = buffers(8 * MIB);
        let a = b.grant();
        let c = b.grant();
        a.charge_message(5 * MIB).unwrap();
        let e = c.charge_message(4 * MIB).unwrap_err();
        assert_eq!(
            e,
            OverBudget {
                wanted: 4 * MIB,
                in_use: 5 * MIB,
                max: 8 * MIB
            }
        );
        // A growth step that does not fit falls back to exactly what is needed.
        let mut v = Vec::new();
        c.make_room(&mut v, 2 * MIB, 0).unwrap();
        assert_eq!(v.capacity(), 2 * MIB, "exactly what was needed");
        v.extend_from_slice(&[0; 2 * MIB]);
        assert!(c.make_room(&mut v, 2 * MIB, 0).is_err());
        drop(a);
        c.make_room(&mut v, 2 * MIB, 0).unwrap();
        assert_eq!(b.in_use(), c.held());
    }

    #[test]
    fn a_buffer_given_back_is_reused_for_a_plan_that_fits() {
        let rt = runtime();
        let b = buffers(usize::MAX);
        let g = b.grant();
        let mut v = g.buffer(MIB, MIB).unwrap();
        v.extend_from_slice(b"{\"format_version\":\"1.2\"}");
        let ptr = v.as_ptr();
        g.give_back(Bytes::from(v), rt.handle());
        assert!(b.spare_capacity() >= MIB);
        assert_eq!(b.in_use(), b.spare_capacity(), "the spare is charged");
        drop(g);
        assert_eq!(b.in_use(), b.spare_capacity());
        let g = b.grant();
        let again = g.buffer(4096, 0).unwrap();
        assert_eq!(again.as_ptr(), ptr, "the same allocation comes back");
        assert!(again.is_empty(), "and it comes back empty");
        assert_eq!(b.spare_capacity(), 0, "it is no longer spare");
        assert_eq!(g.held(), again.capacity(), "its charge moved to the call");
    }

    #[test]
    fn a_spare_too_small_is_kept_and_a_new_buffer_made() {
        let rt = runtime();
        let b = buffers(usize::MAX);
        b.grant()
            .give_back(Bytes::from(Vec::with_capacity(1024)), rt.handle());
        let big = b.grant().buffer(MIB, MIB).unwrap();
        assert!(big.capacity() >= MIB);
        assert!(b.spare_capacity() >= 1024, "the small spare stays");
    }

    #[test]
    fn the_spare_makes_room_for_a_call() {
        let rt = runtime();
        let b = buffers(4 * MIB);
        b.grant()
            .give_back(Bytes::from(Vec::with_capacity(3 * MIB)), rt.handle());
        assert_eq!(b.in_use(), 3 * MIB);
        let g = b.grant();
        g.charge_message(2 * MIB).unwrap();
        assert_eq!(b.spare_capacity(), 0, "freed for the call");
        assert_eq!(b.in_use(), 2 * MIB);
    }

    #[test]
    fn the_larger_buffer_is_kept() {
        let rt = runtime();
        let b = buffers(usize::MAX);
        let back = |cap: usize| {
            b.grant()
                .give_back(Bytes::from(Vec::with_capacity(cap)), rt.handle())
        };
        back(MIB);
        back(1024);
        assert!(b.spare_capacity() >= MIB);
        back(4 * MIB);
        assert!(b.spare_capacity() >= 4 * MIB);
        assert_eq!(b.in_use(), b.spare_capacity());
    }

    #[test]
    fn a_buffer_still_shared_is_not_kept() {
        let rt = runtime();
        let b = buffers(usize::MAX);
        let plan = Bytes::from(Vec::with_capacity(MIB));
        let _still_held = plan.clone();
        let g = b.grant();
        g.charge_message(MIB).unwrap();
        g.give_back(plan, rt.handle());
        assert_eq!(b.spare_capacity(), 0);
        assert_eq!(b.in_use(), 0, "the call's charges end all the same");
    }

    #[test]
    fn the_spare_is_released_after_the_idle_time_unless_a_call_came() {
        let rt = runtime();
        let b = buffers(usize::MAX);
        rt.block_on(async {
            let rt = tokio::runtime::Handle::current();
            b.grant()
                .give_back(Bytes::from(Vec::with_capacity(MIB)), &rt);
            tokio::time::sleep(IDLE / 2).await;
            // A later call gives a buffer back: the first timer must leave the spare alone.
            b.grant()
                .give_back(Bytes::from(Vec::with_capacity(2 * MIB)), &rt);
            tokio::time::sleep(IDLE / 2 + Duration::from_secs(1)).await;
            assert!(
                b.spare_capacity() >= 2 * MIB,
                "kept: a call came within IDLE"
            );
            tokio::time::sleep(IDLE).await;
            assert_eq!(b.spare_capacity(), 0, "released after IDLE without calls");
            assert_eq!(b.in_use(), 0);
        });
    }
}
