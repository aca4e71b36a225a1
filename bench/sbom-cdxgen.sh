#!/usr/bin/env bash
# Compares Bulwark's SBOMs with cdxgen's on the same input and times both: the Debian 12 test image
# (docker-archive) and the npm project of the app test image. Installs @cyclonedx/cdxgen from the
# npm registry into a temporary directory (or uses the one installed in BULWARK_CDXGEN_DIR), and
# runs cdxgen without network access (`unshare -n`, when available, with --no-install-deps) so it
# cannot download packages or look up licences. Needs the test images
# (scripts/build-test-images.sh), hyperfine, and root for unshare. Prints Markdown.
set -euo pipefail
cd "$(dirname "$0")/.."

images=.cache/test-images
image=$images/debian-docker.tar
project=test/images/app/app
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cdxgen_dir=${BULWARK_CDXGEN_DIR:-$work/cdxgen}
cdxgen_version=${CDXGEN_VERSION:-12}

if [ ! -x "$cdxgen_dir/node_modules/.bin/cdxgen" ]; then
  mkdir -p "$cdxgen_dir"
  npm install --silent --no-audit --no-fund --prefix "$cdxgen_dir" "@cyclonedx/cdxgen@$cdxgen_version" >&2
fi
offline=()
if unshare -n true 2> /dev/null; then offline=(unshare -n); else echo "WARN unshare -n is not available, so cdxgen runs with network access" >&2; fi
cdxgen=("${offline[@]}" "$cdxgen_dir/node_modules/.bin/cdxgen" --no-install-deps --spec-version 1.6 --json-pretty)
export CDXGEN_NO_BANNER=1 SOURCE_DATE_EPOCH=1700000000
npm run --silent build

echo "## machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), node $(node --version), cdxgen $("$cdxgen_dir/node_modules/.bin/cdxgen" --version 2> /dev/null | sed -e 's/\x1b\[[0-9;]*m//g' -n -e 's/.*Generator //p' | head -1), $(date -u +%F)"

echo; echo "### Debian 12 image ($image)"; echo
"${cdxgen[@]}" -t docker -o "$work/debian.cdxgen.json" "$image" > "$work/cdxgen-debian.log" 2>&1 || { tail -20 "$work/cdxgen-debian.log" >&2; exit 1; }
node --import tsx bench/sbom-generate.ts "$image" cyclonedx "$work/debian.bulwark.json" "$work/cache"
node bench/sbom-compare.mjs "$work/debian.bulwark.json" "$work/debian.cdxgen.json"
echo; echo "bulwark sbom on cdxgen's SBOM (packages per result, then diagnostics):"; echo
# shellcheck disable=SC2016 # the single quotes hold JavaScript template strings, not shell
./bin/bulwark.js sbom "$work/debian.cdxgen.json" --skip-db --quiet --format json \
  | node -e 'const r = JSON.parse(require("fs").readFileSync(0, "utf8")); for (const x of r.results) console.log(`- ${x.type}: ${x.packages.length} packages`); for (const e of r.errors) console.log(`- ${e.code}: ${e.message}`);'

echo; echo "### npm project ($project)"; echo
"${cdxgen[@]}" -t js -o "$work/app.cdxgen.json" "$project" > "$work/cdxgen-app.log" 2>&1 || { tail -20 "$work/cdxgen-app.log" >&2; exit 1; }
node --import tsx bench/sbom-generate.ts "$project" cyclonedx "$work/app.bulwark.json" "$work/cache"
node bench/sbom-compare.mjs "$work/app.bulwark.json" "$work/app.cdxgen.json"

echo; echo "### Time on the Debian image"; echo
# The inventory is the image scan without the vulnerability lookup. The SBOM run does the same work
# plus the CycloneDX writer, but it starts through tsx, which compiles the TypeScript sources first.
hyperfine --warmup 1 --runs 5 --export-markdown "$work/time.md" \
  -n 'bulwark inventory (CLI, JSON)' "./bin/bulwark.js image $image --skip-db --no-layer-cache --format json --output /dev/null --cache-dir $work/cache" \
  -n 'bulwark CycloneDX (tsx script)' "node --import tsx bench/sbom-generate.ts $image cyclonedx $work/t.json $work/cache" \
  -n 'cdxgen -t docker' "${cdxgen[*]} -t docker -o $work/t2.json $image" > /dev/null
cat "$work/time.md"
