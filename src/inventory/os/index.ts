import type { Analyzer } from '../analyzer.js';
import { apkAnalyzer } from './apk.js';
import { dpkgAnalyzer } from './dpkg.js';
import { dpkgCopyrightAnalyzer } from './dpkg-copyright.js';
import { osReleaseAnalyzer } from './os-release.js';
import { releaseFilesAnalyzer } from './release-files.js';
import { rpmdbAnalyzer } from './rpm/rpmdb.js';

/** The analyzers for OS release files and OS package databases. */
export const osAnalyzers: Analyzer[] = [osReleaseAnalyzer, releaseFilesAnalyzer, dpkgAnalyzer, dpkgCopyrightAnalyzer, apkAnalyzer, rpmdbAnalyzer];

export { apkAnalyzer, parseApkInstalled } from './apk.js';
export { dpkgAnalyzer, parseDpkgStatus } from './dpkg.js';
export { dpkgCopyrightAnalyzer, parseDebianCopyright } from './dpkg-copyright.js';
export { osReleaseAnalyzer, osInfoFromOsRelease, parseKeyValueLines } from './os-release.js';
export { releaseFilesAnalyzer, parseReleaseFile } from './release-files.js';
export { resolveOs, type OsCandidate } from './resolve-os.js';
export { parseRpmHeader, type RpmHeader } from './rpm/header.js';
export { parseRpmdb, rpmdbAnalyzer } from './rpm/rpmdb.js';
