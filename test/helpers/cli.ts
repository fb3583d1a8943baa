import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI, as `npx guild-stage` runs it (test/global-setup.ts builds it first). */
export const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/bin/guild-stage.cjs');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** Called with the child once it is spawned, e.g. to send it a signal. */
  onSpawn?: (child: import('node:child_process').ChildProcess) => void;
}

/** CLI processes started in this test file that have not exited yet. */
const running = new Set<import('node:child_process').ChildProcess>();

/**
 * Kills the CLI processes a test file left running: a test that failed or timed out while
 * one waited (on a script, a lock, a file) would otherwise leave it, and the script it runs,
 * for good. SIGKILL: guild-stage's watchdog then stops the script's process group.
 */
export function killLeftoverClis(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** Runs the real CLI in a real process, with NO_COLOR set and `env` added to this process's environment. */
export function runCli(args: readonly string[], opts: CliOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
    opts.onSpawn?.(child);
  });
}
