import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * PATH with python3's own directory first. A pyenv `python3` is a shim, a bash script that
 * finds the interpreter on every start (~0.3 s here, against ~0.1 s for the interpreter),
 * and the suite starts python3 hundreds of times: the tests and the CLI they run still start
 * the same interpreter, without the shim. Undefined without a python3.
 */
function pythonFirstPath(): string | undefined {
  try {
    const executable = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {
      encoding: 'utf8',
    }).trim();
    return path.isAbsolute(executable) ? `${path.dirname(executable)}${path.delimiter}${process.env.PATH}` : undefined;
  } catch {
    return undefined;
  }
}

const PATH = pythonFirstPath();

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup-leftovers.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One worker per core, not vitest's cores - 1: the suites mostly wait on the processes
    // they start (python3, Rscript, the CLI), and on two cores one worker left `npm test`
    // at 311 s where two take 212 s.
    maxWorkers: availableParallelism(),
    env: PATH === undefined ? {} : { PATH },
  },
});
