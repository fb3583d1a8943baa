/**
 * The Slurm executor's pure parts, run for real where they can be: the job script is run by
 * bash, squeue's output format is Slurm 22.05's, the config checks are the config file's.
 */
import { execFileSync } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJobStates } from '../../src/executors/slurm-commands.js';
import { jobScript } from '../../src/executors/slurm-job.js';
import { checkExecutorConfig, mergeSlurmOptions, sbatchResourceArgs } from '../../src/executors/slurm-options.js';
import { makeTempDir } from '../helpers/fs.js';

describe('job script', () => {
  it('starts the run of its array task, after the setup lines, with every start argument quoted', async () => {
    const dir = await makeTempDir();
    const script = path.join(dir, 'job.sh');
    // `printf` stands in for node + guild-stage: the script execs it with the start arguments.
    await writeFile(
      script,
      jobScript({
        runDirs: ['/runs/a', "/runs/b c'd"],
        setup: ['export SETUP_RAN=yes'],
        guildStage: ['/bin/sh', '-c', 'printf "%s|" "$SETUP_RAN" "$@"', 'sh'],
        startArgs: ['--hook', 'on_run_begin=echo $HOSTNAME > x'],
      }),
    );
    await chmod(script, 0o755);
    const run = (task?: string) =>
      execFileSync(script, {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, ...(task && { SLURM_ARRAY_TASK_ID: task }) },
      });
    expect(run('1')).toBe("yes|start|/runs/b c'd|--hook|on_run_begin=echo $HOSTNAME > x|--quiet|");
    // A single job has no array task: it starts the one run.
    expect(run()).toBe('yes|start|/runs/a|--hook|on_run_begin=echo $HOSTNAME > x|--quiet|');
  });
});

describe('squeue output', () => {
  it("reads array tasks, single jobs, reasons and Slurm's trailing + on states", () => {
    const states = parseJobStates(
      '25|1|PENDING|JobArrayTaskLimit|\n25|0|RUNNING|None|vm\n22|N/A|CANCELLED+|None|vm\n30|2|TIMEOUT|TimeLimit|node7\n',
    );
    expect(states).toEqual([
      { jobId: '25', arrayTaskId: 1, state: 'PENDING', reason: 'JobArrayTaskLimit', node: null },
      { jobId: '25', arrayTaskId: 0, state: 'RUNNING', reason: null, node: 'vm' },
      { jobId: '22', arrayTaskId: null, state: 'CANCELLED', reason: null, node: 'vm' },
      { jobId: '30', arrayTaskId: 2, state: 'TIMEOUT', reason: 'TimeLimit', node: 'node7' },
    ]);
  });
});

describe('executor options', () => {
  it('turns options into sbatch arguments, the extra ones last', () => {
    expect(
      sbatchResourceArgs({
        partition: 'gpu',
        time: '1:00:00',
        cpus: 4,
        mem: '8G',
        gres: 'gpu:1',
        sbatchArgs: ['--exclusive'],
      }),
    ).toEqual(['--partition=gpu', '--time=1:00:00', '--cpus-per-task=4', '--mem=8G', '--gres=gpu:1', '--exclusive']);
  });

  it('reads the config form and refuses unknown keys and bad values, naming them', () => {
    expect(checkExecutorConfig('slurm', 'cfg executor')).toEqual({ type: 'slurm' });
    expect(checkExecutorConfig({ type: 'slurm', partition: 'gpu', setup: 'module load x', cpus: 2 }, 'w')).toEqual({
      type: 'slurm',
      partition: 'gpu',
      setup: ['module load x'],
      cpus: 2,
    });
    expect(() => checkExecutorConfig({ type: 'slurm', partiton: 'gpu' }, 'cfg executor')).toThrow(
      /cfg executor: unknown key 'partiton'/,
    );
    expect(() => checkExecutorConfig({ type: 'slurm', cpus: 0 }, 'cfg executor')).toThrow(/cfg executor\.cpus/);
    expect(() => checkExecutorConfig({ type: 'pbs' }, 'cfg executor')).toThrow(/cfg executor\.type/);
  });

  it("puts the command line's options over the config's, and adds up the lists", () => {
    expect(
      mergeSlurmOptions(
        { partition: 'cpu', time: '10', setup: ['module load a'], sbatchArgs: ['--x'] },
        { partition: 'gpu', time: undefined, setup: ['conda activate b'] },
      ),
    ).toEqual({ partition: 'gpu', time: '10', setup: ['module load a', 'conda activate b'], sbatchArgs: ['--x'] });
  });
});
