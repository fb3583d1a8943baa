/**
 * The plain command that runs a script, as a user would type it by hand.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

export interface ScriptCommand {
  cmd: string[];
  /** Variables the interpreter needs to behave as on a terminal (unbuffered output). */
  env: Record<string, string>;
}

const require = createRequire(import.meta.url);

/**
 * `train.py` -> `python3 train.py` (or `$PYTHON`), `.R` -> `Rscript`, `.js/.mjs/.cjs` ->
 * `node`, `.ts/.mts/.cts` -> `node <tsx> train.ts` (tsx is a dependency, so it works in
 * a fresh install), anything else executed directly.
 */
export function commandFor(
  opspec: string,
  scriptArgs: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ScriptCommand {
  const ext = path.extname(opspec).toLowerCase();
  const script = opspec.includes('/') ? opspec : `./${opspec}`;
  switch (ext) {
    case '.py':
      // Python buffers a pipe; unbuffered, each line reaches the output index when it is printed.
      return { cmd: [env.PYTHON || 'python3', opspec, ...scriptArgs], env: { PYTHONUNBUFFERED: '1' } };
    case '.r':
      return { cmd: ['Rscript', opspec, ...scriptArgs], env: {} };
    case '.js':
    case '.mjs':
    case '.cjs':
      return { cmd: [process.execPath, opspec, ...scriptArgs], env: {} };
    case '.ts':
    case '.mts':
    case '.cts':
      return { cmd: [process.execPath, require.resolve('tsx/cli'), opspec, ...scriptArgs], env: {} };
    default:
      return { cmd: [script, ...scriptArgs], env: {} };
  }
}
