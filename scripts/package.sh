#!/usr/bin/env bash
# `cargo publish --dry-run` of the workspace crates, in dependency order (what crates.io would
# receive). Cargo verifies `ecsnet` against the just-packaged ecsnet-* crates through a
# temporary local registry, and extracts them under $CARGO_HOME/registry/src/-<hash>/; an
# extraction left by an earlier dry run of the same version (0.1.0 until a release) is reused
# as it is, so `ecsnet` would be verified against stale sources. Remove those first: they are
# only ever our own crates' packages (crates.io's directory is named index.crates.io-*).
set -euo pipefail
cargo_home="${CARGO_HOME:-$HOME/.cargo}"
for d in "$cargo_home"/registry/src/-*/ecsnet-*; do
    [ -e "$d" ] && rm -rf "$d"
done
exec "${CARGO:-cargo}" publish --dry-run --locked \
    -p ecsnet-goplugin -p ecsnet-tfplugin6 -p ecsnet-tfsource -p ecsnet
