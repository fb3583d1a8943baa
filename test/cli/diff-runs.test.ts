/**
 * `guild-stage diff RUN1 RUN2`: the source difference between two runs' staged copies, as
 * `git diff` prints it; what the runs wrote and their `.guild/` records are not source.
 */
import { chmod, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { listRunsJson, makeProject } from './support.js';

const SCRIPT = `import { writeFileSync } from 'node:fs';
const i = 0;
writeFileSync('out.txt', String(i));
`;

describe.concurrent('diff of two runs', () => {
  it('prints the patch from the first run’s source to the second’s, and nothing for the same source', async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.mjs': SCRIPT, 'util.mjs': 'a\nb\nc\n', 'old.mjs': 'gone\n' });
    expect((await project.gs(['run', 'train.mjs', '--flags', 'i=1', '-q'])).code).toBe(0);
    // The project changes between the runs: one file edited, one deleted, one added, one made executable.
    await writeFile(path.join(project.dir, 'util.mjs'), 'a\nB\nc\n');
    await rm(path.join(project.dir, 'old.mjs'));
    await writeFile(path.join(project.dir, 'new.mjs'), 'fresh\n');
    await chmod(path.join(project.dir, 'train.mjs'), 0o755);
    expect((await project.gs(['run', 'train.mjs', '--flags', 'i=2', '-q'])).code).toBe(0);
    const [newer, older] = await listRunsJson(project);

    const diff = await project.gs(['diff', '2', '1']);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toBe(
      [
        'diff --git a/new.mjs b/new.mjs',
        'new file mode 100644',
        '--- /dev/null',
        '+++ b/new.mjs',
        '@@ -0,0 +1 @@',
        '+fresh',
        'diff --git a/old.mjs b/old.mjs',
        'deleted file mode 100644',
        '--- a/old.mjs',
        '+++ /dev/null',
        '@@ -1 +0,0 @@',
        '-gone',
        'diff --git a/train.mjs b/train.mjs',
        'old mode 100644',
        'new mode 100755',
        '--- a/train.mjs',
        '+++ b/train.mjs',
        '@@ -1,3 +1,3 @@',
        " import { writeFileSync } from 'node:fs';",
        '-const i = 1;',
        '+const i = 2;',
        " writeFileSync('out.txt', String(i));",
        'diff --git a/util.mjs b/util.mjs',
        '--- a/util.mjs',
        '+++ b/util.mjs',
        '@@ -1,3 +1,3 @@',
        ' a',
        '-b',
        '+B',
        ' c',
        '',
      ].join('\n'),
    );
    const stat = await project.gs(['diff', older!.id as string, newer!.runDir as string, '--stat']);
    expect(stat.stdout).toContain(' 4 files changed, 3 insertions(+), 3 deletions(-)');
    expect(await project.gs(['diff', '1', '1'])).toMatchObject({ code: 0, stdout: '' });
    const missing = await project.gs(['diff', '1', 'nosuchrun']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no run matches 'nosuchrun'");
  });
});
