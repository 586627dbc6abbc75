//! Putting a streamed plan (`ValidatePlanStream`) together as its chunks arrive.
//!
//! The plan reader needs the plan in one piece, so chunks are joined into one buffer, taken
//! from the call's [`Grant`]: the spare kept from an earlier call when it fits, else a new
//! one grown as data arrives (see `plan_buffer.rs`). Every byte is charged to the budget
//! before it is allocated, and each chunk's message charge is released once its bytes
//! have been copied.

use prost::bytes::Bytes;

use super::plan_buffer::{Grant, OverBudget};

#[derive(Default)]
pub enum Assembly {
    #[default]
    Empty,
    /// Only one chunk so far: kept as received, no copy; with its message's charge.
    One(Bytes, usize),
    Joined(Vec<u8>),
}

impl Assembly {
    /// Bytes received so far.
    pub fn len(&self) -> usize {
        match self {
            Assembly::Empty => 0,
            Assembly::One(b, _) => b.len(),
            Assembly::Joined(v) => v.len(),
        }
    }

    /// Appends `chunk`, the next message the call's body charged; `size_hint` is the
    /// announced total (0: unknown), already capped.
    pub fn push(
        &mut self,
        chunk: Bytes,
        size_hint: usize,
        grant: &Grant,
    ) -> Result<(), OverBudget> {
        if chunk.is_empty() {
            grant.message_dropped();
            return Ok(());
        }
        *self = match std::mem::take(self) {
            Assembly::Empty => {
                let charged = grant.message_kept();
                Assembly::One(chunk, charged)
            }
            Assembly::One(first, charged) => {
                let needed = first.len() + chunk.len();
                let mut v = grant.buffer(needed, size_hint)?;
                v.extend_from_slice(&first);
                v.extend_from_slice(&chunk);
                drop((first, chunk));
                grant.release(charged);
                grant.message_dropped();
                Assembly::Joined(v)
            }
            Assembly::Joined(mut v) => {
                grant.make_room(&mut v, chunk.len(), size_hint)?;
                v.extend_from_slice(&chunk);
                drop(chunk);
                grant.message_dropped();
                Assembly::Joined(v)
            }
        };
        Ok(())
    }

    /// The whole plan.
    pub fn finish(self) -> Bytes {
        match self {
            Assembly::Empty => Bytes::new(),
            Assembly::One(b, _) => b,
            Assembly::Joined(v) => Bytes::from(v),
        }
    }
}

/// The `stream_assembly` fuzz target's driver (`plugin/fuzz`), public for it only: plays the
/// calls `data` describes against one budget, as the handler does (each message charged as
/// its header arrives, then pushed), and checks after every step what the module promises.
/// Panics on a broken promise; bad input is never an error here.
///
/// `data`: the budget and the largest plan (two bytes each, in units of 16 bytes), then
/// operations: `0x00..=0x7f` a chunk of that many bytes taken from what follows (announcing
/// `8 × that` as the plan size when it is a call's first), `0x80..` ends the call (a call that
/// gets past its budget ends there too), odd ones giving the plan back as the next spare.
#[doc(hidden)]
pub fn fuzz_calls(data: &[u8]) {
    use super::plan_buffer::PlanBuffers;
    let Some((head, mut ops)) = data.split_first_chunk::<4>() else {
        return;
    };
    let max = usize::from(u16::from_le_bytes([head[0], head[1]])) * 16;
    let max_plan = usize::from(u16::from_le_bytes([head[2], head[3]])) * 16 + 1;
    let buffers = PlanBuffers::new(max, max_plan);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a current-thread runtime");
    while !ops.is_empty() {
        let grant = buffers.grant();
        let mut plan = Assembly::default();
        let mut sent: Vec<u8> = Vec::new();
        let mut hint = None;
        let mut give_back = false;
        // A call may take the spare, which can be larger than its plan.
        let spare = buffers.spare_capacity();
        while let Some((&op, rest)) = ops.split_first() {
            ops = rest;
            if op >= 0x80 {
                give_back = op % 2 == 1;
                break;
            }
            let n = usize::from(op).min(ops.len());
            let (chunk, rest) = ops.split_at(n);
            ops = rest;
            let hint = *hint.get_or_insert(usize::from(op) * 8);
            if grant.charge_message(n + 5).is_err() {
                break;
            }
            if plan
                .push(Bytes::copy_from_slice(chunk), hint, &grant)
                .is_err()
            {
                break;
            }
            sent.extend_from_slice(chunk);
            assert_eq!(plan.len(), sent.len());
            assert!(
                buffers.in_use() <= max,
                "{} charged of {max}",
                buffers.in_use()
            );
            assert!(grant.held() <= buffers.in_use());
            if let Assembly::Joined(v) = &plan {
                // Never more than twice what has arrived (or the spare it took), nor past
                // the largest plan unless the plan itself is; and every byte charged.
                let cap = v.capacity();
                assert!(cap <= (2 * v.len()).max(spare), "{cap} for {}", v.len());
                assert!(cap <= max_plan.max(v.len()).max(spare));
                assert!(grant.held() >= v.capacity());
            }
        }
        let whole = plan.finish();
        if whole.len() == sent.len() {
            assert_eq!(&whole[..], &sent[..]);
        }
        if give_back {
            let _entered = runtime.enter();
            grant.give_back(whole, runtime.handle());
        } else {
            drop(whole);
        }
        drop(grant);
        // Between calls only the spare is charged, and it fits the budget.
        let spare = buffers.spare_capacity();
        assert_eq!(buffers.in_use(), spare, "charges outlive their call");
        assert!(spare <= max);
    }
}

#[cfg(test)]
mod tests {
    use super::super::plan_buffer::PlanBuffers;
    use super::*;

    /// Pushes `chunk` as the call's body and handler would: its message is charged first.
    fn push(a: &mut Assembly, chunk: &[u8], hint: usize, grant: &Grant) {
        grant.charge_message(chunk.len() + 5).unwrap();
        a.push(Bytes::copy_from_slice(chunk), hint, grant).unwrap();
    }

    #[test]
    fn chunks_join_in_order_whatever_the_size_hint() {
        let plan: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        let buffers = PlanBuffers::new(usize::MAX, usize::MAX);
        // No hint, an exact hint, one too small and one too large: same bytes every time.
        for hint in [0, plan.len(), 10, plan.len() * 3] {
            let grant = buffers.grant();
            let mut a = Assembly::default();
            for c in plan.chunks(777) {
                push(&mut a, c, hint, &grant);
                push(&mut a, &[], hint, &grant);
            }
            assert_eq!(a.len(), plan.len());
            let Assembly::Joined(v) = &a else {
                panic!("joined")
            };
            // Charged: exactly the buffer, every message's own charge released.
            assert_eq!(grant.held(), v.capacity(), "hint {hint}");
            assert!(v.capacity() <= 2 * plan.len(), "hint {hint}");
            if hint == plan.len() {
                assert_eq!(v.capacity(), plan.len(), "ends at the announced size");
            }
            assert_eq!(a.finish(), Bytes::from(plan.clone()), "hint {hint}");
        }
        // One chunk is passed through as received, its message still charged.
        let grant = buffers.grant();
        let one = Bytes::from(plan.clone());
        grant.charge_message(plan.len() + 5).unwrap();
        let mut a = Assembly::default();
        a.push(one.clone(), 0, &grant).unwrap();
        assert_eq!(grant.held(), plan.len() + 5);
        assert_eq!(a.finish().as_ptr(), one.as_ptr());
        assert!(Assembly::default().finish().is_empty());
    }

    #[test]
    fn the_fuzz_driver_plays_calls_and_checks_them() {
        // What the `stream_assembly` fuzz target runs, on inputs of each kind: chunks joined,
        // a buffer handed back and reused by the next call, a budget too small, no budget.
        let chunk = |n: u8| {
            let mut v = vec![n];
            v.extend((0..n).map(|i| i.wrapping_mul(7)));
            v
        };
        let mut calls = vec![0xff, 0x03, 0x00, 0x10]; // budget 0xffff×16, largest plan 0x1003×16+1
        for _ in 0..3 {
            for n in [1, 127, 64, 0, 3] {
                calls.extend(chunk(n));
            }
            calls.push(0x81); // end, give the plan back as the spare
        }
        calls.extend(chunk(5));
        calls.push(0x80);
        fuzz_calls(&calls);
        // A budget of 16 bytes: the first message that does not fit ends the call.
        let mut small = vec![0x01, 0x00, 0x01, 0x00];
        small.extend(chunk(100));
        small.extend(chunk(2));
        fuzz_calls(&small);
        fuzz_calls(&[0, 0, 0, 0, 7, 1, 2]);
        fuzz_calls(&[1, 2, 3]);
        // And generated inputs: small budgets and plan caps, so every limit is reached.
        let mut state = 0x853c_49e6_748f_ea9bu64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        };
        for _ in 0..5_000 {
            let len = usize::from(next()) * 4;
            let mut data: Vec<u8> = (0..len).map(|_| next()).collect();
            if let Some(h) = data.get_mut(..4) {
                h[1] %= 2;
                h[3] %= 2;
            }
            fuzz_calls(&data);
        }
    }

    #[test]
    fn a_plan_past_the_budget_is_refused_while_it_arrives() {
        let buffers = PlanBuffers::new(64 << 10, usize::MAX);
        let grant = buffers.grant();
        let mut a = Assembly::default();
        let chunk = vec![b'x'; 4096];
        let refused = (0..100).find_map(|_| {
            grant.charge_message(chunk.len()).err().or_else(|| {
                a.push(Bytes::copy_from_slice(&chunk), 1 << 30, &grant)
                    .err()
            })
        });
        let e = refused.expect("refused before 400 KB arrive");
        assert_eq!(e.max, 64 << 10);
        assert!(a.len() <= 64 << 10);
        assert!(buffers.in_use() <= 64 << 10);
        drop((a, grant));
        assert_eq!(buffers.in_use(), 0);
    }

    #[test]
    fn a_buffer_given_back_is_used_for_the_next_plan() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let buffers = PlanBuffers::new(usize::MAX, usize::MAX);
        let plan = vec![b'x'; 64 << 10];
        let assemble = |grant: &Grant| {
            let mut a = Assembly::default();
            for c in plan.chunks(4096) {
                push(&mut a, c, plan.len(), grant);
            }
            a.finish()
        };
        let grant = buffers.grant();
        let first = assemble(&grant);
        let at = first.as_ptr();
        grant.give_back(first, rt.handle());
        let second = assemble(&buffers.grant());
        assert_eq!(second.as_ptr(), at, "the same buffer, reused");
        assert_eq!(second, plan, "and it holds the new plan only");
    }
}
