//! Runs commands on a plan file and reports wall time, CPU time (user + system) and peak
//! memory (max RSS), all from `wait4`, next to the parse floor, with the ratios the
//! benchmark targets are stated in: wall time ≤ 1.15× the floor, CPU time ≤ 1.8× the
//! floor's, peak memory ≤ 1.2× the file size.
//!
//! ```text
//! bench_report --plan FILE --rounds 7 --floor "CMD ARGS" --run "LABEL=CMD ARGS" ...
//! bench_report --plan FILE --rounds 3 --run "LABEL=CMD ARGS" ...      # no floor: figures only
//! ```
//! `{plan}` in a command is replaced by the plan path (else the path is appended).
//!
//! With a floor, each command is measured in interleaved pairs (floor, command, floor,
//! command, …), `--rounds` pairs, so that a change in the machine's load hits both sides
//! of a pair alike; each ratio is the median of the pairs' ratios, and the times shown are
//! medians. Peak memory is the largest of the rounds.

use std::process::{Command, Stdio};
use std::time::Instant;

#[derive(Clone)]
struct Measure {
    wall: f64,
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
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
    Measure {
        wall,
        cpu: secs(usage.ru_utime) + secs(usage.ru_stime),
        max_rss_kib: usage.ru_maxrss,
        ok,
        stderr,
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// The figures of one command over its rounds.
struct Row {
    wall: f64,
    cpu: f64,
    max_rss_kib: i64,
    /// Medians of the per-pair ratios to the floor (with a floor).
    wall_ratio: Option<f64>,
    cpu_ratio: Option<f64>,
}

fn first_line(m: &Measure) -> String {
    m.stderr.lines().next().unwrap_or("").trim().to_string()
}

/// `rounds` runs of `cmd`, each after a run of `floor` when there is one.
fn measure(
    cmd: &str,
    floor: Option<&str>,
    plan: &str,
    rounds: usize,
) -> Result<(Row, Option<Row>), String> {
    let (mut runs, mut floors) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        if let Some(f) = floor {
            let m = run_once(f, plan);
            if !m.ok {
                return Err(format!("floor command failed: {}", first_line(&m)));
            }
            floors.push(m);
        }
        let m = run_once(cmd, plan);
        if !m.ok {
            return Err(format!("failed: {}", first_line(&m)));
        }
        runs.push(m);
    }
    let row = |ms: &[Measure], ratios: Option<(Vec<f64>, Vec<f64>)>| Row {
        wall: median(ms.iter().map(|m| m.wall).collect()),
        cpu: median(ms.iter().map(|m| m.cpu).collect()),
        max_rss_kib: ms.iter().map(|m| m.max_rss_kib).max().unwrap_or(0),
        wall_ratio: ratios.as_ref().map(|r| median(r.0.clone())),
        cpu_ratio: ratios.map(|r| median(r.1)),
    };
    if floors.is_empty() {
        return Ok((row(&runs, None), None));
    }
    let wall_ratios = runs.iter().zip(&floors).map(|(r, f)| r.wall / f.wall);
    let cpu_ratios = runs.iter().zip(&floors).map(|(r, f)| r.cpu / f.cpu);
    Ok((
        row(&runs, Some((wall_ratios.collect(), cpu_ratios.collect()))),
        Some(row(&floors, None)),
    ))
}

fn main() -> std::process::ExitCode {
    let mut plan = None;
    let mut rounds = 7;
    let mut floor = None;
    // What the floor is and what the ratios are held to (the 100 MB plan's by default).
    let mut floor_label = "floor (IgnoredAny)".to_string();
    let mut targets =
        "targets: wall ≤ 1.15 × floor, CPU ≤ 1.80 × floor, peak ≤ 1.20 × file size".to_string();
    let mut runs: Vec<(String, String)> = Vec::new();
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--plan" => plan = it.next(),
            "--rounds" => rounds = it.next().and_then(|v| v.parse().ok()).unwrap_or(7),
            "--floor" => floor = it.next(),
            "--floor-label" => floor_label = it.next().unwrap_or_default(),
            "--targets" => targets = it.next().unwrap_or_default(),
            "--run" => {
                let v = it.next().unwrap_or_default();
                let (label, cmd) = v.split_once('=').unwrap_or(("run", &v));
                runs.push((label.to_string(), cmd.to_string()));
            }
            _ => {
                eprintln!(
                    "usage: bench_report --plan FILE [--rounds N] [--floor CMD [--floor-label L] [--targets TEXT]] --run LABEL=CMD ..."
                );
                return std::process::ExitCode::from(2);
            }
        }
    }
    let Some(plan) = plan else {
        eprintln!("bench_report: --plan is required");
        return std::process::ExitCode::from(2);
    };
    let rounds = rounds.max(1);
    let size = std::fs::metadata(&plan).map(|m| m.len()).unwrap_or(0);
    let mib = |b: f64| b / (1024.0 * 1024.0);
    match &floor {
        Some(_) => println!(
            "plan: {plan} ({:.1} MiB), medians of {rounds} interleaved pairs (floor, command)",
            mib(size as f64)
        ),
        None => println!(
            "plan: {plan} ({:.1} MiB), medians of {rounds} rounds",
            mib(size as f64)
        ),
    }
    println!(
        "{:<28} {:>9} {:>8} {:>8} {:>8} {:>11} {:>8}",
        "command", "wall (s)", "× floor", "CPU (s)", "× floor", "peak (MiB)", "× file"
    );
    let ratio = |r: Option<f64>| r.map_or("-".to_string(), |r| format!("{r:.2}"));
    let print = |label: &str, r: &Row| {
        let rss = r.max_rss_kib as f64 * 1024.0;
        println!(
            "{:<28} {:>9.3} {:>8} {:>8.3} {:>8} {:>11.1} {:>8.2}",
            label,
            r.wall,
            ratio(r.wall_ratio),
            r.cpu,
            ratio(r.cpu_ratio),
            mib(rss),
            rss / size.max(1) as f64
        );
    };
    let mut failed = false;
    for (label, cmd) in &runs {
        match measure(cmd, floor.as_deref(), &plan, rounds) {
            Ok((row, floor_row)) => {
                if let Some(f) = floor_row {
                    print(&format!("  {floor_label}, paired"), &f);
                }
                print(label, &row);
            }
            Err(e) => {
                failed = true;
                println!("{label:<28} {e}");
            }
        }
    }
    if floor.is_some() {
        println!("{targets}");
    }
    if failed {
        std::process::ExitCode::from(1)
    } else {
        std::process::ExitCode::SUCCESS
    }
}
