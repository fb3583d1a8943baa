/**
 * The pairs of issue 7: what A (guild-stage) and B (the floor) are for each, and the
 * targets. Each `measure` returns a row for the report; none throws for a failing
 * command, which becomes a row with status 'error' (or 'unavailable' for a feature the
 * CLI does not have yet).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { alternate, summarize } from './measure.mjs';
import { MB } from './inputs.mjs';
import { CommandError, childEnv, describe, peakRssKiB, timedSpawn } from './processes.mjs';

/**
 * @typedef {{ metric: 'ratio' | 'mbPerSec' | 'peakMB', op: '<=' | '>=', value: number }} Target
 * @typedef {{ inputs: import('./inputs.mjs').Inputs, root: string, tmp: string, runs: number, p7Runs: number,
 *   warmup: number, peakMethod: 'gnu-time' | 'node-probe' }} Context
 * @typedef {{ id: string, work: string, floor: string, targets: Target[], measure: (ctx: Context) => object }} Pair
 */

const WORKER = fileURLToPath(new URL('./worker.mjs', import.meta.url));
const MINIMAL_STAGE = fileURLToPath(new URL('./minimal-stage.cjs', import.meta.url));
/** src/stage/hash-cache.ts's file in a runs directory. */
const HASH_CACHE = '.guild-stage-hashes.json';
/**
 * Rounds at least, for the pairs against `node -e 0` whose rounds take a fraction of a second
 * (P1, P1-min, P10, P13): on a shared virtual machine the floor alone swung between 105 and 150 ms from
 * round to round, and P1 read 1.33x, 1.70x and 1.86x in three 7-round runs of one build.
 */
const QUICK_PAIR_MIN_RUNS = 21;

/** @param {Context} ctx */
const quickRuns = (ctx) => Math.max(ctx.runs, QUICK_PAIR_MIN_RUNS);

/** @param {Context} ctx @param {string} cwd @param {string[]} args */
function cli(ctx, cwd, args) {
  return { cmd: process.execPath, args: [path.join(ctx.root, 'dist', 'bin', 'guild-stage.cjs'), ...args], cwd };
}

/** @param {Context} ctx @param {string} id */
function runsDir(ctx, id) {
  return path.join(ctx.tmp, `runs-${id}`);
}

/** @param {string} dir */
const clean = (dir) => rmSync(dir, { recursive: true, force: true });

/**
 * Removes `dir`, then flushes dirty pages to disk: otherwise the kernel throttles whichever
 * run happens to write when the last run's ~50 MB are still being written back.
 * @param {string} dir
 */
function cleanAndSync(dir) {
  clean(dir);
  spawnSync('sync', [], { stdio: 'ignore' });
}

/** Empties runs directory `dir` but for its `--link` hash cache, then syncs. */
function cleanRunsKeepHashes(dir) {
  if (existsSync(dir)) {
    for (const name of readdirSync(dir)) if (name !== HASH_CACHE) clean(path.join(dir, name));
  }
  spawnSync('sync', [], { stdio: 'ignore' });
}

/**
 * Times two commands alternately after a first, untimed run of A that checks it works;
 * `beforeA`/`beforeB` (untimed) clear what the last run left. A failing first run makes
 * the row 'unavailable' when its stderr matches `missing`, else 'error'.
 * @param {Context} ctx
 * @param {{ a: import('./processes.mjs').Command, b: import('./processes.mjs').Command, beforeA: () => void,
 *   beforeB: () => void, runs?: number, missing?: RegExp }} spec
 */
function processPair(ctx, spec) {
  const commands = { a: describe(spec.a), b: describe(spec.b) };
  const runA = () => {
    spec.beforeA();
    return timedSpawn(spec.a);
  };
  const runB = () => {
    spec.beforeB();
    return timedSpawn(spec.b);
  };
  try {
    runA();
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    if (spec.missing?.test(error.stderr)) return { status: 'unavailable', reason: error.line, commands };
    return { status: 'error', reason: error.message, commands };
  } finally {
    spec.beforeA();
  }
  try {
    const result = alternate({ a: runA, b: runB, runs: spec.runs ?? ctx.runs, warmup: ctx.warmup });
    return { status: 'ok', unit: 'ms', commands, ...result };
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    return { status: 'error', reason: error.message, commands };
  } finally {
    spec.beforeA();
    spec.beforeB();
  }
}

/** P2 and P3: staging the big tree vs `cp -r` of it. @param {Context} ctx @param {string} id @param {string[]} extra */
function stageTreeVsCopy(ctx, id, extra) {
  const project = ctx.inputs.bigTree();
  const runs = runsDir(ctx, id);
  const copy = path.join(ctx.tmp, `cp-${id}`);
  const link = extra.includes('--link');
  return processPair(ctx, {
    a: cli(ctx, project, ['stage', 'train.py', '--flags', 'lr=0.1', ...extra, '--runs-dir', runs, '-q']),
    b: { cmd: 'cp', args: ['-r', project, copy], cwd: ctx.tmp },
    // With --link, a project staged before, as a user's next run is: the runs go, the runs
    // directory's hash cache of the project's files stays.
    beforeA: () => (link ? cleanRunsKeepHashes(runs) : cleanAndSync(runs)),
    beforeB: () => cleanAndSync(copy),
    missing: /unknown option/,
  });
}

/**
 * P4-P6 and P11 in a child process per row (see worker.mjs): a generated script of `kind`,
 * or the `input` given (a script or config file and the values to apply to it).
 * @param {Context} ctx
 * @param {'python' | 'r' | 'javascript' | 'typescript' | 'argparse' | 'yaml'} kind
 * @param {{ file: string, values: Record<string, unknown> }} [input]
 */
function inProcess(ctx, kind, input) {
  const file = input?.file ?? ctx.inputs.script(/** @type {'python'} */ (kind));
  const spec = {
    kind,
    file,
    values: input?.values,
    dist: path.join(ctx.root, 'dist'),
    runs: ctx.runs,
    warmup: Math.max(1, ctx.warmup),
  };
  const result = spawnSync(process.execPath, ['--expose-gc', WORKER, JSON.stringify(spec)], {
    cwd: ctx.root,
    env: childEnv(),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const commands = { a: `${kind} transformer apply (${path.basename(file)})`, b: 'floor, in the same process' };
  const line = result.stdout.trim().split('\n').pop() ?? '';
  if (result.status !== 0 || !line.startsWith('{')) {
    return {
      status: 'error',
      reason: `worker failed (exit ${result.status}): ${result.stderr.trim().split('\n')[0] ?? ''}`,
      commands,
    };
  }
  const out = JSON.parse(line);
  if (out.unavailable) return { status: 'unavailable', reason: out.unavailable, commands };
  if (out.error) return { status: 'error', reason: out.error, commands };
  const mbPerSec = out.bytes / MB / (out.a.median / 1000);
  return { status: 'ok', unit: 'ms', commands, ...out, mbPerSec };
}

/**
 * P10: `compare --json` over 2,000 generated runs. The index caches a run only once its files
 * are older than 2 s (run-index.ts), so fresh runs age first; processPair's untimed first run
 * then builds the index, which every timed run uses. `cold` removes the index before each run.
 * @param {Context} ctx @param {boolean} cold
 */
function compareRuns(ctx, cold) {
  const runs = ctx.inputs.manyRuns(2000);
  const index = path.join(runs, '.guild-stage-index.json');
  if (!existsSync(index)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2500);
  return processPair(ctx, {
    a: cli(ctx, runs, ['compare', '--json', '--runs-dir', runs]),
    b: { cmd: process.execPath, args: ['-e', '0'], cwd: runs },
    beforeA: () => cold && rmSync(index, { force: true }),
    beforeB: () => {},
    runs: cold ? ctx.runs : quickRuns(ctx),
    missing: /unknown command/,
  });
}

/**
 * P13: `runs --all` over the 2,000 generated runs of P10 (`compare` over them is P10), through
 * the runs directory's index that the untimed first run (or P10) builds, as P10 does.
 * @param {Context} ctx
 */
function listRuns(ctx) {
  const runs = ctx.inputs.manyRuns(2000);
  if (!existsSync(path.join(runs, '.guild-stage-index.json'))) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2500);
  }
  return processPair(ctx, {
    a: cli(ctx, runs, ['runs', '--all', '--runs-dir', runs]),
    b: { cmd: process.execPath, args: ['-e', '0'], cwd: runs },
    beforeA: () => {},
    beforeB: () => {},
    runs: quickRuns(ctx),
  });
}

/** @param {Context} ctx */
function peakOfStage(ctx) {
  const project = ctx.inputs.bigTree();
  const runs = runsDir(ctx, 'P8');
  const command = cli(ctx, project, ['stage', 'train.py', '--flags', 'lr=0.1', '--runs-dir', runs, '-q']);
  const samples = [];
  try {
    for (let i = 0; i < Math.min(ctx.runs, 3); i++) {
      clean(runs);
      samples.push((peakRssKiB(command, ctx.peakMethod) * 1024) / MB);
    }
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    return { status: 'error', reason: error.message, commands: { a: describe(command) } };
  } finally {
    clean(runs);
  }
  const a = summarize(samples);
  return { status: 'ok', unit: 'MB', commands: { a: describe(command) }, a, peakMB: a.max, method: ctx.peakMethod };
}

/** @param {Target['metric']} metric @param {number} value @returns {Target} */
const atMost = (metric, value) => ({ metric, op: '<=', value });

/** @param {Target['metric']} metric @param {number} value @returns {Target} */
const atLeast = (metric, value) => ({ metric, op: '>=', value });

/** @type {Pair[]} */
export const PAIRS = [
  {
    id: 'P1',
    work: 'stage train.py --flags lr=0.1 (one-file project)',
    floor: 'node -e 0',
    targets: [atMost('ratio', 1.5)],
    measure: (ctx) => {
      const runs = runsDir(ctx, 'P1');
      const project = ctx.inputs.oneFile();
      return processPair(ctx, {
        a: cli(ctx, project, ['stage', 'train.py', '--flags', 'lr=0.1', '--runs-dir', runs, '-q']),
        b: { cmd: process.execPath, args: ['-e', '0'], cwd: project },
        beforeA: () => clean(runs),
        beforeB: () => {},
        runs: quickRuns(ctx),
      });
    },
  },
  {
    id: 'P1-min',
    work: 'the same stage written by hand (bench/minimal-stage.cjs): what P1 cannot avoid',
    floor: 'node -e 0',
    targets: [],
    measure: (ctx) => {
      const runs = runsDir(ctx, 'P1-min');
      const project = ctx.inputs.oneFile();
      return processPair(ctx, {
        a: { cmd: process.execPath, args: [MINIMAL_STAGE, runs], cwd: project },
        b: { cmd: process.execPath, args: ['-e', '0'], cwd: project },
        beforeA: () => clean(runs),
        beforeB: () => {},
        runs: quickRuns(ctx),
      });
    },
  },
  {
    id: 'P2',
    work: 'stage of 5,000 files / ~50 MB',
    floor: 'cp -r',
    targets: [atMost('ratio', 1.3)],
    measure: (ctx) => stageTreeVsCopy(ctx, 'P2', []),
  },
  {
    id: 'P3',
    work: 'the same with --link',
    floor: 'cp -r',
    targets: [atMost('ratio', 0.5)],
    measure: (ctx) => stageTreeVsCopy(ctx, 'P3', ['--link']),
  },
  {
    id: 'P4-py',
    work: 'text rewrite of 10 flags, 5 MB Python',
    floor: 'read + split lines',
    targets: [atMost('ratio', 3), atLeast('mbPerSec', 30)],
    measure: (ctx) => inProcess(ctx, 'python'),
  },
  {
    id: 'P4-R',
    work: 'text rewrite of 10 flags, 5 MB R',
    floor: 'read + split lines',
    targets: [atMost('ratio', 3), atLeast('mbPerSec', 30)],
    measure: (ctx) => inProcess(ctx, 'r'),
  },
  {
    id: 'P5',
    work: 'text rewrite of 10 flags, 5 MB JavaScript',
    floor: '@babel/parser parse',
    targets: [atMost('ratio', 1.2)],
    measure: (ctx) => inProcess(ctx, 'javascript'),
  },
  {
    id: 'P6',
    work: 'AST rewrite of 10 flags, 1 MB TypeScript',
    floor: 'ts.createSourceFile',
    targets: [atMost('ratio', 2)],
    measure: (ctx) => inProcess(ctx, 'typescript'),
  },
  {
    id: 'P11-argparse',
    work: 'discover + apply 20 flags, 1 MB argparse script',
    floor: 'read + split lines',
    targets: [atLeast('mbPerSec', 30)],
    measure: (ctx) => inProcess(ctx, 'argparse', ctx.inputs.argparseScript()),
  },
  {
    id: 'P11-yaml',
    work: 'discover + apply 20 flags, 1 MB YAML config',
    floor: 'yaml parse',
    targets: [atMost('ratio', 2)],
    measure: (ctx) => inProcess(ctx, 'yaml', ctx.inputs.yamlConfig()),
  },
  {
    id: 'P7',
    work: '50-trial grid, trivial train.py, --parallel 1',
    floor: 'sh loop: 50 x python3 train.py',
    targets: [atMost('ratio', 1.3)],
    measure: (ctx) => {
      const runs = runsDir(ctx, 'P7');
      const project = ctx.inputs.trivial();
      return processPair(ctx, {
        a: cli(ctx, project, [
          'run',
          'train.py',
          '--flags',
          'x=range[1:50]',
          '--parallel',
          '1',
          '--runs-dir',
          runs,
          '-q',
        ]),
        b: { cmd: 'sh', args: ['-c', 'for i in $(seq 1 50); do python3 train.py; done'], cwd: project },
        beforeA: () => clean(runs),
        beforeB: () => {},
        runs: ctx.p7Runs,
      });
    },
  },
  {
    id: 'P12',
    work: '20-trial job array of a trivial train.py on the local Slurm, --executor slurm --parallel 2, waited for',
    floor: 'sbatch --wait --array=0-19%2 of a shell script running python3 train.py',
    targets: [atMost('ratio', 1.5)],
    measure: (ctx) => {
      const runs = runsDir(ctx, 'P12');
      const project = ctx.inputs.trivial();
      const job = path.join(ctx.tmp, 'p12-job.sh');
      writeFileSync(job, `#!/bin/sh\ncd ${JSON.stringify(project)} && exec python3 train.py\n`, { mode: 0o755 });
      return processPair(ctx, {
        a: cli(ctx, project, [
          'run',
          'train.py',
          '--flags',
          'x=range[1:20]',
          '--executor',
          'slurm',
          '--parallel',
          '2',
          '--runs-dir',
          runs,
          '-q',
        ]),
        b: {
          cmd: 'sbatch',
          args: ['--wait', '--quiet', '--array=0-19%2', `--output=${path.join(ctx.tmp, 'p12-%A_%a.out')}`, job],
          cwd: project,
        },
        beforeA: () => clean(runs),
        beforeB: () => {},
        runs: ctx.p7Runs,
        missing: /sbatch is not on PATH|no such Slurm partition|Invalid|ENOENT/,
      });
    },
  },
  {
    id: 'P9',
    work: 'run train.py printing 1,000,000 scalar lines (capture, event file, summary, output records)',
    floor: 'sh: python3 train.py > file',
    targets: [atMost('ratio', 2)],
    measure: (ctx) => {
      const runs = runsDir(ctx, 'P9');
      const project = ctx.inputs.scalars();
      return processPair(ctx, {
        a: cli(ctx, project, ['run', 'train.py', '--runs-dir', runs, '-q']),
        b: { cmd: 'sh', args: ['-c', 'python3 train.py > out.txt'], cwd: project },
        beforeA: () => clean(runs),
        beforeB: () => {},
        runs: ctx.p7Runs,
      });
    },
  },
  {
    id: 'P10',
    work: 'compare --json over 2,000 runs (index built)',
    floor: 'node -e 0',
    targets: [atMost('ratio', 4)],
    measure: (ctx) => compareRuns(ctx, false),
  },
  {
    id: 'P10-cold',
    work: 'the same without the index (first compare)',
    floor: 'node -e 0',
    targets: [],
    measure: (ctx) => compareRuns(ctx, true),
  },
  {
    id: 'P13',
    work: 'runs --all over 2,000 runs',
    floor: 'node -e 0',
    targets: [atMost('ratio', 4)],
    measure: listRuns,
  },
  {
    id: 'P8',
    work: 'peak RSS of P2 (stage of 5,000 files)',
    floor: '',
    targets: [atMost('peakMB', 200)],
    measure: peakOfStage,
  },
];
