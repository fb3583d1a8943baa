/**
 * Flag values end to end: the empty list, defaults listed in Python's spelling, trials-file
 * errors that point at the cell, values a language cannot hold refused before any run
 * directory exists, and `FLAG_*` names that two flags share. Real python3 and node read the
 * values back.
 */
import { describe, it } from 'vitest';
import { makeProject, onlyRun, readAttrs, readGuildFile, runsDirEntries, stderrLines } from './support.js';

const PY = `import json, os
lr = 1e-3
LR = 0.5
use_bn = True
seed = None
tag = 'a'
layers = [64, 32]
print(json.dumps({"layers": layers, "lr": lr, "FLAG_LR": os.environ.get("FLAG_LR", "unset"), "FLAG_FORCED": os.environ.get("FLAG_FORCED")}))
`;

const JS = 'const lr = 0.1;\nconsole.log(lr);\n';

describe.concurrent('flag values', () => {
  it('sets a list flag to the empty list with layers=[], one run, not a batch', async ({ expect }) => {
    const project = await makeProject({ 'train.py': PY });
    const result = await project.gs(['train.py', '--flags', 'layers=[]', 'lr=0.5']);
    expect(result.code, result.stderr).toBe(0);
    const run = await onlyRun(project.runsDir);
    expect(JSON.parse(await readGuildFile(run, 'output')).layers).toEqual([]);
    expect((await readAttrs(run)).flags).toMatchObject({ layers: [] });
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('lists Python defaults as Python spells them, and --json keeps them as data beside', async ({ expect }) => {
    const project = await makeProject({ 'train.py': PY });
    const table = await project.gs(['flags', 'train.py']);
    expect(table.stdout.split('\n').map((line) => line.split(/ {2,}/).slice(0, 3))).toEqual([
      ['name', 'type', 'default', 'description', 'where'].slice(0, 3),
      ['lr', 'float', '1e-3'],
      ['LR', 'float', '0.5'],
      ['use_bn', 'boolean', 'True'],
      ['seed', 'null', 'None'],
      ['tag', 'string', "'a'"],
      ['layers', 'list', '[64, 32]'],
      [''],
    ]);
    const json = JSON.parse((await project.gs(['flags', '--json', 'train.py'])).stdout) as Array<
      Record<string, unknown>
    >;
    expect(json.find((site) => site.name === 'use_bn')).toMatchObject({ default: true, defaultText: 'True' });
  });

  it('leaves out a FLAG_* variable two flags share with different values, and sets it when they agree', async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.py': PY });
    const differ = await project.gs(['train.py', '--flags', 'lr=0.1', '-q']);
    expect(differ.code, differ.stderr).toBe(0);
    // Neither 0.1 (lr) nor 0.5 (LR): either would be a lie about the other.
    expect(JSON.parse(differ.stdout).FLAG_LR).toBe('unset');
    expect(((await readAttrs(await onlyRun(project.runsDir))).env as Record<string, string>).FLAG_LR).toBeUndefined();
    const agree = await makeProject({ 'train.py': PY });
    const same = await agree.gs(['train.py', '--flags', 'lr=0.5', '-q']);
    expect(JSON.parse(same.stdout).FLAG_LR).toBe('0.5');
  });

  it('refuses a forced flag whose only way in is a FLAG_* name another flag sets', async ({ expect }) => {
    const project = await makeProject({ 'train.py': PY });
    const result = await project.gs(['train.py', '--force-flags', '--flags', 'USE_BN=false']);
    expect(result.code).toBe(2);
    expect(stderrLines(result)[0]).toBe(
      'guild-stage: forced flag USE_BN would reach the script only as $FLAG_USE_BN, which flag use_bn also sets, with another value; give the forced flag a name of its own',
    );
    const fine = await project.gs(['train.py', '--force-flags', '--flags', 'forced=7', '-q']);
    expect(JSON.parse(fine.stdout).FLAG_FORCED).toBe('7');
    expect(await runsDirEntries(project.runsDir)).toHaveLength(1);
  });

  it('refuses NaN for a JavaScript flag before any run directory exists: a run, a stage and a grid', async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.js': JS });
    for (const args of [
      ['run', 'train.js', '--flags', 'lr=nan'],
      ['stage', 'train.js', '--flags', 'lr=NaN'],
      ['run', 'train.js', '--flags', 'lr=[0.1,nan]'],
    ]) {
      const result = await project.gs(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(stderrLines(result), args.join(' ')).toEqual([
        'guild-stage: invalid value NaN for flag lr: JavaScript has no NaN literal',
      ]);
      expect(result.stdout).toBe('');
    }
    expect(await runsDirEntries(project.runsDir)).toEqual([]);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('names the file, line, column, row and flag of a bad trials-file value, before any trial', async ({ expect }) => {
    const project = await makeProject({
      'train.py': PY,
      'trials.csv': 'lr,use_bn\n0.1,true\n0.2,maybe\n',
      'trials.json': '[\n  {"lr": 0.1},\n  {"use_bn": true, "lr": "fast"}\n]\n',
      'unknown.csv': 'lr,bs\n0.1,3\n',
    });
    const cases: [string, string][] = [
      [
        'trials.csv',
        `${project.dir}/trials.csv:3:5: row 2, flag use_bn: invalid value 'maybe' for flag use_bn: expected a boolean (true/false, yes/no, 1/0)`,
      ],
      [
        'trials.json',
        `${project.dir}/trials.json:3:26: row 2, flag lr: invalid value 'fast' for flag lr: expected a number`,
      ],
      ['unknown.csv', `${project.dir}/unknown.csv:2:5: row 1, flag bs: unknown flag 'bs'`],
    ];
    for (const [file, message] of cases) {
      const result = await project.gs(['train.py', '--trials', file]);
      expect(result.code, file).toBe(2);
      expect(stderrLines(result)[0]!.startsWith(`guild-stage: ${message}`), stderrLines(result)[0]).toBe(true);
    }
    expect(await runsDirEntries(project.runsDir)).toEqual([]);
    expect(await project.snapshot()).toEqual(project.before);
  });
});
