/**
 * The script's stdin stays guild-stage's: piped input reaches it, and in a terminal (a real
 * pseudo-terminal here) it reads the keyboard, /dev/tty included, and Ctrl-C stops it with
 * everything it started. In a terminal the script stays in guild-stage's foreground process
 * group: a group of its own would be a new session, without the terminal as its own.
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import {
  goneWithin,
  killIfRunning,
  listRunsJson,
  makeProject,
  type Project,
  readGuildFile,
  onlyRun,
} from './support.js';

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

function inTerminal(project: Project, args: string[], waitFor: string, keys: string, env: Record<string, string> = {}) {
  const result = spawnSync(
    'python3',
    ['-c', PTY_HARNESS, JSON.stringify([[process.execPath, CLI, ...args], waitFor, keys])],
    { cwd: project.dir, env: { ...process.env, GUILD_HOME: project.home, ...env }, encoding: 'utf8', timeout: 40_000 },
  );
  if (result.status !== 0) throw new Error(`pty harness failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as { out: string; code: number };
}

describe.concurrent('stdin and the terminal', () => {
  it('an interactive script reads the terminal, /dev/tty included (it keeps its controlling terminal)', async ({
    expect,
  }) => {
    // Password prompts read /dev/tty, which only a process with a controlling terminal can open.
    const script =
      'print("name? ", end="", flush=True)\nwith open("/dev/tty") as tty:\n    print("hello", tty.readline().strip())\n';
    const project = await makeProject({ 'ask.py': script });
    const { out, code } = inTerminal(project, ['run', 'ask.py', '-q'], 'name? ', 'ada\n');
    expect(code, out).toBe(0);
    expect(out).toContain('hello ada');
    expect(await readGuildFile(await onlyRun(project.runsDir), 'output')).toBe('name? hello ada\n');
  });

  it('Ctrl-C in the terminal stops the script and the child it started; the run is terminated', async ({ expect }) => {
    const script = `import os, subprocess, time
child = subprocess.Popen(["sleep", "30"])
open(os.environ["PIDS"], "w").write(f"{os.getpid()} {child.pid}")
print("ready", flush=True)
time.sleep(30)
`;
    const project = await makeProject({ 'train.py': script });
    const pidsFile = path.join(project.scratch, 'pids');
    const { out, code } = inTerminal(project, ['run', 'train.py'], 'ready', '\x03', { PIDS: pidsFile });
    const pids = (await readFile(pidsFile, 'utf8')).split(' ').map(Number);
    try {
      expect(code, out).toBe(128 + 2);
      for (const pid of pids) expect(await goneWithin(pid), `pid ${pid}`).toBe(true);
      expect((await listRunsJson(project))[0]).toMatchObject({ status: 'terminated' });
    } finally {
      for (const pid of pids) killIfRunning(pid);
    }
  });

  it('piped stdin reaches a script that runs in its own process group', async ({ expect }) => {
    const script = 'import os, sys\nprint(sys.stdin.read().upper(), os.getpgrp() == os.getpid())\n';
    const project = await makeProject({ 'upper.py': script });
    const result = await project.gs(['run', 'upper.py', '-q'], { input: 'piped text' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('PIPED TEXT True\n');
  });
});
