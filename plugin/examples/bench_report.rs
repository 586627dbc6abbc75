//! Runs commands on a plan file and reports wall time and peak memory (max RSS, from
//! `wait4`) next to the parse floor, with the ratios the benchmark targets are stated in:
//! wall time ≤ 2× the floor, peak memory ≤ 2× the file size.
//!
//! ```text
//! bench_report --plan FILE --rounds 3 --floor "CMD ARGS" --run "LABEL=CMD ARGS" ...
//! ```
//! `{plan}` in a command is replaced by the plan path (else the path is appended).
//! Each command runs `--rounds` times; the best wall time and the largest RSS are kept.
//!
//! With `--pairs`, each `--run` command is instead timed against the floor in interleaved
//! pairs (floor, command, floor, command, ...), so load from other processes hits both
//! alike: the report gives the median wall and CPU time (user + system) of each and the
//! median of the per-pair ratios.

use std::process::{Command, Stdio};
use std::time::Instant;

struct Measure {
    wall: f64,
    /// User + system CPU time of the child.
    cpu: f64,
    max_rss_kib: i64,
    ok: bool,
    stderr: String,
}

fn run_once(cmd: &str, plan: &str) -> Measure {
    let mut parts: Vec<String> = cmd.split_whitespace().map(str::to_string).collect();
    if parts.iter().any(|p| p.contains("{plan}")) {
        for p in &mut parts {
            *p = p.replace("{plan}", plan);
        }
    } else {
        parts.push(plan.to_string());
    }
    let start = Instant::now();
    let child = Command::new(&parts[0])
        .args(&parts[1..])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            return Measure {
                wall: 0.0,
                cpu: 0.0,
                max_rss_kib: 0,
                ok: false,
                stderr: format!("cannot run {}: {e}", parts[0]),
            }
        }
    };
    let stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(mut e) = stderr {
            let _ = std::io::Read::read_to_string(&mut e, &mut s);
        }
        s
    });
    let mut status = 0;
    // SAFETY: plain FFI call on our own child's pid with valid out-pointers.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed().as_secs_f64();
    let stderr = reader.join().unwrap_or_default();
    let ok = r == pid && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) <= 1;
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Measure {
        wall,
        cpu: secs(usage.ru_utime) + secs(usage.ru_stime),
        max_rss_kib: usage.ru_maxrss,
        ok,
        stderr,
    }
}

fn main() -> std::process::ExitCode {
    let mut plan = None;
    let mut rounds = 3;
    let mut floor = None;
    let mut runs: Vec<(String, String)> = Vec::new();
    let mut pairs = false;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--plan" => plan = it.next(),
            "--rounds" => rounds = it.next().and_then(|v| v.parse().ok()).unwrap_or(3),
            "--floor" => floor = it.next(),
            "--pairs" => pairs = true,
            "--run" => {
                let v = it.next().unwrap_or_default();
                let (label, cmd) = v.split_once('=').unwrap_or(("run", &v));
                runs.push((label.to_string(), cmd.to_string()));
            }
            _ => {
                eprintln!(
                    "usage: bench_report --plan FILE [--rounds N] [--pairs] --floor CMD --run LABEL=CMD ..."
                );
                return std::process::ExitCode::from(2);
            }
        }
    }
    let (Some(plan), Some(floor)) = (plan, floor) else {
        eprintln!("bench_report: --plan and --floor are required");
        return std::process::ExitCode::from(2);
    };
    if pairs {
        return report_pairs(&plan, rounds, &floor, &runs);
    }
    let size = std::fs::metadata(&plan).map(|m| m.len()).unwrap_or(0);
    let mib = |b: f64| b / (1024.0 * 1024.0);
    println!(
        "plan: {plan} ({:.1} MiB), best of {rounds} rounds",
        mib(size as f64)
    );

    let measure = |cmd: &str| {
        let mut best: Option<Measure> = None;
        for _ in 0..rounds {
            let m = run_once(cmd, &plan);
            if !m.ok {
                return m;
            }
            best = Some(match best {
                None => m,
                Some(b) => Measure {
                    wall: b.wall.min(m.wall),
                    cpu: b.cpu.min(m.cpu),
                    max_rss_kib: b.max_rss_kib.max(m.max_rss_kib),
                    ok: true,
                    stderr: String::new(),
                },
            });
        }
        best.expect("at least one round")
    };

    let f = measure(&floor);
    if !f.ok {
        eprintln!("floor command failed: {}", f.stderr.trim());
        return std::process::ExitCode::from(2);
    }
    println!(
        "{:<28} {:>9} {:>11} {:>12} {:>14}",
        "command", "wall (s)", "× floor", "peak (MiB)", "× file size"
    );
    let row = |label: &str, m: &Measure| {
        let rss = m.max_rss_kib as f64 * 1024.0;
        println!(
            "{:<28} {:>9.3} {:>11.2} {:>12.1} {:>14.2}",
            label,
            m.wall,
            m.wall / f.wall,
            mib(rss),
            rss / size.max(1) as f64
        );
    };
    row("floor (IgnoredAny)", &f);
    let mut failed = false;
    for (label, cmd) in &runs {
        let m = measure(cmd);
        if m.ok {
            row(label, &m);
        } else {
            failed = true;
            let first = m.stderr.lines().next().unwrap_or("").trim().to_string();
            println!("{label:<28} failed: {first}");
        }
    }
    println!("targets: wall ≤ 2.00 × floor, peak ≤ 2.00 × file size");
    if failed {
        std::process::ExitCode::from(1)
    } else {
        std::process::ExitCode::SUCCESS
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// `--pairs`: each command against the floor in `rounds` interleaved pairs.
fn report_pairs(
    plan: &str,
    rounds: usize,
    floor: &str,
    runs: &[(String, String)],
) -> std::process::ExitCode {
    let rounds = rounds.max(1);
    println!("plan: {plan}, median of {rounds} interleaved pairs (floor, command)");
    println!(
        "{:<28} {:>9} {:>10} {:>8} {:>9} {:>10} {:>8} {:>11}",
        "command",
        "wall (s)",
        "floor (s)",
        "× floor",
        "cpu (s)",
        "floor cpu",
        "× floor",
        "peak (MiB)"
    );
    let mut failed = false;
    for (label, cmd) in runs {
        let (mut fw, mut rw, mut ratio) = (Vec::new(), Vec::new(), Vec::new());
        let (mut fc, mut rc, mut cpu_ratio) = (Vec::new(), Vec::new(), Vec::new());
        let mut rss = 0;
        let mut error = None;
        for _ in 0..rounds {
            let f = run_once(floor, plan);
            let m = run_once(cmd, plan);
            if let Some(bad) = [&f, &m].into_iter().find(|x| !x.ok) {
                error = Some(bad.stderr.lines().next().unwrap_or("").trim().to_string());
                break;
            }
            ratio.push(m.wall / f.wall);
            cpu_ratio.push(m.cpu / f.cpu.max(1e-6));
            fw.push(f.wall);
            rw.push(m.wall);
            fc.push(f.cpu);
            rc.push(m.cpu);
            rss = rss.max(m.max_rss_kib);
        }
        if let Some(e) = error {
            failed = true;
            println!("{label:<28} failed: {e}");
            continue;
        }
        println!(
            "{:<28} {:>9.4} {:>10.4} {:>8.2} {:>9.4} {:>10.4} {:>8.2} {:>11.1}",
            label,
            median(rw),
            median(fw),
            median(ratio),
            median(rc),
            median(fc),
            median(cpu_ratio),
            rss as f64 / 1024.0
        );
    }
    if failed {
        std::process::ExitCode::from(1)
    } else {
        std::process::ExitCode::SUCCESS
    }
}
