#!/bin/sh
# Plan-reading benchmark (`make bench`): generate a synthetic ~100 MB plan (thousands of ECS
# services and task definitions in nested for_each modules among tens of thousands of
# unrelated resources), then measure `ecsnet check` and `plan::load` alone against the
# floor (reading the bytes and parsing them into serde::de::IgnoredAny) in interleaved pairs
# (floor, command, floor, command, ...): medians of wall time, CPU time (user + system) and
# of the pairs' ratios, and peak memory (max RSS).
# Targets: wall ≤ 1.15× floor, CPU ≤ 1.8× the floor's, peak memory ≤ 1.2× the file size.
#
# Then the restart for huge pages at its threshold (a 34 MiB plan), and the growth cases of issue 11, each once per round (median of STRESS_ROUNDS):
# 100,000 `ignore` blocks on the sample plan, a task definition with 200,000 port
# mappings, and a 300 MB string in `variables` (peak memory ≤ 1.2× the file size).
#
#   scripts/bench.sh            # SIZE_MB=100 ROUNDS=7 STRESS_ROUNDS=3 by default
#   SIZE_MB=20 scripts/bench.sh
#   STRESS=0 scripts/bench.sh   # no growth cases
#   HUGEPAGES=0 scripts/bench.sh  # no huge-pages threshold case
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
# The `profiling` profile: release code with line tables, so perf and flamegraphs name functions.
profile=${PROFILE:-profiling}
size_mb=${SIZE_MB:-100}
rounds=${ROUNDS:-7}
stress_rounds=${STRESS_ROUNDS:-3}
out="$root/bench-out"
plan="$out/large-${size_mb}mb.json"
bin="$target/$profile"
cd "$root"

cargo build --quiet --profile "$profile" -p ecsnet --bin ecsnet --example gen_plan --example plan_load --example bench_report --example gen_stress
mkdir -p "$out"
if [ ! -s "$plan" ]; then
    "$bin/examples/gen_plan" --size-mb "$size_mb" --out "$plan.tmp"
    mv "$plan.tmp" "$plan"
fi

# `ecsnet check` runs the whole pipeline (read, model, rules, report); plan_load only the
# plan reader. A failing command is reported as such and makes the script exit 1.
"$bin/examples/bench_report" --plan "$plan" --rounds "$rounds" \
    --floor "$bin/examples/plan_load --floor {plan}" \
    --run "plan::load=$bin/examples/plan_load {plan}" \
    --run "ecsnet check=$bin/ecsnet check {plan} --format json --output /dev/null --fail-on never"

# The restart for huge pages (plugin/src/cli/hugepages.rs) at its threshold: a plan just
# over 32 MiB, checked as users get it (started again with glibc's heap on 2 MiB pages),
# with huge pages but no restart (the tunable already set), and with neither (the floor).
# The first against the floor shows whether the threshold pays; the first against the
# second is the restart's cost. Only where the kernel's THP mode is `madvise` does ecsnet
# restart; elsewhere the three runs are the same program. HUGEPAGES=0 leaves this out.
if [ "${HUGEPAGES:-1}" != 0 ]; then
    threshold_plan="$out/large-34mb.json"
    if [ ! -s "$threshold_plan" ]; then
        "$bin/examples/gen_plan" --size-mb 34 --out "$threshold_plan.tmp"
        mv "$threshold_plan.tmp" "$threshold_plan"
    fi
    echo
    echo "huge pages at the threshold (THP mode: $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || echo unknown)):"
    check="$bin/ecsnet check {plan} --format json --output /dev/null --fail-on never"
    "$bin/examples/bench_report" --plan "$threshold_plan" --rounds "$rounds" \
        --floor "env GLIBC_TUNABLES=glibc.malloc.hugetlb=0 $check" \
        --floor-label "no huge pages" \
        --targets "the restart pays when the first line is at most 1.00 × floor" \
        --run "restart, huge pages=$check" \
        --run "huge pages, no restart=env GLIBC_TUNABLES=glibc.malloc.hugetlb=1 $check"
fi

[ "${STRESS:-1}" = 0 ] && exit 0
sample="$root/testdata/scenarios/sample/shop/plan.json"
[ -s "$out/ignores-100k.hcl" ] || "$bin/examples/gen_stress" ignores 100000 "$out/ignores-100k.hcl"
[ -s "$out/ports-200k.json" ] || "$bin/examples/gen_stress" ports 200000 "$out/ports-200k.json"
[ -s "$out/variables-300mb.json" ] || "$bin/examples/gen_stress" variables 300 "$out/variables-300mb.json"
echo
echo "growth cases (issue 11):"
"$bin/examples/bench_report" --plan "$sample" --rounds "$stress_rounds" \
    --run "100k ignore blocks=$bin/ecsnet check {plan} --config $out/ignores-100k.hcl --format json --output /dev/null --fail-on never"
"$bin/examples/bench_report" --plan "$out/ports-200k.json" --rounds "$stress_rounds" \
    --run "200k port mappings=$bin/ecsnet check {plan} --format json --output /dev/null --fail-on never"
"$bin/examples/bench_report" --plan "$out/variables-300mb.json" --rounds "$stress_rounds" \
    --run "300 MB variables value=$bin/ecsnet check {plan} --format json --output /dev/null --fail-on never"
