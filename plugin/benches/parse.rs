//! `parse_bytes` on a generated plan (~8 MB: 200 services with task definitions in nested
//! for_each modules among ~3,000 other resources) next to the floor: serde_json parsing the
//! same bytes into `IgnoredAny`. `cargo bench -p ecsnet --bench parse`.
//! The ~100 MB whole-program measurement is `make bench` (scripts/bench.sh).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ecsnet::plan::{self, LoadOptions};

#[allow(dead_code)]
#[path = "../examples/gen_plan.rs"]
mod gen_plan;

fn bench(c: &mut Criterion) {
    let mut bytes = Vec::new();
    gen_plan::write_plan(&mut bytes, 200).expect("generate plan");
    let opts = LoadOptions::default();
    let p = plan::parse_bytes(&bytes, "bench.json", &opts).expect("generated plan parses");
    assert_eq!(p.resources_of_type("aws_ecs_service").count(), 200);

    let mut g = c.benchmark_group("plan");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("floor: IgnoredAny", |b| {
        b.iter(|| serde_json::from_slice::<serde::de::IgnoredAny>(black_box(&bytes)).unwrap())
    });
    g.bench_function("parse_bytes", |b| {
        b.iter(|| plan::parse_bytes(black_box(&bytes), "bench.json", &opts).unwrap())
    });
    g.bench_function("parse_bytes + read services", |b| {
        b.iter(|| {
            let p = plan::parse_bytes(black_box(&bytes), "bench.json", &opts).unwrap();
            p.resources_of_type("aws_ecs_service")
                .filter(|s| {
                    s.attr("network_configuration.0.subnets")
                        .strings()
                        .is_known()
                })
                .count()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
