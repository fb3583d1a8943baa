/**
 * The suite's own cleanup (test/setup-leftovers.ts): a CLI a test left running is killed when
 * its file is done, and guild-stage's watchdog takes the script with it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import { killLeftoverClis } from '../helpers/cli.js';
import { pidExists } from '../../src/records/markers.js';
import { makeProject } from './support.js';

const FOREVER = `import { writeFileSync } from 'node:fs';
writeFileSync(process.env.SCRATCH + '/pid', String(process.pid));
setInterval(() => {}, 1000);
`;

async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done(); waited += 20) {
    if (waited > 20_000) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('CLI processes a test leaves running', () => {
  it('are killed, and their scripts stopped, by killLeftoverClis', async ({ expect }) => {
    const project = await makeProject({ 'train.mjs': FOREVER });
    const pidFile = path.join(project.scratch, 'pid');
    const left = project.gs(['train.mjs', '-q']);
    await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '');
    const script = Number(readFileSync(pidFile, 'utf8'));
    expect(pidExists(script)).toBe(true);
    killLeftoverClis();
    expect((await left).signal).toBe('SIGKILL');
    await until(() => !pidExists(script));
    expect(pidExists(script)).toBe(false);
  });
});
