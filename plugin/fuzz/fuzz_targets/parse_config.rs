//! `.ecsnet.hcl` on any bytes: `config::parse_str` returns a configuration or one error line
//! that names the file, and never panics, hangs or overflows the stack. A configuration it
//! accepts is then used for a whole check of the sample plan (assumptions, rule settings,
//! ignore blocks matched against its findings), which must not panic either.
//! Seed it with `testdata/scenarios/*/*/.ecsnet.hcl` and the README's example.
#![no_main]

use ecsnet::config;
use libfuzzer_sys::fuzz_target;

const PLAN: &[u8] = include_bytes!("../../../testdata/scenarios/sample/shop/plan.json");

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match config::parse_str(text, "fuzz.ecsnet.hcl") {
        Ok(_) => {
            let opts = ecsnet::engine::CheckOptions::default();
            if let Err(e) = ecsnet::engine::check_bytes(PLAN, "shop.json", Some(text), &opts) {
                assert!(!e.message.contains('\n'), "multi-line error: {}", e.message);
            }
        }
        Err(e) => {
            let msg = e.to_string();
            assert!(!msg.contains('\n'), "multi-line error: {msg}");
            assert!(msg.contains("fuzz.ecsnet.hcl"), "the file is not named: {msg}");
        }
    }
});
