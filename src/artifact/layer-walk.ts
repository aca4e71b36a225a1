import type { Readable } from 'node:stream';
import { extract, type Header } from 'tar-stream';

import { InputError, LimitError } from '../errors.js';
import type { Analyzer } from '../inventory/analyzer.js';
import { normalizeEntryPath, parseWhiteout } from './entry-path.js';
import type { EntryKind, LayerAnalysis } from './layer-analysis.js';
import type { WalkLimits } from './limits.js';
import { feedScanners, finishPlan, planFile } from './run-analyzers.js';

export interface WalkLayerOptions {
  /** The layer's diffID, recorded in the result. */
  diffId: string;
  /** Names the layer in diagnostics and errors, e.g. `debian.tar layer sha256:ab12…`. */
  label: string;
  analyzers: readonly Analyzer[];
  limits: WalkLimits;
}

const KINDS: Record<Header['type'], EntryKind> = {
  file: 'file',
  'contiguous-file': 'file',
  directory: 'dir',
  symlink: 'symlink',
  link: 'hardlink',
  'character-device': 'other',
  'block-device': 'other',
  fifo: 'other',
};

/**
 * Reads one uncompressed layer tar from start to end, once. Entries are recorded with their normalized
 * paths, whiteout markers become whiteouts and opaque directories, and only files that some analyzer
 * requires are buffered and analyzed. Names that climb out of the root (`..`) are skipped with a
 * diagnostic; a corrupt tar or a hit cap rejects with a typed error naming the layer.
 */
export async function walkLayer(tar: Readable, options: WalkLayerOptions): Promise<LayerAnalysis> {
  const { label, limits } = options;
  const result: LayerAnalysis = { diffId: options.diffId, entries: [], whiteouts: [], opaqueDirs: [], analyses: [], diagnostics: [] };
  const extractor = extract();
  let entryCount = 0;

  const done = new Promise<void>((resolve, reject) => {
    extractor.on('finish', () => resolve());
    extractor.on('error', (error: Error) =>
      reject(error instanceof InputError || error instanceof LimitError ? error : new InputError('FORMAT_INVALID', `${label}: the tar stream is corrupt or truncated (${error.message})`, { cause: error })),
    );
    tar.on('error', (error: Error) => {
      extractor.destroy(error);
      reject(error);
    });
  });

  extractor.on('entry', (header, stream, next) => {
    const skip = () => {
      stream.on('end', () => next());
      stream.resume();
    };

    entryCount += 1;
    if (entryCount > limits.maxLayerEntries) {
      stream.resume();
      next(new LimitError(`${label} has more than ${limits.maxLayerEntries} entries; raise --max-layer-entries if the image is trusted`));
      return;
    }
    if (header.name.length > limits.maxPathLength) {
      result.diagnostics.push({ target: label, code: 'LIMIT_EXCEEDED', message: `skipped an entry whose name is ${header.name.length} bytes long (cap ${limits.maxPathLength})` });
      skip();
      return;
    }

    const path = normalizeEntryPath(header.name);
    if (path === undefined) {
      result.diagnostics.push({ target: `${label}:${header.name}`, code: 'FORMAT_INVALID', message: 'skipped an entry whose name climbs out of the image root with ".."' });
      skip();
      return;
    }
    if (path === '') {
      skip();
      return;
    }

    const whiteout = parseWhiteout(path);
    if (whiteout) {
      if (whiteout.kind === 'opaque') result.opaqueDirs.push(whiteout.dir);
      else result.whiteouts.push(whiteout.target);
      skip();
      return;
    }

    const kind = KINDS[header.type ?? 'file'] ?? 'other';
    const mode = header.mode ?? 0;
    const size = header.size ?? 0;
    if (kind === 'symlink') {
      result.entries.push({ path, kind, mode, size: 0, linkname: header.linkname ?? '' });
      skip();
      return;
    }
    if (kind === 'hardlink') {
      const target = normalizeEntryPath(header.linkname ?? '');
      if (target === undefined || target === '') {
        result.diagnostics.push({ target: `${label}:${path}`, code: 'FORMAT_INVALID', message: `skipped a hard link to "${header.linkname}", which is outside the image root` });
      } else {
        result.entries.push({ path, kind, mode, size: 0, linkname: target });
      }
      skip();
      return;
    }
    result.entries.push({ path, kind, mode, size });
    if (kind !== 'file') {
      skip();
      return;
    }

    const info = { path, size, mode };
    const target = `${label}:${path}`;
    const plan = planFile(options.analyzers, info, limits.maxFileSize, target);
    if (plan === undefined) {
      skip();
      return;
    }

    // Only files that a buffered analyzer reads are kept in memory; scanners see each chunk once.
    const chunks: Buffer[] | undefined = plan.buffered.length > 0 ? [] : undefined;
    stream.on('data', (data: unknown) => {
      const chunk = data as Buffer;
      chunks?.push(chunk);
      feedScanners(plan, chunk);
    });
    stream.on('end', () => {
      const content = chunks === undefined ? undefined : Buffer.concat(chunks, size);
      finishPlan(plan, info, content, target).then(({ analyses, diagnostics }) => {
        result.analyses.push(...analyses);
        result.diagnostics.push(...diagnostics);
        next();
      }, (error: Error) => next(error));
    });
  });

  tar.pipe(extractor);
  await done;
  return result;
}
