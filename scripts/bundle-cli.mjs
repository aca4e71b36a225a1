// Bundles the compiled CLI (dist/cli/main.js and everything it imports) into an entry ES module and
// chunks. Node resolves and compiles each of the several hundred ES modules of the unbundled tree
// separately, which costs about 0.1 s at every start, while a warm rescan is meant to take less
// than 0.25 s in all.
// better-sqlite3 stays external because it loads a native addon. The CycloneDX library's optional
// validator plugins stay external too: it requires them inside try/catch, and they are not installed.
// Other packages are bundled, because an external ES import is hoisted to the top of the bundle and
// would load at every start even for commands that never use it.
import { build } from 'esbuild';

await build({
  // Code that only some commands need (SBOM writers, the runtime engine, the DB importers) is
  // reached through dynamic imports. With splitting it lands in chunks that load on demand, so
  // every start compiles only the main chunk.
  entryPoints: { 'bulwark-cli': 'dist/cli/main.js' },
  outdir: 'dist/cli-bundle',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'ajv-formats-draft2019', 'libxmljs2'],
  // Bundled CommonJS dependencies call require(); an ES module has none unless it is made.
  // __filename and __dirname too, which the CycloneDX library reads to locate its schema files.
  banner: {
    js: [
      "import { createRequire as bulwarkCreateRequire } from 'node:module';",
      "import { fileURLToPath as bulwarkFileURLToPath } from 'node:url';",
      "import { dirname as bulwarkDirname } from 'node:path';",
      'const require = bulwarkCreateRequire(import.meta.url);',
      'const __filename = bulwarkFileURLToPath(import.meta.url);',
      'const __dirname = bulwarkDirname(__filename);',
    ].join(' '),
  },
  sourcemap: true,
  logLevel: 'warning',
});
