import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveRunsDir } from '../../src/records/runs-home.js';
import { makeTempDir, writeTree } from '../helpers/fs.js';

/** The Guild home resolveRunsDir picks, when no --runs-dir is given. */
function findGuildHome(cwd: string, env: NodeJS.ProcessEnv): string {
  return path.dirname(resolveRunsDir({ cwd, env }));
}

describe('the Guild home', () => {
  it('uses $GUILD_HOME first, resolved against cwd', async () => {
    const root = await makeTempDir();
    await mkdir(path.join(root, 'project', '.guild'), { recursive: true });
    const cwd = path.join(root, 'project');
    expect(findGuildHome(cwd, { GUILD_HOME: '/opt/guild', HOME: root })).toBe('/opt/guild');
    expect(findGuildHome(cwd, { GUILD_HOME: 'rel/home', HOME: root })).toBe(path.join(cwd, 'rel', 'home'));
  });

  it('else uses the nearest .guild directory from cwd up', async () => {
    const root = await makeTempDir();
    await mkdir(path.join(root, 'project', '.guild'), { recursive: true });
    await mkdir(path.join(root, 'project', 'src', 'deep'), { recursive: true });
    await mkdir(path.join(root, '.guild'), { recursive: true });
    expect(findGuildHome(path.join(root, 'project', 'src', 'deep'), { HOME: '/nonexistent' })).toBe(
      path.join(root, 'project', '.guild'),
    );
  });

  it("passes over a run directory's own .guild metadata", async () => {
    const root = await makeTempDir();
    await mkdir(path.join(root, '.guild', 'runs'), { recursive: true });
    const runDir = path.join(root, '.guild', 'runs', 'abc');
    await writeTree(runDir, { '.guild/opref': "script:/p '' '' t.py\n", '.guild/attrs/id': 'abc\n' });
    expect(findGuildHome(runDir, { HOME: '/nonexistent' })).toBe(path.join(root, '.guild'));
  });

  it('else falls back to ~/.guild', async () => {
    const root = await makeTempDir();
    expect(findGuildHome(root, { HOME: '/home/someone' })).toBe('/home/someone/.guild');
  });
});

describe('resolveRunsDir', () => {
  it('prefers an explicit runs dir, resolved against cwd, over everything else', async () => {
    const cwd = await makeTempDir();
    const env = { GUILD_HOME: '/opt/guild' };
    expect(resolveRunsDir({ runsDir: 'my-runs', cwd, env })).toBe(path.join(cwd, 'my-runs'));
    expect(resolveRunsDir({ runsDir: '/abs/runs', cwd })).toBe('/abs/runs');
  });

  it('is <guild home>/runs otherwise', async () => {
    const cwd = await makeTempDir();
    expect(resolveRunsDir({ cwd, env: { GUILD_HOME: '/opt/guild' } })).toBe('/opt/guild/runs');
  });
});
