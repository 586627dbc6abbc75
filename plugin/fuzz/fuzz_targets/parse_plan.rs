//! Any bytes: `parse_bytes` returns a plan or a one-line error, and never panics, hangs or
//! overflows the stack. When it returns a plan, reading every kept attribute and following
//! every configuration reference must not panic either.
#![no_main]

use ecsnet::plan::{self, LoadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = LoadOptions {
        // A binary plan (zip) must not spawn anything while fuzzing.
        terraform_bin: Some("/nonexistent/terraform".into()),
        max_bytes: 1 << 20,
    };
    match plan::parse_bytes(data, "fuzz.json", &opts) {
        Ok(p) => {
            for r in &p.resources {
                let root = r.values.root();
                if let Some(keys) = root.keys().get() {
                    for k in keys {
                        let a = root.get(k);
                        let _ = (a.string(), a.int(), a.bool(), a.strings(), a.items());
                        let _ = a.decode_json();
                        let _ = p.resolve_references(r, k);
                    }
                }
                let _ = root.path("network_configuration.0.subnets").strings();
            }
        }
        Err(e) => assert!(!e.message.contains('\n'), "multi-line error: {}", e.message),
    }
});
