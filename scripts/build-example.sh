#!/usr/bin/env bash
# Builds examples/debian-app.tar, the small image of the README's quick start, from real package
# metadata: the Debian 12 release files and the dpkg status entries of a few packages, taken from
# this machine (or from the root filesystem given as $1), plus the npm project of the test images.
# The image is packed by umoci and copied to a docker-archive by skopeo, the way users build images.
# Needs the Debian packages umoci and skopeo; root is not needed.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
source_root=${1:-/}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

grep -q '^VERSION_ID="12"' "$source_root/usr/lib/os-release" || {
  echo "build-example: $source_root is not Debian 12; pass a Debian 12 root filesystem" >&2
  exit 1
}

# Layer 1: the OS. etc/os-release is a relative symlink, as on Debian.
base=$work/base
mkdir -p "$base/etc" "$base/usr/lib" "$base/var/lib/dpkg"
cp "$source_root/usr/lib/os-release" "$base/usr/lib/os-release"
ln -s ../usr/lib/os-release "$base/etc/os-release"
cp "$source_root/etc/debian_version" "$base/etc/debian_version"
packages='^(base-files|bash|coreutils|dpkg|gzip|libc6|libc-bin|libssl3|openssl|perl-base|tar|zlib1g|libsqlite3-0|curl|libcurl4)$'
awk -v RS= -v ORS='\n\n' -v pattern="$packages" '
  { for (i = 1; i <= NF; i++) if ($i == "Package:") { name = $(i + 1); break } }
  name ~ pattern { print }
' "$source_root/var/lib/dpkg/status" > "$base/var/lib/dpkg/status"

# Layer 2: an npm project with a lock file and installed packages.
app=$work/app
mkdir -p "$app/app"
cp -r "$here/test/images/app/app/." "$app/app/"

# umoci 0.4.7's "insert" writes layer tars that end early, so each layer is added by copying into
# an unpacked bundle and running "repack", which writes complete tars.
umoci init --layout "$work/oci"
umoci new --image "$work/oci:1"
for layer in "$base" "$app"; do
  rm -rf "$work/bundle"
  umoci unpack --rootless --image "$work/oci:1" "$work/bundle" > /dev/null
  cp -a "$layer/." "$work/bundle/rootfs/"
  umoci repack --image "$work/oci:1" "$work/bundle" > /dev/null
done
umoci config --image "$work/oci:1" --os linux --architecture amd64 --config.cmd node --config.cmd /app/index.js \
  --config.user 1000 --created 2026-01-01T00:00:00Z --author bulwark-example
rm -f "$here/examples/debian-app.tar"
skopeo copy --quiet "oci:$work/oci:1" "docker-archive:$here/examples/debian-app.tar:bulwark/example-app:1"
echo "build-example: wrote examples/debian-app.tar with $(grep -c '^Package:' "$base/var/lib/dpkg/status") dpkg packages" >&2
