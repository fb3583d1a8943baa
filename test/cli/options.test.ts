/**
 * argparse and click scripts end to end, with the real CLI and python3: `flags` lists their
 * options, a run rewrites exactly their default= literals (or, for a default that is code,
 * passes the value as arguments and records that), the patch applies to the project, and bad
 * values fail before anything is staged.
 */
import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, it } from 'vitest';
import { makeTempDir } from '../helpers/fs.js';
import { pythonHas } from '../helpers/python.js';
import { makeProject, onlyRun, readAttrs, runsDirEntries, stderrLines } from './support.js';

const ARGPARSE = `import argparse
import os


def parse():
    parser = argparse.ArgumentParser(description="Train a model.")
    parser.add_argument("--lr", type=float, default=0.01, help="learning rate")
    parser.add_argument("--batch-size", type=int, default=32, help="examples per step")
    parser.add_argument("--no-cuda", action="store_true", help="disable CUDA")
    parser.add_argument("--optimizer", choices=["sgd", "adam"], default="sgd", help="optimizer")
    parser.add_argument("--seed", type=int, default=int(os.environ.get("SEED", "1")))
    return parser.parse_args()


args = parse()
print(f"lr={args.lr} batch_size={args.batch_size} no_cuda={args.no_cuda} optimizer={args.optimizer} seed={args.seed}")
`;

const CLICK = `import click


@click.command()
@click.option("--lr", default=0.01, type=float, help="learning rate")
@click.option("--batch-size", default=32, help="examples per step")
@click.option("--cuda/--no-cuda", default=True, help="use CUDA")
@click.option("--optimizer", type=click.Choice(["sgd", "adam"]), default="sgd")
def main(lr, batch_size, cuda, optimizer):
    print(f"lr={lr} batch_size={batch_size} cuda={cuda} optimizer={optimizer}")


main()
`;

/** `patch` applied with `git apply` to a copy of `project`: the copy's `file`. */
async function applied(project: string, patch: string, file: string): Promise<string> {
  const copy = await makeTempDir('gs-apply-');
  await cp(project, copy, { recursive: true });
  await execa('git', ['apply', '-'], { cwd: copy, input: patch });
  return readFile(path.join(copy, file), 'utf8');
}

/** The lines of `after` that differ from `before` (same line count). */
function changedLines(before: string, after: string): string[] {
  const old = before.split('\n');
  return after.split('\n').filter((line, i) => line !== old[i]);
}

describe.concurrent('argparse scripts', () => {
  it('flags --json lists the options typed, with defaults, descriptions and where they are', async ({ expect }) => {
    const project = await makeProject({ 'train.py': ARGPARSE });
    const result = await project.gs(['flags', 'train.py', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const flags = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(flags.map((f) => [f.name, f.type, f.default, f.description ?? null, f.line, f.kind])).toEqual([
      ['lr', 'float', 0.01, 'learning rate', 7, 'argparse'],
      ['batch_size', 'int', 32, 'examples per step', 8, 'argparse'],
      ['no_cuda', 'boolean', false, 'disable CUDA', 9, 'argparse'],
      ['optimizer', 'string', 'sgd', 'optimizer', 10, 'argparse'],
      ['seed', 'int', null, null, 11, 'argparse'],
    ]);
    expect(flags[3]!.choices).toEqual(['sgd', 'adam']);
    const table = await project.gs(['flags', 'train.py']);
    expect(table.stdout).toContain('train.py:7 argparse');
    expect(table.stdout).toMatch(/seed +int +int\(os\.environ\.get\("SEED", "1"\)\) +train\.py:11 argparse/);
  });

  it('a run changes only the default= literals of the flags given, and the patch applies to the project', async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.py': ARGPARSE });
    const result = await project.gs(['train.py', '--flags', 'lr=0.1', 'batch-size=64', 'no_cuda=true']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('lr=0.1 batch_size=64 no_cuda=True optimizer=sgd seed=1\n');
    const run = await onlyRun(project.runsDir);
    const staged = await readFile(path.join(run, 'train.py'), 'utf8');
    expect(changedLines(ARGPARSE, staged)).toEqual([
      '    parser.add_argument("--lr", type=float, default=0.1, help="learning rate")',
      '    parser.add_argument("--batch-size", type=int, default=64, help="examples per step")',
      '    parser.add_argument("--no-cuda", default=True, action="store_true", help="disable CUDA")',
    ]);
    const patch = await readFile(path.join(run, '.guild/staged.patch'), 'utf8');
    expect(await applied(project.dir, patch, 'train.py')).toBe(staged);
    const attrs = await readAttrs(run);
    expect(attrs.flags).toEqual({ lr: 0.1, batch_size: 64, no_cuda: true, optimizer: 'sgd' });
    expect(attrs.cmd).toEqual(['python3', 'train.py']);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('a flag whose default is code is passed as an argument, and the run records that', async ({ expect }) => {
    const project = await makeProject({ 'train.py': ARGPARSE });
    const result = await project.gs(['train.py', '--flags', 'seed=7', 'lr=0.5']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('lr=0.5 batch_size=32 no_cuda=False optimizer=sgd seed=7\n');
    expect(stderrLines(result)).toContain('  seed: --seed 7 on the command line (its default is not a literal)');
    const run = await onlyRun(project.runsDir);
    const attrs = await readAttrs(run);
    expect(attrs.cmd).toEqual(['python3', 'train.py', '--seed', '7']);
    expect((attrs.guild_stage as Record<string, unknown>).flag_args).toEqual({ seed: ['--seed', '7'] });
    expect(attrs.flags).toEqual({ lr: 0.5, batch_size: 32, no_cuda: false, optimizer: 'sgd', seed: 7 });
    expect(changedLines(ARGPARSE, await readFile(path.join(run, 'train.py'), 'utf8'))).toHaveLength(1);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('a default that is code is not recorded when the flag is not given', async ({ expect }) => {
    const project = await makeProject({ 'train.py': ARGPARSE });
    const result = await project.gs(['train.py', '--flags', 'lr=0.5']);
    expect(result.code, result.stderr).toBe(0);
    const attrs = await readAttrs(await onlyRun(project.runsDir));
    expect(Object.keys(attrs.flags as object)).not.toContain('seed');
    expect(attrs.guild_stage).not.toHaveProperty('flag_args');
  });

  it.for([
    ['lr=abc', "guild-stage: invalid value 'abc' for flag lr: expected a number"],
    ['batch-size=2.5', "guild-stage: invalid value '2.5' for flag batch_size: expected an integer"],
    ['optimizer=rmsprop', "guild-stage: invalid value 'rmsprop' for flag optimizer: expected one of sgd, adam"],
    [
      'momentum=0.9',
      "guild-stage: unknown flag 'momentum' (flags of train.py: batch_size, lr, no_cuda, optimizer, seed); " +
        'to give train.py an option guild-stage did not find, pass it after --',
    ],
  ])('%s fails before staging with one line, exit 2, nothing created', async ([flag, line], { expect }) => {
    const project = await makeProject({ 'train.py': ARGPARSE });
    const result = await project.gs(['train.py', '--flags', flag]);
    expect(result.code).toBe(2);
    expect(stderrLines(result)).toEqual([line]);
    expect(await runsDirEntries(project.runsDir)).toEqual([]);
    expect(await project.snapshot()).toEqual(project.before);
  });
});

describe.skipIf(!pythonHas('click'))('click scripts', () => {
  it('flags --json lists the options, and a run rewrites their defaults', async ({ expect }) => {
    const project = await makeProject({ 'train.py': CLICK });
    const listed = await project.gs(['flags', 'train.py', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const flags = JSON.parse(listed.stdout) as Array<Record<string, unknown>>;
    expect(flags.map((f) => [f.name, f.type, f.default, f.description ?? null, f.kind])).toEqual([
      ['lr', 'float', 0.01, 'learning rate', 'click'],
      ['batch_size', 'int', 32, 'examples per step', 'click'],
      ['cuda', 'boolean', true, 'use CUDA', 'click'],
      ['optimizer', 'string', 'sgd', null, 'click'],
    ]);
    expect(flags[3]!.choices).toEqual(['sgd', 'adam']);
    const result = await project.gs(['train.py', '--flags', 'lr=0.1', 'batch_size=64', 'cuda=no']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('lr=0.1 batch_size=64 cuda=False optimizer=sgd\n');
    const run = await onlyRun(project.runsDir);
    const staged = await readFile(path.join(run, 'train.py'), 'utf8');
    expect(changedLines(CLICK, staged)).toEqual([
      '@click.option("--lr", default=0.1, type=float, help="learning rate")',
      '@click.option("--batch-size", default=64, help="examples per step")',
      '@click.option("--cuda/--no-cuda", default=False, help="use CUDA")',
    ]);
    const patch = await readFile(path.join(run, '.guild/staged.patch'), 'utf8');
    expect(await applied(project.dir, patch, 'train.py')).toBe(staged);
    expect(await project.snapshot()).toEqual(project.before);
  });
});
