/**
 * Bad input, one case at a time: each must fail with one clear line on stderr naming the
 * culprit, a non-zero exit, no run (not even a hidden staging dir) and the project untouched.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { snapshotTree } from '../helpers/fs.js';
import { makeProject, pluginFixture, runsDirEntries, stderrLines, type Project } from './support.js';

interface BadCase {
  name: string;
  /** The command line; `run` commands get `--runs-dir <project.runsDir>` appended. */
  args: (project: Project) => string[];
  /** 2 for what the user typed wrong, 1 for the rest (src/cli/report.ts). */
  code: number;
  /** Pieces the one error line must contain. */
  says: (project: Project) => string[];
  /** What writeTree cannot make, in the project or the scratch dir beside it. */
  prepare?: (dirs: { dir: string; scratch: string }) => Promise<void>;
}

const run =
  (...args: string[]) =>
  (project: Project) => ['run', ...args, '--runs-dir', project.runsDir];

const CASES: BadCase[] = [
  { name: 'a missing script', args: run('missing.py'), code: 2, says: () => ['script not found: missing.py'] },
  {
    name: 'a runs dir under a regular file',
    args: (project) => ['run', 'train.py', '--runs-dir', path.join(project.scratch, 'blocker', 'runs')],
    code: 1,
    says: (project) => [`runs dir ${path.join(project.scratch, 'blocker', 'runs')} is not writable`, 'ENOTDIR'],
    prepare: ({ scratch }) => writeFile(path.join(scratch, 'blocker'), 'a file, not a directory\n'),
  },
  {
    name: 'a plugin file that does not exist',
    args: run('train.py', '--plugin', './nope.mjs'),
    code: 2,
    says: () => ['plugin not found: ./nope.mjs'],
  },
  {
    name: 'a plugin module that exports no plugin',
    args: run('train.py', '--plugin', pluginFixture('no-plugin.mjs')),
    code: 2,
    says: () => [`plugin ${pluginFixture('no-plugin.mjs')} has no default export`],
  },
  {
    name: 'a plugin with an unknown hook name',
    args: run('train.py', '--plugin', pluginFixture('unknown-hook.mjs')),
    code: 2,
    says: () => ['plugin typo', "unknown hook name 'onRunStart'", 'did you mean onRunBegin?'],
  },
  ...['lr', '=1', '1x=2'].map((item) => ({
    name: `the malformed --flags item '${item}'`,
    args: run('train.py', '--force-flags', '--flags', item),
    code: 2,
    says: () => [`malformed flag '${item}'`],
  })),
  {
    name: 'flags for a script no transformer handles, without --force-flags',
    args: run('job.sh', '--flags', 'lr=1'),
    code: 2,
    says: () => ['no flag transformer handles job.sh', '--force-flags'],
  },
  {
    name: 'a hook command that is not found',
    args: run('train.py', '--hook', 'on_run_begin=nonexistent-cmd-xyz --now'),
    code: 2,
    says: () => ['hook command not found: nonexistent-cmd-xyz'],
  },
  {
    name: 'an unknown hook event',
    args: run('train.py', '--hook', 'on_run_start=echo x'),
    code: 2,
    says: () => ["unknown hook event 'on_run_start'", 'did you mean on_run_begin?'],
  },
  {
    name: 'a hook without a command',
    args: run('train.py', '--hook', 'on_run_end'),
    code: 2,
    says: () => ['--hook on_run_end', 'EVENT=COMMAND'],
  },
  // As root, chmod 000 does not stop a read: these are the unreadable scripts root still has.
  {
    name: 'a script that is a directory',
    args: run('model.py'),
    code: 2,
    says: () => ['script model.py is not a file'],
    prepare: ({ dir }) => mkdir(path.join(dir, 'model.py')),
  },
  {
    name: 'a script that is a dangling symlink',
    args: run('broken.py'),
    code: 2,
    says: () => ['script not found: broken.py'],
    prepare: ({ dir }) => symlink('gone.py', path.join(dir, 'broken.py')),
  },
  {
    name: 'a script that is a symlink out of the project',
    args: run('outside.py'),
    code: 2,
    says: () => ['the script outside.py is not part of the staged source'],
    prepare: async ({ dir, scratch }) => {
      await writeFile(path.join(scratch, 'real.py'), 'print("outside")\n');
      await symlink(path.join(scratch, 'real.py'), path.join(dir, 'outside.py'));
    },
  },
  {
    name: 'an invalid --mode',
    args: run('train.py', '--mode', 'bogus'),
    code: 2,
    says: () => ["'--mode <mode>' argument 'bogus' is invalid"],
  },
  {
    name: '--mode ast for an R script',
    args: run('train.R', '--mode', 'ast', '--flags', 'lr=0.2'),
    code: 2,
    says: () => ['AST mode is not available for R; use --mode text'],
  },
  {
    name: '--mode ast for a Python script',
    args: run('train.py', '--mode', 'ast'),
    code: 2,
    says: () => ['AST mode is not available for Python; use --mode text'],
  },
  {
    name: 'an unterminated quote in --exec',
    args: run('train.py', '--exec', "sh -c 'echo"),
    code: 2,
    says: () => [`--exec: no closing quotation in "sh -c 'echo"`],
  },
  {
    name: 'start of a run that does not exist',
    args: (project) => ['start', 'deadbeef', '--runs-dir', project.runsDir],
    code: 2,
    says: (project) => [`no run matches 'deadbeef' in ${project.runsDir}`],
  },
  // A runs dir that exists but cannot be read is one failure, with one exit code, whichever
  // command meets it first: listing (which cleans up staging leftovers too) or finding a run.
  ...[['runs'], ['diff', 'deadbeef'], ['start', 'deadbeef'], ['run', 'train.py']].map(
    (command): BadCase => ({
      name: `${command[0]} with a runs dir that cannot be read`,
      args: (project) => [...command, '--runs-dir', path.join(project.scratch, 'loop')],
      code: 2,
      says: (project) => [
        `guild-stage: cannot read runs dir ${path.join(project.scratch, 'loop')}: too many symbolic links encountered (ELOOP)`,
      ],
      // As root, permissions do not stop a read; a symlink to itself stops every one.
      prepare: ({ scratch }) => symlink('loop', path.join(scratch, 'loop')),
    }),
  ),
];

describe.concurrent('bad input', () => {
  it.for(CASES)('$name', async (bad, { expect }) => {
    const project = await makeProject(
      {
        'train.py': 'print("should not run")\n',
        'train.R': 'lr <- 0.1\nprint("should not run")\n',
        'job.sh': 'echo job\n',
      },
      bad.prepare,
    );
    // Files the cases put beside the project (a blocking file, a symlink's target) stay as they were too.
    const scratchBefore = await snapshotTree(project.scratch);
    const result = await project.gs(bad.args(project));

    expect(result.code, result.stderr).toBe(bad.code);
    const lines = stderrLines(result);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^guild-stage: /);
    for (const piece of bad.says(project)) expect(lines[0]).toContain(piece);
    expect(result.stdout).toBe('');
    expect(await runsDirEntries(project.runsDir)).toEqual([]);
    expect(await project.snapshot()).toEqual(project.before);
    expect(await snapshotTree(project.scratch)).toEqual(scratchBefore);
  });
});
