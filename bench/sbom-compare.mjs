// Compares the package lists of two CycloneDX JSON SBOMs by purl, without qualifiers and subpath
// (generators differ in which qualifiers they write), and prints counts by purl type and the purls
// found in only one of them. Usage: node bench/sbom-compare.mjs <ours.cdx.json> <theirs.cdx.json> [label-ours] [label-theirs]
import { readFileSync } from 'node:fs';

import { PackageURL } from 'packageurl-js';

const [oursPath, theirsPath, oursLabel = 'bulwark', theirsLabel = 'cdxgen'] = process.argv.slice(2);
if (!oursPath || !theirsPath) {
  console.error('usage: node bench/sbom-compare.mjs <ours.cdx.json> <theirs.cdx.json> [label-ours] [label-theirs]');
  process.exit(2);
}

/** Returns the components of a BOM, nested ones included. */
function components(bom) {
  const all = [];
  const visit = (list) => {
    for (const component of list ?? []) {
      all.push(component);
      visit(component.components);
    }
  };
  visit(bom.components);
  return all;
}

/** Returns the set of purls of a BOM reduced to type/namespace/name@version, and the count without purl. */
function purls(path) {
  const bom = JSON.parse(readFileSync(path, 'utf8'));
  const set = new Set();
  let withoutPurl = 0;
  const all = components(bom);
  for (const component of all) {
    if (!component.purl) {
      withoutPurl++;
      continue;
    }
    const purl = PackageURL.fromString(component.purl);
    set.add(new PackageURL(purl.type, purl.namespace, purl.name, purl.version, undefined, undefined).toString());
  }
  return { set, total: all.length, withoutPurl };
}

const ours = purls(oursPath);
const theirs = purls(theirsPath);
const types = [...new Set([...ours.set, ...theirs.set].map((purl) => purl.slice(4, purl.indexOf('/'))))].sort();
const count = (set, type) => [...set].filter((purl) => purl.startsWith(`pkg:${type}/`)).length;

console.log(`| | ${oursLabel} | ${theirsLabel} |`);
console.log('|---|---|---|');
console.log(`| components | ${ours.total} | ${theirs.total} |`);
console.log(`| components without purl | ${ours.withoutPurl} | ${theirs.withoutPurl} |`);
for (const type of types) console.log(`| distinct purls of type \`${type}\` | ${count(ours.set, type)} | ${count(theirs.set, type)} |`);

const onlyOurs = [...ours.set].filter((purl) => !theirs.set.has(purl)).sort();
const onlyTheirs = [...theirs.set].filter((purl) => !ours.set.has(purl)).sort();
const limit = Number(process.env.SBOM_COMPARE_LIMIT ?? 40);
const show = (label, list) => {
  console.log(`\nOnly in ${label} (${list.length}):`);
  for (const purl of list.slice(0, limit)) console.log(`- \`${purl}\``);
  if (list.length > limit) console.log(`- … ${list.length - limit} more`);
};
show(oursLabel, onlyOurs.filter((purl) => !purl.startsWith('pkg:generic/')));
show(theirsLabel, onlyTheirs.filter((purl) => !purl.startsWith('pkg:generic/')));
console.log(`\n(${onlyTheirs.filter((purl) => purl.startsWith('pkg:generic/')).length} pkg:generic purls only in ${theirsLabel}, mostly files, are left out of the list.)`);
