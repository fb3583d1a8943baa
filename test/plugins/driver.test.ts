import { describe, expect, it } from 'vitest';
import { GuildStageError } from '../../src/errors.js';
import { PluginDriver } from '../../src/plugins/driver.js';
import type { Plugin } from '../../src/plugins/types.js';
import type { Run } from '../../src/run.js';
import { runningRun } from '../helpers/run.js';

const line = { stream: 'stdout' as const, text: 'x', time: new Date() };
const result = { status: 'completed' as const, exitStatus: 0, signal: null, durationMs: 1, error: null };

describe('hook order', () => {
  it('runs higher priority first and keeps registration order within a priority', async () => {
    const calls: string[] = [];
    const record = (name: string) => () => void calls.push(name);
    const plugins: Plugin[] = [
      { name: 'a', onRunBegin: record('a') },
      { name: 'b', priority: 5, onRunBegin: record('b') },
      { name: 'c', onRunBegin: record('c') },
      { name: 'd', priority: 5, onRunBegin: record('d') },
      { name: 'e', priority: -1, onRunBegin: record('e') },
    ];
    await new PluginDriver(plugins).run('onRunBegin', [runningRun('/tmp/x')]);
    expect(calls).toEqual(['b', 'd', 'a', 'c', 'e']);
  });

  it('lets a hook override its plugin priority, for that hook only', async () => {
    const calls: string[] = [];
    const plugins: Plugin[] = [
      {
        name: 'low',
        priority: 1,
        onRunBegin: () => void calls.push('low begin'),
        onRunEnd: { priority: 10, handler: () => void calls.push('low end') },
      },
      {
        name: 'high',
        priority: 5,
        onRunBegin: () => void calls.push('high begin'),
        onRunEnd: () => void calls.push('high end'),
      },
    ];
    const driver = new PluginDriver(plugins);
    await driver.run('onRunBegin', [runningRun('/tmp/x')]);
    await driver.run('onRunEnd', [runningRun('/tmp/x'), result]);
    expect(calls).toEqual(['high begin', 'low begin', 'low end', 'high end']);
    expect(driver.order('onRunEnd').map((h) => [h.plugin.name, h.priority])).toEqual([
      ['low', 10],
      ['high', 5],
    ]);
  });

  it('awaits each handler before the next', async () => {
    const calls: string[] = [];
    const plugins: Plugin[] = [
      {
        name: 'slow',
        onRunBegin: async () => {
          await new Promise((r) => setTimeout(r, 30));
          calls.push('slow');
        },
      },
      { name: 'fast', onRunBegin: () => void calls.push('fast') },
    ];
    await new PluginDriver(plugins).run('onRunBegin', [runningRun('/tmp/x')]);
    expect(calls).toEqual(['slow', 'fast']);
  });

  it('calls method hooks with their plugin as this', async () => {
    const plugin = {
      name: 'stateful',
      count: 0,
      onRunBegin() {
        this.count++;
      },
    };
    await new PluginDriver([plugin]).run('onRunBegin', [runningRun('/tmp/x')]);
    expect(plugin.count).toBe(1);
  });

  it('makes arguments per plugin when given a function', async () => {
    const seen: string[] = [];
    const plugins: Plugin[] = ['p', 'q'].map((name) => ({ name, onRunBegin: (run: Run) => void seen.push(run.label) }));
    await new PluginDriver(plugins).run('onRunBegin', (plugin) => {
      const run = runningRun('/tmp/x');
      run.label = `for ${plugin.name}`;
      return [run];
    });
    expect(seen).toEqual(['for p', 'for q']);
  });
});

describe('failure rules', () => {
  it('onRunStaged and onRunBegin stop at the first failure, wrapped with plugin and hook', async () => {
    for (const hook of ['onRunBegin', 'onRunStaged'] as const) {
      const calls: string[] = [];
      const plugins: Plugin[] = [
        { name: 'first', [hook]: () => void calls.push('first') },
        {
          name: 'broken',
          [hook]: () => {
            throw new Error('boom');
          },
        },
        { name: 'never', [hook]: () => void calls.push('never') },
      ];
      const args =
        hook === 'onRunBegin'
          ? [runningRun('/tmp/x')]
          : [runningRun('/tmp/x'), { dir: '', files: [], read: async () => '', write: async () => {} }];
      const error = await new PluginDriver(plugins).run(hook, args as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GuildStageError);
      expect((error as GuildStageError).message).toBe(`[plugin broken] ${hook}: boom`);
      expect((error as GuildStageError).plugin).toBe('broken');
      expect((error as GuildStageError).hook).toBe(hook);
      expect(calls).toEqual(['first']);
    }
  });

  it('onRunOutput reports a failing handler once and detaches it; the others go on', async () => {
    const reports: GuildStageError[] = [];
    let good = 0;
    let bad = 0;
    const plugins: Plugin[] = [
      {
        name: 'bad',
        onRunOutput: () => {
          bad++;
          throw new Error('nope');
        },
      },
      { name: 'good', onRunOutput: () => void good++ },
    ];
    const driver = new PluginDriver(plugins, (e) => reports.push(e));
    for (let i = 0; i < 5; i++) await driver.run('onRunOutput', [runningRun('/tmp/x'), line]);
    expect(bad).toBe(1);
    expect(good).toBe(5);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.message).toBe('[plugin bad] onRunOutput: nope (handler detached)');
    expect(reports[0]!.plugin).toBe('bad');
  });

  it('onRunEnd runs every handler and reports each failure', async () => {
    const reports: string[] = [];
    const calls: string[] = [];
    const plugins: Plugin[] = [
      {
        name: 'x',
        onRunEnd: () => {
          throw new Error('x failed');
        },
      },
      { name: 'y', onRunEnd: () => void calls.push('y') },
      {
        name: 'z',
        onRunEnd: async () => {
          throw new Error('z failed');
        },
      },
    ];
    await new PluginDriver(plugins, (e) => reports.push(e.message)).run('onRunEnd', [runningRun('/tmp/x'), result]);
    expect(calls).toEqual(['y']);
    expect(reports).toEqual(['[plugin x] onRunEnd: x failed', '[plugin z] onRunEnd: z failed']);
  });

  it('wraps an error once, keeping file and line of a GuildStageError', async () => {
    const inner = new GuildStageError('SOURCE', 'bad syntax', { file: 'train.py', line: 3 });
    const throwing = (error: unknown): Plugin => ({
      name: 'flags',
      onRunBegin: () => {
        throw error;
      },
    });
    const once = (await new PluginDriver([throwing(inner)])
      .run('onRunBegin', [runningRun('/tmp/x')])
      .catch((e: unknown) => e)) as GuildStageError;
    expect(once.message).toBe('[plugin flags] onRunBegin: bad syntax');
    expect([once.file, once.line, once.cause]).toEqual(['train.py', 3, inner]);
    // A handler rethrowing the driver's own error (from a nested run) is not wrapped again.
    const rethrown = await new PluginDriver([throwing(once)])
      .run('onRunBegin', [runningRun('/tmp/x')])
      .catch((e: unknown) => e);
    expect(rethrown).toBe(once);
    const reports: string[] = [];
    await new PluginDriver([{ name: 'p', onRunEnd: () => Promise.reject('a string') }], (e) =>
      reports.push(e.message),
    ).run('onRunEnd', [runningRun('/tmp/x'), result]);
    expect(reports).toEqual(['[plugin p] onRunEnd: a string']);
  });

  it('fails a handler that outlives the timeout, by the hook rule', async () => {
    const never = () => new Promise<void>(() => {});
    const strict = await new PluginDriver([{ name: 'stuck', onRunBegin: never }], () => {}, 50)
      .run('onRunBegin', [runningRun('/tmp/x')])
      .catch((e: unknown) => e);
    expect((strict as Error).message).toBe('[plugin stuck] onRunBegin: timed out after 0.05s');
    const reports: string[] = [];
    const calls: string[] = [];
    const plugins: Plugin[] = [
      { name: 'stuck', onRunEnd: never },
      { name: 'next', onRunEnd: () => void calls.push('next') },
    ];
    await new PluginDriver(plugins, (e) => reports.push(e.message), 50).run('onRunEnd', [runningRun('/tmp/x'), result]);
    expect(reports).toEqual(['[plugin stuck] onRunEnd: timed out after 0.05s']);
    expect(calls).toEqual(['next']);
  });

  it("aborts a handler's signal at the timeout, and only a late handler's", async () => {
    const signals: Record<string, AbortSignal> = {};
    const abortedAfter: Record<string, number> = {};
    const started = Date.now();
    const plugins: Plugin[] = [
      {
        name: 'quick',
        onRunEnd: (_run, _result, { signal }) => void (signals.quick = signal),
      },
      {
        name: 'late',
        onRunEnd: (_run, _result, { signal }) => {
          signals.late = signal;
          // Settles only through its signal: a driver that never aborts leaves it hanging.
          return new Promise<void>((resolve) =>
            signal.addEventListener('abort', () => {
              abortedAfter.late = Date.now() - started;
              resolve();
            }),
          );
        },
      },
    ];
    const reports: string[] = [];
    await new PluginDriver(plugins, (e) => reports.push(e.message), 50).run('onRunEnd', [runningRun('/tmp/x'), result]);
    expect(reports).toEqual(['[plugin late] onRunEnd: timed out after 0.05s']);
    expect(signals.late!.aborted).toBe(true);
    expect((signals.late!.reason as Error).message).toBe('timed out after 0.05s');
    expect(abortedAfter.late).toBeGreaterThanOrEqual(45);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(signals.quick!.aborted).toBe(false);
  });
});

describe('the synchronous path', () => {
  it('emit makes no promise when every handler finishes in the call, and keeps order when one does not', async () => {
    const seen: string[] = [];
    const sync: Plugin = { name: 'sync', onRunOutput: (_run, l) => void seen.push(`sync ${l.text}`) };
    const driver = new PluginDriver([sync], () => {}, 1000);
    expect(driver.emit('onRunOutput', [runningRun('/tmp/x'), line])).toBeUndefined();
    expect(seen).toEqual(['sync x']);

    const late: Plugin = {
      name: 'late',
      onRunOutput: async (_run, l) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        seen.push(`late ${l.text}`);
      },
    };
    const mixed = new PluginDriver([late, sync]);
    const pending = mixed.emit('onRunOutput', [runningRun('/tmp/x'), { ...line, text: 'y' }]);
    expect(pending).toBeInstanceOf(Promise);
    expect(seen).toEqual(['sync x']);
    await pending;
    expect(seen).toEqual(['sync x', 'late y', 'sync y']);
  });

  it('a synchronous throw follows the hook rule: strict rejects, output detaches', async () => {
    const reports: string[] = [];
    const thrower: Plugin = {
      name: 'boom',
      onRunBegin: () => {
        throw new Error('no');
      },
      onRunOutput: () => {
        throw new Error('bad line');
      },
    };
    const driver = new PluginDriver([thrower], (e) => reports.push(e.message));
    await expect(driver.run('onRunBegin', [runningRun('/tmp/x')])).rejects.toThrow('[plugin boom] onRunBegin: no');
    expect(driver.emit('onRunOutput', [runningRun('/tmp/x'), line])).toBeUndefined();
    expect(driver.emit('onRunOutput', [runningRun('/tmp/x'), line])).toBeUndefined();
    expect(reports).toEqual(['[plugin boom] onRunOutput: bad line (handler detached)']);
  });
});
