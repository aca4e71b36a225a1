/** The advisory formats that `importSources` reads. */
export type SourceKind = 'osv' | 'alpine-secdb' | 'debian-tracker-json' | 'debian-lists' | 'wolfi-advisories';

export const SOURCE_KINDS: readonly SourceKind[] = ['osv', 'alpine-secdb', 'debian-tracker-json', 'debian-lists', 'wolfi-advisories'];
