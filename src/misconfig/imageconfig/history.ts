import type { ImageConfig } from '../../artifact/source.js';

/** The maximum number of history entries read, an estimate far above real images, which have tens. */
export const MAX_HISTORY_ENTRIES = 1000;
/** The maximum length of a `created_by` or comment read, in characters. Longer text is cut before matching. */
export const MAX_CREATED_BY_LENGTH = 64 * 1024;

/** One history entry with the layer it created, if any. */
export interface HistoryStep {
  /** The 0-based position in `config.history`. */
  index: number;
  createdBy: string;
  comment: string;
  /** The layer index this step created, or undefined for an empty layer or an unknown mapping. */
  layer?: number;
}

/** The history of an image, read for its layer mapping and the base image buildah recorded. */
export interface ImageHistory {
  steps: HistoryStep[];
  /** How many entries (of the first `MAX_HISTORY_ENTRIES`) create a layer. */
  layerSteps: number;
  /** True when the entries that create layers match the layers one to one, so `layer` fields are set. */
  layersMapped: boolean;
  /**
   * How many layers come from the base image, when the history shows where the last build began.
   * Images built by Docker record no such marker, so for them it is undefined.
   */
  baseLayerCount?: number;
  /** The base image reference of the last build, as buildah recorded it (`debian:12`). */
  baseReference?: string;
  /** The 0-based entry that recorded `baseReference`. */
  baseReferenceIndex?: number;
}

/** A bare image ID, which buildah records in place of a name for cached intermediate steps. */
const IMAGE_ID = /^(sha256:)?[0-9a-f]{12,64}$/;

/**
 * Reads the history of an image config. Buildah writes `FROM <base>` into the comment of the
 * steps it creates: the first step of a build names the base, later cached steps name the
 * previous step's image ID. The last comment that names a reference rather than an ID therefore
 * marks the start of the last build, and the layers created before it are the base image's.
 */
export function readHistory(config: ImageConfig, layerCount: number): ImageHistory {
  const raw = Array.isArray(config.history) ? config.history.slice(0, MAX_HISTORY_ENTRIES) : [];
  const steps: HistoryStep[] = [];
  let layer = 0;
  let startOfBuild: { index: number; layersBefore: number; reference: string } | undefined;

  raw.forEach((entry, index) => {
    const record = (entry ?? {}) as Record<string, unknown>;
    const createdBy = typeof record.created_by === 'string' ? record.created_by.slice(0, MAX_CREATED_BY_LENGTH) : '';
    const comment = typeof record.comment === 'string' ? record.comment.slice(0, MAX_CREATED_BY_LENGTH) : '';
    const step: HistoryStep = { index, createdBy, comment };

    const reference = comment.startsWith('FROM ') ? comment.slice(5).trim() : '';
    if (reference !== '' && !IMAGE_ID.test(reference)) startOfBuild = { index, layersBefore: layer, reference };

    if (record.empty_layer !== true) {
      step.layer = layer;
      layer += 1;
    }
    steps.push(step);
  });

  const layersMapped = raw.length > 0 && layer === layerCount;
  if (!layersMapped) for (const step of steps) delete step.layer;

  const history: ImageHistory = { steps, layerSteps: layer, layersMapped };
  if (startOfBuild) {
    history.baseReference = startOfBuild.reference;
    history.baseReferenceIndex = startOfBuild.index;
    if (layersMapped) history.baseLayerCount = startOfBuild.layersBefore;
  }
  return history;
}

/** Returns the step that created a layer, when the history maps layers. */
export function stepOfLayer(history: ImageHistory, layer: number): HistoryStep | undefined {
  return history.layersMapped ? history.steps.find((step) => step.layer === layer) : undefined;
}

/** Build arguments that Docker prefixes to RUN steps (`|2 A=b C=d `), up to the shell. */
const RUN_ARGUMENTS_PREFIX = /^(RUN )?\|\d{1,3} .*?(?=\/bin\/sh -c )/s;
/** The user information of a URL, which may hold a password. */
const URL_USER_INFO = /(:\/\/)[^\s/@]{1,512}@/g;

/**
 * Shortens a `created_by` command for a message: build arguments and URL credentials removed, the
 * `/bin/sh -c #(nop)` prefix dropped, cut at 80 characters. Secrets elsewhere in a RUN command
 * are not detected and would show in the first 80 characters.
 */
export function summarizeCommand(createdBy: string): string {
  const text = createdBy
    .replace(RUN_ARGUMENTS_PREFIX, '')
    .replace(URL_USER_INFO, '$1***@')
    .replace(/^\/bin\/sh -c (#\(nop\)\s*)?/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Describes a layer for a message: its index, short diffID and the step that created it. */
export function describeLayer(history: ImageHistory, layer: number, layerDiffIds: readonly string[]): string {
  const diffId = layerDiffIds[layer];
  const parts = [`layer ${layer}`];
  if (diffId !== undefined) parts.push(diffId.replace(/^sha256:/, '').slice(0, 12));
  const step = stepOfLayer(history, layer);
  const command = step ? summarizeCommand(step.createdBy) : '';
  const label = parts.join(' ');
  return command === '' ? label : `${label} (${command})`;
}
