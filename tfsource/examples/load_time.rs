//! Times `Sources::load` on a root module directory, and with a plan `Sources::locate` of
//! every resource of the plan: `load_time DIR [ROUNDS] [PLAN]`.
fn main() {
    let mut a = std::env::args().skip(1);
    let dir = a.next().expect("DIR");
    let rounds: usize = a.next().and_then(|r| r.parse().ok()).unwrap_or(10);
    let addresses: Vec<String> = a
        .next()
        .map(|p| {
            let plan: serde_json::Value =
                serde_json::from_slice(&std::fs::read(p).expect("read PLAN")).expect("PLAN");
            plan["resource_changes"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| r["address"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let (mut load, mut locate) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = std::time::Instant::now();
        let s = tfsource::Sources::load(std::path::Path::new(&dir)).expect("load");
        load.push(t.elapsed().as_secs_f64() * 1e3);
        let t = std::time::Instant::now();
        let found = addresses
            .iter()
            .filter(|a| {
                s.locate(a, Some("network_configuration[0].subnets"))
                    .is_some()
            })
            .count();
        locate.push(t.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(found);
        std::mem::forget(s); // as the CLI, which exits without freeing
    }
    for (what, mut t) in [("load", load), ("locate", locate)] {
        t.sort_by(f64::total_cmp);
        println!(
            "{what}: median {:.2} ms, best {:.2} ms",
            t[t.len() / 2],
            t[0]
        );
    }
    println!("{} addresses", addresses.len());
}
