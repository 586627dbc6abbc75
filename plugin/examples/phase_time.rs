//! CPU time of each step of `ecsnet check` after the plan is read, for profiling
//! (`cargo run --profile profiling -p ecsnet --example phase_time -- PLAN [ROUNDS]`):
//! building the model, the rules, placing and locating the findings, the configuration,
//! sorting and fingerprinting (`Report::new`) writing the JSON report and the
//! note on what the sources would settle. CPU time is the
//! process's (user + system, every thread), read at each step's boundaries; each step is
//! run ROUNDS times on the same plan and the median printed.

use ecsnet::config::Config;
use ecsnet::engine::{self, CheckOptions};
use ecsnet::plan::{self, LoadOptions};
use ecsnet::report::{self, Format, RenderOptions};

fn cpu() -> f64 {
    let mut u = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given.
    let u = unsafe {
        libc::getrusage(libc::RUSAGE_SELF, u.as_mut_ptr());
        u.assume_init()
    };
    let t = |v: libc::timeval| v.tv_sec as f64 + v.tv_usec as f64 / 1e6;
    t(u.ru_utime) + t(u.ru_stime)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(file) = args.first() else {
        eprintln!("usage: phase_time PLAN [ROUNDS]");
        return std::process::ExitCode::from(2);
    };
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let t0 = cpu();
    let plans = match plan::load(file, &LoadOptions::default()) {
        Ok(p) => vec![p],
        Err(e) => {
            eprintln!("{e}");
            return std::process::ExitCode::from(2);
        }
    };
    let load = cpu() - t0;
    let config = Config::default();
    let opts = CheckOptions {
        fail_on: Some(ecsnet::config::FailOn::Never),
        ..CheckOptions::default()
    };
    let names = [
        "model::build",
        "rules::run",
        "assign + locate + config",
        "Report::new (sort, merge, fingerprint)",
        "JSON report",
        "settle note",
    ];
    let mut times = vec![Vec::new(); names.len()];
    let mut findings = 0;
    for _ in 0..rounds {
        let mut t = cpu();
        let mut lap = |i: usize| {
            let now = cpu();
            times[i].push(now - t);
            t = now;
        };
        let model = ecsnet::model::build(&plans, &config.assume);
        lap(0);
        let cx = ecsnet::rules::Context::new(&model, &config.assume);
        let mut diagnostics = ecsnet::rules::run(&cx, &engine::enabled_rules(&config));
        lap(1);
        engine::assign_plans(&model, &mut diagnostics);
        let locator = ecsnet::locate::Locator {
            plans: &plans,
            sources: &opts.sources,
        };
        locator.apply(&mut diagnostics);
        engine::apply_config(&mut diagnostics, &config);
        lap(2);
        let summaries = plans.iter().map(engine::plan_summary).collect();
        let report = engine::Report::new(summaries, diagnostics, opts.effective_fail_on(&config));
        lap(3);
        let mut bytes = 0usize;
        report::write_to(
            &report,
            Format::Json,
            RenderOptions { color: false },
            &mut |p: &str| {
                bytes += p.len();
                Ok(())
            },
        )
        .expect("writing to memory");
        lap(4);
        let note = plan::overlay::settle_note(&plans, &opts.sources, &report.diagnostics);
        std::hint::black_box(note);
        lap(5);
        findings = report.diagnostics.len();
        std::hint::black_box(bytes);
        // The CLI skips freeing these before exit: so does this.
        std::mem::forget(report);
        std::mem::forget(model);
    }
    println!("plan::load {load:.3}s; {findings} findings; median CPU of {rounds} rounds:");
    let mut total = 0.0;
    for (name, t) in names.iter().zip(times) {
        let first = t[0];
        let m = median(t);
        total += m;
        println!("  {name:<40} {m:.4}s (first round {first:.4}s)");
    }
    println!("  {:<40} {total:.4}s", "total after plan::load");
    std::process::ExitCode::SUCCESS
}
