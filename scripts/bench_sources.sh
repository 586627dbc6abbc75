#!/bin/sh
# Sources benchmark (`make bench`): what reading the Terraform sources adds to `ecsnet check`.
# Generates a configuration with CALLS module calls (default 200) over DIRS module directories
# (default 200: every call its own copy, the worst case for parsing) and the matching plan,
# then times `ecsnet check` on the plan without sources (the floor) and with `--source`.
# Target: with sources ≤ 1.10× without.
#
#   scripts/bench_sources.sh            # CALLS=200 DIRS=200 ROUNDS=5
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
calls=${CALLS:-200}
dirs=${DIRS:-200}
rounds=${ROUNDS:-5}
out="$root/bench-out/sources-$calls-$dirs"
cd "$root"

cargo build --quiet --release -p ecsnet --bin ecsnet --example gen_sources --example bench_report
rm -rf "$out"
"$target/release/examples/gen_sources" --calls "$calls" --dirs "$dirs" --out "$out"

# Run from the repository root (no .tf files: the floor reads no sources).
"$target/release/examples/bench_report" --plan "$out/plan.json" --rounds "$rounds" \
    --floor "$target/release/ecsnet check {plan} --format json --output /dev/null --fail-on never" \
    --run "check --source=$target/release/ecsnet check {plan} --source $out --format json --output /dev/null --fail-on never"
