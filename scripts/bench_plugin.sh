#!/bin/sh
# Plugin benchmark: launch-to-ready time of the plugin, and ValidatePlan through gRPC
# (mutual TLS over the unix socket, as a go-plugin host connects) against in-process
# `engine::check_bytes` on the large synthetic plan, as a ratio (target ≤ 1.3×).
#
#   scripts/bench_plugin.sh                # SIZE_MB=100 PLUGIN_ROUNDS=7, plan shared with bench.sh
#   BENCH_PLAN=plan.json scripts/bench_plugin.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
size_mb=${SIZE_MB:-100}
rounds=${PLUGIN_ROUNDS:-7}
out="$root/bench-out"
plan=${BENCH_PLAN:-$out/large-${size_mb}mb.json}
cd "$root"

cargo build --quiet --release -p ecsnet --bin ecsnet --example gen_plan --example bench_plugin
if [ ! -s "$plan" ]; then
    mkdir -p "$(dirname "$plan")"
    "$target/release/examples/gen_plan" --size-mb "$size_mb" --out "$plan.tmp"
    mv "$plan.tmp" "$plan"
fi
ECSNET_BIN="$target/release/ecsnet" "$target/release/examples/bench_plugin" "$plan" "$rounds"
