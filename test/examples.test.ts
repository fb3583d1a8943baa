/**
 * What the README shows works: the quick-start example and the example plugin, run through
 * the real CLI on a copy of examples/ (the repository's own files stay untouched).
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../src/version.js';
import { runCli } from './helpers/cli.js';
import { makeTempDir } from './helpers/fs.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('examples', () => {
  it('the quick start stages, rewrites and runs examples/quickstart, with the example plugin', async () => {
    const tmp = await makeTempDir();
    await cp(path.join(repo, 'examples'), path.join(tmp, 'examples'), { recursive: true });
    const runs = path.join(tmp, 'runs');
    const result = await runCli(
      [
        '-C',
        'examples/quickstart',
        'train.py',
        '--flags',
        'lr=0.1',
        'epochs=5',
        '--runs-dir',
        runs,
        '--json',
        '--plugin',
        '../plugins/log-flags.mjs',
      ],
      { cwd: tmp },
    );
    expect(result.code, result.stderr).toBe(0);
    const run = JSON.parse(result.stdout) as {
      runDir: string;
      status: string;
      flags: Record<string, unknown>;
      edits: unknown[];
    };
    expect(run.status).toBe('completed');
    expect(run.flags).toEqual({ lr: 0.1, epochs: 5, optimizer: 'sgd', seed: 42 });
    // The plugin (priority 10) adds its header line before the flags plugin (priority 0) edits.
    expect(run.edits).toEqual([
      { name: 'lr', file: 'train.py', line: 12, before: '0.01', after: '0.1' },
      { name: 'epochs', file: 'train.py', line: 13, before: '3', after: '5' },
    ]);
    expect(result.stderr).toContain('final loss: 0.1748 (lr=0.1, epochs=5, optimizer=sgd)');
    const staged = await readFile(path.join(run.runDir, 'train.py'), 'utf8');
    expect(staged.split('\n')[0]).toBe('# flags: {"lr":0.1,"epochs":5,"optimizer":"sgd","seed":42}');
    expect(JSON.parse(await readFile(path.join(run.runDir, 'summary.json'), 'utf8'))).toEqual({
      status: 'completed',
      lastLoss: 0.1748,
    });
    expect(await readFile(path.join(tmp, 'examples/quickstart/train.py'), 'utf8')).toBe(
      await readFile(path.join(repo, 'examples/quickstart/train.py'), 'utf8'),
    );
  });

  it('the AST example plugin puts a console.log of the flags first in JavaScript and TypeScript scripts', async () => {
    // Loaded from the repository, where the recast it imports is installed.
    const tmp = await makeTempDir();
    await writeFile(path.join(tmp, 'train.js'), '// Learning rate\nconst lr = 0.01;\nconsole.log("lr", lr);\n');
    await writeFile(
      path.join(tmp, 'train.ts'),
      'const lr: number = 0.01;\r\nconst epochs = 3;\r\nconsole.log("lr", lr, "epochs", epochs);\r\n',
    );
    const plugin = [
      '--plugin',
      path.join(repo, 'examples/plugins/log-flags-ast.mjs'),
      '--runs-dir',
      path.join(tmp, 'runs'),
    ];
    const js = await runCli(['train.js', '--flags', 'lr=0.5', ...plugin, '--mode', 'ast'], { cwd: tmp });
    expect(js.code, js.stderr).toBe(0);
    expect(js.stdout).toBe('flags: {"lr":0.5}\nlr 0.5\n');
    const ts = await runCli(['train.ts', '--flags', 'lr=0.5', 'epochs=4', ...plugin, '--json'], { cwd: tmp });
    expect(ts.code, ts.stderr).toBe(0);
    const run = JSON.parse(ts.stdout) as { runDir: string; changed: unknown[] };
    expect(await readFile(path.join(run.runDir, 'train.ts'), 'utf8')).toBe(
      'console.log("flags:", "{\\"lr\\":0.5,\\"epochs\\":4}");\r\nconst lr: number = 0.5;\r\nconst epochs = 4;\r\nconsole.log("lr", lr, "epochs", epochs);\r\n',
    );
    expect(run.changed).toEqual([{ path: 'train.ts', change: 'modified', plugins: ['flags', 'log-flags-ast'] }]);
    expect(ts.stderr).toContain('lr 0.5 epochs 4');
  });

  it('the recorded version is the package version', async () => {
    const pkg = JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
    expect((await runCli(['--version'], { cwd: repo })).stdout.trim()).toBe(pkg.version);
  });
});
