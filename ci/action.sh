#!/usr/bin/env bash
# The shell logic of the GitHub Action (action.yml), kept here so that it can be run and tested
# outside GitHub (plugin/tests/packaging.rs runs it with fake GITHUB_* variables).
#
#   ci/action.sh install   # put ecsnet on PATH: the one already there, a crates.io version
#                          # (ECSNET_VERSION), or the action's own source (cargo install --path)
#   ci/action.sh run       # check the plans: SARIF file, annotations, step summary, outputs
#   ci/action.sh verdict   # exit with the exit code `run` recorded (0, 1 or 2)
#
# Inputs arrive as environment variables (action.yml maps its inputs onto them):
#   INPUT_PLANS        plan files, separated by spaces or newlines; shell globs are expanded
#   INPUT_FAIL_ON      error | warning | info | never (default: the configuration's, else error)
#   INPUT_CONFIG       .ecsnet.hcl to use (default: ecsnet's own lookup)
#   INPUT_ARGS         more arguments for `ecsnet check`, split on spaces
#   INPUT_SARIF_FILE   where to write SARIF (default ecsnet.sarif)
#   INPUT_SUMMARY      true | false: write the Markdown summary to $GITHUB_STEP_SUMMARY
#   ECSNET_VERSION     crates.io version for `install` (empty: build the action's source)
#   ECSNET_EXIT_CODE   the code `verdict` exits with (action.yml passes run's output)
# GitHub's own: GITHUB_OUTPUT, GITHUB_PATH, GITHUB_STEP_SUMMARY, GITHUB_ACTION_PATH, RUNNER_TEMP.
set -euo pipefail

action_root=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
work=${RUNNER_TEMP:-${TMPDIR:-/tmp}}

output() { # name value: a step output, or stdout outside Actions
    if [ -n "${GITHUB_OUTPUT:-}" ]; then
        printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
    else
        printf 'output %s=%s\n' "$1" "$2"
    fi
}

summary() { # Markdown appended to the step summary when there is one and it is wanted
    if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ "${INPUT_SUMMARY:-true}" = "true" ]; then
        cat >>"$GITHUB_STEP_SUMMARY"
    else
        cat >/dev/null
    fi
}

install() {
    if command -v ecsnet >/dev/null 2>&1; then
        echo "ecsnet already on PATH: $(command -v ecsnet) ($(ecsnet -V))"
        return 0
    fi
    local root="$work/ecsnet-install"
    if [ -n "${ECSNET_VERSION:-}" ]; then
        cargo install --locked --root "$root" ecsnet --version "$ECSNET_VERSION"
    elif [ -f "$action_root/plugin/Cargo.toml" ]; then
        cargo install --locked --root "$root" --path "$action_root/plugin"
    else
        echo "::error title=ecsnet::cannot install ecsnet: set the action's version input or put ecsnet on PATH"
        return 2
    fi
    if [ -n "${GITHUB_PATH:-}" ]; then
        echo "$root/bin" >>"$GITHUB_PATH"
    fi
    "$root/bin/ecsnet" -V
}

run() {
    local plans=() p
    # Word splitting and globbing are wanted here: INPUT_PLANS is a list of paths or globs.
    # shellcheck disable=SC2086
    for p in ${INPUT_PLANS:-}; do plans+=("$p"); done
    if [ "${#plans[@]}" -eq 0 ]; then
        echo "::error title=ecsnet::the plans input is empty: name the plan files to check (terraform show -json output)"
        output exit-code 2
        printf '### ecsnet\n\nNo plan to check: the `plans` input is empty.\n' | summary
        return 0
    fi
    local common=()
    [ -n "${INPUT_CONFIG:-}" ] && common+=(--config "$INPUT_CONFIG")
    # shellcheck disable=SC2206
    [ -n "${INPUT_ARGS:-}" ] && common+=(${INPUT_ARGS})
    local fail_on=()
    # (`${a[@]+"${a[@]}"}` below: an empty array under `set -u` in bash 3, as on macOS runners.)
    [ -n "${INPUT_FAIL_ON:-}" ] && fail_on=(--fail-on "$INPUT_FAIL_ON")
    local sarif=${INPUT_SARIF_FILE:-ecsnet.sarif}
    local errors="$work/ecsnet-stderr.$$.txt"

    # One run writes every report: SARIF for code scanning, the annotations on the run, and
    # (ecsnet itself, when GITHUB_STEP_SUMMARY names a file) the step summary. Its exit code is
    # the run's.
    local step_summary=""
    [ "${INPUT_SUMMARY:-true}" = "true" ] && step_summary=${GITHUB_STEP_SUMMARY:-}
    local rc=0
    GITHUB_STEP_SUMMARY=$step_summary ecsnet check "${plans[@]}" ${common[@]+"${common[@]}"} ${fail_on[@]+"${fail_on[@]}"} \
        --format github --format "sarif=$sarif" 2>"$errors" || rc=$?
    cat "$errors" >&2
    if [ "$rc" -ge 2 ]; then
        local why
        why=$(grep -m1 '^error' "$errors" || head -n1 "$errors")
        echo "::error title=ecsnet::${why:-ecsnet check failed with exit code $rc}"
        output exit-code "$rc"
        printf '### ecsnet\n\n:x: ecsnet could not check the plans (exit code %s):\n\n```\n%s\n```\n' "$rc" "$why" | summary
        rm -f "$errors"
        return 0
    fi
    output exit-code "$rc"
    output sarif-file "$sarif"
    rm -f "$errors"
}

verdict() {
    local rc=${ECSNET_EXIT_CODE:-2}
    case "$rc" in
    0) echo "ecsnet: passed" ;;
    1) echo "ecsnet: findings reach fail-on (see the annotations, the step summary or code scanning)" ;;
    *) echo "ecsnet: could not check the plans (exit code $rc)" ;;
    esac
    exit "$rc"
}

case "${1:-}" in
install) install ;;
run) run ;;
verdict) verdict ;;
*)
    echo "usage: $0 install|run|verdict" >&2
    exit 2
    ;;
esac
