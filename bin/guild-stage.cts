#!/usr/bin/env node
/**
 * What `guild-stage` runs (package.json `bin`, built to dist/bin/guild-stage.cjs): the bundled
 * CLI, dist/bin/cli.cjs (bin/cli.ts), compiled with a V8 code cache. Node 20 keeps no compiled
 * code between processes (`module.enableCompileCache` came in Node 22), so every command would
 * parse and compile the whole bundle again, the largest part of what a one-file `stage` pays
 * above `node -e 0` (P1 in bench/README.md). The first command after an install or upgrade
 * compiles as usual and leaves its compiled code in the user's cache directory; later commands
 * start from it.
 *
 * Node's own loader runs the CLI instead when stack traces are to be source-mapped
 * (`--enable-source-maps`): Node 20 maps them only for modules it loaded itself.
 *
 * A cache holds the functions its command compiled, so each command has its own (`stage`
 * from a cache `--help` wrote compiles most of what it runs again), written by the first
 * run of that command that succeeds: one that stopped at an error compiled too little.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { commandOf } from '../src/cli/commands.js';

/**
 * The SHA-256 of cli.cjs, set by scripts/bundle.mjs. V8 checks a cache against the length of
 * its source only, so a cache is used only where it begins with this hash.
 */
declare const CLI_SHA256: string;

const CLI = path.join(__dirname, 'cli.cjs');

/** One file per command, Node version and platform: a new bundle replaces the caches of the old. */
function cacheFile(command: string): string | null {
  try {
    const xdg = process.env.XDG_CACHE_HOME;
    const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(homedir(), '.cache');
    return path.join(base, 'guild-stage', `code-${process.version}-${process.platform}-${process.arch}-${command}.v8`);
  } catch {
    return null;
  }
}

function readCache(file: string): Buffer | undefined {
  try {
    const data = readFileSync(file);
    return data.toString('latin1', 0, CLI_SHA256.length) === CLI_SHA256 ? data.subarray(CLI_SHA256.length) : undefined;
  } catch {
    return undefined;
  }
}

/** Written at exit, so the cache holds the functions the command compiled as it ran. */
function writeCache(file: string, script: vm.Script): void {
  const temporary = `${file}.${process.pid}`;
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(temporary, Buffer.concat([Buffer.from(CLI_SHA256, 'latin1'), script.createCachedData()]), {
      mode: 0o600,
    });
    renameSync(temporary, file);
  } catch {
    // A cache only saves time: a read-only home or a full disk must not fail the command.
    try {
      rmSync(temporary, { force: true });
    } catch {}
  }
}

function runCompiled(file: string): void {
  const cachedData = readCache(file);
  // Node's CommonJS wrapper: the bundle sees the module scope `node cli.cjs` would give it. The
  // bundle is ASCII (scripts/bundle.mjs checks), so a latin1 read is exact; Node 20 reads a
  // file as utf8 8 KiB at a time into a growing buffer, and decodes it after.
  const script = new vm.Script(
    `(function (exports, require, module, __filename, __dirname) {${readFileSync(CLI).toString('latin1')}\n})`,
    { filename: CLI, cachedData },
  );
  if (!cachedData || script.cachedDataRejected) {
    process.once('exit', (code) => {
      if (code === 0) writeCache(file, script);
    });
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(CLI), module, CLI, __dirname);
}

const file = cacheFile(commandOf(process.argv.slice(2)));
if (file && !process.sourceMapsEnabled) runCompiled(file);
else require(CLI);
