import jsYaml from 'js-yaml';
import { isMap as isYamlMap, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';

import { errorMessage } from '../../errors.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import { locateField } from './field-locator.js';
import { isMap, stringMap, type JsonMap, type K8sObject } from './k8s-object.js';
import { AliasLimitError, locateFrame, parseFrames, type YamlFrame } from './yaml-frames.js';

/** Caps on one manifest file, because manifests can come from untrusted charts and pull requests. */
export interface ManifestLimits {
  /** The largest file read, in bytes. Default: 16 MiB. */
  maxFileBytes: number;
  /** The largest single YAML document, in bytes. Default: 4 MiB. */
  maxDocumentBytes: number;
  /** The maximum number of YAML documents and `List` items read from one file. Default: 10,000. */
  maxObjects: number;
  /** The maximum number of aliases per document. Default: 100. */
  maxAliasCount: number;
  /** The maximum number of nodes that aliases may repeat per document, against "billion laughs" expansion. Default: 100,000. */
  maxAliasNodes: number;
  /** The deepest nesting of mappings and sequences. Default: 200. */
  maxDepth: number;
}

export const DEFAULT_MANIFEST_LIMITS: Readonly<ManifestLimits> = Object.freeze({
  maxFileBytes: 16 * 1024 * 1024,
  maxDocumentBytes: 4 * 1024 * 1024,
  maxObjects: 10_000,
  maxAliasCount: 100,
  maxAliasNodes: 100_000,
  maxDepth: 200,
});

export interface ParsedManifest {
  objects: K8sObject[];
  diagnostics: Diagnostic[];
}

/**
 * Parses a YAML or JSON manifest into Kubernetes objects: every document of a multi-document file,
 * and every item of a `List` kind (`v1/List`, `PodList`…). A mapping is a Kubernetes object when
 * it has string `apiVersion` and `kind` fields. Documents that cannot be parsed or break a limit
 * become diagnostics with their line and column, and the other documents are still read. Text
 * that never mentions `apiVersion` contains no object and is skipped without parsing.
 *
 * Valid files go through js-yaml, which is fast. A file that js-yaml rejects is parsed again with
 * the `yaml` package, because it reports each broken document and keeps reading the others.
 */
export function parseManifest(path: string, content: Buffer | string, limits: ManifestLimits = DEFAULT_MANIFEST_LIMITS): ParsedManifest {
  const result: ParsedManifest = { objects: [], diagnostics: [] };
  const size = typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  if (size > limits.maxFileBytes) {
    result.diagnostics.push({ target: path, code: 'LIMIT_EXCEEDED', message: `manifest is ${size} bytes, over the limit of ${limits.maxFileBytes} bytes; split it into smaller files` });
    return result;
  }
  const text = typeof content === 'string' ? content : content.toString('utf8');
  if (!text.includes('apiVersion')) return result;

  let frames: YamlFrame[];
  try {
    frames = parseFrames(text, limits);
  } catch (error) {
    if (error instanceof jsYaml.YAMLException && text.includes('{{')) {
      result.diagnostics.push({ target: path, code: 'UNSUPPORTED', message: `not checked: this looks like a Helm or Go template, not a manifest (${error.reason} at line ${error.mark.line + 1}); render it first: helm template CHART | bulwark config -` });
      return result;
    }
    if (error instanceof jsYaml.YAMLException || error instanceof AliasLimitError) return parseDocumentByDocument(path, text, limits);
    throw error;
  }
  for (const [index, frame] of frames.entries()) {
    if (result.objects.length >= limits.maxObjects) {
      result.diagnostics.push({ target: path, code: 'LIMIT_EXCEEDED', message: `more than ${limits.maxObjects} objects in one file; the rest of the file was not checked` });
      break;
    }
    if (frame.end - frame.start > limits.maxDocumentBytes) {
      result.diagnostics.push({ target: path, code: 'LIMIT_EXCEEDED', message: `document ${index + 1} (line ${frame.line + 1}) is over the limit of ${limits.maxDocumentBytes} bytes; it was not checked` });
      continue;
    }
    const value = frame.value;
    if (!isKubernetesObject(value)) continue;
    const items = value.items;
    if (value.kind.endsWith('List') && Array.isArray(items)) {
      const itemsFrame = itemsFrameOf(frame);
      items.forEach((item, position) => {
        const itemFrame = itemsFrame?.children[position];
        if (isKubernetesObject(item) && itemFrame !== undefined && result.objects.length < limits.maxObjects) {
          result.objects.push(makeObject(item, (field) => locateFrame(itemFrame, field, path), path));
        }
      });
      continue;
    }
    result.objects.push(makeObject(value, (field) => locateFrame(frame, field, path), path));
  }
  return result;
}

function itemsFrameOf(frame: YamlFrame): YamlFrame | undefined {
  let found: YamlFrame | undefined;
  for (let index = 0; index + 1 < frame.children.length; index += 2) if (frame.children[index]!.value === 'items') found = frame.children[index + 1];
  return found;
}

/** Parses with the `yaml` package, one document at a time, so that each broken document gets its own diagnostic. */
function parseDocumentByDocument(path: string, text: string, limits: ManifestLimits): ParsedManifest {
  const result: ParsedManifest = { objects: [], diagnostics: [] };
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: false });
  // parseAllDocuments returns an EmptyStream (an array with no documents) for empty input.
  for (const [index, document] of [...documents].entries()) {
    if (result.objects.length >= limits.maxObjects) {
      result.diagnostics.push({ target: path, code: 'LIMIT_EXCEEDED', message: `more than ${limits.maxObjects} objects in one file; the rest of the file was not checked` });
      break;
    }
    const [start, , end] = document.range;
    const docLine = lines.linePos(start).line;
    if (document.errors.length > 0) {
      const error = document.errors[0]!;
      const position = error.linePos?.[0] ?? lines.linePos(error.pos[0]);
      const firstLine = error.message.split('\n')[0];
      result.diagnostics.push({ target: path, code: 'FORMAT_INVALID', message: `invalid YAML at line ${position.line}, column ${position.col}: ${firstLine}; document ${index + 1} was not checked` });
      continue;
    }
    if (end - start > limits.maxDocumentBytes) {
      result.diagnostics.push({ target: path, code: 'LIMIT_EXCEEDED', message: `document ${index + 1} (line ${docLine}) is ${end - start} bytes, over the limit of ${limits.maxDocumentBytes} bytes; it was not checked` });
      continue;
    }

    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (error) {
      // The yaml package throws a ReferenceError when alias expansion passes maxAliasCount.
      result.diagnostics.push({ target: path, code: 'LIMIT_EXCEEDED', message: `document ${index + 1} (line ${docLine}) could not be read: ${errorMessage(error)}` });
      continue;
    }
    const root = document.contents as Node | null;
    if (root === null || !isKubernetesObject(value)) continue;

    const items = value.items;
    if (value.kind.endsWith('List') && Array.isArray(items) && isYamlMap(root)) {
      const itemsNode = root.get('items', true);
      items.forEach((item, position) => {
        const node = isSeq(itemsNode) ? (itemsNode.items[position] as Node | undefined) : undefined;
        if (isKubernetesObject(item) && node !== undefined && result.objects.length < limits.maxObjects) {
          result.objects.push(makeObject(item, (field) => locateField(node, field, lines, path), path));
        }
      });
      continue;
    }
    result.objects.push(makeObject(value, (field) => locateField(root, field, lines, path), path));
  }
  return result;
}

function isKubernetesObject(value: unknown): value is JsonMap & { apiVersion: string; kind: string } {
  return isMap(value) && typeof value.apiVersion === 'string' && typeof value.kind === 'string' && value.kind !== '';
}

function makeObject(value: JsonMap & { apiVersion: string; kind: string }, locate: K8sObject['locate'], path: string): K8sObject {
  const metadata = isMap(value.metadata) ? value.metadata : {};
  // Objects created with generateName have no name yet; `prefix-*` still identifies them in findings.
  let name = '';
  if (typeof metadata.name === 'string' || typeof metadata.name === 'number') name = String(metadata.name);
  else if (typeof metadata.generateName === 'string') name = `${metadata.generateName}*`;
  return {
    apiVersion: value.apiVersion,
    kind: value.kind,
    name,
    namespace: typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : undefined,
    labels: stringMap(metadata.labels),
    annotations: stringMap(metadata.annotations),
    value,
    path,
    locate,
  };
}
