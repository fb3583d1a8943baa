/**
 * `guild-stage runs` as Guild users list runs: a header, at most 20 rows unless `-n`/`--all`,
 * filters that hide rows without renumbering them, and the `[N]` index as a run reference.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { listRunsJson, makeProject, type Project } from './support.js';

const SCRIPT = 'const i = 0;\nconsole.log("i is", i);\n';
const ROW = /^\s*\[(\d+):([0-9a-f]{8})\]/;

/** The `[N:id]` cells of a `runs` table, header checked and skipped; no runs print nothing. */
function rowsOf(stdout: string): Array<{ index: number; shortId: string }> {
  if (stdout === '') return [];
  const [header, ...lines] = stdout.split('\n').filter((line) => line !== '');
  if (!/^run\s+script\s+(?:project\s+)?status\s+label\s+started/.test(header ?? ''))
    throw new Error(`no header: ${stdout}`);
  return lines.map((line) => {
    const match = ROW.exec(line);
    if (!match) throw new Error(`not a run row: ${line}`);
    return { index: Number(match[1]), shortId: match[2]! };
  });
}

async function gsOk(project: Project, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  const result = await project.gs(args, { env });
  if (result.code !== 0) throw new Error(`${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

describe.concurrent('runs listing', () => {
  it('shows 20 rows under a header by default, -n N rows, --all every row', async ({ expect }) => {
    const project = await makeProject({ 'count.mjs': SCRIPT });
    await gsOk(project, ['run', 'count.mjs', '--flags', 'i=range[1:21]', '--parallel', '4', '-q']);
    const json = await listRunsJson(project);
    expect(json).toHaveLength(22);
    expect(json.map((run) => run.index)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));

    const table = await project.gs(['runs']);
    expect(table.code, table.stderr).toBe(0);
    const rows = rowsOf(table.stdout);
    expect(rows.map((row) => row.index)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(rows.map((row) => row.shortId)).toEqual(json.slice(0, 20).map((run) => (run.id as string).slice(0, 8)));
    expect(table.stderr).toBe('Showing 20 of 22 runs: use -n N or --all to show more\n');

    expect(rowsOf(await gsOk(project, ['runs', '-n', '3'])).map((row) => row.index)).toEqual([1, 2, 3]);
    expect(rowsOf(await gsOk(project, ['runs', '--all']))).toHaveLength(22);
    const all = await project.gs(['runs', '-n', '30']);
    expect(rowsOf(all.stdout)).toHaveLength(22);
    expect(all.stderr).toBe('');
    const bad = await project.gs(['runs', '-n', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("expected a whole number of at least 1, got '0'");
  });

  it('shows a project column when the runs come from more than one project, and projectDir in --json', async ({
    expect,
  }) => {
    const first = await makeProject({ 'count.mjs': SCRIPT });
    const second = await makeProject({ 'count.mjs': SCRIPT });
    await gsOk(first, ['run', 'count.mjs', '-q']);
    const alone = (await gsOk(first, ['runs'])).split('\n')[0];
    expect(alone).toMatch(/^run\s+script\s+status\s+label\s+started$/);

    // The second project's run in the first's Guild home: one listing, two projects.
    await gsOk(second, ['run', 'count.mjs', '-q'], { GUILD_HOME: first.home });
    const [header, ...rows] = (await gsOk(first, ['runs'])).trimEnd().split('\n');
    expect(header).toMatch(/^run\s+script\s+project\s+status\s+label\s+started$/);
    expect(rows.map((row) => row.split(/\s{2,}/)[2])).toEqual([second.dir, first.dir]);
    const json = await listRunsJson(first);
    expect(json.map((run) => run.projectDir)).toEqual([second.dir, first.dir]);
  });

  it('filters by script, status, label and batch; rows keep the index of the full listing', async ({ expect }) => {
    const project = await makeProject({ 'count.mjs': SCRIPT, 'fail.mjs': 'process.exitCode = 3;\n' });
    // One after the other: their order is the point.
    await gsOk(project, ['run', 'count.mjs', '--flags', 'i=[1,2]', '-q']);
    expect((await project.gs(['run', 'fail.mjs', '--label', 'broken one', '-q'])).code).toBe(3);
    await gsOk(project, ['stage', 'count.mjs', '--flags', 'i=7', '--label', 'later', '-q']);
    const json = await listRunsJson(project);
    const ids = json.map((run) => (run.id as string).slice(0, 8));
    // staged, failed, batch with its two trials under it.
    expect(json.map((run) => [run.index, run.opspec, run.status])).toEqual([
      [1, 'count.mjs', 'staged'],
      [2, 'fail.mjs', 'error'],
      [3, 'count.mjs+', 'completed'],
      [4, 'count.mjs', 'completed'],
      [5, 'count.mjs', 'completed'],
    ]);
    const indexes = async (args: string[]) => rowsOf(await gsOk(project, ['runs', ...args])).map((row) => row.index);
    expect(await indexes(['--script', 'fail'])).toEqual([2]);
    expect(await indexes(['--script', 'count.mjs+'])).toEqual([3]);
    expect(await indexes(['--status', 'error,staged'])).toEqual([1, 2]);
    expect(await indexes(['--status', 'completed', '--script', 'fail'])).toEqual([]);
    expect(await indexes(['--label', 'broken'])).toEqual([2]);
    expect(await indexes(['--batch', '3'])).toEqual([3, 4, 5]);
    expect(await indexes(['--batch', ids[2]!])).toEqual([3, 4, 5]);
    const filtered = rowsOf(await gsOk(project, ['runs', '--status', 'completed']));
    expect(filtered.map((row) => row.shortId)).toEqual(ids.slice(2));

    const notBatch = await project.gs(['runs', '--batch', '2']);
    expect(notBatch.code).toBe(2);
    expect(notBatch.stderr).toBe(`guild-stage: --batch 2: run ${ids[1]} is not a batch run\n`);
    const badStatus = await project.gs(['runs', '--status', 'done']);
    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toContain("unknown status 'done'");
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('takes the [N] index as a run reference: diff, start and compare', async ({ expect }) => {
    const project = await makeProject({ 'count.mjs': SCRIPT });
    await gsOk(project, ['run', 'count.mjs', '--flags', 'i=5', '-q']);
    await gsOk(project, ['stage', 'count.mjs', '--flags', 'i=6', '-q']);
    const [staged, done] = await listRunsJson(project);

    const diff = await gsOk(project, ['diff', '2']);
    expect(diff).toBe(await readFile(path.join(done!.runDir as string, '.guild', 'staged.patch'), 'utf8'));
    expect(diff).toContain('+const i = 5;');

    const compared = JSON.parse(await gsOk(project, ['compare', '2', '--json'])) as Array<{ id: string }>;
    expect(compared.map((row) => row.id)).toEqual([done!.id]);

    const started = await project.gs(['start', '1', '-q']);
    expect(started).toMatchObject({ code: 0, stdout: 'i is 6\n' });
    expect((await listRunsJson(project)).map((run) => [run.id, run.status])).toEqual([
      [staged!.id, 'completed'],
      [done!.id, 'completed'],
    ]);

    // A number beyond the listing is an id prefix, as in Guild; no run id starts with 99999.
    const beyond = await project.gs(['diff', '99999']);
    expect(beyond.code).toBe(2);
    expect(beyond.stderr).toContain("no run matches '99999'");
  });
});
