//! Inputs for the growth benchmarks of `scripts/bench.sh` (issue 11): each is the sample
//! plan (`testdata/scenarios/sample/shop/plan.json`) made large in one direction.
//!
//! ```text
//! gen_stress ignores N OUT.hcl     # N `ignore` blocks, half for one rule, half for any
//! gen_stress ports N OUT.json      # a bridge task definition with N port mappings (two
//!                                  # containers of N/2, every host port taken twice)
//! gen_stress variables MB OUT.json # a root variable whose value is an MB-megabyte string
//! ```

use std::io::Write;

use serde_json::{json, Value};

fn sample() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/scenarios/sample/shop/plan.json");
    let text = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&text).expect("the sample plan is JSON")
}

fn ignores(n: usize) -> String {
    let mut text = String::with_capacity(n * 80);
    for k in 0..n {
        let rule = if k % 2 == 0 { "NET018" } else { "*" };
        text.push_str(&format!(
            "ignore {{\n  rule = \"{rule}\"\n  address = \"module.m{k}.*\"\n  reason = \"r{k}\"\n}}\n"
        ));
    }
    text
}

fn ports(n: usize) -> Vec<u8> {
    let mut plan = sample();
    let half = (n / 2).max(1);
    let container = |name: &str| {
        let mappings: Vec<Value> = (1..=half)
            .map(|p| json!({"containerPort": p, "hostPort": p, "protocol": "tcp"}))
            .collect();
        json!({"name": name, "image": "nginx", "essential": true, "memory": 128, "portMappings": mappings})
    };
    let defs = json!([container("a"), container("b")]).to_string();
    let td = plan["resource_changes"]
        .as_array_mut()
        .expect("resource_changes")
        .iter_mut()
        .find(|rc| rc["type"] == "aws_ecs_task_definition")
        .expect("a task definition in the sample plan");
    td["change"]["after"]["network_mode"] = json!("bridge");
    td["change"]["after"]["container_definitions"] = json!(defs);
    serde_json::to_vec(&plan).expect("serialisable")
}

fn variables(mb: usize) -> Vec<u8> {
    let mut plan = sample();
    plan["variables"]["huge"] = json!({"value": "x".repeat(mb << 20)});
    serde_json::to_vec(&plan).expect("serialisable")
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (kind, n, out) = match args.as_slice() {
        [kind, n, out] => match n.parse::<usize>() {
            Ok(n) => (kind.as_str(), n, out),
            Err(_) => return usage(),
        },
        _ => return usage(),
    };
    let bytes = match kind {
        "ignores" => ignores(n).into_bytes(),
        "ports" => ports(n),
        "variables" => variables(n),
        _ => return usage(),
    };
    let tmp = format!("{out}.tmp");
    let written = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(&bytes))
        .and_then(|()| std::fs::rename(&tmp, out));
    if let Err(e) = written {
        eprintln!("gen_stress: cannot write {out}: {e}");
        return std::process::ExitCode::from(2);
    }
    std::process::ExitCode::SUCCESS
}

fn usage() -> std::process::ExitCode {
    eprintln!("usage: gen_stress ignores|ports|variables N OUT");
    std::process::ExitCode::from(2)
}
