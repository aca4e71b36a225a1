#!/usr/bin/env bash
# Builds the real images the integration tests scan, into $1 (default .cache/test-images):
#   rootfs/            Debian 12 minbase from debootstrap, the reference for dpkg-query (a
#                      symlink to the umoci bundle's rootfs)
#   debian-oci/        that rootfs packed by umoci into an OCI layout, tag "12"
#   debian-docker.tar  skopeo copy to docker-archive
#   debian-oci.tar     skopeo copy to oci-archive
#   app-oci/           buildah bud --isolation chroot of test/images/app/Dockerfile on top of it:
#                      an npm project, a Python package and deletions (whiteouts)
# Needs root and the Debian packages debootstrap, umoci, skopeo and buildah. Runs only once per
# output folder: a complete build leaves a "complete" marker.
# With --if-possible, a machine without root or without those packages gets a notice instead of a
# failure, and the integration tests skip with a visible message.
set -euo pipefail

if [ "${1:-}" = --if-possible ]; then
  shift
  missing=$(for tool in debootstrap umoci skopeo buildah; do command -v "$tool" > /dev/null || printf '%s ' "$tool"; done)
  if [ "$(id -u)" != 0 ] || [ -n "$missing" ]; then
    echo "build-test-images: not building the test images (needs root and: debootstrap umoci skopeo buildah; missing: ${missing:-none}); image tests will skip" >&2
    exit 0
  fi
fi

out=$(realpath -m "${1:-.cache/test-images}")
here=$(cd "$(dirname "$0")/.." && pwd)
[ -f "$out/complete" ] && exit 0
rm -rf "$out"
mkdir -p "$out"

# The machine's configured Debian mirror, as apt uses it; BULWARK_DEBIAN_MIRROR overrides it.
mirror=${BULWARK_DEBIAN_MIRROR:-$(grep -hoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | head -n 1 || true)}
mirror=${mirror:-http://deb.debian.org/debian}

# umoci 0.4.7's "insert" writes layer tars that end early (GNU tar reports "Unexpected EOF"), so
# the rootfs goes into an unpacked bundle that "repack" turns into a complete layer.
umoci init --layout "$out/debian-oci"
umoci new --image "$out/debian-oci:12"
umoci unpack --image "$out/debian-oci:12" "$out/bundle" > /dev/null
ln -s bundle/rootfs "$out/rootfs"

echo "build-test-images: debootstrap bookworm from $mirror" >&2
debootstrap --variant=minbase bookworm "$out/bundle/rootfs" "$mirror" > "$out/debootstrap.log" 2>&1 || {
  tail -n 20 "$out/debootstrap.log" >&2
  exit 1
}

echo "build-test-images: packing with umoci" >&2
umoci repack --image "$out/debian-oci:12" "$out/bundle" > /dev/null
umoci config --image "$out/debian-oci:12" --os linux --architecture amd64 --config.cmd /bin/bash \
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
umoci gc --layout "$out/debian-oci"

echo "build-test-images: copying with skopeo" >&2
skopeo copy --quiet "oci:$out/debian-oci:12" "docker-archive:$out/debian-docker.tar:bulwark-test/debian:12"
skopeo copy --quiet "oci:$out/debian-oci:12" "oci-archive:$out/debian-oci.tar:12"

echo "build-test-images: building the app image with buildah" >&2
export STORAGE_DRIVER=vfs
storage=(--root "$out/buildah/root" --runroot "$out/buildah/run")
buildah "${storage[@]}" bud --quiet --layers --isolation chroot --pull-never \
  --build-arg BASE="oci-archive:$out/debian-oci.tar:12" \
  -t bulwark-test/app:1 -f "$here/test/images/app/Dockerfile" "$here/test/images/app" > /dev/null
buildah "${storage[@]}" push --quiet bulwark-test/app:1 "oci:$out/app-oci:1"
buildah "${storage[@]}" rmi --all > /dev/null 2>&1 || true
rm -rf "$out/buildah"

touch "$out/complete"
echo "build-test-images: done in $out" >&2
