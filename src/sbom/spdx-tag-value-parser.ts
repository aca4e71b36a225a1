import { InputError } from '../errors.js';

/**
 * Parses an SPDX tag-value document into the SPDX JSON shape, as far as the reader needs it:
 * document fields, packages (name, SPDXID, version, licences, purpose, supplier, originator,
 * checksums, source information, external references),
 * annotations attached to packages through `SPDXREF`, and relationships. Values between `<text>`
 * and `</text>` may span lines. A `FileName:` line starts a file section, whose tags (its own
 * `SPDXID` among them) are skipped. Throws an InputError naming the line of a malformed entry.
 */
export function parseSpdxTagValue(text: string): Record<string, unknown> {
  const document: Record<string, unknown> = {};
  const packages: Array<Record<string, unknown>> = [];
  const relationships: Array<Record<string, string>> = [];
  const annotations: Array<{ ref?: string; comment?: string }> = [];
  let current: Record<string, unknown> | undefined;
  // Inside a file section the tags belong to the file, not to the package before it.
  let inFile = false;
  let annotation: { ref?: string; comment?: string } | undefined;

  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new InputError('FORMAT_INVALID', `invalid SPDX tag-value document: line ${index + 1} is ${JSON.stringify(line.slice(0, 80))}; expected "Tag: value"`);
    const tag = line.slice(0, colon).trim();
    let value = line.slice(colon + 1).trim();
    if (value.startsWith('<text>')) {
      const start = index + 1;
      value = value.slice('<text>'.length);
      while (!value.includes('</text>')) {
        index++;
        if (index >= lines.length) throw new InputError('FORMAT_INVALID', `invalid SPDX tag-value document: the <text> value of ${tag} on line ${start} has no </text>`);
        value += `\n${lines[index]}`;
      }
      value = value.slice(0, value.indexOf('</text>'));
    }

    switch (tag) {
      case 'SPDXVersion':
        document.spdxVersion = value;
        break;
      case 'DocumentName':
        document.name = value;
        break;
      case 'PackageName':
        current = { name: value, externalRefs: [] };
        packages.push(current);
        inFile = false;
        break;
      case 'FileName':
        current = undefined;
        inFile = true;
        break;
      case 'SPDXID':
        if (current) current.SPDXID = value;
        else if (!inFile) document.SPDXID = value;
        break;
      case 'PackageVersion':
      case 'PackageLicenseDeclared':
      case 'PackageLicenseConcluded':
      case 'PrimaryPackagePurpose':
      case 'PackageSupplier':
      case 'PackageOriginator':
      case 'PackageSourceInfo':
        if (current) current[JSON_FIELD[tag]] = value;
        break;
      case 'PackageChecksum': {
        const checksum = /^(\w+):\s*(\S+)$/.exec(value);
        if (current && checksum) ((current.checksums ??= []) as unknown[]).push({ algorithm: checksum[1], checksumValue: checksum[2] });
        break;
      }
      case 'ExternalRef': {
        const [category, type, locator] = value.split(/\s+/);
        if (current && category && type && locator) (current.externalRefs as unknown[]).push({ referenceCategory: category, referenceType: type, referenceLocator: locator });
        break;
      }
      case 'Annotator':
        annotation = {};
        annotations.push(annotation);
        break;
      case 'SPDXREF':
        if (annotation) annotation.ref = value;
        break;
      case 'AnnotationComment':
        if (annotation) annotation.comment = value;
        break;
      case 'Relationship': {
        const [from, type, to] = value.split(/\s+/);
        if (from && type && to) relationships.push({ spdxElementId: from, relationshipType: type, relatedSpdxElement: to });
        break;
      }
      default:
        break;
    }
  }

  const byId = new Map(packages.map((pkg) => [pkg.SPDXID, pkg]));
  for (const { ref, comment } of annotations) {
    const pkg = ref === undefined ? undefined : byId.get(ref);
    if (pkg && comment !== undefined) ((pkg.annotations ??= []) as unknown[]).push({ comment });
  }
  document.packages = packages;
  document.relationships = relationships;
  return document;
}

const JSON_FIELD: Record<string, string> = {
  PackageVersion: 'versionInfo',
  PackageLicenseDeclared: 'licenseDeclared',
  PackageLicenseConcluded: 'licenseConcluded',
  PrimaryPackagePurpose: 'primaryPackagePurpose',
  PackageSupplier: 'supplier',
  PackageOriginator: 'originator',
  PackageSourceInfo: 'sourceInfo',
};
