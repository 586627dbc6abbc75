//! The plugin's stream assembly (`ValidatePlanStream`): chunks of any sizes, announced plan
//! sizes right or wrong, budgets from nothing to plenty, calls one after another handing
//! their buffer back as the next call's spare. The driver (`ecsnet::server::
//! fuzz_stream_assembly`) checks after each step that the plan is the bytes sent in order,
//! that no more is charged than the budget, that a buffer never grows past twice what has
//! arrived, and that nothing stays charged after a call but the spare.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ecsnet::server::fuzz_stream_assembly(data);
});
