/**
 * Shared by the CLI end-to-end suites: a throwaway project next to its own Guild home, the
 * real CLI run against it, and readers for what a run directory records.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { runCli, type CliOptions, type CliResult } from '../helpers/cli.js';
import { makeTempDir, snapshotTree, writeTree } from '../helpers/fs.js';

/** The plugin modules under `fixtures/plugins/`, by file name. */
export function pluginFixture(name: string): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/plugins', name);
}

/** A CLI result plus the wall-clock window it ran in, for checking recorded times. */
export interface TimedResult extends CliResult {
  t0: number;
  t1: number;
}

export interface Project {
  /** The project (the CLI's cwd), a real path. */
  dir: string;
  /** GUILD_HOME for every command, so nothing can land in ~/.guild. */
  home: string;
  /** Where runs go when no --runs-dir is given: `$GUILD_HOME/runs`. */
  runsDir: string;
  /** A scratch directory outside the project, for files the scripts and hooks write. */
  scratch: string;
  /** The project tree as created, to compare with after each command. */
  before: Record<string, string>;
  /** The project tree now (files by sha1 and mode). */
  snapshot(): Promise<Record<string, string>>;
  /** Runs the real CLI in the project. */
  gs(args: readonly string[], opts?: Partial<CliOptions>): Promise<TimedResult>;
}

/**
 * A project holding `files`, with its own Guild home and scratch directory; `prepare` adds
 * what writeTree cannot (symlinks, directories) before the snapshot is taken.
 */
export async function makeProject(
  files: Record<string, string | Buffer>,
  prepare?: (dirs: { dir: string; scratch: string }) => Promise<void>,
): Promise<Project> {
  // A real path: the CLI records the project as process.cwd() reports it.
  const dir = await realpath(await makeTempDir('gs-cli-project-'));
  const home = await realpath(await makeTempDir('gs-cli-home-'));
  const scratch = await realpath(await makeTempDir('gs-cli-scratch-'));
  await writeTree(dir, files);
  await prepare?.({ dir, scratch });
  const before = await snapshotTree(dir);
  return {
    dir,
    home,
    runsDir: path.join(home, 'runs'),
    scratch,
    before,
    snapshot: () => snapshotTree(dir),
    async gs(args, opts = {}) {
      const t0 = Date.now();
      const result = await runCli(args, {
        ...opts,
        cwd: opts.cwd ?? dir,
        env: { GUILD_HOME: home, SCRATCH: scratch, ...opts.env },
      });
      return { ...result, t0, t1: Date.now() };
    },
  };
}

/** Entries of a runs directory, hidden ones (`.staging-*`) included; none when it does not exist. */
export async function runsDirEntries(runsDir: string): Promise<string[]> {
  if (!existsSync(runsDir)) return [];
  return (await readdir(runsDir)).sort();
}

/** The run directory of the only run in `runsDir`; throws when there is not exactly one. */
export async function onlyRun(runsDir: string): Promise<string> {
  const entries = await runsDirEntries(runsDir);
  if (entries.length !== 1) throw new Error(`expected one run in ${runsDir}, found: ${entries.join(', ') || 'none'}`);
  return path.join(runsDir, entries[0]!);
}

/** Every attr of a run, each file parsed as the YAML document it is. */
export async function readAttrs(runDir: string): Promise<Record<string, unknown>> {
  const dir = path.join(runDir, '.guild', 'attrs');
  const attrs: Record<string, unknown> = {};
  for (const name of await readdir(dir)) attrs[name] = parseYaml(await readFile(path.join(dir, name), 'utf8'));
  return attrs;
}

/** A file of `<run>/.guild/`, as text. */
export function readGuildFile(runDir: string, name: string): Promise<string> {
  return readFile(path.join(runDir, '.guild', name), 'utf8');
}

/** The source files a run's manifest lists, sorted (names without spaces, as the tests use). */
export async function manifestPaths(runDir: string): Promise<string[]> {
  const manifest = await readGuildFile(runDir, 'manifest');
  return manifest
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' ')[1]!)
    .sort();
}

export interface IndexRecord {
  time: number;
  stream: number;
}

/** `.guild/output.index` decoded by hand (9 bytes a record), independently of src/records. */
export async function readOutputIndex(runDir: string): Promise<{ records: IndexRecord[]; bytes: number }> {
  const data = await readFile(path.join(runDir, '.guild', 'output.index'));
  const records: IndexRecord[] = [];
  for (let offset = 0; offset + 9 <= data.length; offset += 9) {
    records.push({ time: Number(data.readBigUInt64BE(offset)), stream: data[offset + 8]! });
  }
  return { records, bytes: data.length };
}

/** What the recording plugins (`fixtures/plugins/record.mjs`) wrote, one object per call. */
export async function readRecord(file: string): Promise<Array<Record<string, unknown>>> {
  if (!existsSync(file)) return [];
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Polls until `file` exists and is not empty (a script or hook wrote it). */
export async function waitForFile(file: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await readFile(file, 'utf8').catch(() => '');
    if (text !== '') return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${file}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The lines guild-stage wrote on stderr, without empty ones. */
export function stderrLines(result: CliResult): string[] {
  return result.stderr.split('\n').filter((line) => line.trim() !== '');
}

/** `runs --json` of a runs directory, parsed. */
export async function listRunsJson(
  project: Project,
  runsDir = project.runsDir,
): Promise<Array<Record<string, unknown>>> {
  const result = await project.gs(['runs', '--json', '--runs-dir', runsDir]);
  if (result.code !== 0) throw new Error(`runs --json failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Array<Record<string, unknown>>;
}

/** Running, by /proc: a killed process whose parent died too may linger as a zombie nobody reaps. */
export async function processRunning(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return stat !== null && !/^\d+ \(.*\) Z /.test(stat);
}

/** Whether `pid` is gone within `timeoutMs` (a group killed a moment ago may take a few ms). */
export async function goneWithin(pid: number, timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (await processRunning(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/** Kills what a test left running on purpose (a process that escaped its group). */
export function killIfRunning(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
