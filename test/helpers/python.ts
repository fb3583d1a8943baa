/**
 * Runs the real Python 3 for the tests that compare our encodings and literals with
 * Python's own (PyYAML, shlex, `ast`, `repr`).
 */
import { execa, execaSync } from 'execa';

/** Whether `python3` can import `module`. */
export function pythonHas(module: string): boolean {
  const result = execaSync('python3', ['-c', `import ${module}`], { reject: false });
  return result.exitCode === 0;
}

/** Runs `script` with `input` (JSON) on stdin and parses its stdout as JSON. */
export async function runPython<T>(script: string, input: unknown): Promise<T> {
  const { stdout } = await execa('python3', ['-c', script], { input: JSON.stringify(input) });
  return JSON.parse(stdout) as T;
}
