//! Reads one plan the way ecsnet does, for benchmarks (`scripts/bench.sh`).
//!
//! ```text
//! plan_load FILE            # plan::load: prints counts and the time taken
//! plan_load --floor FILE    # the floor: read the bytes and parse them into IgnoredAny
//! ```

use std::time::Instant;

use ecsnet::plan::{self, LoadOptions};

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (floor, file) = match args.as_slice() {
        [f, file] if f == "--floor" => (true, file.clone()),
        [file] => (false, file.clone()),
        _ => {
            eprintln!("usage: plan_load [--floor] FILE");
            return std::process::ExitCode::from(2);
        }
    };
    let start = Instant::now();
    if floor {
        let bytes = match std::fs::read(&file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("cannot read {file}: {e}");
                return std::process::ExitCode::from(2);
            }
        };
        if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(&bytes) {
            eprintln!("{file}: {e}");
            return std::process::ExitCode::from(2);
        }
        println!(
            "floor: {} bytes parsed in {:.3}s",
            bytes.len(),
            start.elapsed().as_secs_f64()
        );
        return std::process::ExitCode::SUCCESS;
    }
    match plan::load(&file, &LoadOptions::default()) {
        Ok(p) => {
            let services = p.resources_of_type("aws_ecs_service").count();
            let tds = p.resources_of_type("aws_ecs_task_definition").count();
            println!(
                "plan::load: {} instances, {} kept ({services} services, {tds} task definitions) in {:.3}s",
                p.resource_count,
                p.resources.len(),
                start.elapsed().as_secs_f64()
            );
            // As `ecsnet check` does: the process ends here, and the OS takes the memory
            // back at once, so the plan is not freed piece by piece.
            std::mem::forget(p);
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::ExitCode::from(2)
        }
    }
}
