//! Putting a streamed plan (`ValidatePlanStream`) together as its chunks arrive.
//!
//! The plan reader needs the plan in one piece, so chunks are joined into one buffer. It is
//! sized once, by the size the header announced (growing by doubling would copy a large
//! plan several times over), and taken from [`PlanBuffers`], so a buffer already in memory
//! is reused.

use prost::bytes::Bytes;

use super::plan_buffer::PlanBuffers;

#[derive(Default)]
pub enum Assembly {
    #[default]
    Empty,
    /// Only one chunk so far: kept as received, no copy.
    One(Bytes),
    Joined(Vec<u8>),
}

impl Assembly {
    /// Bytes received so far.
    pub fn len(&self) -> usize {
        match self {
            Assembly::Empty => 0,
            Assembly::One(b) => b.len(),
            Assembly::Joined(v) => v.len(),
        }
    }

    /// Appends `chunk`; `size_hint` is the announced total (0: unknown), already capped.
    pub fn push(&mut self, chunk: Bytes, size_hint: usize, buffers: &PlanBuffers) {
        if chunk.is_empty() {
            return;
        }
        *self = match std::mem::take(self) {
            Assembly::Empty => Assembly::One(chunk),
            Assembly::One(first) => {
                let needed = first.len() + chunk.len();
                let mut v = buffers.take(size_hint.max(needed));
                v.extend_from_slice(&first);
                v.extend_from_slice(&chunk);
                Assembly::Joined(v)
            }
            Assembly::Joined(mut v) => {
                v.extend_from_slice(&chunk);
                Assembly::Joined(v)
            }
        };
    }

    /// The whole plan.
    pub fn finish(self) -> Bytes {
        match self {
            Assembly::Empty => Bytes::new(),
            Assembly::One(b) => b,
            Assembly::Joined(v) => Bytes::from(v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_join_in_order_whatever_the_size_hint() {
        let plan: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        let buffers = PlanBuffers::default();
        // No hint, an exact hint, one too small and one too large: same bytes every time.
        for hint in [0, plan.len(), 10, plan.len() * 3] {
            let mut a = Assembly::default();
            for c in plan.chunks(777) {
                a.push(Bytes::copy_from_slice(c), hint, &buffers);
                a.push(Bytes::new(), hint, &buffers);
            }
            assert_eq!(a.len(), plan.len());
            assert_eq!(a.finish(), Bytes::from(plan.clone()), "hint {hint}");
        }
        // One chunk is passed through as received.
        let one = Bytes::from(plan.clone());
        let mut a = Assembly::default();
        a.push(one.clone(), 0, &buffers);
        assert_eq!(a.finish().as_ptr(), one.as_ptr());
        assert!(Assembly::default().finish().is_empty());
    }

    #[test]
    fn a_buffer_given_back_is_used_for_the_next_plan() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let buffers = PlanBuffers::default();
        let plan = vec![b'x'; 64 << 10];
        let assemble = || {
            let mut a = Assembly::default();
            for c in plan.chunks(4096) {
                a.push(Bytes::copy_from_slice(c), plan.len(), &buffers);
            }
            a.finish()
        };
        let first = assemble();
        let at = first.as_ptr();
        buffers.give_back(first, rt.handle());
        let second = assemble();
        assert_eq!(second.as_ptr(), at, "the same buffer, reused");
        assert_eq!(second, plan, "and it holds the new plan only");
    }
}
