#!/usr/bin/env bash
# Measures the image scan on the Debian 12 test image: a cold scan (no layer cache) against the
# floor measured in the same run (each layer blob through `gzip -dc | tar -t`), a warm rescan of the
# whole process, and the peak RSS on a 1 GB image. Needs hyperfine, the test images
# (scripts/build-test-images.sh) and, for the memory run, bench/build-large-image.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

images=.cache/test-images
layout=$images/debian-oci
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
npm run --silent build

floor="for blob in \$(node bench/layer-blobs.mjs $layout); do gzip -dc \"\$blob\" | tar -t > /dev/null; done"
cold="./bin/bulwark.js image $layout --skip-db --no-layer-cache --format json --output /dev/null --cache-dir $cache"
warm="./bin/bulwark.js image $layout --skip-db --format json --output /dev/null --cache-dir $cache"

echo "## machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GiB, node $(node --version), $(date -u +%F)"
hyperfine --warmup 1 --runs 10 --export-markdown "$cache/cold.md" -n floor "$floor" -n cold "$cold"
cat "$cache/cold.md"

$warm
hyperfine --warmup 2 --runs 20 --export-markdown "$cache/warm.md" -n warm "$warm"
cat "$cache/warm.md"

# The same warm rescan with a vulnerability DB, so the matcher runs too.
vulndata=${BULWARK_SHARED_DIR:-../shared}/vulndata
if [ -d "$vulndata" ]; then
  ./bin/bulwark.js db import --quiet --cache-dir "$cache" "$vulndata/debian-security-tracker" "$vulndata/osv-go" "$vulndata/osv-pypi" "$vulndata/alpine-secdb"
  warm_db="./bin/bulwark.js image $layout --format json --output /dev/null --cache-dir $cache"
  $warm_db
  hyperfine --warmup 2 --runs 20 --export-markdown "$cache/warm-db.md" -n warm-with-db "$warm_db"
  cat "$cache/warm-db.md"
fi

if [ -f .cache/bench/large-oci/index.json ]; then
  echo "## 1 GB image: peak RSS"
  du -sh .cache/bench/large-oci
  /usr/bin/time -v ./bin/bulwark.js image .cache/bench/large-oci --skip-db --no-layer-cache --format json --output /dev/null --cache-dir "$cache" 2>&1 \
    | grep -E 'Maximum resident|Elapsed|Exit status'
fi
