import { Run } from '../../src/run.js';

/** A staged Run of `train.py` in `dir`, made without staging (no records on disk). */
export function stagedRun(dir: string, projectDir = dir, id = '0'.repeat(32)): Run {
  return Run.staged({
    id,
    dir,
    projectDir,
    opspec: 'train.py',
    flags: {},
    forced: {},
    cmd: [],
    env: {},
    remote: null,
    batch: null,
    label: '',
  });
}

/** A Run in `dir` that is running, for hook tests that need one without staging it. */
export function runningRun(dir: string): Run {
  const run = stagedRun(dir);
  run.status = 'running';
  return run;
}
