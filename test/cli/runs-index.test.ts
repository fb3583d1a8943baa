/**
 * `runs` lists through the runs directory's index (`.guild-stage-index.json`, shared with
 * `compare`): once a run is cached, the listing serves it from the index, yet shows every
 * change made to it since: statuses from the markers as they are now, labels set by `runs
 * label` or rewritten in place, `--link`ed files edited in the project, damaged records, runs
 * removed from disk.
 */
import { spawnSync } from 'node:child_process';
import { appendFile, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { LONG, LONG_SKIP } from '../helpers/long.js';
import { listRunsJson, makeProject, type Project } from './support.js';

const SCRIPT = 'const i = 0;\nconsole.log("i is", i);\n';

/** The index caches a run only once its files are 2 s old (RACY_MS), so a same-tick change is never missed. */
const RACY_WAIT_MS = 2200;

async function gsOk(project: Project, args: string[]): Promise<string> {
  const result = await project.gs(args);
  if (result.code !== 0) throw new Error(`${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

type Listed = Record<string, unknown> & { id: string; status: string; label: string | null };

async function listed(project: Project): Promise<Map<string, Listed>> {
  return new Map((await listRunsJson(project)).map((run) => [run.id as string, run as Listed]));
}

describe.skipIf(!LONG)(`runs through the index${LONG_SKIP}`, () => {
  it('serves cached runs from the index and still shows every change made to them since', async ({ expect }) => {
    const project = await makeProject({ 'count.mjs': SCRIPT });
    const stageId = async (...args: string[]) =>
      JSON.parse(await gsOk(project, ['stage', 'count.mjs', ...args, '--json'])).id as string;
    const ran = (label: string) => gsOk(project, ['run', 'count.mjs', '--label', label, '-q']);
    const [staged, locked, stagedKept, linked] = await Promise.all([
      stageId(),
      stageId(),
      stageId(),
      stageId('--link'),
      ran('kept'),
      ran('to relabel in place'),
      ran('to remove'),
      ran('to damage'),
      gsOk(project, ['run', 'count.mjs', '-q']),
    ]);
    const before = await listed(project);
    const byLabel = (label: string) => [...before.values()].find((run) => run.label === label)!.id;
    const [kept, inPlace, removed, damaged] = ['kept', 'to relabel in place', 'to remove', 'to damage'].map(byLabel);
    // The run made without --label (its label is its flags, as Guild's).
    const named = new Set([staged, locked, stagedKept, linked, kept, inPlace, removed, damaged]);
    const unlabeled = [...before.keys()].find((id) => !named.has(id))!;
    const dirOf = (id: string) => path.join(project.runsDir, id);

    await new Promise((resolve) => setTimeout(resolve, RACY_WAIT_MS));
    const first = await listed(project);
    expect(first).toEqual(before);
    const indexFile = path.join(project.runsDir, '.guild-stage-index.json');
    const index = JSON.parse(await readFile(indexFile, 'utf8'));
    expect(Object.keys(index.runs).sort()).toEqual([...before.keys()].sort());
    // What only the index says shows that it is read; a status there must not be.
    index.runs[kept].f.label = 'from the index';
    index.runs[stagedKept].f.status = 'completed';
    await writeFile(indexFile, JSON.stringify(index));

    const deadPid = spawnSync('true').pid!;
    await Promise.all([
      gsOk(project, ['runs', 'label', unlabeled, 'added by runs label']),
      gsOk(project, ['start', staged, '-q']),
      // A start that died after its claim: the LOCK holds a pid that no longer runs.
      (async () => {
        await writeFile(path.join(dirOf(locked), '.guild', 'LOCK'), String(deadPid));
        await rm(path.join(dirOf(locked), '.guild', 'STAGED'));
      })(),
      // `guild label` rewrites the attr file in place: no directory changes.
      writeFile(path.join(dirOf(inPlace), '.guild', 'attrs', 'label'), 'relabeled in place\n'),
      // An editor writing in place: the --link run shares the file.
      appendFile(path.join(project.dir, 'count.mjs'), '// edited\n'),
      rm(dirOf(removed), { recursive: true }),
      (async () => {
        const flags = path.join(dirOf(damaged), '.guild', 'attrs', 'flags');
        await writeFile(`${flags}.tmp`, '{unclosed: [\n');
        await rename(`${flags}.tmp`, flags);
      })(),
    ]);

    const after = await listed(project);
    expect(after.get(kept)!.label).toBe('from the index');
    expect(after.get(stagedKept)!.status).toBe('staged');
    expect(after.get(unlabeled)!.label).toBe('added by runs label');
    expect(after.get(staged)!.status).toBe('completed');
    expect(after.get(locked)!.status).toBe('error');
    expect(after.get(inPlace)!.label).toBe('relabeled in place');
    expect(after.get(linked)!.modified).toEqual(['count.mjs']);
    expect(after.has(removed)).toBe(false);
    expect(after.get(damaged)).toMatchObject({ status: 'unreadable', unreadable: expect.stringContaining('flags') });
    expect(after.size).toBe(before.size - 1);
    // The [N] index counts only the runs there are.
    expect([...after.values()].map((run) => run.index)).toEqual(Array.from({ length: after.size }, (_, i) => i + 1));

    const table = await gsOk(project, ['runs', '--all']);
    const rowOf = (id: string) => table.split('\n').find((line) => line.includes(`:${id.slice(0, 8)}]`))!;
    expect(rowOf(linked)).toMatch(/ count\.mjs \[modified\] +staged/);
    expect(rowOf(damaged)).toMatch(/ unreadable +cannot parse run attr .*flags/);
    expect(rowOf(locked)).toMatch(/ count\.mjs +error/);
    expect(Object.keys(JSON.parse(await readFile(indexFile, 'utf8')).runs)).not.toContain(removed);
  });
});
