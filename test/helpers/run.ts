import { Run } from '../../src/run.js';

/** A Run in `dir` that is running, for hook tests that need one without staging it. */
export function runningRun(dir: string): Run {
  const run = Run.staged({
    id: '0'.repeat(32),
    dir,
    projectDir: dir,
    opspec: 'train.py',
    flags: {},
    forced: {},
    cmd: [],
    env: {},
    remote: null,
    batch: null,
    label: '',
  });
  run.status = 'running';
  return run;
}
