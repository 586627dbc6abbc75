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
# The `profiling` profile: release code with line tables, so perf and flamegraphs name functions.
profile=${PROFILE:-profiling}
size_mb=${SIZE_MB:-100}
rounds=${PLUGIN_ROUNDS:-7}
out="$root/bench-out"
plan=${BENCH_PLAN:-$out/large-${size_mb}mb.json}
cd "$root"

cargo build --quiet --profile "$profile" -p ecsnet --bin ecsnet --example gen_plan --example bench_plugin
if [ ! -s "$plan" ]; then
    mkdir -p "$(dirname "$plan")"
    "$target/$profile/examples/gen_plan" --size-mb "$size_mb" --out "$plan.tmp"
    mv "$plan.tmp" "$plan"
fi
ECSNET_BIN="$target/$profile/ecsnet" "$target/$profile/examples/bench_plugin" "$plan" "$rounds"

# A real go-plugin host (examples/go-host), one plan per launch as a pipeline tool would,
# through each RPC; and the whole `ecsnet check` process on the same file, for comparison.
if command -v go >/dev/null 2>&1 && [ -d "${GOPATH_DEBIAN:-/usr/share/gocode}/src/github.com/hashicorp/go-plugin" ]; then
    echo "go-plugin host (examples/go-host), one plan per launch:"
    for mode in always never always never; do
        ECSNET_BIN="$target/$profile/ecsnet" "$root/examples/go-host/run.sh" "$plan" -stream "$mode" 2>&1 \
            | grep -E '^(plugin ready|validated)' | tr '\n' ' '
        echo
    done
    for _ in 1 2; do
        start=$(date +%s%N)
        "$target/$profile/ecsnet" check --format json "$plan" >/dev/null 2>&1 || true
        echo "ecsnet check --format json (whole process): $(( ($(date +%s%N) - start) / 1000000 )) ms"
    done
else
    echo "go-plugin host: skipped (Go or Debian's go-plugin sources are not installed; see examples/go-host/run.sh)"
fi
