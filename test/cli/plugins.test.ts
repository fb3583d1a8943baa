/**
 * Plugins loaded with `--plugin`: the order their hooks run in, and each hook's failure
 * rule, observed through the calls the fixture plugins record.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import {
  listRunsJson,
  makeProject,
  onlyRun,
  pluginFixture,
  readAttrs,
  readGuildFile,
  readRecord,
  stderrLines,
  type Project,
} from './support.js';

const SCRIPT = `require('node:fs').writeFileSync(process.env.SCRATCH + '/ran', 'yes');
console.log('line 1');
console.log('line 2');
console.log('line 3');
`;

/** Runs the script with the thrower (throwing in `hook`) and the recorder loaded. */
async function runWithThrower(project: Project, hook: string) {
  const recordFile = path.join(project.scratch, 'record.jsonl');
  const result = await project.gs(
    ['run', 'train.cjs', '--plugin', pluginFixture('thrower.mjs'), '--plugin', pluginFixture('recorder.mjs')],
    {
      env: { GS_RECORD: recordFile, GS_THROW_IN: hook },
    },
  );
  const calls = await readRecord(recordFile);
  const [run] = await listRunsJson(project);
  return { result, calls, run: run!, ran: existsSync(path.join(project.scratch, 'ran')) };
}

function callsOf(calls: Array<Record<string, unknown>>, plugin: string, hook: string) {
  return calls.filter((call) => call.plugin === plugin && call.hook === hook);
}

describe.concurrent('plugins', () => {
  it('run by priority, then per-hook priority, ties in registration order across plugin files', async ({ expect }) => {
    const project = await makeProject({ 'train.cjs': 'console.log("ok");\n' });
    const recordFile = path.join(project.scratch, 'record.jsonl');
    const result = await project.gs(
      [
        'run',
        'train.cjs',
        '--plugin',
        pluginFixture('order-a.mjs'),
        '--plugin',
        pluginFixture('order-b.mjs'),
        // A command hook is a plugin of priority 0 registered after every --plugin.
        '--hook',
        `on_run_begin=echo '{"plugin":"command","hook":"onRunBegin"}' >> "$GS_RECORD"`,
      ],
      { env: { GS_RECORD: recordFile } },
    );
    expect(result.code, result.stderr).toBe(0);
    const calls = await readRecord(recordFile);
    const order = (hook: string) => calls.filter((call) => call.hook === hook).map((call) => call.plugin);
    expect(order('onRunBegin')).toEqual(['a-own', 'a-high', 'b-high', 'a-tie', 'b-tie', 'command', 'a-low', 'b-own']);
    expect(order('onRunEnd')).toEqual(['b-own', 'a-high', 'b-high', 'a-tie', 'a-own', 'b-tie', 'a-low']);
    // Every begin hook ran before any end hook.
    expect(calls.findIndex((call) => call.hook === 'onRunEnd')).toBe(8);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('see the run at each stage: staged files, running, each output line, the result', async ({ expect }) => {
    const project = await makeProject({ 'train.cjs': SCRIPT, 'data.txt': 'd\n' });
    const { result, calls, run, ran } = await runWithThrower(project, 'none');
    expect(result.code, result.stderr).toBe(0);
    expect(ran).toBe(true);
    const recorded = calls.filter((call) => call.plugin === 'recorder');
    expect(recorded).toEqual([
      { plugin: 'recorder', hook: 'onRunStaged', id: run.id, status: 'staged', files: ['data.txt', 'train.cjs'] },
      { plugin: 'recorder', hook: 'onRunBegin', id: run.id, status: 'running' },
      { plugin: 'recorder', hook: 'onRunOutput', stream: 'stdout', text: 'line 1' },
      { plugin: 'recorder', hook: 'onRunOutput', stream: 'stdout', text: 'line 2' },
      { plugin: 'recorder', hook: 'onRunOutput', stream: 'stdout', text: 'line 3' },
      {
        plugin: 'recorder',
        hook: 'onRunEnd',
        id: run.id,
        status: 'completed',
        result: 'completed',
        exitStatus: 0,
        signal: null,
        error: null,
      },
    ]);
    expect(run).toMatchObject({ status: 'completed' });
    expect(await project.snapshot()).toEqual(project.before);
  });

  it.for(['onRunStaged', 'onRunBegin'])(
    'a throwing %s stops the run before exec; onRunEnd is still called',
    async (hook, { expect }) => {
      const project = await makeProject({ 'train.cjs': SCRIPT });
      const { result, calls, run, ran } = await runWithThrower(project, hook);
      expect(result.code, result.stderr).toBe(1);
      expect(ran).toBe(false);
      expect(run).toMatchObject({ status: 'error', exitStatus: null });
      const message = `[plugin thrower] ${hook}: boom in ${hook}`;
      expect(result.stderr).toContain(message);
      // The plugins after the thrower never got the failed hook.
      expect(callsOf(calls, 'recorder', hook)).toEqual([]);
      expect(callsOf(calls, 'recorder', 'onRunOutput')).toEqual([]);
      expect(callsOf(calls, 'recorder', 'onRunEnd')).toEqual([
        expect.objectContaining({ status: 'error', result: 'error', exitStatus: null, error: message }),
      ]);
      expect(callsOf(calls, 'thrower', 'onRunEnd')).toHaveLength(1);
      expect(existsSync(path.join(await onlyRun(project.runsDir), '.guild', 'output'))).toBe(false);
      expect(await project.snapshot()).toEqual(project.before);
    },
  );

  it('a throwing onRunOutput is reported once and detached; the run completes', async ({ expect }) => {
    const project = await makeProject({ 'train.cjs': SCRIPT });
    const { result, calls, run, ran } = await runWithThrower(project, 'onRunOutput');
    expect(result.code, result.stderr).toBe(0);
    expect(ran).toBe(true);
    expect(run).toMatchObject({ status: 'completed', exitStatus: 0 });
    const warnings = stderrLines(result).filter((line) => line.includes('warning'));
    expect(warnings).toEqual([
      'guild-stage: warning: [plugin thrower] onRunOutput: boom in onRunOutput (handler detached)',
    ]);
    expect(callsOf(calls, 'thrower', 'onRunOutput')).toHaveLength(1);
    expect(callsOf(calls, 'recorder', 'onRunOutput').map((call) => call.text)).toEqual(['line 1', 'line 2', 'line 3']);
    expect(await readGuildFile(await onlyRun(project.runsDir), 'output')).toBe('line 1\nline 2\nline 3\n');
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('a throwing onRunEnd is reported, the other end hooks still run, the run stays completed', async ({ expect }) => {
    const project = await makeProject({ 'train.cjs': SCRIPT });
    const { result, calls, run } = await runWithThrower(project, 'onRunEnd');
    expect(result.code, result.stderr).toBe(0);
    expect(run).toMatchObject({ status: 'completed', exitStatus: 0 });
    expect(stderrLines(result).filter((line) => line.includes('warning'))).toEqual([
      'guild-stage: warning: [plugin thrower] onRunEnd: boom in onRunEnd',
    ]);
    expect(callsOf(calls, 'recorder', 'onRunEnd')).toEqual([
      expect.objectContaining({ status: 'completed', result: 'completed', exitStatus: 0 }),
    ]);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('are listed with the order of each hook by `plugins`, the same order runs use', async ({ expect }) => {
    const project = await makeProject({ 'train.cjs': 'console.log("ok");\n' });
    const result = await project.gs([
      'plugins',
      '--json',
      '--plugin',
      pluginFixture('order-a.mjs'),
      '--plugin',
      pluginFixture('order-b.mjs'),
      '--hook',
      'on_run_end=true',
    ]);
    expect(result.code).toBe(0);
    const { plugins, order } = JSON.parse(result.stdout) as {
      plugins: string[];
      order: Record<string, Array<{ plugin: string; priority: number }>>;
    };
    expect(plugins[0]).toBe('flags');
    expect(plugins.at(-1)).toBe('hook on_run_end');
    expect(order.onRunStaged!.map((entry) => entry.plugin)).toEqual(['flags']);
    const begin = order.onRunBegin!;
    expect(begin.map((entry) => entry.priority)).toEqual(
      [...begin.map((entry) => entry.priority)].sort((a, b) => b - a),
    );
    expect(order.onRunEnd!.map((entry) => entry.plugin)).toContain('hook on_run_end');
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('records the variables a plugin sets in onRunBegin, which the script gets, secrets dropped', async ({
    expect,
  }) => {
    const plugin = `export default { name: 'env', onRunBegin(run) {
  run.env.DATA_DIR = '/data/set-by-plugin';
  run.env.MY_API_TOKEN = 'tok-5e3';
} };
`;
    const script = 'import os\nprint(os.environ["DATA_DIR"], os.environ["MY_API_TOKEN"])\n';
    const project = await makeProject({ 'train.py': script, 'env.mjs': plugin });
    const result = await project.gs(['train.py', '--plugin', './env.mjs', '-q']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('/data/set-by-plugin tok-5e3\n');
    const attrs = await readAttrs(await onlyRun(project.runsDir));
    expect(attrs.env).toMatchObject({ DATA_DIR: '/data/set-by-plugin' });
    expect(attrs.env).not.toHaveProperty('MY_API_TOKEN');
    expect(attrs.guild_stage).toMatchObject({ env: expect.objectContaining({ DATA_DIR: '/data/set-by-plugin' }) });
    expect((attrs.op as { 'op-cmd': { 'cmd-env': object } })['op-cmd']['cmd-env']).toMatchObject({
      DATA_DIR: '/data/set-by-plugin',
    });
    expect(JSON.stringify(attrs)).not.toContain('tok-5e3');
  });
});
