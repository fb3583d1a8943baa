/**
 * `runs rm|restore|purge|label|tag|mark`: deleted runs go to Guild's trash
 * (`$GUILD_HOME/trash/runs`) and label, tags and marks are Guild's attrs, so real Guild sees
 * what these commands did.
 */
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { cliOnTerminal } from '../helpers/terminal.js';
import { REFERENCE, REFERENCE_SKIP, guild } from '../helpers/reference.js';
import { listRunsJson, makeProject, type Project } from './support.js';

const SCRIPT = 'const i = 0;\nconsole.log("i is", i);\n';

/** A project with `n` completed runs (i=1..n, the last newest). */
async function projectWithRuns(n: number): Promise<{ project: Project; ids: string[] }> {
  const project = await makeProject({ 'count.mjs': SCRIPT });
  for (let i = 1; i <= n; i++) {
    const result = await project.gs(['run', 'count.mjs', '--flags', `i=${i}`, '-q']);
    if (result.code !== 0) throw new Error(result.stderr);
  }
  // Newest first, as runs lists them.
  return { project, ids: (await listRunsJson(project)).map((run) => run.id as string) };
}

const trashOf = (project: Project) => path.join(project.home, 'trash', 'runs');
const attrOf = (runDir: string, name: string) => readFile(path.join(runDir, '.guild', 'attrs', name), 'utf8');

/** `runs purge` on a terminal, typing `answer` when it asks. */
function purgeOnTerminal(project: Project, args: string[], answer: string) {
  return cliOnTerminal(args, '[y/N]', answer, { cwd: project.dir, env: { NO_COLOR: '1', GUILD_HOME: project.home } });
}

describe.concurrent('runs rm, restore and purge', () => {
  it('rm moves runs to $GUILD_HOME/trash/runs, runs --deleted lists them, restore brings them back', async ({
    expect,
  }) => {
    const { project, ids } = await projectWithRuns(3);
    const removed = await project.gs(['runs', 'rm', '1', ids[2]!.slice(0, 8)]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stderr).toContain(`Deleted 2 runs: ${ids[0]!.slice(0, 8)}, ${ids[2]!.slice(0, 8)}`);
    expect((await listRunsJson(project)).map((run) => run.id)).toEqual([ids[1]]);
    for (const id of [ids[0]!, ids[2]!]) {
      expect(existsSync(path.join(project.runsDir, id))).toBe(false);
      expect(await attrOf(path.join(trashOf(project), id), 'id')).toBe(`${id}\n`);
    }
    const deleted = JSON.parse((await project.gs(['runs', '--deleted', '--json'])).stdout) as Array<{ id: string }>;
    expect(deleted.map((run) => run.id)).toEqual([ids[0], ids[2]]);

    // Indexes of restore are those of runs --deleted: 2 is the oldest run.
    const restored = await project.gs(['runs', 'restore', '2']);
    expect(restored.code, restored.stderr).toBe(0);
    expect((await listRunsJson(project)).map((run) => run.id)).toEqual([ids[1], ids[2]]);
    expect(existsSync(path.join(trashOf(project), ids[2]!))).toBe(false);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('refuses a running run, a bad reference or a run already in the trash, and moves nothing', async ({ expect }) => {
    const { project, ids } = await projectWithRuns(2);
    // The newest run as a live process leaves it: a LOCK with a live pid and no exit status.
    const running = path.join(project.runsDir, ids[0]!);
    await rm(path.join(running, '.guild', 'attrs', 'exit_status'));
    await writeFile(path.join(running, '.guild', 'LOCK'), String(process.pid));
    const refused = await project.gs(['runs', 'rm', '2', '1']);
    expect(refused).toMatchObject({
      code: 2,
      stderr: `guild-stage: run ${ids[0]!.slice(0, 8)} is running: stop it before deleting it\n`,
    });
    const badRef = await project.gs(['runs', 'rm', '2', 'nosuchrun']);
    expect(badRef.code).toBe(2);
    expect(badRef.stderr).toContain("no run matches 'nosuchrun'");
    expect((await listRunsJson(project)).map((run) => run.id)).toEqual(ids);
    expect(existsSync(trashOf(project))).toBe(false);

    const notDeleted = await project.gs(['runs', 'restore', ids[1]!.slice(0, 8)]);
    expect(notDeleted.code).toBe(2);
    expect(notDeleted.stderr).toContain(`no run matches '${ids[1]!.slice(0, 8)}' in ${trashOf(project)}`);
  });

  it('purge deletes from the trash for good: asks on a terminal, refuses without one unless -y', async ({ expect }) => {
    const { project, ids } = await projectWithRuns(2);
    expect((await project.gs(['runs', 'rm', '1', '2'])).code).toBe(0);
    const inTrash = (id: string) => existsSync(path.join(trashOf(project), id));

    const noTty = await project.gs(['runs', 'purge', '1']);
    expect(noTty).toMatchObject({
      code: 2,
      stderr: 'guild-stage: stdin is not a terminal, so nobody can confirm: give -y to go ahead\n',
    });
    expect(inTrash(ids[0]!)).toBe(true);

    const no = await purgeOnTerminal(project, ['runs', 'purge', '1'], 'n\n');
    expect(no.out).toContain(`Permanently delete 1 run? [y/N]`);
    expect(no.out).toContain('Nothing deleted');
    expect(no.code).toBe(0);
    expect(inTrash(ids[0]!)).toBe(true);

    const yes = await purgeOnTerminal(project, ['runs', 'purge', '1'], 'y\n');
    expect(yes.out).toContain(`Permanently deleted 1 run: ${ids[0]!.slice(0, 8)}`);
    expect(inTrash(ids[0]!)).toBe(false);

    const forced = await project.gs(['runs', 'purge', '-y', ids[1]!]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(inTrash(ids[1]!)).toBe(false);
    expect((await listRunsJson(project)).length).toBe(0);
  });
});

describe.concurrent('runs label, tag and mark', () => {
  it('every runs subcommand acts in the runs directory --runs-dir names, after the subcommand too', async ({
    expect,
  }) => {
    const { project, ids } = await projectWithRuns(1);
    const other = path.join(project.scratch, 'other-runs');
    expect((await project.gs(['run', 'count.mjs', '--runs-dir', other, '-q'])).code).toBe(0);
    const [run] = await listRunsJson(project, other);
    const ref = String(run!.id).slice(0, 8);
    const dir = path.join(other, String(run!.id));
    for (const args of [
      ['label', ref, 'elsewhere'],
      ['tag', ref, 't'],
      ['mark', ref],
    ]) {
      const result = await project.gs(['runs', ...args, '--runs-dir', other]);
      expect(result.code, result.stderr).toBe(0);
    }
    expect([await attrOf(dir, 'label'), await attrOf(dir, 'tags'), await attrOf(dir, 'marked')]).toEqual([
      'elsewhere\n',
      '- t\n',
      'true\n',
    ]);
    const removed = await project.gs(['runs', 'rm', ref, '--runs-dir', other]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(existsSync(dir)).toBe(false);
    const restored = await project.gs(['runs', 'restore', ref, '--runs-dir', other]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(existsSync(dir)).toBe(true);
    // The default runs directory's run was never touched.
    expect((await listRunsJson(project)).map((listed) => [listed.id, listed.label])).toEqual([[ids[0], 'i=1']]);
  });

  it("write Guild's label, tags and marked attrs, and remove them again", async ({ expect }) => {
    const { project, ids } = await projectWithRuns(2);
    const dir = path.join(project.runsDir, ids[1]!);
    expect((await project.gs(['runs', 'label', '2', '  best so far '])).code).toBe(0);
    expect(await attrOf(dir, 'label')).toBe('best so far\n');
    expect((await project.gs(['runs', 'tag', '2', 'b', 'a'])).code).toBe(0);
    expect(await attrOf(dir, 'tags')).toBe('- a\n- b\n');
    const tagged = await project.gs(['runs', 'tag', '2', 'c', '--delete', 'a']);
    expect(tagged.stderr).toBe('Tags: b c\n');
    expect(await attrOf(dir, 'tags')).toBe('- b\n- c\n');
    expect((await project.gs(['runs', 'mark', '2'])).code).toBe(0);
    expect(await attrOf(dir, 'marked')).toBe('true\n');

    const table = (await project.gs(['runs'])).stdout.split('\n');
    expect(table[2]).toMatch(
      new RegExp(`^\\[2:${ids[1]!.slice(0, 8)}\\] +count\\.mjs \\[marked\\] +completed +best so far `),
    );

    expect((await project.gs(['runs', 'label', '2', '--clear'])).code).toBe(0);
    expect((await project.gs(['runs', 'mark', '2', '--clear'])).code).toBe(0);
    expect((await project.gs(['runs', 'tag', '2', '--clear'])).code).toBe(0);
    expect(existsSync(path.join(dir, '.guild', 'attrs', 'label'))).toBe(false);
    expect(existsSync(path.join(dir, '.guild', 'attrs', 'marked'))).toBe(false);
    expect(await attrOf(dir, 'tags')).toBe('[]\n');

    const both = await project.gs(['runs', 'label', '2', 'x', '--clear']);
    expect(both).toMatchObject({ code: 2, stderr: 'guild-stage: --clear takes no label text\n' });
    const none = await project.gs(['runs', 'label', '2']);
    expect(none).toMatchObject({ code: 2, stderr: 'guild-stage: give a label, or --clear\n' });
  });
});

describe.skipIf(!REFERENCE)(`what real Guild sees${REFERENCE_SKIP}`, () => {
  it('guild runs --deleted lists removed runs, guild runs the restored ones', async ({ expect }) => {
    const { project, ids } = await projectWithRuns(2);
    const short = ids.map((id) => id.slice(0, 8));
    expect((await project.gs(['runs', 'rm', '1'])).code).toBe(0);
    expect(await guild(project.home, 'runs', '--deleted')).toMatch(new RegExp(`^\\[1:${short[0]}\\] +count\\.mjs `));
    expect((await guild(project.home, 'runs')).split('\n')).toEqual([expect.stringMatching(`^\\[1:${short[1]}\\]`)]);
    expect((await project.gs(['runs', 'restore', '1'])).code).toBe(0);
    expect(await guild(project.home, 'runs', '--deleted')).toBe('');
    const listed = (await guild(project.home, 'runs')).split('\n');
    expect(listed.map((line) => /^\[\d:([0-9a-f]{8})\]/.exec(line)?.[1])).toEqual(short);
  });

  it('guild runs shows the label and mark, guild runs info the tags', async ({ expect }) => {
    const { project, ids } = await projectWithRuns(1);
    for (const args of [
      ['label', '1', 'tuned'],
      ['tag', '1', 'keep', 'paper'],
      ['mark', '1'],
    ]) {
      expect((await project.gs(['runs', ...args])).code).toBe(0);
    }
    expect(await guild(project.home, 'runs')).toMatch(
      new RegExp(`^\\[1:${ids[0]!.slice(0, 8)}\\] +count\\.mjs \\(.*\\) \\[marked\\] .* completed +tuned$`),
    );
    const info = await guild(project.home, 'runs', 'info', '1');
    expect(info).toContain('marked: yes');
    expect(info).toContain('label: tuned');
    expect(info).toMatch(/tags:\n {2}- keep\n {2}- paper\n/);
  });
});
