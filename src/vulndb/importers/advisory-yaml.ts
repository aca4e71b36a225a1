import jsYaml from 'js-yaml';

import { LimitError } from '../../errors.js';

/**
 * Parses one advisory YAML file with js-yaml and the YAML 1.2 core schema, which reads the OSV and
 * Wolfi corpora more than ten times faster than the `yaml` package. Timestamps stay strings, such as
 * PyPI's `2024-10-10 17:22:00.587279+00:00`; `normalizeTimestamp` turns them into RFC 3339. Throws
 * js-yaml's YAMLException, with the line and column, for invalid YAML, and a LimitError for a file
 * whose aliases expand it past its own size.
 */
export function parseAdvisoryYaml(text: string, filename: string): unknown {
  const value = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, filename });
  checkExpansion(value, text.length + 64, filename);
  return value;
}

/**
 * Throws when walking the value as a tree visits more nodes than `maxNodes`. js-yaml returns an
 * alias as a second reference to its anchor's value, so a "billion laughs" file parses into a small
 * graph that explodes only when a later step walks or serializes it. Every node of a real tree takes
 * at least one character of the text, so the text length bounds an honest tree.
 */
function checkExpansion(value: unknown, maxNodes: number, filename: string): void {
  const pending: unknown[] = [value];
  let visited = 0;
  while (pending.length > 0) {
    const node = pending.pop();
    visited += 1;
    if (visited > maxNodes) {
      throw new LimitError(`${filename}: YAML aliases expand the document past ${maxNodes} nodes, which looks like an alias bomb; the file was not imported`);
    }
    if (Array.isArray(node)) pending.push(...node);
    else if (node !== null && typeof node === 'object') pending.push(...Object.values(node));
  }
}
