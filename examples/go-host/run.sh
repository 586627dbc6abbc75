#!/bin/sh
# Builds the go-plugin host example from Debian's Go packages (GOPATH mode: no module proxy
# is needed) and runs it against ecsnet.
#
#   examples/go-host/run.sh PLAN.json [-config .ecsnet.hcl] [-fail-on warning]
#
# ECSNET_BIN selects the ecsnet binary (default: target/debug/ecsnet, built with cargo if
# missing). Needs: apt-get install golang-go golang-github-hashicorp-go-plugin-dev
#   golang-google-grpc-dev golang-github-golang-protobuf-1-5-dev golang-golang-x-net-dev
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
out="$target/go-host"
mkdir -p "$out"

if [ $# -lt 1 ]; then
    echo "usage: $0 PLAN.json [-config FILE] [-fail-on LEVEL]" >&2
    exit 2
fi
plan=$1
shift

if ! command -v go >/dev/null 2>&1; then
    echo "error: go is not installed; apt-get install golang-go golang-github-hashicorp-go-plugin-dev golang-google-grpc-dev golang-github-golang-protobuf-1-5-dev golang-golang-x-net-dev" >&2
    exit 2
fi

if [ -z "${ECSNET_BIN:-}" ]; then
    ECSNET_BIN="$target/debug/ecsnet"
    if [ ! -x "$ECSNET_BIN" ]; then
        (cd "$root" && cargo build -p ecsnet --bin ecsnet)
    fi
fi
export ECSNET_BIN

(
    cd "$here"
    GOPATH=${GOPATH_DEBIAN:-/usr/share/gocode} GO111MODULE=off GOFLAGS= \
        GOCACHE=${GOCACHE:-$out/cache} go build -o "$out/ecsnet-go-host.$$" .
    # Renamed into place so concurrent runs never execute a half-written binary.
    mv -f "$out/ecsnet-go-host.$$" "$out/ecsnet-go-host"
)
exec "$out/ecsnet-go-host" -plugin "$ECSNET_BIN" -plan "$plan" "$@"
