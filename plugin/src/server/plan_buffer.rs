//! The buffer a streamed plan is put together in, kept between calls.
//!
//! Memory fresh from the kernel is faulted in a page at a time as it is first written:
//! about 25,000 faults for a 100 MB plan. On the machine this was measured on, the plugin
//! bench copies a 105 MB plan into fresh memory in about 55 ms and into memory in use in
//! under 10 ms, and the plugin receives it in about 100 ms with a fresh buffer against
//! 68–71 ms with a kept one (`BENCH_VERBOSE=1 make bench` shows its receive times).
//! A host that validates several plans in a row (one per workspace, say) would pay that on
//! every call. So once a check is done, the buffer its plan arrived in is kept as a spare
//! for the next `ValidatePlanStream`, and handed back to the kernel after [`IDLE`] without
//! calls. At most one spare is kept (the largest recent one): concurrent calls beyond it
//! allocate as usual.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use prost::bytes::Bytes;

/// How long a spare buffer is kept when no call comes.
pub const IDLE: Duration = Duration::from_secs(60);

#[derive(Clone, Default)]
pub struct PlanBuffers {
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    spare: Option<Vec<u8>>,
    /// Bumped whenever a buffer is given back, so an idle timer started earlier knows a
    /// newer call has been served since and leaves the spare alone.
    generation: u64,
}

impl PlanBuffers {
    /// An empty buffer with room for at least `capacity` bytes: the spare when it is large
    /// enough, a new one otherwise.
    pub fn take(&self, capacity: usize) -> Vec<u8> {
        let mut state = self.lock();
        match state.spare.take() {
            Some(mut spare) if spare.capacity() >= capacity => {
                spare.clear();
                spare
            }
            other => {
                // Too small for this plan: keep it for a smaller one.
                state.spare = other;
                drop(state);
                Vec::with_capacity(capacity)
            }
        }
    }

    /// Keeps `plan`'s allocation as the spare when nothing else refers to it and it is
    /// larger than the spare already kept; it is released after [`IDLE`] unless another
    /// call comes first. Runs on a blocking thread (it may free a large buffer), inside the
    /// runtime whose handle is given.
    pub fn give_back(&self, plan: Bytes, runtime: &tokio::runtime::Handle) {
        let Ok(mut owned) = plan.try_into_mut() else {
            return;
        };
        // Emptied first, so turning it into a Vec moves no bytes.
        owned.clear();
        let buffer = Vec::from(owned);
        let generation = {
            let mut state = self.lock();
            state.generation += 1;
            let keep = state
                .spare
                .as_ref()
                .is_none_or(|spare| spare.capacity() < buffer.capacity());
            if keep {
                // The smaller one is freed here, outside the caller's answer path.
                let _smaller = state.spare.replace(buffer);
            }
            state.generation
        };
        let buffers = self.clone();
        runtime.spawn(async move {
            tokio::time::sleep(IDLE).await;
            buffers.release_if_idle_since(generation);
        });
    }

    /// Drops the spare unless a buffer has been given back after `generation`.
    fn release_if_idle_since(&self, generation: u64) {
        let freed = {
            let mut state = self.lock();
            if state.generation == generation {
                state.spare.take()
            } else {
                None
            }
        };
        drop(freed);
    }

    /// The capacity of the spare kept now (0: none).
    #[cfg(test)]
    pub fn spare_capacity(&self) -> usize {
        self.lock().spare.as_ref().map_or(0, Vec::capacity)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is two plain fields, always consistent: a panic elsewhere cannot
        // leave it half-written.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
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

    #[test]
    fn a_buffer_given_back_is_reused_for_a_plan_that_fits() {
        let rt = runtime();
        let buffers = PlanBuffers::default();
        let mut v = buffers.take(1 << 20);
        v.extend_from_slice(b"{\"format_version\":\"1.2\"}");
        let ptr = v.as_ptr();
        buffers.give_back(Bytes::from(v), rt.handle());
        assert!(buffers.spare_capacity() >= 1 << 20);
        let again = buffers.take(4096);
        assert_eq!(again.as_ptr(), ptr, "the same allocation comes back");
        assert!(again.is_empty(), "and it comes back empty");
        assert_eq!(buffers.spare_capacity(), 0, "it is no longer spare");
    }

    #[test]
    fn a_spare_too_small_is_kept_and_a_new_buffer_made() {
        let rt = runtime();
        let buffers = PlanBuffers::default();
        buffers.give_back(Bytes::from(Vec::with_capacity(1024)), rt.handle());
        let big = buffers.take(1 << 20);
        assert!(big.capacity() >= 1 << 20);
        assert!(buffers.spare_capacity() >= 1024, "the small spare stays");
    }

    #[test]
    fn the_larger_buffer_is_kept() {
        let rt = runtime();
        let buffers = PlanBuffers::default();
        buffers.give_back(Bytes::from(Vec::with_capacity(1 << 20)), rt.handle());
        buffers.give_back(Bytes::from(Vec::with_capacity(1024)), rt.handle());
        assert!(buffers.spare_capacity() >= 1 << 20);
        buffers.give_back(Bytes::from(Vec::with_capacity(4 << 20)), rt.handle());
        assert!(buffers.spare_capacity() >= 4 << 20);
    }

    #[test]
    fn a_buffer_still_shared_is_not_kept() {
        let rt = runtime();
        let buffers = PlanBuffers::default();
        let plan = Bytes::from(Vec::with_capacity(1 << 20));
        let _still_held = plan.clone();
        buffers.give_back(plan, rt.handle());
        assert_eq!(buffers.spare_capacity(), 0);
    }

    #[test]
    fn the_spare_is_released_after_the_idle_time_unless_a_call_came() {
        let rt = runtime();
        let buffers = PlanBuffers::default();
        rt.block_on(async {
            buffers.give_back(
                Bytes::from(Vec::with_capacity(1 << 20)),
                &tokio::runtime::Handle::current(),
            );
            tokio::time::sleep(IDLE / 2).await;
            // A later call gives a buffer back: the first timer must leave the spare alone.
            buffers.give_back(
                Bytes::from(Vec::with_capacity(2 << 20)),
                &tokio::runtime::Handle::current(),
            );
            tokio::time::sleep(IDLE / 2 + Duration::from_secs(1)).await;
            assert!(
                buffers.spare_capacity() >= 2 << 20,
                "kept: a call came within IDLE"
            );
            tokio::time::sleep(IDLE).await;
            assert_eq!(
                buffers.spare_capacity(),
                0,
                "released after IDLE without calls"
            );
        });
    }
}
