//! The whole pipeline on any bytes: plan reading, the ECS model, every rule and every report
//! format. Seeded with the project's fixtures (`make fuzz` passes testdata as the corpus) so
//! mutations start from real ECS plans and reach the rules, not just the JSON reader.
//! Invariants: no panic, a bad input is one error line, and every report renders.
#![no_main]

use ecsnet::engine::{check_bytes, CheckOptions};
use ecsnet::report::{render, Format, RenderOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Binary plans would run terraform; keep the fuzzer to JSON.
    if data.starts_with(b"PK") {
        return;
    }
    match check_bytes(data, "fuzz.json", None, &CheckOptions::default()) {
        Ok(report) => {
            for format in [Format::Text, Format::Json, Format::Sarif, Format::Junit, Format::Github] {
                let out = render(&report, format, RenderOptions::default());
                assert!(out.ends_with('\n'));
            }
        }
        Err(e) => assert!(!e.message.contains('\n'), "multi-line error: {}", e.message),
    }
});
