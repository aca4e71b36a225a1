import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

import type { FieldValue, RuntimeEvent } from '../fields/field-types.js';

/** The maximum length of one JSON line; longer lines are counted as malformed and skipped. */
export const MAX_EVENT_LINE_BYTES = 4 * 1024 * 1024;

/** Called for each line that is not a usable event; reading goes on. */
export type MalformedEventHandler = (problem: { line: number; message: string }) => void;

export interface JsonEventOptions {
  /** The source of flat events that do not name one in `evt.source`. Default: `syscall`. */
  defaultSource?: string;
  onMalformed?: MalformedEventHandler;
  /** Ends reading when aborted, as the end of the input would; lines already read are still returned. */
  signal?: AbortSignal;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isFieldValue(value: unknown): value is FieldValue {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return true;
  return Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean');
}

/**
 * Turns one decoded JSON document into events: an audit.k8s.io Event, an EventList of them, or a
 * flat object whose keys are Falco field names. Returns an error message for anything else.
 */
export function eventsFromJson(document: unknown, defaultSource: string): RuntimeEvent[] | string {
  if (!isRecord(document)) return 'expected a JSON object';
  const apiVersion = document.apiVersion;
  if (typeof apiVersion === 'string' && apiVersion.startsWith('audit.k8s.io/')) {
    if (document.kind === 'Event') return [{ source: 'k8s_audit', fields: {}, raw: document }];
    if (document.kind === 'EventList' && Array.isArray(document.items)) {
      const events: RuntimeEvent[] = [];
      for (const item of document.items) if (isRecord(item)) events.push({ source: 'k8s_audit', fields: {}, raw: item });
      return events;
    }
    return `unsupported audit document kind ${JSON.stringify(document.kind)}; expected Event or EventList`;
  }
  const fields: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(document)) {
    if (value === null) continue;
    if (!isFieldValue(value)) return `field '${key}' must be a string, number, boolean or a list of them`;
    fields[key] = value;
  }
  const source = typeof fields['evt.source'] === 'string' ? (fields['evt.source'] as string) : defaultSource;
  return [{ source, fields }];
}

/**
 * Reads events from JSON lines: flat objects keyed by Falco field names, or Kubernetes audit
 * Events and EventLists as the API server's log backend writes them. Malformed lines are reported
 * through `onMalformed` and skipped.
 */
export async function* readJsonEvents(input: Readable, options: JsonEventOptions = {}): AsyncGenerator<RuntimeEvent> {
  const defaultSource = options.defaultSource ?? 'syscall';
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY, ...(options.signal === undefined ? {} : { signal: options.signal }) });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    if (line.length > MAX_EVENT_LINE_BYTES) {
      options.onMalformed?.({ line: lineNumber, message: `line is longer than ${MAX_EVENT_LINE_BYTES} bytes` });
      continue;
    }
    let document: unknown;
    try {
      document = JSON.parse(line);
    } catch (error) {
      options.onMalformed?.({ line: lineNumber, message: `invalid JSON: ${(error as Error).message}` });
      continue;
    }
    const events = eventsFromJson(document, defaultSource);
    if (typeof events === 'string') {
      options.onMalformed?.({ line: lineNumber, message: events });
      continue;
    }
    yield* events;
  }
}
