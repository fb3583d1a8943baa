/**
 * Record text never reaches the terminal raw: escapes, newlines and bidi controls in labels,
 * flag values, file names and messages that quote them are shown escaped by `runs`, `ls`,
 * `compare` and error lines, so a run's records cannot retitle, clear or forge the screen.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { terminalSafe } from '../../src/cli/terminal-text.js';
import { makeProject, onlyRun } from './support.js';

const HOSTILE = 'a\x1b]0;pwned\x07b\nc\r\u202ed\x9b2J';
const SHOWN = 'a\\x1b]0;pwned\\x07b\\nc\\r\\u202ed\\x9b2J';
const RAW = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

describe('terminalSafe', () => {
  it('escapes controls, separators and bidi controls, and leaves other text as it is', ({ expect }) => {
    expect(terminalSafe(HOSTILE)).toBe(SHOWN);
    expect(terminalSafe('\t\x00\x7f\u2028\u2066')).toBe('\\t\\x00\\x7f\\u2028\\u2066');
    expect(terminalSafe('lr=0.1 naïve λ C:\\path 日本')).toBe('lr=0.1 naïve λ C:\\path 日本');
  });
});

describe('record text on the terminal', () => {
  it('runs, ls, compare and error lines show a hostile label, flag value and file name escaped', async ({ expect }) => {
    const project = await makeProject({ 'train.py': 'tag = "x"\nprint("loss: 1")\n' });
    const ran = await project.gs(['train.py', '--flags', `tag=${HOSTILE}`, '-q']);
    expect(ran.code, ran.stderr).toBe(0);
    const dir = await onlyRun(project.runsDir);
    await writeFile(path.join(dir, `out${HOSTILE}.txt`), '');

    const byFlags = await project.gs(['runs']);
    expect(byFlags.stdout).not.toMatch(RAW);
    expect(byFlags.stdout.split('\n').filter((line) => line !== '')).toHaveLength(2);
    expect(byFlags.stdout).toContain(`tag=${SHOWN}`);

    const labeled = await project.gs(['runs', 'label', '1', HOSTILE]);
    expect(labeled.code, labeled.stderr).toBe(0);
    expect(labeled.stderr).toBe(`Labeled run ${path.basename(dir).slice(0, 8)}: ${SHOWN}\n`);
    const byLabel = await project.gs(['runs']);
    expect(byLabel.stdout).not.toMatch(RAW);
    expect(byLabel.stdout.split('\n').filter((line) => line !== '')).toHaveLength(2);
    expect(byLabel.stdout).toContain(SHOWN);

    const ls = await project.gs(['ls', '1']);
    expect(ls.stdout).not.toMatch(RAW);
    expect(ls.stdout.split('\n')).toContain(`out${SHOWN}.txt`);

    const compare = await project.gs(['compare']);
    expect(compare.code, compare.stderr).toBe(0);
    expect(compare.stdout).not.toMatch(RAW);
    expect(compare.stdout).toContain(SHOWN.slice(0, 10));

    const missing = await project.gs(['start', `x${HOSTILE}`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).not.toMatch(RAW);
    // A message is shown to its first line break; what comes before it is escaped.
    expect(missing.stderr).toContain("guild-stage: no run matches 'xa\\x1b]0;pwned\\x07b; check the id");
  });
});
