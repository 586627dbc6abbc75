//! CPU time of each rule on one plan, for profiling
//! (`cargo run --profile profiling -p ecsnet --example rule_time -- PLAN [ROUNDS]`):
//! the shared capacity analysis first, then every rule on its own, on one thread, inside
//! one capacity scope (so no rule pays for the analysis). Medians and minimums of ROUNDS
//! rounds, the slowest rules first, with the number of findings each makes.

use ecsnet::config::Assumptions;
use ecsnet::plan::{self, LoadOptions};

/// CPU time of the process (every thread), in seconds.
fn cpu() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes the timespec it is given.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(file) = args.first() else {
        eprintln!("usage: rule_time PLAN [ROUNDS]");
        return std::process::ExitCode::from(2);
    };
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let plans = match plan::load(file, &LoadOptions::default()) {
        Ok(p) => vec![p],
        Err(e) => {
            eprintln!("{e}");
            return std::process::ExitCode::from(2);
        }
    };
    let assume = Assumptions::default();
    let model = ecsnet::model::build(&plans, &assume);
    let rules = ecsnet::rules::all();
    let mut times = vec![Vec::new(); rules.len() + 1];
    let mut counts = vec![0; rules.len()];
    for _ in 0..rounds {
        let cx = ecsnet::rules::Context::new(&model, &assume);
        let _scope = ecsnet::capacity::memo::scope(&model, &assume);
        let t = cpu();
        std::hint::black_box(ecsnet::capacity::memo::analysis(&model, &assume));
        times[rules.len()].push(cpu() - t);
        for (i, r) in rules.iter().enumerate() {
            let mut out = Vec::new();
            let t = cpu();
            r.check(&cx, &mut out);
            times[i].push(cpu() - t);
            counts[i] = out.len();
            std::mem::forget(out);
        }
    }
    let mut rows: Vec<(f64, f64, String, usize)> = times
        .into_iter()
        .enumerate()
        .map(|(i, mut t)| {
            t.sort_by(f64::total_cmp);
            let name = rules.get(i).map_or("capacity::analyze".to_string(), |r| {
                format!("{} {}", r.meta().id, r.meta().name)
            });
            (
                t[t.len() / 2],
                t[0],
                name,
                counts.get(i).copied().unwrap_or(0),
            )
        })
        .collect();
    let total: f64 = rows.iter().map(|r| r.0).sum();
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    let least: f64 = rows.iter().map(|r| r.1).sum();
    println!(
        "CPU of {rounds} rounds, one thread: total of medians {total:.4}s, of minimums {least:.4}s"
    );
    for (t, min, name, n) in rows.iter().filter(|r| r.0 > 0.0002) {
        println!("  median {t:.4}s  min {min:.4}s  {name:<50} {n} findings");
    }
    std::process::ExitCode::SUCCESS
}
