import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandHookPlugin } from '../../src/plugins/command-hooks.js';
import type { HookContext, HookHandler } from '../../src/plugins/types.js';
import type { Run } from '../../src/run.js';
import { runningRun } from '../helpers/run.js';
import { makeTempDir } from '../helpers/fs.js';

/** Running, by /proc: a killed process whose parent died too may linger as a zombie nobody reaps. */
async function running(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return stat !== null && !/^\d+ \(.*\) Z /.test(stat);
}

async function waitFor(file: string): Promise<string> {
  for (let i = 0; i < 500; i++) {
    const text = await readFile(file, 'utf8').catch(() => '');
    if (text.endsWith('\n')) return text;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${file} never appeared`);
}

describe('command hooks', () => {
  it.skipIf(process.platform !== 'linux')(
    'kill their whole process group when their signal aborts, and fail with how they ended',
    async () => {
      const dir = await makeTempDir();
      // The shell waits on a background child: killing only the shell would leave `sleep` running.
      const plugin = commandHookPlugin({ event: 'on_run_begin', command: 'sleep 30 & echo $! > sleeper.pid; wait' });
      const handler = plugin.onRunBegin as HookHandler<[Run]>;
      const controller = new AbortController();
      const context: HookContext = { signal: controller.signal };
      const started = Date.now();
      const settled = Promise.resolve(handler(runningRun(dir), context)).then(
        () => null,
        (error: unknown) => error as Error,
      );
      const sleeper = Number(await waitFor(path.join(dir, 'sleeper.pid')));
      expect(await running(sleeper)).toBe(true);
      controller.abort();
      const error = await settled;
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(error?.message).toBe("command 'sleep 30 & echo $! > sleeper.pid; wait' was killed by SIGKILL");
      expect(await running(sleeper)).toBe(false);
    },
  );

  it("take the context after each event's own arguments", async () => {
    const dir = await makeTempDir();
    const end = commandHookPlugin({ event: 'on_run_end', command: 'echo "$GUILD_STAGE_HOOK" > ran' }).onRunEnd;
    const result = { status: 'completed' as const, exitStatus: 0, signal: null, durationMs: 1, error: null };
    await (end as HookHandler<[Run, typeof result]>)(runningRun(dir), result, { signal: new AbortController().signal });
    expect(await readFile(path.join(dir, 'ran'), 'utf8')).toBe('on_run_end\n');
  });
});
