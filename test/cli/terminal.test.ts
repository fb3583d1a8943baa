/**
 * The script's stdin stays guild-stage's: piped input reaches it, and in a terminal (a real
 * pseudo-terminal here) it reads the keyboard, /dev/tty included, and Ctrl-C stops it with
 * everything it started. In a terminal the script stays in guild-stage's foreground process
 * group: a group of its own would be a new session, without the terminal as its own.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { cliOnTerminal } from '../helpers/terminal.js';
import {
  goneWithin,
  killIfRunning,
  listRunsJson,
  makeProject,
  type Project,
  readGuildFile,
  onlyRun,
} from './support.js';

function inTerminal(project: Project, args: string[], waitFor: string, keys: string, env: Record<string, string> = {}) {
  return cliOnTerminal(args, waitFor, keys, { cwd: project.dir, env: { GUILD_HOME: project.home, ...env } });
}

describe.concurrent('stdin and the terminal', () => {
  it('an interactive script reads the terminal, /dev/tty included (it keeps its controlling terminal)', async ({
    expect,
  }) => {
    // Password prompts read /dev/tty, which only a process with a controlling terminal can open.
    const script =
      'print("name? ", end="", flush=True)\nwith open("/dev/tty") as tty:\n    print("hello", tty.readline().strip())\n';
    const project = await makeProject({ 'ask.py': script });
    const { out, code } = await inTerminal(project, ['run', 'ask.py', '-q'], 'name? ', 'ada\n');
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
    const { out, code } = await inTerminal(project, ['run', 'train.py'], 'ready', '\x03', { PIDS: pidsFile });
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
