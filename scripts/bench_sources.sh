#!/bin/sh
# Sources benchmark (`make bench`): what reading the Terraform sources adds to `ecsnet check`.
# For each DIRS value, generates a configuration with CALLS module calls (default 200) over
# DIRS module directories (1: every call uses one directory; 200: every call its own copy,
# as `terraform init` makes of a registry module), then times `ecsnet check` on its plan
# without sources (the floor) and with `--source`, in ROUNDS interleaved pairs, and reports
# the medians (wall and CPU time) and the median ratio.
#
# Two plans of each configuration:
# - the plan real Terraform makes of it (`terraform show -json`, through the stand-in AWS
#   provider: aws-standin's `plan_dir`), with the `planned_values`, `configuration` and
#   `relevant_attributes` sections every real plan has: what users check. Needs Terraform
#   1.11.4 on PATH; without it this case is skipped with a note.
# - the generated plan of `gen_sources` (only `resource_changes`): the least a plan can hold,
#   so the floor is the cheapest and the ratio the strictest.
# Target: with sources ≤ 1.10× without, wall time, on the real plan.
#
#   scripts/bench_sources.sh            # CALLS=200 DIRS="1 200" ROUNDS=21
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
calls=${CALLS:-200}
rounds=${ROUNDS:-21}
cd "$root"

cargo build --quiet --release -p ecsnet --bin ecsnet --example gen_sources --example bench_report
real_plans=0
if command -v terraform >/dev/null 2>&1; then
    cargo build --quiet -p aws-standin --bins
    real_plans=1
else
    echo "SKIPPED: the real-Terraform plans of the sources bench (no terraform on PATH)"
fi
status=0
for dirs in ${DIRS:-1 200}; do
    out="$root/bench-out/sources-$calls-$dirs"
    rm -rf "$out"
    "$target/release/examples/gen_sources" --calls "$calls" --dirs "$dirs" --out "$out"
    plans="$out/plan.json"
    if [ "$real_plans" = 1 ]; then
        # Outside the configuration, so the planned directory holds only the sources.
        "$target/debug/plan_dir" "$out" --out "$out.terraform-plan.json"
        plans="$out.terraform-plan.json $plans"
    fi
    for plan in $plans; do
        # Run from the repository root (no .tf files: the floor reads no sources).
        "$target/release/examples/bench_report" --plan "$plan" --rounds "$rounds" \
            --floor "$target/release/ecsnet check {plan} --format json --output /dev/null --fail-on never" \
            --floor-label "check, no sources" \
            --targets "target: check --source ≤ 1.10 × check without sources (the \"× floor\" columns), on the real-Terraform plan" \
            --run "check --source, $dirs dirs=$target/release/ecsnet check {plan} --source $out --format json --output /dev/null --fail-on never" ||
            status=1
    done
done
exit $status
