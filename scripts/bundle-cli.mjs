// Bundles the compiled CLI (dist/cli/main.js and everything it imports) into one ES module. Node
// resolves and compiles each of the several hundred ES modules of the unbundled tree separately,
// which costs about 0.1 s at every start; a warm rescan is meant to take less than 0.25 s in all.
// better-sqlite3 stays external because it loads a native addon, and the CycloneDX library (with
// the XML builder it uses) because it reads resource files next to its own modules and has optional
// plugins that are not installed; both load only for SBOM output.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/cli/main.js'],
  outfile: 'dist/bulwark-cli.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', '@cyclonedx/cyclonedx-library', 'xmlbuilder2'],
  // Bundled CommonJS dependencies call require(); an ES module has none unless it is made.
  banner: { js: "import { createRequire as bulwarkCreateRequire } from 'node:module'; const require = bulwarkCreateRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
});
