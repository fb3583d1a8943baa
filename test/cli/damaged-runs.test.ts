/**
 * One damaged run never breaks a command over many: each kind of damage to one run's records
 * (a bad opref; hostile YAML: deep nesting, an alias bomb, an oversized attr; attrs that are
 * directories, an attrs directory that is a file) shows that run as `unreadable` with the
 * reason in `runs` and `runs --json`, leaves it out of `compare` with a warning, and `start`
 * of another run still works; `start` of the damaged run says why it cannot.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, it } from 'vitest';
import { listRunsJson, makeProject, type Project } from './support.js';

/** Nine aliases of nine lists each: a billion nodes once expanded. */
function aliasBomb(): string {
  let text = 'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let level = 1; level < 10; level++) {
    const prev = String.fromCharCode(96 + level);
    const name = String.fromCharCode(97 + level);
    text += `${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]\n`;
  }
  return text;
}

/** A run directory written by hand: a valid opref and attrs, then `damage` applied. */
async function handMadeRun(runsDir: string, id: string, damage: (guild: string) => Promise<void>): Promise<string> {
  const guild = path.join(runsDir, id, '.guild');
  await mkdir(path.join(guild, 'attrs'), { recursive: true });
  await writeFile(path.join(guild, 'opref'), "script:/p '' '' train.py\n");
  const attrs = { id, initialized: '1790000000000000', flags: 'lr: 0.1\n', label: 'fine\n', exit_status: '0' };
  for (const [name, text] of Object.entries(attrs)) await writeFile(path.join(guild, 'attrs', name), text);
  await damage(guild);
  return path.join(runsDir, id);
}

const DAMAGE: Record<string, { damage: (guild: string) => Promise<void>; reason: (guild: string) => string }> = {
  'bad opref': {
    damage: (guild) => writeFile(path.join(guild, 'opref'), "script:/p '' ''\n"),
    reason: (guild) =>
      `${path.join(guild, 'opref')}: invalid opref "script:/p '' ''": expected 4 fields, the first <type>:<name>`,
  },
  'deep nesting': {
    damage: (guild) => writeFile(path.join(guild, 'attrs', 'flags'), `${'['.repeat(100_000)}${']'.repeat(100_000)}\n`),
    reason: (guild) => `cannot parse run attr ${path.join(guild, 'attrs', 'flags')}: nested more than 100 levels deep`,
  },
  'alias bomb': {
    damage: (guild) => writeFile(path.join(guild, 'attrs', 'flags'), aliasBomb()),
    reason: (guild) =>
      `cannot parse run attr ${path.join(guild, 'attrs', 'flags')}: Excessive alias count indicates a resource exhaustion attack`,
  },
  'oversized attr': {
    damage: (guild) => writeFile(path.join(guild, 'attrs', 'label'), 'x'.repeat(5 * 1024 * 1024)),
    reason: (guild) =>
      `cannot read ${path.join(guild, 'attrs', 'label')}: ${5 * 1024 * 1024} bytes, over the limit of 4194304 for an attr`,
  },
  'attr that is a directory': {
    damage: async (guild) => {
      await rm(path.join(guild, 'attrs', 'exit_status'));
      await mkdir(path.join(guild, 'attrs', 'exit_status'));
    },
    reason: (guild) => `cannot read ${path.join(guild, 'attrs', 'exit_status')}: not a regular file`,
  },
  'attrs that are a file': {
    damage: async (guild) => {
      await rm(path.join(guild, 'attrs'), { recursive: true });
      await writeFile(path.join(guild, 'attrs'), 'id: x\n');
    },
    reason: (guild) => `cannot read ${path.join(guild, 'attrs', 'id')}: not a directory (ENOTDIR)`,
  },
};

describe('damaged runs among good ones', () => {
  let project: Project;
  let good: string;
  let staged: string;
  const damaged = new Map<string, { dir: string; reason: string }>();

  beforeAll(async () => {
    project = await makeProject({ 'train.py': 'x = 1\nprint("loss: 0.5")\n' });
    const ran = await project.gs(['train.py', '--json', '-q']);
    good = (JSON.parse(ran.stdout) as { id: string }).id;
    const stagedRun = await project.gs(['stage', 'train.py', '--flags', 'x=2', '--json', '-q']);
    staged = (JSON.parse(stagedRun.stdout) as { id: string }).id;
    let n = 0;
    for (const { damage, reason } of Object.values(DAMAGE)) {
      const id = `dead${String(n++).padStart(28, '0')}`;
      const dir = await handMadeRun(project.runsDir, id, damage);
      damaged.set(id, { dir, reason: reason(path.join(dir, '.guild')) });
    }
  }, 60_000);

  it('runs --json lists each as unreadable with its reason, and the good runs as they are', async ({ expect }) => {
    const rows = await listRunsJson(project);
    const byId = new Map(rows.map((row) => [row.id as string, row]));
    expect(byId.get(good)?.status).toBe('completed');
    expect(byId.get(staged)?.status).toBe('staged');
    expect(byId.get(good)).not.toHaveProperty('unreadable');
    for (const [id, { reason }] of damaged) {
      expect({ id, status: byId.get(id)?.status, unreadable: byId.get(id)?.unreadable }).toEqual({
        id,
        status: 'unreadable',
        unreadable: reason,
      });
    }
  });

  it('runs shows them in its table, and exits 0', async ({ expect }) => {
    const table = await project.gs(['runs', '--all']);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.split('\n');
    for (const [id, { reason }] of damaged) {
      const line = lines.find((l) => l.includes(`:${id.slice(0, 8)}]`) && l.includes(reason));
      expect(line, `${id} in\n${table.stdout}`).toMatch(/ unreadable {2}/);
    }
    expect(lines.some((l) => l.includes(`:${good.slice(0, 8)}]`) && l.includes('completed'))).toBe(true);
  });

  it('compare leaves them out with one warning each and shows the good run', async ({ expect }) => {
    const result = await project.gs(['compare', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<{ id: string; scalars: Record<string, unknown> }>;
    expect(rows.map((row) => row.id).sort()).toEqual([good, staged].sort());
    const warnings = result.stderr.split('\n').filter((line) => line !== '');
    expect(warnings).toHaveLength(damaged.size);
    for (const [id, { reason }] of damaged) {
      expect(warnings).toContain(`guild-stage: warning: run ${id} left out: ${reason}`);
    }
  });

  it('start of another run works; start of a damaged one says why it cannot', async ({ expect }) => {
    const [id, { reason }] = [...damaged][1]!;
    const refused = await project.gs(['start', id]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `guild-stage: run ${id.slice(0, 8)} cannot be read: ${reason}; repair or delete it (guild-stage runs rm)\n`,
    );
    const started = await project.gs(['start', staged, '-q']);
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toBe('loss: 0.5\n');
  });

  it('runs rm moves a damaged run to the trash like any other', async ({ expect }) => {
    const [id] = [...damaged][0]!;
    const removed = await project.gs(['runs', 'rm', id]);
    expect(removed.code, removed.stderr).toBe(0);
    const ids = (await listRunsJson(project)).map((row) => row.id);
    expect(ids).not.toContain(id);
    expect(ids).toHaveLength(2 + damaged.size - 1);
  });
});
