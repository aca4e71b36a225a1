import { LimitError } from '../errors.js';
import type { Analyzer } from '../inventory/analyzer.js';
import { normalizeEntryPath, parseWhiteout } from './entry-path.js';
import type { EntryKind, LayerAnalysis } from './layer-analysis.js';
import type { WalkLimits } from './limits.js';
import { feedScanners, finishPlan, planFile } from './run-analyzers.js';
import { readTar, type MemberSink, type TarMember } from './tar-reader.js';

export interface WalkLayerOptions {
  /** The layer's diffID, recorded in the result. */
  diffId: string;
  /** Names the layer in diagnostics and errors, e.g. `debian.tar layer sha256:ab12…`. */
  label: string;
  analyzers: readonly Analyzer[];
  limits: WalkLimits;
}

/** The entry kind of each tar type flag; unknown flags count as `other`. */
const KINDS: Record<string, EntryKind> = {
  '0': 'file',
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'other',
  '4': 'other',
  '5': 'dir',
  '6': 'other',
};

/** The largest PAX or GNU long-name record accepted; real ones hold a path and a few fields. */
const MAX_TAR_RECORD_SIZE = 1024 * 1024;

/**
 * Reads one uncompressed layer tar from start to end, once. Entries are recorded with their normalized
 * paths, whiteout markers become whiteouts and opaque directories, and only files that some analyzer
 * requires are buffered or streamed to it. Names that climb out of the root (`..`) are skipped with a
 * diagnostic; a corrupt tar or a hit cap rejects with a typed error naming the layer.
 */
export async function walkLayer(tar: AsyncIterable<Buffer>, options: WalkLayerOptions): Promise<LayerAnalysis> {
  const { label, limits } = options;
  const result: LayerAnalysis = { diffId: options.diffId, entries: [], whiteouts: [], opaqueDirs: [], analyses: [], diagnostics: [] };
  let memberCount = 0;

  const onMember = (member: TarMember): MemberSink | undefined => {
    memberCount += 1;
    if (memberCount > limits.maxLayerEntries) {
      throw new LimitError(`${label} has more than ${limits.maxLayerEntries} entries; raise --max-layer-entries if the image is trusted`);
    }
    if (member.name.length > limits.maxPathLength) {
      result.diagnostics.push({ target: label, code: 'LIMIT_EXCEEDED', message: `skipped an entry whose name is ${member.name.length} bytes long (cap ${limits.maxPathLength})` });
      return undefined;
    }

    const path = normalizeEntryPath(member.name);
    if (path === undefined) {
      result.diagnostics.push({ target: `${label}:${member.name}`, code: 'FORMAT_INVALID', message: 'skipped an entry whose name climbs out of the image root with ".."' });
      return undefined;
    }
    if (path === '') return undefined;

    const whiteout = parseWhiteout(path);
    if (whiteout) {
      if (whiteout.kind === 'opaque') result.opaqueDirs.push(whiteout.dir);
      else result.whiteouts.push(whiteout.target);
      return undefined;
    }

    const kind = KINDS[member.typeflag] ?? 'other';
    const { mode, size } = member;
    if (kind === 'symlink') {
      result.entries.push({ path, kind, mode, size: 0, linkname: member.linkname });
      return undefined;
    }
    if (kind === 'hardlink') {
      const target = normalizeEntryPath(member.linkname);
      if (target === undefined || target === '') {
        result.diagnostics.push({ target: `${label}:${path}`, code: 'FORMAT_INVALID', message: `skipped a hard link to "${member.linkname}", which is outside the image root` });
      } else {
        result.entries.push({ path, kind, mode, size: 0, linkname: target });
      }
      return undefined;
    }
    result.entries.push({ path, kind, mode, size });
    if (kind !== 'file') return undefined;

    const info = { path, size, mode };
    const target = `${label}:${path}`;
    const plan = planFile(options.analyzers, info, limits.maxFileSize, target);
    if (plan === undefined) return undefined;

    // Only files that a buffered analyzer reads are kept in memory; scanners see each chunk once.
    const chunks: Buffer[] | undefined = plan.buffered.length > 0 ? [] : undefined;
    return {
      write(chunk) {
        // The chunk is a view into the decompressor's buffer, so a kept chunk is copied.
        chunks?.push(Buffer.from(chunk));
        feedScanners(plan, chunk);
      },
      async end() {
        const content = chunks === undefined ? undefined : Buffer.concat(chunks, size);
        const { analyses, diagnostics } = await finishPlan(plan, info, content, target);
        result.analyses.push(...analyses);
        result.diagnostics.push(...diagnostics);
      },
    };
  };

  await readTar(tar, { label, maxMetaSize: MAX_TAR_RECORD_SIZE, onMember });
  return result;
}
