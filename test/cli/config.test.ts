/**
 * The project's config file (`guild-stage.config.json`, or `"guild-stage"` in package.json):
 * the defaults it gives the command line, and the errors a wrong one gets.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import {
  makeProject,
  manifestPaths,
  onlyRun,
  readAttrs,
  readGuildFile,
  readRecord,
  runsDirEntries,
  stderrLines,
} from './support.js';

/** A plugin inside the project, named relative to the config file that loads it. */
const MARK_PLUGIN = `import { appendFileSync } from 'node:fs';
export default {
  name: 'mark',
  onRunBegin(run) {
    appendFileSync(process.env.GS_RECORD, JSON.stringify({ plugin: 'mark', hook: 'onRunBegin', opspec: run.opspec }) + '\\n');
  },
};
`;

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

describe.concurrent('config file', () => {
  it('gives the script, plugins, hooks and source rules: `guild-stage --flags ...` alone runs', async ({ expect }) => {
    const project = await makeProject({
      'train.mjs': 'console.log("lr", process.env.FLAG_LR);\n',
      'other.mjs': 'console.log("not this one");\n',
      'plugins/mark.mjs': MARK_PLUGIN,
      'data/big.csv': '1,2,3\n',
      'guild-stage.config.json': json({
        script: 'train.mjs',
        plugins: ['./plugins/mark.mjs'],
        hooks: { on_run_end: 'cat > "$SCRATCH/end.json"' },
        source: { exclude: ['data/**'] },
      }),
    });
    const recordFile = path.join(project.scratch, 'record.jsonl');
    const result = await project.gs(['--force-flags', '--flags', 'lr=0.1'], { env: { GS_RECORD: recordFile } });

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('lr 0.1\n');
    const runDir = await onlyRun(project.runsDir);
    // The built-in scalar capture ran too; a forced flag is not written, so the flags plugin did not.
    expect((await readAttrs(runDir)).plugins).toEqual(['scalars', 'mark', 'hook on_run_end']);
    expect(await readRecord(recordFile)).toEqual([{ plugin: 'mark', hook: 'onRunBegin', opspec: 'train.mjs' }]);
    const end = JSON.parse(await readFile(path.join(project.scratch, 'end.json'), 'utf8'));
    expect(end).toMatchObject({ opspec: 'train.mjs', status: 'completed', flags: {}, forced: { lr: 0.1 } });
    expect(await manifestPaths(runDir)).toEqual([
      'guild-stage.config.json',
      'other.mjs',
      'plugins/mark.mjs',
      'train.mjs',
    ]);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('in package.json: runsDir relative to it and exec; a script on the command line wins', async ({ expect }) => {
    let runsDir = '';
    const project = await makeProject({ 'train.mjs': '', 'other.mjs': '' }, async ({ dir, scratch }) => {
      runsDir = path.join(scratch, 'configured-runs');
      const config = {
        script: 'train.mjs',
        runsDir: path.relative(dir, runsDir),
        exec: `sh -c 'echo exec from config'`,
      };
      await writeFile(path.join(dir, 'package.json'), json({ name: 'demo', 'guild-stage': config }));
    });
    const result = await project.gs(['other.mjs']);

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('exec from config\n');
    expect(await runsDirEntries(project.runsDir)).toEqual([]);
    const runDir = await onlyRun(runsDir);
    expect(await readGuildFile(runDir, 'opref')).toBe(`script:${project.dir} '' '' other.mjs\n`);
    expect((await readAttrs(runDir)).cmd).toEqual(['sh', '-c', 'echo exec from config']);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it("runsDir holds for every command that reads runs: runs, diff, compare, plot and start find the config's runs", async ({
    expect,
  }) => {
    let runsDir = '';
    const script = 'lr = 0.01\nprint(f"loss: {lr}")\n';
    const project = await makeProject({ 'train.py': script }, async ({ dir, scratch }) => {
      runsDir = path.join(scratch, 'configured-runs');
      await writeFile(path.join(dir, 'guild-stage.config.json'), json({ runsDir: path.relative(dir, runsDir) }));
    });
    const staged = await project.gs(['stage', 'train.py', '--flags', 'lr=0.5', '-q']);
    expect(staged.code, staged.stderr).toBe(0);
    const id = staged.stdout.trim();
    expect(await runsDirEntries(runsDir)).toEqual([id]);

    const listed = await project.gs(['runs', '--json']);
    expect(JSON.parse(listed.stdout).map((run: { id: string }) => run.id)).toEqual([id]);
    const diff = await project.gs(['diff', id.slice(0, 8)]);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toContain('+lr = 0.5');
    const started = await project.gs(['start', id.slice(0, 8), '-q']);
    expect(started.code, started.stderr).toBe(0);
    const compared = await project.gs(['compare', '--json']);
    expect(JSON.parse(compared.stdout)).toEqual([expect.objectContaining({ id, flags: { lr: 0.5 } })]);
    const plot = await project.gs(['plot', id.slice(0, 8), '-o', path.join(project.scratch, 'p.svg')]);
    expect(plot.code, plot.stderr).toBe(0);
    expect(await runsDirEntries(project.runsDir)).toEqual([]);
    expect(await project.snapshot()).toEqual(project.before);
  });

  const BAD_CONFIGS = [
    {
      name: 'an unknown key',
      text: json({ scrip: 'train.mjs' }),
      says: ["unknown key 'scrip'", 'did you mean script?'],
    },
    { name: 'invalid JSON', text: '{ "script": "train.mjs", }\n', says: ['is not valid JSON'] },
    {
      name: 'an unknown hook event',
      text: json({ hooks: { on_run_start: 'echo x' } }),
      says: ["unknown hook event 'on_run_start'", 'did you mean on_run_begin?'],
    },
    {
      name: 'a script that is not a string',
      text: json({ script: 3 }),
      says: ['script', 'expected a non-empty string'],
    },
  ];

  it.for(BAD_CONFIGS)('with $name fails with one line naming the file', async (bad, { expect }) => {
    const project = await makeProject({ 'train.mjs': 'console.log("ran");\n', 'guild-stage.config.json': bad.text });
    const result = await project.gs(['run', 'train.mjs']);

    expect(result.code, result.stderr).toBe(2);
    const lines = stderrLines(result);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`guild-stage: ${path.join(project.dir, 'guild-stage.config.json')}`);
    for (const piece of bad.says) expect(lines[0]).toContain(piece);
    expect(result.stdout).toBe('');
    expect(await runsDirEntries(project.runsDir)).toEqual([]);
    expect(await project.snapshot()).toEqual(project.before);
  });
});
