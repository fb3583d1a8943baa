/**
 * Another user's directories never receive our runs or feed us a run: a `.guild/` found on
 * the way up that someone else owns or can write is passed over with a warning (and none
 * above `$HOME` is looked at), and `start` refuses a run directory others can write.
 * Ownership by another user needs root to set up (`chown` to `nobody`); as another user
 * those cases skip.
 */
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { makeTempDir } from '../helpers/fs.js';
import { listRunsJson, makeProject, onlyRun } from './support.js';

const NOBODY = 65534;
const IS_ROOT = process.getuid?.() === 0;
const ROOT_SKIP = IS_ROOT ? '' : ' [skipped: chown to nobody needs root]';
const SCRIPT = 'x = 1\nprint("x is", x)\n';

/** A project in `<base>/project`, a `.guild/` in `<base>`, and a HOME elsewhere, with no GUILD_HOME. */
async function layout() {
  const base = await makeTempDir('gs-foreign-');
  const project = path.join(base, 'project');
  const home = await makeTempDir('gs-foreign-home-');
  await mkdir(project);
  await writeFile(path.join(project, 'train.py'), SCRIPT);
  const guild = path.join(base, '.guild');
  await mkdir(path.join(guild, 'runs'), { recursive: true });
  const gs = (await makeProject({})).gs;
  const run = (args: string[]) => gs(args, { cwd: project, env: { GUILD_HOME: '', HOME: home } });
  return { base, project, home, guild, run };
}

async function runNames(dir: string): Promise<string[]> {
  return existsSync(dir) ? (await readdir(dir)).filter((name) => !name.startsWith('.')) : [];
}

describe.concurrent('a .guild found on the way up', () => {
  it.skipIf(!IS_ROOT)(`owned by another user is passed over with a warning${ROOT_SKIP}`, async ({ expect }) => {
    const { guild, home, run } = await layout();
    await chown(guild, NOBODY, NOBODY);
    await chown(path.join(guild, 'runs'), NOBODY, NOBODY);
    const staged = await run(['stage', 'train.py', '-q']);
    expect(staged.code, staged.stderr).toBe(0);
    expect(staged.stderr).toBe(
      `guild-stage: warning: ignoring ${guild} as a Guild home: it is owned by uid ${NOBODY}, not by you (uid 0); ` +
        `using ${path.join(home, '.guild')}; set GUILD_HOME or --runs-dir to choose where runs go\n`,
    );
    expect(await runNames(path.join(guild, 'runs'))).toEqual([]);
    expect(await runNames(path.join(home, '.guild', 'runs'))).toHaveLength(1);
    const listed = await run(['runs', '--json']);
    expect(JSON.parse(listed.stdout)).toHaveLength(1);
    expect(listed.stderr).toContain(`ignoring ${guild} as a Guild home`);
  });

  it('writable by every user is passed over, one the user alone can write is used', async ({ expect }) => {
    const { guild, home, run } = await layout();
    await chmod(guild, 0o777);
    const open = await run(['stage', 'train.py', '-q']);
    expect(open.code, open.stderr).toBe(0);
    expect(open.stderr).toContain(`ignoring ${guild} as a Guild home: it is writable by every user (mode 0777)`);
    expect(await runNames(path.join(guild, 'runs'))).toEqual([]);
    expect(await runNames(path.join(home, '.guild', 'runs'))).toHaveLength(1);

    await chmod(guild, 0o755);
    const ours = await run(['stage', 'train.py', '-q']);
    expect(ours.code, ours.stderr).toBe(0);
    expect(ours.stderr).toBe('');
    expect(await runNames(path.join(guild, 'runs'))).toHaveLength(1);
  });

  it('above $HOME is never looked at', async ({ expect }) => {
    const base = await makeTempDir('gs-above-home-');
    const home = path.join(base, 'home');
    const project = path.join(home, 'project');
    await mkdir(project, { recursive: true });
    await writeFile(path.join(project, 'train.py'), SCRIPT);
    await mkdir(path.join(base, '.guild', 'runs'), { recursive: true });
    const { gs } = await makeProject({});
    const staged = await gs(['stage', 'train.py', '-q'], { cwd: project, env: { GUILD_HOME: '', HOME: home } });
    expect(staged.code, staged.stderr).toBe(0);
    expect(staged.stderr).toBe('');
    expect(await runNames(path.join(base, '.guild', 'runs'))).toEqual([]);
    expect(await runNames(path.join(home, '.guild', 'runs'))).toHaveLength(1);
  });
});

describe.concurrent('start of a run others can write', () => {
  async function stagedRun() {
    const project = await makeProject({ 'train.py': SCRIPT });
    const staged = await project.gs(['stage', 'train.py', '-q']);
    if (staged.code !== 0) throw new Error(staged.stderr);
    return { project, dir: await onlyRun(project.runsDir) };
  }

  /** `start` of the run, then its status and whether its STAGED marker is still there. */
  async function tryStart(project: Awaited<ReturnType<typeof makeProject>>, dir: string) {
    const start = await project.gs(['start', path.basename(dir)]);
    const runs = await listRunsJson(project);
    return { start, status: runs[0]?.status, staged: existsSync(path.join(dir, '.guild', 'STAGED')) };
  }

  it('is refused when the run directory is world-writable, and starts once it is not', async ({ expect }) => {
    const { project, dir } = await stagedRun();
    await chmod(dir, 0o777);
    const refused = await tryStart(project, dir);
    expect(refused.start.code).toBe(2);
    expect(refused.start.stdout).toBe('');
    expect(refused.start.stderr).toBe(
      `guild-stage: refusing to start the run in ${dir}: ${dir} is writable by every user (mode 0777); ` +
        'stage the run again in a runs directory only you can write\n',
    );
    expect([refused.status, refused.staged]).toEqual(['staged', true]);
    await chmod(dir, 0o755);
    const start = await project.gs(['start', path.basename(dir), '-q']);
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).toBe('x is 1\n');
  });

  it('is refused when a file in it is world-writable', async ({ expect }) => {
    const { project, dir } = await stagedRun();
    const script = path.join(dir, 'train.py');
    await chmod(script, 0o666);
    const refused = await tryStart(project, dir);
    expect(refused.start.code).toBe(2);
    expect(refused.start.stderr).toContain(`: ${script} is writable by every user (mode 0666);`);
    expect([refused.status, refused.staged]).toEqual(['staged', true]);
  });

  it('is refused when the runs directory lets others move it, not when it is sticky like /tmp', async ({ expect }) => {
    const { project, dir } = await stagedRun();
    await chmod(project.runsDir, 0o777);
    const refused = await tryStart(project, dir);
    expect(refused.start.code).toBe(2);
    expect(refused.start.stderr).toContain(`: ${project.runsDir} is writable by every user (mode 0777);`);
    await chmod(project.runsDir, 0o1777);
    const start = await project.gs(['start', path.basename(dir), '-q']);
    expect(start.code, start.stderr).toBe(0);
  });

  it.skipIf(!IS_ROOT)(`is refused when another user owns a file in it${ROOT_SKIP}`, async ({ expect }) => {
    const { project, dir } = await stagedRun();
    const attr = path.join(dir, '.guild', 'attrs', 'flags');
    await chown(attr, NOBODY, NOBODY);
    const refused = await tryStart(project, dir);
    expect(refused.start.code).toBe(2);
    expect(refused.start.stderr).toContain(`: ${attr} is owned by uid ${NOBODY}, not by you (uid 0);`);
    expect([refused.status, refused.staged]).toEqual(['staged', true]);
  });
});
