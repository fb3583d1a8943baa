/**
 * Flags rewritten in the staged copy and seen by the real interpreter: the script prints
 * the new values, the project keeps the old ones, and bad scripts fail before staging.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { makeProject, onlyRun, runsDirEntries, stderrLines } from './support.js';

const R_SCRIPT = `#| description: Learning rate
#| min: 0
lr <- 0.01
epochs = 10L  # Passes over the data
0.5 -> dropout
name <- "base"
cat(sprintf("lr=%s epochs=%d dropout=%s name=%s int=%s\\n", lr, epochs, dropout, name, is.integer(epochs)))
`;

const PY_SCRIPT = `"""Docstring mentioning lr = 0.5 is not a flag."""
lr = 0.01  # Learning rate
epochs = 10
use_bn = False
layers = [64, 32]
name = 'base'

def train():
    lr = 123  # not a flag
    return lr

print(f"lr={lr!r} epochs={epochs!r} use_bn={use_bn!r} layers={layers!r} name={name!r} inner={train()}")
`;

describe.concurrent('rewritten flags', () => {
  it('an R script runs with the new values, integers kept integer', async ({ expect }) => {
    const project = await makeProject({ 'train.R': R_SCRIPT });
    const result = await project.gs(['train.R', '--flags', 'lr=0.1', 'epochs=20', 'dropout=0.25', 'name=it\'s "new"']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`lr=0.1 epochs=20 dropout=0.25 name=it's "new" int=TRUE\n`);
    expect(stderrLines(result)).toContain('  train.R:4 epochs 10L -> 20L');
    const run = await onlyRun(project.runsDir);
    const staged = await readFile(path.join(run, 'train.R'), 'utf8');
    expect(staged.split('\n').slice(2, 6)).toEqual([
      'lr <- 0.1',
      'epochs = 20L  # Passes over the data',
      '0.25 -> dropout',
      `name <- "it's \\"new\\""`,
    ]);
    const patch = await readFile(path.join(run, '.guild/staged.patch'), 'utf8');
    expect(patch).toContain('-0.5 -> dropout\n');
    expect(patch).toContain('+0.25 -> dropout\n');
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('a Python script runs with the new values, typed by its defaults', async ({ expect }) => {
    const project = await makeProject({ 'train.py': PY_SCRIPT });
    const result = await project.gs([
      'train.py',
      '--flags',
      'lr=1',
      'epochs=5',
      'use_bn=yes',
      'layers=128 64 32',
      'name=a\nb',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`lr=1.0 epochs=5 use_bn=True layers=[128, 64, 32] name='a\\nb' inner=123\n`);
    const run = await onlyRun(project.runsDir);
    const staged = await readFile(path.join(run, 'train.py'), 'utf8');
    expect(staged.split('\n').slice(1, 6)).toEqual([
      'lr = 1.0  # Learning rate',
      'epochs = 5',
      'use_bn = True',
      'layers = [128, 64, 32]',
      "name = 'a\\nb'",
    ]);
    expect(staged.split('\n').slice(6).join('\n')).toBe(PY_SCRIPT.split('\n').slice(6).join('\n'));
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('JSX and TSX scripts run through tsx with the new values', async ({ expect }) => {
    // Stand-ins for React, so the JSX a script prints shows that it was compiled and ran.
    const jsx = 'const React = { createElement: (tag, _p, ...kids) => `<${tag}>${kids.join("")}</${tag}>` };';
    const tsx = 'const React = { createElement: (tag: string, _p: null, ...kids: unknown[]) => `${kids.join("")}` };';
    const project = await makeProject({
      'view.jsx': `${jsx}\nconst lr = 0.01;\nconsole.log(<b>lr={lr}</b>);\n`,
      'view.tsx': `${tsx}\nconst epochs: number = 3;\nconsole.log(<i>epochs={epochs}</i>);\n`,
    });
    const fromJsx = await project.gs(['view.jsx', '--flags', 'lr=0.1']);
    expect(fromJsx.code, fromJsx.stderr).toBe(0);
    expect(fromJsx.stdout).toBe('<b>lr=0.1</b>\n');
    const fromTsx = await project.gs(['view.tsx', '--flags', 'epochs=7']);
    expect(fromTsx.code, fromTsx.stderr).toBe(0);
    expect(fromTsx.stdout).toBe('epochs=7\n');
  });

  it('lists flags with types, defaults, descriptions and lines', async ({ expect }) => {
    const project = await makeProject({ 'train.R': R_SCRIPT, 'train.py': PY_SCRIPT });
    const r = await project.gs(['flags', 'train.R', '--json']);
    expect(JSON.parse(r.stdout)).toEqual([
      { name: 'lr', type: 'float', default: 0.01, file: 'train.R', line: 3, description: 'Learning rate', min: 0 },
      { name: 'epochs', type: 'int', default: 10, file: 'train.R', line: 4, description: 'Passes over the data' },
      { name: 'dropout', type: 'float', default: 0.5, file: 'train.R', line: 5 },
      { name: 'name', type: 'string', default: 'base', file: 'train.R', line: 6 },
    ]);
    const table = await project.gs(['flags', 'train.py']);
    expect(table.stdout.split('\n')[0]).toMatch(/^name +type +default +description +where$/);
    expect(table.stdout).toMatch(/\nlr +float +0\.01 +Learning rate +train\.py:2\n/);
    expect(table.stdout).toMatch(/\nlayers +list +\[64, 32\] +train\.py:5\n/);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('refuses a script that does not parse, naming file and line, before any run exists', async ({ expect }) => {
    const project = await makeProject({
      'train.py': 'lr = 0.1\nname = "unterminated\n',
      'train.R': 'lr <- 0.1\nf <- function( {\n',
    });
    for (const script of ['train.py', 'train.R']) {
      const result = await project.gs(['stage', script, '--flags', 'lr=0.2']);
      expect(result.code).toBe(2);
      expect(stderrLines(result)).toHaveLength(1);
      expect(stderrLines(result)[0]).toMatch(new RegExp(`^guild-stage: ${script.replace('.', '\\.')}:2: `));
    }
    expect(await runsDirEntries(project.runsDir)).toEqual([]);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('refuses a script that is not UTF-8', async ({ expect }) => {
    const project = await makeProject({
      'train.py': Buffer.from([0x6c, 0x72, 0x20, 0x3d, 0x20, 0x31, 0x0a, 0x23, 0xff, 0xfe, 0x0a]),
    });
    const result = await project.gs(['stage', 'train.py', '--flags', 'lr=2']);
    expect(result.code).toBe(2);
    expect(stderrLines(result)).toEqual(['guild-stage: train.py is not valid UTF-8 text']);
    expect(await runsDirEntries(project.runsDir)).toEqual([]);
  });
});
