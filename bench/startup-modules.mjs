/**
 * Which modules a guild-stage command loads, grouped by package, with their size and when
 * the first of them was loaded: what start-up pays for before any work is done.
 *
 *   node bench/startup-modules.mjs [--list] -- stage train.py --flags lr=0.1 --runs-dir /tmp/runs
 *
 * Runs dist/bin/guild-stage.cjs in the current directory with module hooks preloaded
 * (module-log-hooks.mjs). CommonJS files are only known at exit, so their time is '-'.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const CLI = fileURLToPath(new URL('../dist/bin/guild-stage.cjs', import.meta.url));
const HOOKS = new URL('./module-log-hooks.mjs', import.meta.url).href;

/** @param {string} file */
function ownerOf(file) {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (pkg) return pkg[1];
  const project = /\/dist\/(bin|src|transformers)\//.exec(file);
  return project ? `guild-stage ${project[1]}/` : file;
}

/** @param {string[]} args */
function loadedModules(args) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-modules-'));
  const log = path.join(dir, 'log');
  try {
    /** @type {NodeJS.ProcessEnv} */
    const env = { ...process.env, BENCH_MODULE_LOG: log, BENCH_MODULE_T0: String(Date.now()) };
    delete env.NODE_OPTIONS;
    const result = spawnSync(process.execPath, ['--import', HOOKS, CLI, ...args], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (result.status !== 0) console.error(`(guild-stage exited ${result.status})`);
    const seen = new Map();
    for (const line of readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
      const [at, kind, url] = line.split(' ');
      const file = fileURLToPath(url);
      if (!seen.has(file)) seen.set(file, { file, kind, at: kind === 'esm' ? Number(at) : null });
    }
    return [...seen.values()].filter((m) => m.file !== fileURLToPath(HOOKS));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { list: { type: 'boolean', default: false } },
  });
  const modules = loadedModules(positionals);
  const groups = new Map();
  for (const m of modules) {
    const owner = ownerOf(m.file);
    const group = groups.get(owner) ?? { files: 0, bytes: 0, first: null };
    group.files++;
    group.bytes += statSync(m.file).size;
    if (m.at !== null && (group.first === null || m.at < group.first)) group.first = m.at;
    groups.set(owner, group);
  }
  console.log(`${modules.length} modules (${modules.filter((m) => m.kind === 'cjs').length} CommonJS)\n`);
  console.log('   files       KB   first at  package or folder');
  const sorted = [...groups.entries()].sort((x, y) => y[1].bytes - x[1].bytes);
  for (const [owner, g] of sorted) {
    const first = g.first === null ? '-' : `${g.first.toFixed(0)} ms`;
    console.log(
      `${String(g.files).padStart(8)} ${(g.bytes / 1024).toFixed(0).padStart(8)} ${first.padStart(10)}  ${owner}`,
    );
  }
  if (values.list) for (const m of modules) console.log(`${m.at === null ? '-' : m.at.toFixed(0)} ${m.kind} ${m.file}`);
}

main();
