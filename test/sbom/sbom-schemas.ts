import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

import { sharedPath } from '../helpers/shared.js';

/** The official CycloneDX and SPDX schemas, which tests skip without. */
export const schemas = sharedPath('schemas');

/**
 * Compiles the CycloneDX 1.6 and SPDX 2.3 JSON schemas (both draft-07). The CycloneDX schema
 * refers to the SPDX licence list and JSF schemas by relative file names. Ajv has no checker for
 * the `iri-reference` and `idn-email` formats, so they are accepted as plain strings.
 */
export function compileSchemas(): { cyclonedx: ValidateFunction; spdx: ValidateFunction } {
  const read = (name: string): object => JSON.parse(readFileSync(join(schemas.path, name), 'utf8')) as object;
  // Both packages are CommonJS, so under NodeNext their classes sit on `default`.
  const ajv = new Ajv.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addFormat('iri-reference', true);
  ajv.addFormat('idn-email', true);
  ajv.addSchema(read('spdx.schema.json'), 'spdx.schema.json');
  ajv.addSchema(read('jsf-0.82.schema.json'), 'jsf-0.82.schema.json');
  return { cyclonedx: ajv.compile(read('bom-1.6.schema.json')), spdx: ajv.compile(read('spdx-schema-2.3.json')) };
}

/** True when xmllint (Debian package libxml2-utils) is installed. */
export const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;

/**
 * Validates a CycloneDX 1.6 XML file with xmllint against the official XSD. The XSD imports the
 * SPDX licence schema by URL, so an XML catalog maps that URL to the local copy and `--nonet`
 * keeps xmllint off the network. Returns xmllint's exit status and output.
 */
export function validateCycloneDxXml(file: string, workDir: string): { status: number | null; output: string } {
  const catalog = join(workDir, 'xml-catalog.xml');
  writeFileSync(
    catalog,
    `<?xml version="1.0"?>
<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
  <system systemId="http://cyclonedx.org/schema/spdx" uri="file://${join(schemas.path, 'spdx.xsd')}"/>
  <uri name="http://cyclonedx.org/schema/spdx" uri="file://${join(schemas.path, 'spdx.xsd')}"/>
</catalog>
`,
  );
  const result = spawnSync('xmllint', ['--nonet', '--noout', '--schema', join(schemas.path, 'bom-1.6.xsd'), file], {
    encoding: 'utf8',
    env: { ...process.env, XML_CATALOG_FILES: catalog },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
