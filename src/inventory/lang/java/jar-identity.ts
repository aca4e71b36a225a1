/**
 * Parses the main section of a JAR manifest (`META-INF/MANIFEST.MF`): `Name: value` lines up to
 * the first empty line, where a line that starts with one space continues the previous value
 * (the JAR format wraps lines at 72 bytes). Attribute names are case-insensitive, so the keys
 * are lower case.
 */
export function parseManifest(text: string): Map<string, string> {
  const attributes = new Map<string, string>();
  let lastKey: string | undefined;

  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '') break;
    if (line.startsWith(' ')) {
      if (lastKey !== undefined) attributes.set(lastKey, attributes.get(lastKey)! + line.slice(1));
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      lastKey = undefined;
      continue;
    }
    lastKey = line.slice(0, colon).trim().toLowerCase();
    attributes.set(lastKey, line.slice(colon + 1).trim());
  }
  return attributes;
}

/** A Maven-like identity read from metadata. `groupId` is absent when nothing names it. */
export interface JarIdentity {
  groupId?: string;
  artifactId: string;
  version: string;
}

/**
 * Derives an identity from manifest attributes, or undefined without an artifact name and a
 * version. The order of the fields follows Trivy's JAR parser
 * (`pkg/dependency/parser/java/jar/parse.go`):
 *
 * - artifactId: `Implementation-Title`, `Specification-Title`, `Bundle-Name`. Without them, the
 *   OSGi `Bundle-SymbolicName` as a whole, which Trivy does not use.
 * - groupId: `Implementation-Vendor-Id`, else `Bundle-SymbolicName` without its last dotted
 *   segment (`org.hdrhistogram.HdrHistogram` gives `org.hdrhistogram`). Unlike Trivy, the
 *   vendor names (`Implementation-Vendor`) are not used, because they are organisation names
 *   such as "The Apache Software Foundation", not group ids.
 * - version: `Implementation-Version`, `Specification-Version`, `Bundle-Version`.
 *
 * Values that start with `%` are OSGi localisation keys, not names, and are skipped.
 */
export function manifestIdentity(attributes: Map<string, string>): JarIdentity | undefined {
  const pick = (...names: string[]): string | undefined => {
    for (const name of names) {
      const value = attributes.get(name.toLowerCase())?.trim();
      if (value !== undefined && value !== '' && !value.startsWith('%')) return value;
    }
    return undefined;
  };

  // `Bundle-SymbolicName: org.eclipse.ui.intro.universal;singleton:=true` carries directives.
  const symbolicName = pick('Bundle-SymbolicName')?.split(';')[0]!.trim();
  const version = pick('Implementation-Version', 'Specification-Version', 'Bundle-Version');
  const title = pick('Implementation-Title', 'Specification-Title', 'Bundle-Name');
  const artifactId = title ?? symbolicName;
  if (artifactId === undefined || version === undefined) return undefined;

  let groupId = pick('Implementation-Vendor-Id');
  if (groupId === undefined && symbolicName !== undefined && title !== undefined) {
    const dot = symbolicName.lastIndexOf('.');
    if (dot > 0) groupId = symbolicName.slice(0, dot);
  }
  return groupId === undefined ? { artifactId, version } : { groupId, artifactId, version };
}

/** Archive file name endings of Java packages: JAR, WAR, EAR and Jenkins plugins (JPI, HPI). */
export const JAVA_ARCHIVE_SUFFIXES = ['.jar', '.war', '.ear', '.jpi', '.hpi'];

/** True when the name ends in a Java archive suffix, in any case. */
export function isJavaArchiveName(name: string): boolean {
  const lower = name.toLowerCase();
  return JAVA_ARCHIVE_SUFFIXES.some((suffix) => lower.endsWith(suffix));
}

/**
 * Splits an archive file name such as `log4j-1.2-api-2.17.1.jar` at the last `-` that is
 * followed by a digit, into artifactId `log4j-1.2-api` and version `2.17.1`. Returns undefined
 * for names without such a version (`app.jar`).
 */
export function fileNameIdentity(fileName: string): JarIdentity | undefined {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1);
  const match = /^(.+)-(\d[^/]*)\.(?:jar|war|ear|jpi|hpi)$/i.exec(base);
  if (!match) return undefined;
  return { artifactId: match[1]!, version: match[2]! };
}
