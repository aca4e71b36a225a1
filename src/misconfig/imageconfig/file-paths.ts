/** A package manager cache that a path belongs to. */
export interface PackageCacheMatch {
  manager: string;
  /** The cache directory, without a leading slash, that findings are grouped by. */
  directory: string;
  /** The dockle checkpoint for this manager's cache, where dockle has one. */
  aliases: string[];
}

interface CacheLocation {
  manager: string;
  /** Matches a path under the cache; group 1 is the cache directory. */
  pattern: RegExp;
  aliases: string[];
}

/**
 * The folders where package managers leave caches. apt's `lock` files and the empty `partial/` folders are part
 * of every Debian image and are not caches.
 */
const CACHE_LOCATIONS: CacheLocation[] = [
  { manager: 'apt', pattern: /^(var\/lib\/apt\/lists)\/(?!lock$|partial\/|auxfiles\/)[^/]+$/, aliases: ['DKL-DI-0005'] },
  { manager: 'apt', pattern: /^(var\/cache\/apt\/archives)\/[^/]+\.deb$/, aliases: ['DKL-DI-0005'] },
  { manager: 'apt', pattern: /^(var\/cache\/apt)\/[^/]+\.bin$/, aliases: ['DKL-DI-0005'] },
  { manager: 'apk', pattern: /^(var\/cache\/apk|etc\/apk\/cache)\/[^/]+$/, aliases: ['DKL-DI-0004'] },
  { manager: 'yum', pattern: /^(var\/cache\/yum)\/.+/, aliases: [] },
  { manager: 'dnf', pattern: /^(var\/cache\/dnf)\/.+/, aliases: [] },
  { manager: 'zypper', pattern: /^(var\/cache\/zypp)\/.+/, aliases: [] },
  { manager: 'pip', pattern: /^((?:root|home\/[^/]+)\/\.cache\/pip)\/.+/, aliases: [] },
  { manager: 'npm', pattern: /^((?:root|home\/[^/]+)\/\.npm\/_cacache)\/.+/, aliases: [] },
  { manager: 'yarn', pattern: /^((?:root|home\/[^/]+)\/\.cache\/yarn|usr\/local\/share\/\.cache\/yarn)\/.+/, aliases: [] },
];

/** The first characters of every cache location, to skip most paths without running the patterns. */
const CACHE_PREFIXES = ['var/lib/apt/', 'var/cache/', 'etc/apk/', 'root/', 'home/', 'usr/local/share/'];

/** Returns the package manager cache a file is in, if any. */
export function classifyPackageCache(path: string): PackageCacheMatch | undefined {
  if (!CACHE_PREFIXES.some((prefix) => path.startsWith(prefix))) return undefined;
  for (const location of CACHE_LOCATIONS) {
    const match = location.pattern.exec(path);
    if (match) return { manager: location.manager, directory: match[1]!, aliases: location.aliases };
  }
  return undefined;
}

/** Credential files by base name, with what each is. */
const CREDENTIAL_NAMES: Record<string, string> = {
  id_rsa: 'an SSH private key',
  id_dsa: 'an SSH private key',
  id_ecdsa: 'an SSH private key',
  id_ecdsa_sk: 'an SSH private key',
  id_ed25519: 'an SSH private key',
  id_ed25519_sk: 'an SSH private key',
  '.git-credentials': 'a git credential store',
  '.netrc': 'a netrc file, which contains login passwords',
  '.pgpass': 'a PostgreSQL password file',
  '.npmrc': 'an npm config file, which may hold an _authToken',
  '.pypirc': 'a PyPI config file, which may hold an upload password',
  '.env': 'a dotenv file, which may hold secrets',
};

/** Credential files by parent folder and base name. */
const CREDENTIAL_PAIRS: Record<string, string> = {
  '.aws/credentials': 'an AWS credentials file',
  '.docker/config.json': 'a Docker config file, which may hold registry credentials',
  '.kube/config': 'a kubeconfig, which may hold cluster credentials',
  'gcloud/application_default_credentials.json': 'Google Cloud application default credentials',
  'gcloud/credentials.db': 'a Google Cloud credential store',
  '.azure/accessTokens.json': 'an Azure CLI token cache',
};

/** The base names of `CREDENTIAL_PAIRS`, to skip most paths before splitting them. */
const CREDENTIAL_PAIR_NAMES = new Set(Object.keys(CREDENTIAL_PAIRS).map((pair) => pair.slice(pair.indexOf('/') + 1)));

/**
 * Folders whose files are package content or test fixtures rather than the image's own setup:
 * libraries ship sample keys for their tests (`node_modules/ssh2/test/fixtures/id_rsa`).
 */
const FIXTURE_FOLDERS = new Set(['node_modules', 'site-packages', 'dist-packages', 'vendor', 'test', 'tests', 'testdata', 'fixtures', 'doc']);

/** Folders that a build copies in by mistake, with what each is. */
const UNNEEDED_FOLDERS: Record<string, string> = {
  '.git': 'a git repository, with the source history',
  '.svn': 'a Subversion working copy',
  '.hg': 'a Mercurial repository',
  '.idea': 'IDE settings',
  '.vscode': 'IDE settings',
};

/** Files that a build copies in by mistake, with what each is. */
const UNNEEDED_FILES: Record<string, string> = {
  '.DS_Store': 'macOS folder metadata',
};

/** A file or folder the image does not need, and the path that findings are grouped by. */
export interface UnneededMatch {
  /** The folder (`app/.git`) or file, without a leading slash. */
  path: string;
  kind: string;
}

/** Returns the unneeded folder or file a path is in, if any, skipping package and test folders. */
export function classifyUnneededPath(path: string): UnneededMatch | undefined {
  if (!path.startsWith('.') && !path.includes('/.')) return undefined;
  const parts = path.split('/');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (FIXTURE_FOLDERS.has(part)) return undefined;
    const isLast = i === parts.length - 1;
    if (!isLast && Object.hasOwn(UNNEEDED_FOLDERS, part)) return { path: parts.slice(0, i + 1).join('/'), kind: UNNEEDED_FOLDERS[part]! };
    if (isLast && Object.hasOwn(UNNEEDED_FILES, part)) return { path, kind: UNNEEDED_FILES[part]! };
  }
  return undefined;
}

/**
 * Returns what kind of credential file a path is, by its name alone.
 * NOTE: files under package and test folders (`node_modules`, `site-packages`, `tests`…) are
 * skipped, so a real key copied into such a folder is missed.
 */
export function classifyCredentialPath(path: string): string | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (!Object.hasOwn(CREDENTIAL_NAMES, name) && !CREDENTIAL_PAIR_NAMES.has(name)) return undefined;

  const parts = path.split('/');
  const pair = parts.length >= 2 ? `${parts[parts.length - 2]}/${name}` : '';
  const kind = CREDENTIAL_PAIRS[pair] ?? (Object.hasOwn(CREDENTIAL_NAMES, name) ? CREDENTIAL_NAMES[name] : undefined);
  if (kind === undefined) return undefined;
  if (parts.slice(0, -1).some((part) => FIXTURE_FOLDERS.has(part))) return undefined;
  return kind;
}
