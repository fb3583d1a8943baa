/**
 * Data files (`requires:`): linked or copied into each run instead of being selected as
 * source, so they count against no source limit and are in no patch; a missing one fails
 * before anything is staged; the run's records say what was placed where.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, lstat, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { GUILDAI_R_RESOURCES } from '../helpers/guildai-r.js';
import { REFERENCE_SKIP } from '../helpers/reference.js';
import { makeProject, manifestPaths, readAttrs, readGuildFile, runsDirEntries, stderrLines } from './support.js';

// Over the 1 MiB source size limit: as source it would be skipped with a warning.
const BIG = `${'x,y\n'.repeat(300_000)}`;

const SCRIPT = `#| requires:
#|   - file: data/train.csv
#|   - file: ckpt
#|     target-path: models
#|     copy: true
lr = 0.1
print(len(open("train.csv").read()), open("models/ckpt/w.txt").read().strip(), lr)
`;

describe.concurrent('requires', () => {
  it('links and copies what the frontmatter requires, outside the source, the patch and git', async ({ expect }) => {
    const project = await makeProject({
      'train.py': SCRIPT,
      'data/train.csv': BIG,
      'data/notes.txt': 'not required: source\n',
      'ckpt/w.txt': 'w1\n',
    });
    // A hook on on_run_staged makes staging look for files the hooks added: required ones are none.
    const result = await project.gs([
      'train.py',
      '--flags',
      'lr=0.5',
      '--git',
      '--hook',
      'on_run_staged=true',
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('skipped');
    const { runDir, changed } = JSON.parse(result.stdout) as { runDir: string; changed: Array<{ path: string }> };
    expect(result.stderr).toContain(`${BIG.length} w1 0.5`);
    expect(changed.map((file) => file.path)).toEqual(['train.py']);
    expect(await readlink(path.join(runDir, 'train.csv'))).toBe(path.join(project.dir, 'data/train.csv'));
    expect((await lstat(path.join(runDir, 'models/ckpt'))).isDirectory()).toBe(true);
    expect(await readFile(path.join(runDir, 'models/ckpt/w.txt'), 'utf8')).toBe('w1\n');
    // Neither is source: not copied where it was, not in the manifest, not in the patch.
    expect(existsSync(path.join(runDir, 'data/train.csv'))).toBe(false);
    expect(existsSync(path.join(runDir, 'ckpt'))).toBe(false);
    expect(await readFile(path.join(runDir, 'data/notes.txt'), 'utf8')).toBe('not required: source\n');
    expect(await manifestPaths(runDir)).toEqual(['data/notes.txt', 'train.py']);
    const patch = await readGuildFile(runDir, 'staged.patch');
    expect(patch).toContain('+lr = 0.5');
    expect(patch.match(/^diff --git .*$/gm)).toEqual(['diff --git a/train.py b/train.py']);
    // The run's git view shows the staged edit only.
    const status = execFileSync('git', ['status', '--porcelain'], { cwd: runDir, encoding: 'utf8' });
    expect(status.trim()).toBe('M train.py');
    const own = (await readAttrs(runDir)).guild_stage as { requires: unknown };
    expect(own.requires).toEqual([
      {
        file: 'data/train.csv',
        source: path.join(project.dir, 'data/train.csv'),
        target: 'train.csv',
        type: 'link',
        kind: 'file',
      },
      { file: 'ckpt', source: path.join(project.dir, 'ckpt'), target: 'models/ckpt', type: 'copy', kind: 'directory' },
    ]);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('a missing requirement fails before anything is staged, naming it and where it was required', async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.py': SCRIPT, 'ckpt/w.txt': 'w1\n' });
    const result = await project.gs(['train.py']);
    expect(result.code).toBe(2);
    expect(stderrLines(result)).toEqual(['guild-stage: required data/train.csv (train.py frontmatter) is missing']);
    expect(await runsDirEntries(project.runsDir)).toEqual([]);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('takes requires from the config file, and refuses bad entries and clashing targets before staging', async ({
    expect,
  }) => {
    const script = `import { readFileSync } from 'node:fs';\nconsole.log(readFileSync('vocab.txt', 'utf8').trim());\n`;
    const projectWith = (requires: unknown, files: Record<string, string> = {}) =>
      makeProject({
        'train.mjs': script,
        'assets/vocab.txt': 'a b c\n',
        'guild-stage.config.json': JSON.stringify({ requires }),
        ...files,
      });
    const good = await projectWith([{ file: 'assets/vocab.txt', 'target-type': 'copy' }]);
    const ran = await good.gs(['train.mjs', '--json']);
    expect(ran.code, ran.stderr).toBe(0);
    const { runDir } = JSON.parse(ran.stdout) as { runDir: string };
    expect(await readGuildFile(runDir, 'output')).toBe('a b c\n');
    expect((await lstat(path.join(runDir, 'vocab.txt'))).isFile()).toBe(true);
    expect(((await readAttrs(runDir)).guild_stage as { requires: unknown }).requires).toEqual([
      expect.objectContaining({ file: 'assets/vocab.txt', target: 'vocab.txt', type: 'copy' }),
    ]);

    const refusals: Array<[unknown, Record<string, string>, string]> = [
      [
        ['assets/vocab.txt'],
        {},
        "requires: 'assets/vocab.txt' is not a mapping; write - file: assets/vocab.txt (a bare name is a resource in Guild)",
      ],
      [
        [{ url: 'https://example.com/data.zip' }],
        {},
        "requires: 'url' is not supported (keys: file, target-path, path, target-type, copy, description, name)",
      ],
      [
        [{ file: 'assets/vocab.txt', 'target-type': 'move' }],
        {},
        "requires: target-type of assets/vocab.txt: expected 'link' or 'copy', got \"move\"",
      ],
      [
        [{ file: 'assets/vocab.txt' }],
        { 'vocab.txt': 'a source file of that name\n' },
        'required assets/vocab.txt would replace vocab.txt, a source file; give it a target-path',
      ],
    ];
    for (const [requires, files, message] of refusals) {
      const project = await projectWith(requires, files);
      const result = await project.gs(['train.mjs']);
      expect(result.code, message).toBe(2);
      expect(stderrLines(result)).toHaveLength(1);
      expect(stderrLines(result)[0]).toContain(message);
      expect(await runsDirEntries(project.runsDir)).toEqual([]);
      expect(await project.snapshot()).toEqual(project.before);
    }
  });
});

describe.skipIf(!GUILDAI_R_RESOURCES)(`guildai-r's requires.R${REFERENCE_SKIP}`, () => {
  it('runs with the file its frontmatter requires, as guildai-r spells it', async ({ expect }) => {
    const project = await makeProject({ 'mtcars.csv': 'mpg,cyl\n21,6\n22.8,4\n' }, async ({ dir }) => {
      await copyFile(path.join(GUILDAI_R_RESOURCES!, 'requires.R'), path.join(dir, 'requires.R'));
    });
    const result = await project.gs(['requires.R', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const { runDir } = JSON.parse(result.stdout) as { runDir: string };
    expect(await readGuildFile(runDir, 'output')).toContain('mpg,cyl\n21,6\n22.8,4\n');
    expect(await readlink(path.join(runDir, 'mtcars.csv'))).toBe(path.join(project.dir, 'mtcars.csv'));
  });
});
