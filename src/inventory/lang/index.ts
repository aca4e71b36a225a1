import type { Analyzer } from '../analyzer.js';
import { goBinaryAnalyzer } from './go/go-binary-analyzer.js';
import { jarAnalyzer } from './java/jar-analyzer.js';
import { nodePackageAnalyzer } from './npm/node-package-analyzer.js';
import { pythonPackageAnalyzer } from './python/python-package-analyzer.js';

/** The analyzers of installed language packages, with default caps. */
export const langAnalyzers: Analyzer[] = [nodePackageAnalyzer, pythonPackageAnalyzer, goBinaryAnalyzer, jarAnalyzer];

export { goBinaryAnalyzer, goBinaryOutput } from './go/go-binary-analyzer.js';
export { createGoBuildInfoScanner, type GoBuildInfoScanner, type GoBuildInfoScannerOptions } from './go/go-buildinfo-scanner.js';
export { readGoBuildInfo } from './go/go-buildinfo.js';
export type { GoBuildInfo, GoBuildSetting, GoModule } from './go/go-modinfo.js';
export { createJarAnalyzer, jarAnalyzer, type JarAnalyzerOptions } from './java/jar-analyzer.js';
export { nodePackageAnalyzer } from './npm/node-package-analyzer.js';
export { pythonPackageAnalyzer } from './python/python-package-analyzer.js';
