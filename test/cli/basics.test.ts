/**
 * The CLI's surface: help for every command, the version, and `--exec` replacing the
 * script's plain command.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { makeProject, onlyRun, readAttrs, readGuildFile } from './support.js';

const HOOK_OPTIONS = ['--runs-dir <dir>', '--plugin <path|package>', '--hook <event=command>', '--json', '-q, --quiet'];
const STAGE_OPTIONS = [
  ...HOOK_OPTIONS,
  '--flags <name=value...>',
  '--force-flags',
  '--exec <command>',
  '--mode <mode>',
  '--label <text>',
  '--no-scalars',
];

const HELP: Record<string, string[]> = {
  run: [...STAGE_OPTIONS, '--minimize <scalar>', '--maximize <scalar>'],
  stage: STAGE_OPTIONS,
  start: HOOK_OPTIONS,
  runs: ['--runs-dir <dir>', '--json'],
  plot: ['--scalar <name>', '-o, --output <file>', '--runs-dir <dir>'],
};

async function packageVersion(): Promise<string> {
  const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../package.json');
  return (JSON.parse(await readFile(file, 'utf8')) as { version: string }).version;
}

describe.concurrent('CLI basics', () => {
  it('--help lists every command', async ({ expect }) => {
    const project = await makeProject({});
    const result = await project.gs(['--help']);
    expect(result.code, result.stderr).toBe(0);
    for (const command of Object.keys(HELP)) expect(result.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(result.stdout).toContain('(the default command)');
    expect(await project.snapshot()).toEqual(project.before);
  });

  it.for(Object.entries(HELP))('%s --help exits 0 and shows its options', async ([command, options], { expect }) => {
    const project = await makeProject({});
    const result = await project.gs([command, '--help']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: guild-stage ${command} `));
    for (const option of options) expect(result.stdout).toContain(option);
    expect(result.stderr).toBe('');
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('--version prints the version of package.json', async ({ expect }) => {
    const project = await makeProject({});
    const result = await project.gs(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${await packageVersion()}\n`, stderr: '' });
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('--exec replaces the plain command, and is what the run records', async ({ expect }) => {
    const project = await makeProject({
      'train.cjs': 'require("node:fs").writeFileSync(process.env.SCRATCH + "/ran", "");\n',
    });
    const result = await project.gs([
      'train.cjs',
      '--force-flags',
      '--flags',
      'lr=0.1',
      '--exec',
      `sh -c 'echo hi "$FLAG_LR"'`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('hi 0.1\n');
    expect(existsSync(path.join(project.scratch, 'ran'))).toBe(false);
    const runDir = await onlyRun(project.runsDir);
    expect(await readGuildFile(runDir, 'output')).toBe('hi 0.1\n');
    const attrs = await readAttrs(runDir);
    expect(attrs.cmd).toEqual(['sh', '-c', 'echo hi "$FLAG_LR"']);
    expect(await readGuildFile(runDir, 'opref')).toBe(`script:${project.dir} '' '' train.cjs\n`);
    expect(await project.snapshot()).toEqual(project.before);
  });
});
