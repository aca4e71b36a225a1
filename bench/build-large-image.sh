#!/usr/bin/env bash
# Builds a 1 GB OCI image for the memory benchmark: the Debian 12 test image plus a layer of
# incompressible files (random bytes), a layer of many small files, and a 300 MB executable. Needs
# the test images from scripts/build-test-images.sh, umoci and root.
set -euo pipefail

images=${1:-.cache/test-images}
out=${2:-.cache/bench/large-oci}
[ -f "$out/index.json" ] && exit 0
rm -rf "$out" "$out.bundle"
mkdir -p "$(dirname "$out")"
cp -r "$images/debian-oci" "$out"

umoci unpack --image "$out:12" "$out.bundle" > /dev/null
mkdir -p "$out.bundle/rootfs/data/random" "$out.bundle/rootfs/data/small"
for i in $(seq 1 12); do head -c 50M /dev/urandom > "$out.bundle/rootfs/data/random/blob-$i.bin"; done
for i in $(seq 1 20000); do echo "file $i" > "$out.bundle/rootfs/data/small/f$i.txt"; done
umoci repack --image "$out:12" "$out.bundle" > /dev/null

rm -rf "$out.bundle"
umoci unpack --image "$out:12" "$out.bundle" > /dev/null
head -c 300M /dev/urandom > "$out.bundle/rootfs/usr/local/bin/big-tool"
chmod 755 "$out.bundle/rootfs/usr/local/bin/big-tool"
umoci repack --image "$out:12" "$out.bundle" > /dev/null
rm -rf "$out.bundle"
umoci gc --layout "$out"
du -sh "$out" >&2
