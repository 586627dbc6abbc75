#!/bin/sh
# Release archive (`make dist`): dist/ecsnet-VERSION-TARGET.tar.gz holding the release binary,
# shell completions (bash, zsh, fish, elvish, PowerShell), man pages, LICENSE, README.md and
# SHA256SUMS over those files, plus dist/ecsnet-VERSION-TARGET.tar.gz.sha256 beside it.
#
#   scripts/dist.sh                       # builds target/release/ecsnet first
#   ECSNET_BIN=path/to/ecsnet DIST_DIR=out scripts/dist.sh   # package a binary already built
#
# Verify an unpacked archive with `sha256sum -c SHA256SUMS` inside its directory.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
out=${DIST_DIR:-$root/dist}

if [ -n "${ECSNET_BIN:-}" ]; then
    bin=$ECSNET_BIN
else
    (cd "$root" && cargo build --quiet --release --locked -p ecsnet --bin ecsnet)
    bin=$target/release/ecsnet
fi
version=$("$bin" -V | awk '{print $2}')
triple=${TARGET_TRIPLE:-$(rustc -vV | sed -n 's/^host: //p')}
name=ecsnet-$version-$triple

if command -v sha256sum >/dev/null 2>&1; then
    sha256() { sha256sum "$@"; }
else
    sha256() { shasum -a 256 "$@"; }
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
dir=$stage/$name
mkdir -p "$dir/completions" "$dir/man/man1"
cp "$bin" "$dir/ecsnet"
chmod 755 "$dir/ecsnet"
"$bin" completions bash >"$dir/completions/ecsnet.bash"
"$bin" completions zsh >"$dir/completions/_ecsnet"
"$bin" completions fish >"$dir/completions/ecsnet.fish"
"$bin" completions elvish >"$dir/completions/ecsnet.elv"
"$bin" completions powershell >"$dir/completions/_ecsnet.ps1"
"$bin" man --out-dir "$dir/man/man1"
cp "$root/LICENSE" "$root/README.md" "$dir/"

# Checksums of every file but SHA256SUMS itself, with paths relative to the archive's top
# directory, in a stable order.
(cd "$dir" && find . -type f | sed 's|^\./||' | LC_ALL=C sort | while IFS= read -r f; do sha256 "$f"; done >"$stage/SHA256SUMS")
mv "$stage/SHA256SUMS" "$dir/SHA256SUMS"

mkdir -p "$out"
# Owner and order fixed, so two runs over the same files differ only in timestamps.
if tar --version 2>/dev/null | grep -q 'GNU tar'; then
    tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner -czf "$out/$name.tar.gz" "$name"
else
    tar -C "$stage" -czf "$out/$name.tar.gz" "$name"
fi
(cd "$out" && sha256 "$name.tar.gz" >"$name.tar.gz.sha256")
echo "$out/$name.tar.gz"
