/**
 * The package as an installed dependency sees it: the built entry resolved by name through
 * `exports`, ESM-only, with batches and run management exported.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { makeTempDir } from './helpers/fs.js';

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
