/**
 * The CLI on a real pseudo-terminal (Python's `pty`): what a user at a keyboard sees, and
 * keys typed once a prompt shows.
 */
import { spawn } from 'node:child_process';
import { CLI } from './cli.js';

/**
 * Runs argv under a new pseudo-terminal; once `waitFor` appears in what it printed, types
 * `keys`. Prints what the terminal showed and the exit code, as JSON.
 */
const PTY_HARNESS = `import json, os, pty, select, sys, time
argv, wait_for, keys = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out, sent, deadline = b"", False, time.time() + 30
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.1)
    if fd in ready:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
        if not sent and wait_for.encode() in out:
            os.write(fd, keys.encode())
            sent = True
_, status = os.waitpid(pid, 0)
print(json.dumps({"out": out.decode(errors="replace"), "code": os.waitstatus_to_exitcode(status)}))
`;

export interface TerminalRun {
  cwd: string;
  /** The environment on top of this process's (GUILD_HOME at least). */
  env: Record<string, string>;
}

/** `guild-stage args` on a terminal, typing `keys` once `waitFor` shows: what the terminal showed, and the exit code. */
export function cliOnTerminal(
  args: readonly string[],
  waitFor: string,
  keys: string,
  run: TerminalRun,
): Promise<{ out: string; code: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'python3',
      ['-c', PTY_HARNESS, JSON.stringify([[process.execPath, CLI, ...args], waitFor, keys])],
      {
        cwd: run.cwd,
        env: { ...process.env, ...run.env },
        timeout: 40_000,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`pty harness failed (${code}): ${stderr}`));
      else resolve(JSON.parse(stdout) as { out: string; code: number });
    });
  });
}
