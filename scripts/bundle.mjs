/**
 * Bundles the CLI (bin/guild-stage.ts) into dist/bin/: one entry file and the chunks that the
 * engine's lazy imports load on first use. Every command pays for each module file it loads
 * before it does any work (P1 in bench/README.md): the unbundled CLI loaded some 200 files to
 * stage a one-file project. The library entry (dist/src/index.js) stays tsc's output, with its
 * types.
 *
 *   node scripts/bundle.mjs        (run by `npm run build` after tsc)
 *
 * Kept out of the bundle, loaded from node_modules when a run needs them: the packages that
 * load lazily and are large or load files of their own (ts-morph and TypeScript, tsx, Babel's
 * parser, recast), `yaml`, which the code requires synchronously on first use
 * (transformers/shared/yaml-lib.ts), and jsonc-parser, whose Node build requires its own
 * files by relative path at run time. Source maps sit beside each file: run with
 * `NODE_OPTIONS=--enable-source-maps` for stack traces that point at src/.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'dist/bin');

await rm(OUT, { recursive: true, force: true });
await build({
  absWorkingDir: ROOT,
  entryPoints: ['bin/guild-stage.ts'],
  outdir: OUT,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  external: ['ts-morph', 'typescript', 'tsx', 'tsx/*', '@babel/parser', 'recast', 'yaml', 'jsonc-parser'],
  // The bundled CommonJS packages call require(); ESM has none, so each chunk makes its own.
  banner: {
    js: "import { createRequire as __guildStageRequire } from 'node:module'; const require = __guildStageRequire(import.meta.url);",
  },
});
