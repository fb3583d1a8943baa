/**
 * bin/guild-stage.cts, what `guild-stage` runs: the bundled CLI compiled from a V8 code cache in
 * the user's cache directory, written by the first command, used by the next, replaced when it
 * belongs to another bundle or V8 refuses it, and never a reason for a command to fail. One
 * cache per command, each written by the first run of its command that succeeds.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { COMMANDS, commandOf } from '../../src/cli/commands.js';
import { CLI } from '../helpers/cli.js';
import { makeTempDir } from '../helpers/fs.js';
import { makeProject, type Project } from './support.js';

const BUNDLE_SHA256 = createHash('sha256')
  .update(readFileSync(path.join(path.dirname(CLI), 'cli.cjs')))
  .digest('hex');
const cacheName = (command: string) => `code-${process.version}-${process.platform}-${process.arch}-${command}.v8`;
const CACHE_NAME = cacheName('stage');

/** Records `new Error().stack` as the first hook sees it: frames of the CLI that called it. */
const STACK_PLUGIN = `import { writeFileSync } from 'node:fs';
export default { name: 'stack', onRunStaged() { writeFileSync(process.env.STACK_FILE, new Error('here').stack); } };
`;

async function stageIn(project: Project, cacheHome: string, env: NodeJS.ProcessEnv = {}) {
  const result = await project.gs(['stage', 'train.py', '--flags', 'lr=0.5', '-q'], {
    env: { XDG_CACHE_HOME: cacheHome, ...env },
  });
  return {
    ...result,
    staged:
      result.code === 0 ? await readFile(path.join(project.runsDir, result.stdout.trim(), 'train.py'), 'utf8') : '',
  };
}

async function trainProject(): Promise<Project> {
  return makeProject({ 'train.py': 'lr = 0.1\nprint(lr)\n' });
}

describe.concurrent('the launcher and its code cache', () => {
  it('the first command writes the cache for this bundle; the next uses it and leaves it as it is', async ({
    expect,
  }) => {
    const project = await trainProject();
    const cacheHome = await makeTempDir('gs-cache-home-');
    const file = path.join(cacheHome, 'guild-stage', CACHE_NAME);

    const first = await stageIn(project, cacheHome);
    expect([first.code, first.stderr, first.staged]).toEqual([0, '', 'lr = 0.5\nprint(lr)\n']);
    const written = await stat(file);
    expect(written.mode & 0o777).toBe(0o600);
    expect((await readFile(file)).toString('latin1', 0, 64)).toBe(BUNDLE_SHA256);
    expect(written.size).toBeGreaterThan(64 + 10_000);

    // A refused cache would be written again, as a new file renamed over the old one.
    const second = await stageIn(project, cacheHome);
    expect([second.code, second.stderr, second.staged]).toEqual([0, '', 'lr = 0.5\nprint(lr)\n']);
    const after = await stat(file);
    expect([after.ino, after.mtimeMs]).toEqual([written.ino, written.mtimeMs]);
  });

  it('a cache of another bundle, or one V8 refuses, is replaced and the command runs', async ({ expect }) => {
    const project = await trainProject();
    const valid = path.join(await makeTempDir('gs-cache-home-'), 'guild-stage', CACHE_NAME);
    await stageIn(project, path.dirname(path.dirname(valid)));
    const code = (await readFile(valid)).subarray(64);
    // V8 checks a cache against its source's length only: code that V8 would take, labelled as
    // another bundle's, must not run.
    const otherBundle = Buffer.concat([Buffer.from('0'.repeat(64), 'latin1'), code]);
    const damaged = Buffer.concat([Buffer.from(BUNDLE_SHA256, 'latin1'), Buffer.alloc(code.length, 7)]);
    for (const content of [otherBundle, damaged]) {
      const cacheHome = await makeTempDir('gs-cache-home-');
      const file = path.join(cacheHome, 'guild-stage', CACHE_NAME);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);

      const result = await stageIn(project, cacheHome);
      expect([result.code, result.stderr, result.staged]).toEqual([0, '', 'lr = 0.5\nprint(lr)\n']);
      const replaced = await readFile(file);
      expect(replaced.toString('latin1', 0, 64)).toBe(BUNDLE_SHA256);
      expect(replaced.equals(content)).toBe(false);
    }
  });

  it('a cache directory that cannot be made costs the command nothing but the time', async ({ expect }) => {
    const project = await trainProject();
    const notADirectory = path.join(await makeTempDir('gs-cache-home-'), 'file');
    await writeFile(notADirectory, 'x');
    const result = await stageIn(project, notADirectory);
    expect([result.code, result.stderr, result.staged]).toEqual([0, '', 'lr = 0.5\nprint(lr)\n']);
    expect(await readFile(notADirectory, 'utf8')).toBe('x');
  });

  it('with --enable-source-maps Node loads the CLI itself, and stack traces point at src/', async ({ expect }) => {
    const project = await makeProject({ 'train.py': 'lr = 0.1\n', 'stack.mjs': STACK_PLUGIN });
    const cacheHome = await makeTempDir('gs-cache-home-');
    const stackFile = path.join(project.scratch, 'stack');
    const run = (env: NodeJS.ProcessEnv) =>
      project.gs(['stage', 'train.py', '--plugin', './stack.mjs', '-q'], {
        env: { XDG_CACHE_HOME: cacheHome, STACK_FILE: stackFile, ...env },
      });

    const mapped = await run({ NODE_OPTIONS: '--enable-source-maps' });
    expect([mapped.code, mapped.stderr]).toEqual([0, '']);
    expect(await readFile(stackFile, 'utf8')).toMatch(/\/src\/plugins\/driver\.ts:\d+:\d+/);
    await expect(stat(path.join(cacheHome, 'guild-stage', CACHE_NAME))).rejects.toThrow(/ENOENT/);

    // Without source maps, the frames are the bundle's, compiled from the cache.
    const cached = await run({});
    expect([cached.code, cached.stderr]).toEqual([0, '']);
    expect(await readFile(stackFile, 'utf8')).toMatch(/\/dist\/bin\/cli\.cjs:\d+:\d+/);
    expect((await stat(path.join(cacheHome, 'guild-stage', CACHE_NAME))).size).toBeGreaterThan(64);
  });

  it('each command has its own cache, and a command that fails writes none', async ({ expect }) => {
    const project = await trainProject();
    const cacheHome = await makeTempDir('gs-cache-home-');
    const dir = path.join(cacheHome, 'guild-stage');
    const env = { XDG_CACHE_HOME: cacheHome };

    const failed = await project.gs(['stage', 'missing.py', '-q'], { env });
    expect(failed.code).not.toBe(0);
    await expect(stat(dir)).rejects.toThrow(/ENOENT/);

    expect((await project.gs(['--version'], { env })).code).toBe(0);
    expect((await stageIn(project, cacheHome)).code).toBe(0);
    expect((await project.gs(['runs', '-n', '1'], { env })).code).toBe(0);
    expect((await readdir(dir)).sort()).toEqual([cacheName('help'), cacheName('runs'), cacheName('stage')]);
  });

  it('loads child_process and crypto only for the commands that use them, and then they work', async ({ expect }) => {
    const project = await trainProject();
    const dir = await makeTempDir('gs-modules-');
    const preload = path.join(dir, 'record-modules.cjs');
    await writeFile(
      preload,
      `process.on('exit', () => require('node:fs').writeFileSync(process.env.MODULES_FILE, process.moduleLoadList.join('\\n')));\n`,
    );
    const loaded = async (args: string[]) => {
      const file = path.join(dir, `${args[0]}.txt`);
      const env = { NODE_OPTIONS: `--require ${preload}`, MODULES_FILE: file, XDG_CACHE_HOME: dir };
      const result = await project.gs(args, { env });
      expect([result.code, result.stderr]).toEqual([0, '']);
      return { modules: (await readFile(file, 'utf8')).split('\n'), stdout: result.stdout };
    };
    const staged = await loaded(['stage', 'train.py', '-q']);
    expect(staged.modules).not.toContain('NativeModule child_process');
    expect(staged.modules).toContain('NativeModule crypto');
    expect((await loaded(['run', 'train.py', '-q', '--flags', 'lr=0.25'])).modules).toContain(
      'NativeModule child_process',
    );
    // No staging directory to judge, so nothing to hash.
    const runs = await loaded(['runs', '--json']);
    expect(runs.modules).not.toContain('NativeModule crypto');
    const listed = JSON.parse(runs.stdout);
    expect(listed.map((run: { status: string }) => run.status)).toEqual(['completed', 'staged']);
    expect(listed[0]).toMatchObject({ flags: { lr: 0.25 }, status: 'completed' });
  });

  it('knows the commands --help lists, and which one an argv runs', async ({ expect }) => {
    const project = await trainProject();
    const help = await project.gs(['--help'], { env: { XDG_CACHE_HOME: await makeTempDir('gs-cache-home-') } });
    const listed = help.stdout
      .slice(help.stdout.indexOf('Commands:'))
      .split('\n')
      .map((line) => /^ {2}([a-z]+) /.exec(line)?.[1])
      .filter((name) => name !== undefined && name !== 'help');
    expect(listed).toEqual(COMMANDS);
    expect(commandOf(['train.py', '--flags', 'lr=0.1'])).toBe('run');
    expect(commandOf(['-C', 'runs', 'stage', 'x.py'])).toBe('stage');
    expect(commandOf(['--cwd', 'stage', 'runs'])).toBe('runs');
    expect(commandOf(['stage', 'x.py', '--help'])).toBe('help');
    expect(commandOf(['run', 'x.py', '--', '--help'])).toBe('run');
    expect(commandOf(['-V'])).toBe('help');
    expect(commandOf([])).toBe('run');
  });
});
