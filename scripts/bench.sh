#!/bin/sh
# Plan-reading benchmark (`make bench`): generate a synthetic ~100 MB plan (thousands of ECS
# services and task definitions in nested for_each modules among tens of thousands of
# unrelated resources), then report wall time and peak memory of `ecsnet check` and of
# `plan::load` alone, next to the floor: reading the bytes and parsing them into
# serde::de::IgnoredAny. Targets: wall ≤ 2× floor, peak memory ≤ 2× file size.
#
#   scripts/bench.sh            # SIZE_MB=100 ROUNDS=3 by default
#   SIZE_MB=20 scripts/bench.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
# The `profiling` profile: release code with line tables, so perf and flamegraphs name functions.
profile=${PROFILE:-profiling}
size_mb=${SIZE_MB:-100}
rounds=${ROUNDS:-3}
out="$root/bench-out"
plan="$out/large-${size_mb}mb.json"
cd "$root"

cargo build --quiet --profile "$profile" -p ecsnet --bin ecsnet --example gen_plan --example plan_load --example bench_report
if [ ! -s "$plan" ]; then
    mkdir -p "$out"
    "$target/$profile/examples/gen_plan" --size-mb "$size_mb" --out "$plan.tmp"
    mv "$plan.tmp" "$plan"
fi

# `ecsnet check` runs the whole pipeline (read, model, rules, report); plan_load only the
# plan reader. A failing command is reported as such and makes the script exit 1.
"$target/$profile/examples/bench_report" --plan "$plan" --rounds "$rounds" \
    --floor "$target/$profile/examples/plan_load --floor {plan}" \
    --run "plan::load=$target/$profile/examples/plan_load {plan}" \
    --run "ecsnet check=$target/$profile/ecsnet check {plan} --format json --output /dev/null --fail-on never"
