#!/bin/sh
# Lays an ecsnet binary out as the Terraform provider registry.terraform.io/ecsnet/ecsnet in a
# filesystem mirror (`make tf-mirror`), until the provider is published to a registry.
#
#   scripts/tf-mirror.sh BIN MIRROR
#     BIN     the ecsnet binary: target/release/ecsnet, or the one from a release archive
#     MIRROR  the mirror directory: ~/.terraform.d/plugins (a mirror Terraform always looks
#             in), or any directory named by a filesystem_mirror block in the CLI configuration
#
# The layout is Terraform's unpacked one (developer.hashicorp.com/terraform/cli/config/config-file,
# "Provider Installation"): MIRROR/registry.terraform.io/ecsnet/ecsnet/VERSION/OS_ARCH/
# terraform-provider-ecsnet_vVERSION, where VERSION is what `BIN --version` prints first.
set -eu
if [ $# -ne 2 ]; then
    echo "usage: $0 BIN MIRROR" >&2
    exit 2
fi
bin=$1
mirror=$2
if [ ! -x "$bin" ]; then
    echo "error: $bin is not an executable ecsnet binary" >&2
    exit 2
fi
version=$("$bin" -V | awk '{print $NF; exit}')
case "$version" in
    [0-9]*.[0-9]*.[0-9]*) ;;
    *) echo "error: $bin -V printed no version" >&2; exit 2 ;;
esac
case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    FreeBSD) os=freebsd ;;
    *) echo "error: unsupported OS $(uname -s)" >&2; exit 2 ;;
esac
case "$(uname -m)" in
    x86_64 | amd64) arch=amd64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "error: unsupported CPU $(uname -m)" >&2; exit 2 ;;
esac
dir="$mirror/registry.terraform.io/ecsnet/ecsnet/$version/${os}_$arch"
mkdir -p "$dir"
cp "$bin" "$dir/terraform-provider-ecsnet_v$version.tmp"
chmod 755 "$dir/terraform-provider-ecsnet_v$version.tmp"
mv "$dir/terraform-provider-ecsnet_v$version.tmp" "$dir/terraform-provider-ecsnet_v$version"
echo "$dir/terraform-provider-ecsnet_v$version"
