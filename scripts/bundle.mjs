/**
 * Bundles the CLI into dist/bin/ (`npm run build` runs this after tsc):
 *
 * - cli.cjs: bin/cli.ts and everything it imports, one minified CommonJS file. The engine's
 *   lazy imports stay lazy (esbuild wraps each module in a function that runs on first use),
 *   but there is one file to read and compile, with no module resolution between files.
 * - import-module.cjs: src/plugins/import-module.ts, the one module that calls `import()`,
 *   which code compiled from a code cache cannot do in Node 20.
 * - guild-stage.cjs: bin/guild-stage.cts, what `guild-stage` runs. It compiles cli.cjs with a
 *   V8 code cache, so a command does not parse the bundle again (see that file), and knows
 *   the bundle by the SHA-256 set here.
 *
 *   node scripts/bundle.mjs
 *
 * CommonJS because Node 20 can cache compiled code only for scripts, not ES modules. Kept out
 * of the bundle, loaded from node_modules when a run needs them: the packages that load lazily
 * and are large or load files of their own (ts-morph and TypeScript, tsx, Babel's parser,
 * recast), `yaml`, which the code requires synchronously on first use
 * (transformers/shared/yaml-lib.ts), and jsonc-parser, whose Node build requires its own
 * files by relative path at run time. Source maps sit beside each file: run with
 * `NODE_OPTIONS=--enable-source-maps` for stack traces that point at src/. The library entry
 * (dist/src/index.js) stays tsc's output, with its types.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'dist/bin');
const CLI = path.join(OUT, 'cli.cjs');

/** @type {import('esbuild').BuildOptions} */
const common = {
  absWorkingDir: ROOT,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
};

/** @type {import('esbuild').Plugin} */
const importModuleApart = {
  name: 'import-module-apart',
  setup(build) {
    build.onResolve({ filter: /\/import-module\.js$/ }, () => ({ path: './import-module.cjs', external: true }));
  },
};

/**
 * Node's own modules that only some commands need, while every command loads modules that
 * import them: each becomes an object of getters that requires it on first use. Commander
 * requires child_process at its top, and child_process loads net (together ~8 ms in a fresh
 * node; in `stage`, which loads streams anyway, the saving is within noise). crypto is used to
 * hash and to name, which listing commands (`runs`, `compare`) and `--help` do not do: a `runs`
 * on an empty runs directory takes 0.97x the time with it lazy (30 paired runs). The names
 * are those of the building Node, whose major the bundle targets.
 */
const LAZY_BUILTINS = ['child_process', 'net', 'crypto'];
const LAZY_NAMESPACE = 'lazy-builtin';

/** @type {import('esbuild').Plugin} */
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(build) {
    const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`);
    build.onResolve({ filter }, (args) =>
      args.namespace === LAZY_NAMESPACE
        ? { path: args.path, external: true }
        : { path: `node:${args.path.replace(/^node:/, '')}`, namespace: LAZY_NAMESPACE },
    );
    build.onLoad({ filter: /.*/, namespace: LAZY_NAMESPACE }, (args) => ({
      loader: 'js',
      contents: [
        'let loaded;',
        `const load = () => (loaded ??= require(${JSON.stringify(args.path)}));`,
        `for (const name of ${JSON.stringify(Object.keys(createRequire(import.meta.url)(args.path)))})`,
        '  Object.defineProperty(module.exports, name, { enumerable: true, get: () => load()[name] });',
      ].join('\n'),
    }));
  },
};

rmSync(OUT, { recursive: true, force: true });
await build({ ...common, entryPoints: ['src/plugins/import-module.ts'], outfile: path.join(OUT, 'import-module.cjs') });
await build({
  ...common,
  entryPoints: ['bin/cli.ts'],
  outfile: CLI,
  external: ['ts-morph', 'typescript', 'tsx', 'tsx/*', '@babel/parser', 'recast', 'yaml', 'jsonc-parser'],
  plugins: [importModuleApart, lazyBuiltins],
  // Names and whitespace minified: the launcher reads and V8 deserializes less for every
  // command. Stack traces keep their names under --enable-source-maps, as the map has them.
  minify: true,
  // ASCII, as esbuild writes by default, is what lets the launcher read the file as latin1.
  charset: 'ascii',
  // The modules resolve files and packages from their own URL; in the bundle that is cli.cjs's.
  define: { 'import.meta.url': '__guildStageBundleUrl' },
  banner: { js: "const __guildStageBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
const nonAscii = readFileSync(CLI).findIndex((byte) => byte > 0x7f);
if (nonAscii !== -1) throw new Error(`${CLI}: byte ${nonAscii} is not ASCII; the launcher reads the bundle as latin1`);
await build({
  ...common,
  entryPoints: ['bin/guild-stage.cts'],
  outfile: path.join(OUT, 'guild-stage.cjs'),
  define: { CLI_SHA256: JSON.stringify(createHash('sha256').update(readFileSync(CLI)).digest('hex')) },
});
