/**
 * `--executor slurm` against a real Slurm (the local one of scripts/slurm-local.sh in CI):
 * real sbatch, real jobs, the records the node writes, what Slurm's own ends leave.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, symlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { makeTempDir, snapshotTree, writeTree } from '../helpers/fs.js';
import { LONG, LONG_SKIP } from '../helpers/long.js';
import { SLURM, SLURM_SKIP } from '../helpers/slurm.js';

const TRAIN = `import os, sys, time
lr = 0.01
seconds = 0.0
print(f"loss: {lr * 2} (step 1)", flush=True)
time.sleep(seconds)
print("done", os.environ.get("SLURM_JOB_ID"))
sys.exit(3 if lr == 0.3 else 0)
`;

const attr = async (dir: string, name: string) =>
  parseYaml(await readFile(path.join(dir, '.guild/attrs', name), 'utf8'));

/** Run directories of the runs directory, by id. */
async function runDirs(runsDir: string): Promise<string[]> {
  if (!existsSync(runsDir)) return [];
  return (await readdir(runsDir)).filter((name) => !name.startsWith('.')).map((name) => path.join(runsDir, name));
}

async function project(): Promise<{ dir: string; runsDir: string }> {
  const root = await makeTempDir('gs-slurm-');
  const dir = path.join(root, 'proj');
  await writeTree(dir, { 'train.py': TRAIN });
  return { dir, runsDir: path.join(root, 'runs') };
}

describe('--executor slurm: bad input', () => {
  let dir: string;
  let runsDir: string;
  beforeAll(async () => {
    ({ dir, runsDir } = await project());
  });

  it('without sbatch on PATH: one line, exit 2, nothing made', async () => {
    const bin = await makeTempDir('gs-nosbatch-');
    for (const program of ['sh', 'python3'])
      await symlink(
        execFileSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).trim(),
        path.join(bin, program),
      );
    const before = await snapshotTree(dir);
    const result = await runCli(['train.py', '--executor', 'slurm', '--runs-dir', runsDir], {
      cwd: dir,
      env: { PATH: bin },
    });
    expect(result.code).toBe(2);
    // Besides the warning that the runs directory is under /tmp: one line.
    const errors = result.stderr
      .trim()
      .split('\n')
      .filter((line) => !line.includes('warning:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/--executor slurm: sbatch is not on PATH/);
    expect(await runDirs(runsDir)).toEqual([]);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('Slurm options without the Slurm executor are refused by name', async () => {
    const result = await runCli(['train.py', '--partition', 'gpu', '--detach', '--runs-dir', runsDir], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--partition, --detach need --executor slurm/);
    expect(await runDirs(runsDir)).toEqual([]);
  });

  it.skipIf(!SLURM)(`an unknown partition fails before staging; a runs dir under /tmp warns${SLURM_SKIP}`, async () => {
    const before = await snapshotTree(dir);
    const result = await runCli(
      ['train.py', '--flags', 'lr=[0.1,0.2]', '--executor', 'slurm', '--partition', 'nope', '--runs-dir', runsDir],
      { cwd: dir },
    );
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/warning: runs directory .* is under \/tmp, which Slurm nodes usually do not share/);
    expect(lines[1]).toMatch(/--partition nope: no such Slurm partition; partitions: debug/);
    expect(await runDirs(runsDir)).toEqual([]);
    expect(await snapshotTree(dir)).toEqual(before);
  });
});

describe.skipIf(!SLURM)(`--executor slurm: a single run${SLURM_SKIP}`, () => {
  it("runs on the node, records its job and host there, and exits with the script's code", async () => {
    const { dir, runsDir } = await project();
    const result = await runCli(
      ['train.py', '--flags', 'lr=0.3', '--executor', 'slurm', '--time', '5', '--runs-dir', runsDir, '--json'],
      { cwd: dir },
    );
    expect(result.code).toBe(3);
    const json = JSON.parse(result.stdout);
    expect(json.status).toBe('error');
    expect(json.exitStatus).toBe(3);
    const [run] = await runDirs(runsDir);
    const remote = await attr(run!, 'remote');
    expect(remote).toMatchObject({ type: 'slurm', host: hostname(), arrayTaskId: null });
    expect(remote.jobId).toMatch(/^\d+$/);
    expect(json.remote).toEqual(remote);
    // The output is the node's record, with the job's id as the script saw it.
    expect(await readFile(path.join(run!, '.guild/output'), 'utf8')).toBe(`loss: 0.6 (step 1)\ndone ${remote.jobId}\n`);
    expect(await attr(run!, 'exit_status')).toBe(3);
    expect(await readFile(path.join(run!, '.guild/staged.patch'), 'utf8')).toContain('+lr = 0.3');
  });
});

describe.skipIf(!SLURM || !LONG)(`--executor slurm: batches${SLURM_SKIP || LONG_SKIP}`, () => {
  it('a 2x2 grid is one job array; each trial is complete and its hooks ran on the node', async () => {
    const { dir, runsDir } = await project();
    const hook = 'on_run_begin=echo "$(hostname) $SLURM_ARRAY_JOB_ID $SLURM_ARRAY_TASK_ID" > begin.txt';
    const end = 'on_run_end=echo "$SLURM_ARRAY_JOB_ID" > end.txt';
    const result = await runCli(
      [
        'train.py',
        '--flags',
        'lr=[0.1,0.2]',
        'seconds=[0,0.5]',
        '--executor',
        'slurm',
        '--parallel',
        '2',
        '--hook',
        hook,
        '--hook',
        end,
        '--runs-dir',
        runsDir,
        '--json',
      ],
      { cwd: dir },
    );
    expect(result.code, result.stderr).toBe(0);
    const batch = JSON.parse(result.stdout);
    expect(batch.status).toBe('completed');
    expect(batch.trials).toHaveLength(4);
    const jobIds = new Set<string>();
    for (const [i, trial] of batch.trials.entries()) {
      expect(trial.status).toBe('completed');
      const remote = await attr(trial.runDir, 'remote');
      jobIds.add(remote.jobId);
      expect(remote).toMatchObject({ type: 'slurm', host: hostname(), arrayTaskId: i });
      expect(await readFile(path.join(trial.runDir, 'begin.txt'), 'utf8')).toBe(
        `${execFileSync('hostname', { encoding: 'utf8' }).trim()} ${remote.jobId} ${i}\n`,
      );
      expect(await readFile(path.join(trial.runDir, 'end.txt'), 'utf8')).toBe(`${remote.jobId}\n`);
      expect(await attr(trial.runDir, 'exit_status')).toBe(0);
      const scalars = JSON.parse(await readFile(path.join(trial.runDir, '.guild/scalars.json'), 'utf8'));
      expect(JSON.stringify(scalars)).toContain('loss');
      expect(await readFile(path.join(trial.runDir, '.guild/output'), 'utf8')).toMatch(/^loss: .*\ndone \d+\n$/);
      expect(await readFile(path.join(trial.runDir, '.guild/staged.patch'), 'utf8')).toMatch(/\+lr = 0\.[12]/);
    }
    expect(jobIds.size).toBe(1);
    // The batch run stayed here and names its trials; its array's job id is in its records.
    const own = await attr(batch.runDir, 'guild_stage');
    expect(own.batch.trials).toEqual(batch.trials.map((t: { id: string }) => t.id));
    expect(own.slurm_job).toBe([...jobIds][0]);
  });

  it("scancel of one running trial: it is terminated with Slurm's reason, the other finishes, the batch says so", async () => {
    const { dir, runsDir } = await project();
    let cancelled = false;
    const result = await runCli(
      ['train.py', '--flags', 'seconds=[60,1]', '--executor', 'slurm', '--parallel', '2', '--runs-dir', runsDir],
      {
        cwd: dir,
        onSpawn: (child) => {
          child.stdout?.on('data', () => {
            if (cancelled) return;
            // The first trial has printed: cancel it by its array task.
            void findTrial(runsDir, 0).then((run) => {
              if (!run || cancelled) return;
              cancelled = true;
              execFileSync('scancel', [`${run.jobId}_0`]);
            });
          });
        },
      },
    );
    expect(cancelled).toBe(true);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/2 trials run, 1 failed/);
    const first = (await findTrial(runsDir, 0))!;
    const second = (await findTrial(runsDir, 1))!;
    expect(await attr(first.dir, 'exit_status')).toBe(-15);
    expect((await attr(first.dir, 'guild_stage')).error).toMatch(new RegExp(`^Slurm job ${first.jobId}_0 CANCELLED`));
    expect(await attr(first.dir, 'remote')).toMatchObject({ state: 'CANCELLED' });
    expect(await attr(second.dir, 'exit_status')).toBe(0);
    const runs = await runCli(['runs', '--runs-dir', runsDir], { cwd: dir });
    expect(runs.stdout).toMatch(/terminated +seconds=60/);
    expect(runs.stdout).toMatch(/completed +seconds=1/);
  });

  it('Ctrl-C on the waiting batch cancels its jobs: the running trial is terminated, the queued one recorded', async () => {
    const { dir, runsDir } = await project();
    let interrupted = false;
    const result = await runCli(
      ['train.py', '--flags', 'seconds=[60,61]', '--executor', 'slurm', '--parallel', '1', '--runs-dir', runsDir],
      {
        cwd: dir,
        onSpawn: (child) => {
          child.stdout?.on('data', () => {
            if (interrupted) return;
            interrupted = true;
            child.kill('SIGINT');
          });
        },
      },
    );
    expect(interrupted).toBe(true);
    expect(result.code).toBe(130);
    const first = (await findTrial(runsDir, 0))!;
    const second = (await findTrial(runsDir, 1))!;
    expect(await attr(first.dir, 'exit_status')).toBe(-15);
    expect((await attr(first.dir, 'guild_stage')).error).toMatch(/CANCELLED/);
    // Cancelled while queued: it never started, and says so.
    expect(existsSync(path.join(second.dir, '.guild/attrs/exit_status'))).toBe(false);
    expect(existsSync(path.join(second.dir, '.guild/STAGED'))).toBe(false);
    expect((await attr(second.dir, 'guild_stage')).error).toMatch(
      new RegExp(`^Slurm job ${second.jobId}_1 ended \\(CANCELLED.*\\) before guild-stage start ran`),
    );
    const queue = execFileSync('squeue', ['-h', '-j', first.jobId, '-o', '%T'], { encoding: 'utf8' });
    expect(queue.trim()).toBe('');
    const runs = await runCli(['runs', '--runs-dir', runsDir], { cwd: dir });
    expect(runs.stdout).toMatch(/terminated +seconds=60/);
    expect(runs.stdout).toMatch(/error +seconds=61/);
  });

  // Slurm's time limits are whole minutes, checked every half minute or so: this takes 1 to 2 minutes.
  it('a job over its time limit is recorded terminated, reason TIMEOUT', { timeout: 180_000 }, async () => {
    const { dir, runsDir } = await project();
    const result = await runCli(
      ['train.py', '--flags', 'seconds=300', '--executor', 'slurm', '--time', '1', '--runs-dir', runsDir, '--json'],
      { cwd: dir },
    );
    expect(result.code).toBe(143);
    const json = JSON.parse(result.stdout);
    expect(json.status).toBe('terminated');
    expect(json.error).toMatch(new RegExp(`^Slurm job ${json.remote.jobId} TIMEOUT`));
    expect(await attr(json.runDir, 'remote')).toMatchObject({ state: 'TIMEOUT', reason: 'TimeLimit' });
    expect(await attr(json.runDir, 'exit_status')).toBe(-15);
    // The script had started and printed before the limit: its output is the run's.
    expect(await readFile(path.join(json.runDir, '.guild/output'), 'utf8')).toBe('loss: 0.02 (step 1)\n');
  });

  it('cat -f follows a detached run on the node; runs stop cancels its job, which ends it terminated', async () => {
    const { dir, runsDir } = await project();
    const submitted = await runCli(
      ['train.py', '--flags', 'seconds=60', '--executor', 'slurm', '--detach', '--runs-dir', runsDir, '-q'],
      { cwd: dir },
    );
    expect(submitted.code, submitted.stderr).toBe(0);
    const [run] = await runDirs(runsDir);
    let stop: Promise<Awaited<ReturnType<typeof runCli>>> | undefined;
    const follow = await runCli(['cat', path.basename(run!), '-f', '--runs-dir', runsDir], {
      cwd: dir,
      onSpawn: (child) => {
        child.stdout?.once('data', () => {
          stop = runCli(['runs', 'stop', path.basename(run!), '--runs-dir', runsDir], { cwd: dir });
        });
      },
    });
    const stopped = await stop!;
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stderr).toMatch(new RegExp(`cancelled Slurm job ${submitted.stdout.trim()}\\b`));
    // cat -f printed what the node wrote, and returned once the run had ended.
    expect(follow.code).toBe(0);
    expect(follow.stdout).toBe('loss: 0.02 (step 1)\n');
    expect(await attr(run!, 'exit_status')).toBe(-15);
    const again = await runCli(['runs', 'stop', path.basename(run!), '--runs-dir', runsDir], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/has ended \(terminated\): nothing to stop/);
  });

  it("guild-stage lost on the node (SIGKILL): the waiting command records the run's end as error, with Slurm's state", async () => {
    const { dir, runsDir } = await project();
    let killed = false;
    const result = await runCli(['train.py', '--flags', 'seconds=60', '--executor', 'slurm', '--runs-dir', runsDir], {
      cwd: dir,
      onSpawn: (child) => {
        child.stdout?.once('data', () => {
          void runDirs(runsDir).then(async ([run]) => {
            // The LOCK holds the pid of guild-stage start on the node (this host, here).
            const pid = Number(await readFile(path.join(run!, '.guild/LOCK'), 'utf8'));
            process.kill(pid, 'SIGKILL');
            killed = true;
          });
        });
      },
    });
    expect(killed).toBe(true);
    expect(result.code).toBe(1);
    const [run] = await runDirs(runsDir);
    expect(existsSync(path.join(run!, '.guild/attrs/exit_status'))).toBe(false);
    expect(existsSync(path.join(run!, '.guild/LOCK'))).toBe(false);
    const { jobId } = await attr(run!, 'remote');
    expect((await attr(run!, 'guild_stage')).error).toMatch(
      new RegExp(
        `^Slurm job ${jobId} ended \\([A-Z_]+.*\\) before guild-stage on ${hostname()} recorded the run's end`,
      ),
    );
    const runs = await runCli(['runs', '--runs-dir', runsDir], { cwd: dir });
    expect(runs.stdout).toMatch(/error +seconds=60/);
  });

  it('--detach returns with the job id; runs shows pending, running, then completed', async () => {
    const { dir, runsDir } = await project();
    const result = await runCli(
      [
        'train.py',
        '--flags',
        'seconds=[2,2]',
        '--executor',
        'slurm',
        '--parallel',
        '1',
        '--detach',
        '--runs-dir',
        runsDir,
      ],
      { cwd: dir },
    );
    expect(result.code, result.stderr).toBe(0);
    const jobId = result.stdout.trim();
    expect(jobId).toMatch(/^\d+$/);
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const runs = await runCli(['runs', '--json', '--runs-dir', runsDir], { cwd: dir });
      const trials = (JSON.parse(runs.stdout) as Array<{ status: string; label: string }>).filter(
        (r) => r.label !== '2 trials',
      );
      for (const trial of trials) seen.add(trial.status);
      if (trials.every((trial) => trial.status === 'completed')) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect([...seen].sort()).toEqual(['completed', 'pending', 'running']);
  });
});

/** The trial of a batch in `runsDir` with this array task, once its job is recorded. */
async function findTrial(runsDir: string, task: number): Promise<{ dir: string; jobId: string } | null> {
  for (const dir of await runDirs(runsDir)) {
    const remote = existsSync(path.join(dir, '.guild/attrs/remote')) ? await attr(dir, 'remote') : null;
    if (remote?.arrayTaskId === task) return { dir, jobId: remote.jobId };
  }
  return null;
}
