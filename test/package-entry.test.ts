/**
 * The package as an installed dependency sees it: the built entry resolved by name through
 * `exports`, ESM-only, with batches and run management exported; and the packed tarball,
 * installed in another folder, running its bundled CLI.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { makeTempDir } from './helpers/fs.js';
import { LONG, LONG_SKIP } from './helpers/long.js';

const PACKAGE_ROOT = path.resolve(import.meta.dirname, '..');

describe('the package entry', () => {
  it('imports by name with runBatch and the run management functions; require() is refused', async ({ expect }) => {
    const app = await makeTempDir('gs-package-user-');
    await mkdir(path.join(app, 'node_modules'));
    await symlink(PACKAGE_ROOT, path.join(app, 'node_modules', 'guild-stage'));
    const names = [
      'runBatch',
      'listRuns',
      'listIndexedRuns',
      'diffRuns',
      'listRunFiles',
      'runFileOf',
      'deleteRuns',
      'restoreRuns',
      'purgeRuns',
      'labelRun',
      'tagRun',
      'markRuns',
      'applyFlags',
    ];
    await writeFile(
      path.join(app, 'use.mjs'),
      `import * as gs from 'guild-stage';\nconsole.log(JSON.stringify(${JSON.stringify(names)}.map((n) => typeof gs[n])));\n`,
    );
    const types = JSON.parse(execFileSync(process.execPath, ['use.mjs'], { cwd: app, encoding: 'utf8' }));
    expect(types).toEqual(names.map(() => 'function'));

    await writeFile(path.join(app, 'use.cjs'), "require('guild-stage');\n");
    const required = spawnSync(process.execPath, ['use.cjs'], { cwd: app, encoding: 'utf8' });
    expect(required.status).not.toBe(0);
    expect(required.stderr).toMatch(/ERR_PACKAGE_PATH_NOT_EXPORTED|ERR_REQUIRE_ESM/);
  });
});

describe.skipIf(!LONG)(`the packed tarball${LONG_SKIP}`, () => {
  it('installs in another folder, and its bundled CLI prints help and runs a script', async ({ expect }) => {
    const packDir = await makeTempDir('gs-pack-');
    // dist/ is what the global setup built; `prepare` would only build it again.
    const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], {
      cwd: PACKAGE_ROOT,
      encoding: 'utf8',
    });
    const [{ filename, files }] = JSON.parse(packed) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const shipped = files.map((file) => file.path);
    expect(shipped).toEqual(
      expect.arrayContaining(['dist/bin/guild-stage.cjs', 'dist/bin/cli.cjs', 'dist/bin/cli.cjs.map']),
    );
    expect(shipped.filter((file) => /^(src|test|bench)\//.test(file))).toEqual([]);

    const app = await makeTempDir('gs-pack-user-');
    await writeFile(path.join(app, 'package.json'), '{ "name": "user", "private": true }\n');
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(packDir, filename)], {
      cwd: app,
      stdio: 'pipe',
    });
    const bin = path.join(app, 'node_modules', '.bin', 'guild-stage');
    const help = spawnSync(bin, ['--help'], { cwd: app, encoding: 'utf8' });
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: guild-stage /);

    const project = await makeTempDir('gs-pack-project-');
    await writeFile(path.join(project, 'train.py'), 'lr = 0.01\nprint(lr)\n');
    const runsDir = path.join(project, 'runs');
    const run = spawnSync(bin, ['run', 'train.py', '--flags', 'lr=0.1', '--runs-dir', runsDir, '-q'], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe('0.1\n');
    const listed = spawnSync(bin, ['runs', '--json', '--runs-dir', runsDir], { cwd: project, encoding: 'utf8' });
    const [recorded] = JSON.parse(listed.stdout) as Array<{
      status: string;
      flags: Record<string, unknown>;
      runDir: string;
    }>;
    expect([recorded!.status, recorded!.flags]).toEqual(['completed', { lr: 0.1 }]);
    expect(await readFile(path.join(recorded!.runDir, 'train.py'), 'utf8')).toBe('lr = 0.1\nprint(lr)\n');
  });
});
