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
  // A run starts with the plugins and hooks it was staged with: start takes none of its own.
  start: HOOK_OPTIONS.filter((option) => !option.startsWith('--plugin') && !option.startsWith('--hook')),
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
    expect(result.stdout).toMatch(/^Examples:\n {2}guild-stage train\.py --flags lr=0\.1/m);
    expect(result.stdout).toContain('Options of a run: guild-stage run --help');
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('each command lists only the options it uses, and run --help explains batches, --mode and --exec', async ({
    expect,
  }) => {
    const project = await makeProject({});
    const help = async (command: string) => (await project.gs([command, '--help'])).stdout.replace(/\s+/g, ' ');
    const run = await help('run');
    expect(run).toContain('a list or range makes a batch (run only): lr=[0.1,0.01]');
    expect(run).toContain("(default: text, or the config file's mode)");
    expect(run).toContain('run without a shell: no pipes, no $VARS');
    expect(run).toContain('--kill-grace');
    expect(await help('stage')).not.toContain('--kill-grace');
    const plugins = await help('plugins');
    for (const unused of ['--runs-dir', '--kill-grace', '--hook-timeout', '--quiet'])
      expect(plugins).not.toContain(unused);
    expect(plugins).toContain('--plugin');
    expect(await help('runs')).not.toContain('--plugin');
  });

  it('a missing script that is the typo of a command says which command was meant', async ({ expect }) => {
    const project = await makeProject({});
    const result = await project.gs(['comprae']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "guild-stage: unknown command 'comprae' (and no script of that name); did you mean compare?\n",
    );
    const script = await project.gs(['nothing-like-a-command']);
    expect(script.stderr).toBe('guild-stage: script not found: nothing-like-a-command\n');
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
