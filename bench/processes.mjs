/**
 * Whole-process measurements: wall time of a child from spawn to exit, its peak memory,
 * and making sure the CLI under test is built.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A child that did not exit 0: its status and the first line it wrote on stderr. */
export class CommandError extends Error {
  /**
   * @param {string} what
   * @param {import('node:child_process').SpawnSyncReturns<Buffer>} result
   */
  constructor(what, result) {
    const stderr = String(result.stderr ?? '');
    const line = stderr.split('\n').find((l) => l.trim() !== '') ?? result.error?.message ?? '';
    const how = result.signal ? `signal ${result.signal}` : `exit ${result.status}`;
    super(`${what} failed (${how}): ${line.trim()}`);
    this.stderr = stderr;
    /** What the child said went wrong, without the command line. */
    this.line = line.trim();
  }
}

/** @typedef {{ cmd: string, args: string[], cwd: string }} Command */

/** Long enough for P7's 50 trials on a slow machine; only a hung child hits it. */
const TIMEOUT_MS = 15 * 60 * 1000;

/** The environment children get: ours, minus what would change how Node.js starts. */
export function childEnv() {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return env;
}

/** @param {Command} command */
export function describe(command) {
  return [path.basename(command.cmd), ...command.args].join(' ');
}

/**
 * Runs `command` once and returns its wall time in ms. stdout goes to /dev/null on both
 * sides of every pair; stderr is kept only to explain a failure.
 * @param {Command} command
 */
export function timedSpawn(command) {
  const start = performance.now();
  const result = spawnSync(command.cmd, command.args, {
    cwd: command.cwd,
    env: childEnv(),
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: TIMEOUT_MS,
  });
  const elapsed = performance.now() - start;
  if (result.status !== 0) throw new CommandError(describe(command), result);
  return elapsed;
}

const TIME = '/usr/bin/time';
const PROBE = new URL('./max-rss-probe.mjs', import.meta.url).href;

/**
 * How peak memory is read: GNU time's `%M` (the kernel's ru_maxrss for the reaped child,
 * in KiB) where it exists, else a preload in the Node.js child that reports its own
 * `process.resourceUsage().maxRSS` on exit (BSD/macOS `time` has no `-f`).
 * @returns {'gnu-time' | 'node-probe'}
 */
export function peakMethod() {
  if (!existsSync(TIME)) return 'node-probe';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-time-'));
  try {
    const out = path.join(dir, 'rss');
    const result = spawnSync(TIME, ['-f', '%M', '-o', out, 'true'], { stdio: 'ignore' });
    return result.status === 0 && /^\d+\s*$/.test(readFileSync(out, 'utf8')) ? 'gnu-time' : 'node-probe';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs a Node.js `command` once and returns its peak resident set in KiB.
 * @param {Command} command
 * @param {'gnu-time' | 'node-probe'} method
 */
export function peakRssKiB(command, method) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-rss-'));
  const out = path.join(dir, 'rss');
  try {
    const [cmd, args, env] =
      method === 'gnu-time'
        ? [TIME, ['-f', '%M', '-o', out, command.cmd, ...command.args], childEnv()]
        : [command.cmd, ['--import', PROBE, ...command.args], { ...childEnv(), BENCH_MAX_RSS_FILE: out }];
    const result = spawnSync(cmd, args, {
      cwd: command.cwd,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: TIMEOUT_MS,
    });
    if (result.status !== 0) throw new CommandError(describe(command), result);
    return Number(readFileSync(out, 'utf8').trim());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Builds the CLI when `dist/` lacks it (or `force`), with the project's own TypeScript and
 * bundle script, as `npm run build` does.
 * Returns a warning when the sources look newer than the build, so stale figures are not
 * mistaken for an optimisation that did not work.
 * @param {string} root
 * @param {boolean} force
 * @returns {string | null}
 */
export function ensureBuilt(root, force) {
  const cli = path.join(root, 'dist', 'bin', 'guild-stage.cjs');
  if (force || !existsSync(cli)) {
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    // As `npm run build`: tsc (which still emits when some file has type errors), then the
    // CLI's bundle; only a missing CLI is fatal.
    spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
    spawnSync(process.execPath, [path.join(root, 'scripts', 'bundle.mjs')], { cwd: root, stdio: 'inherit' });
    if (!existsSync(cli)) throw new Error(`the build did not produce ${path.relative(root, cli)}`);
    return null;
  }
  const built = statSync(cli).mtimeMs;
  const newer = ['bin', 'src', 'transformers'].flatMap((dir) => newerSources(path.join(root, dir), built));
  return newer.length > 0
    ? `dist/ is older than ${newer.length} source file(s), e.g. ${path.relative(root, newer[0])}: pass --build`
    : null;
}

/** @param {string} dir @param {number} than */
function newerSources(dir, than) {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => path.join(dir, file))
    .filter((file) => statSync(file).mtimeMs > than);
}
