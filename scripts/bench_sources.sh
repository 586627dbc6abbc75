#!/bin/sh
# Sources benchmark (`make bench`): what reading the Terraform sources adds to `ecsnet check`.
# For each DIRS value, generates a configuration with CALLS module calls (default 200) over
# DIRS module directories (1: every call uses one directory; 200: every call its own copy,
# as `terraform init` makes of a registry module) and the matching plan, then times
# `ecsnet check` on the plan without sources (the floor) and with `--source`, in ROUNDS
# interleaved pairs, and reports the medians (wall and CPU time) and the median ratio.
# Target: with sources ≤ 1.10× without, wall time.
#
#   scripts/bench_sources.sh            # CALLS=200 DIRS="1 200" ROUNDS=21
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
calls=${CALLS:-200}
rounds=${ROUNDS:-21}
cd "$root"

cargo build --quiet --release -p ecsnet --bin ecsnet --example gen_sources --example bench_report
status=0
for dirs in ${DIRS:-1 200}; do
    out="$root/bench-out/sources-$calls-$dirs"
    rm -rf "$out"
    "$target/release/examples/gen_sources" --calls "$calls" --dirs "$dirs" --out "$out"
    # Run from the repository root (no .tf files: the floor reads no sources).
    "$target/release/examples/bench_report" --plan "$out/plan.json" --rounds "$rounds" \
        --floor "$target/release/ecsnet check {plan} --format json --output /dev/null --fail-on never" \
        --floor-label "check, no sources" \
        --targets "target: check --source ≤ 1.10 × check without sources (the \"× floor\" columns)" \
        --run "check --source, $dirs dirs=$target/release/ecsnet check {plan} --source $out --format json --output /dev/null --fail-on never" ||
        status=1
done
exit $status
