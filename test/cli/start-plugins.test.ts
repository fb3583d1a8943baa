/**
 * `start` runs a staged run with the plugins and command hooks it was staged with, recorded
 * at staging with what loads them again, wherever `start` is run from; when one cannot be
 * loaded, the run stays staged and `start` says which.
 */
import { existsSync } from 'node:fs';
import { readFile, realpath, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { makeTempDir } from '../helpers/fs.js';
import { listRunsJson, makeProject, readAttrs, stderrLines } from './support.js';

const SCRIPT = 'import { writeFileSync } from "node:fs";\nwriteFileSync("ran.txt", "yes");\n';

/** A plugin that leaves a file in the run directory for each hook it gets. */
const PLUGIN = `import { writeFileSync } from 'node:fs';
import path from 'node:path';
const mark = (run, hook) => writeFileSync(path.join(run.dir, \`\${NAME}-\${hook}.txt\`), run.status);
export default {
  name: NAME,
  onRunBegin: (run) => mark(run, 'begin'),
  onRunEnd: (run) => mark(run, 'end'),
};
`;

function plugin(name: string): string {
  return PLUGIN.replace('const mark', `const NAME = ${JSON.stringify(name)};\nconst mark`);
}

const HOOKS = [
  '--hook',
  'on_run_begin=echo "$GUILD_STAGE_HOOK" > hook-begin.txt',
  '--hook',
  'on_run_end=pwd > hook-end.txt',
];

function marker(runDir: string, name: string): boolean {
  return existsSync(path.join(runDir, '.guild', name));
}

describe.concurrent('start and the plugins a run was staged with', () => {
  it('staged in one directory, started from another: the same plugin file and hooks run, and only they', async ({
    expect,
  }) => {
    const project = await makeProject({
      'train.mjs': SCRIPT,
      'plugins/mark.mjs': plugin('mark'),
      // A plugin by package name, resolved from the project: start finds it from anywhere.
      'node_modules/gs-plugin-pkg/package.json': JSON.stringify({ name: 'gs-plugin-pkg', main: 'index.mjs' }),
      'node_modules/gs-plugin-pkg/index.mjs': plugin('pkg'),
    });
    // Another directory whose config names a plugin of its own: start must not load it.
    const elsewhere = await realpath(await makeTempDir('gs-start-elsewhere-'));
    await writeFile(path.join(elsewhere, 'other.mjs'), plugin('other'));
    await writeFile(path.join(elsewhere, 'guild-stage.config.json'), JSON.stringify({ plugins: ['./other.mjs'] }));

    const staged = await project.gs([
      'stage',
      'train.mjs',
      '--plugin',
      './plugins/mark.mjs',
      '--plugin',
      'gs-plugin-pkg',
      ...HOOKS,
      '-q',
    ]);
    expect(staged.code, staged.stderr).toBe(0);
    const id = staged.stdout.trim();
    const runDir = path.join(project.runsDir, id);
    expect((await readAttrs(runDir)).guild_stage).toMatchObject({
      plugins: [
        { name: 'mark', spec: './plugins/mark.mjs', module: path.join(project.dir, 'plugins/mark.mjs') },
        { name: 'pkg', spec: 'gs-plugin-pkg', module: path.join(project.dir, 'node_modules/gs-plugin-pkg/index.mjs') },
      ],
      hooks: [
        { event: 'on_run_begin', command: 'echo "$GUILD_STAGE_HOOK" > hook-begin.txt' },
        { event: 'on_run_end', command: 'pwd > hook-end.txt' },
      ],
    });

    const started = await project.gs(['start', id.slice(0, 8), '-q'], { cwd: elsewhere });
    expect(started.code, started.stderr).toBe(0);
    const read = (file: string) => readFile(path.join(runDir, file), 'utf8');
    expect(await read('ran.txt')).toBe('yes');
    expect(await read('mark-begin.txt')).toBe('running');
    expect(await read('mark-end.txt')).toBe('completed');
    expect(await read('pkg-begin.txt')).toBe('running');
    expect(await read('pkg-end.txt')).toBe('completed');
    expect(await read('hook-begin.txt')).toBe('on_run_begin\n');
    expect(await read('hook-end.txt')).toBe(`${runDir}\n`);
    expect(existsSync(path.join(runDir, 'other-begin.txt'))).toBe(false);
    // What ran, and nothing else: flags at staging (nothing to write here, so not even that), then these.
    expect((await readAttrs(runDir)).plugins).toEqual([
      'scalars',
      'mark',
      'pkg',
      'hook on_run_begin',
      'hook on_run_end',
    ]);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('a plugin file moved away: start fails naming it, and the run stays staged until it is back', async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.mjs': SCRIPT });
    const pluginDir = await realpath(await makeTempDir('gs-start-plugins-'));
    const file = path.join(pluginDir, 'mark.mjs');
    await writeFile(file, plugin('mark'));
    const staged = await project.gs(['stage', 'train.mjs', '--plugin', file, '-q']);
    expect(staged.code, staged.stderr).toBe(0);
    const id = staged.stdout.trim();
    const runDir = path.join(project.runsDir, id);
    const attrs = await readAttrs(runDir);

    await rename(file, `${file}.moved`);
    const refused = await project.gs(['start', id.slice(0, 8)]);
    expect(refused.code, refused.stderr).toBe(2);
    expect(stderrLines(refused)).toEqual([
      `guild-stage: run ${id.slice(0, 8)} was staged with plugin mark (${file}), which cannot be loaded now: ` +
        `no file ${file}; put the plugin back where it was, or stage a new run`,
    ]);
    // Refused before the claim: still staged, nothing ran, the records as staging left them.
    expect(marker(runDir, 'STAGED')).toBe(true);
    expect(marker(runDir, 'LOCK')).toBe(false);
    expect(existsSync(path.join(runDir, 'ran.txt'))).toBe(false);
    expect(await readAttrs(runDir)).toEqual(attrs);
    expect(await listRunsJson(project)).toEqual([expect.objectContaining({ id, status: 'staged' })]);

    // A file that now exports another plugin is not the plugin the run was staged with.
    await writeFile(file, plugin('renamed'));
    const changed = await project.gs(['start', id.slice(0, 8)]);
    expect(changed.code, changed.stderr).toBe(2);
    expect(changed.stderr).toContain('which cannot be loaded now: the module now exports renamed');
    expect(marker(runDir, 'STAGED')).toBe(true);

    await rename(`${file}.moved`, file);
    const started = await project.gs(['start', id.slice(0, 8), '-q']);
    expect(started.code, started.stderr).toBe(0);
    expect(await readFile(path.join(runDir, 'mark-end.txt'), 'utf8')).toBe('completed');
  });

  it('a run staged before plugins were recorded, with a hook: start refuses, naming it', async ({ expect }) => {
    const project = await makeProject({ 'train.mjs': SCRIPT });
    const staged = await project.gs(['stage', 'train.mjs', '--hook', 'on_run_end=true', '-q']);
    const id = staged.stdout.trim();
    const runDir = path.join(project.runsDir, id);
    // As an earlier guild-stage wrote it: the names in attrs/plugins, nothing in ours to load them by.
    const ours = path.join(runDir, '.guild/attrs/guild_stage');
    const text = await readFile(ours, 'utf8');
    await writeFile(ours, text.replace(/^hooks:\n(?:[- ].*\n)*/m, '').replace(/^plugins: \[\]\n/m, ''));
    expect(await readFile(ours, 'utf8')).not.toMatch(/^(hooks|plugins):/m);
    const refused = await project.gs(['start', id]);
    expect(refused.code, refused.stderr).toBe(2);
    expect(stderrLines(refused)).toEqual([
      `guild-stage: run ${id.slice(0, 8)} was staged by a guild-stage that did not record how to load its plugins and hooks again (hook on_run_end); stage a new run`,
    ]);
    expect(marker(runDir, 'STAGED')).toBe(true);
  });

  it('--plugin and --hook cannot add to a run at start', async ({ expect }) => {
    const project = await makeProject({ 'train.mjs': SCRIPT, 'mark.mjs': plugin('mark') });
    const staged = await project.gs(['stage', 'train.mjs', '-q']);
    const id = staged.stdout.trim();
    for (const [option, value] of [
      ['--plugin', './mark.mjs'],
      ['--hook', 'on_run_end=true'],
    ]) {
      const refused = await project.gs(['start', id, option!, value!]);
      expect(refused.code, refused.stderr).toBe(2);
      expect(stderrLines(refused)).toEqual([
        `guild-stage: start runs the plugins and hooks a run was staged with: ${option} cannot add to them; stage a new run with ${option}`,
      ]);
    }
    expect(marker(path.join(project.runsDir, id), 'STAGED')).toBe(true);
    const help = await project.gs(['start', '--help']);
    expect(help.stdout).not.toMatch(/--plugin|--hook /);
  });
});
