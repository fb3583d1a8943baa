/**
 * The run management commands' `--help` and the README's "Managing runs" section say the
 * same: every option the help lists is documented there, and every command is named.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const COMMANDS = [
  'runs',
  'runs rm',
  'runs restore',
  'runs purge',
  'runs label',
  'runs tag',
  'runs mark',
  'runs stop',
  'cat',
  'ls',
  'diff',
  'restart',
];
/** Options every command shares, documented in the README's option table. */
const SHARED = new Set(['--help', '--runs-dir', '--json', '--color', '--no-color']);

describe('help and README', () => {
  it('document the same run management options', async ({ expect }) => {
    const readme = await readFile(path.join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Managing runs'), readme.indexOf('## Plugins'));
    for (const command of COMMANDS) {
      const help = await runCli([...command.split(' '), '--help'], { cwd: REPO });
      expect(help.code, command).toBe(0);
      expect(section, command).toContain(`guild-stage ${command} `);
      for (const match of help.stdout.matchAll(/^ {2}(?:(-\w), )?(--[\w-]+)/gm)) {
        const [, short, long] = match;
        if (SHARED.has(long!)) continue;
        const documented = section.includes(long!) || (short !== undefined && section.includes(`\`${short}`));
        expect(documented, `${command} ${short ?? ''} ${long}`).toBe(true);
      }
    }
  });
});

describe('apply help and README', () => {
  it("document the same options: every option apply --help lists is in 'Inside other tools'", async ({ expect }) => {
    const readme = await readFile(path.join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Inside other tools'), readme.indexOf('## Managing runs'));
    const help = await runCli(['apply', '--help'], { cwd: REPO });
    expect(help.code).toBe(0);
    const options = [...help.stdout.matchAll(/^ {2}(?:(-\w), )?(--[\w-]+)/gm)].map((match) => match[2]!);
    expect(options).toContain('--check');
    for (const long of options) {
      if (long === '--help') continue;
      expect(section.includes(`\`${long}`), long).toBe(true);
    }
    expect(readme).toContain('guild-stage apply [script] --flags');
  });
});
