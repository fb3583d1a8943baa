/**
 * The plain command that runs a script, as a user would type it by hand.
 */
import { createRequire } from 'node:module';
import { languageOf, type RunCommand } from '../transformers/index.js';

export interface ScriptCommand {
  cmd: string[];
  /** Variables the interpreter needs to behave as on a terminal (unbuffered output). */
  env: Record<string, string>;
}

const require = createRequire(import.meta.url);

/**
 * The command the registry gives for the script's language (`train.py` -> `python3
 * train.py`, or `$PYTHON`; `.ts` -> `node <tsx> train.ts`); a script of no language is
 * executed directly.
 */
export function commandFor(
  opspec: string,
  scriptArgs: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ScriptCommand {
  // An interpreter runs `TRAIN.PY` as well as `train.py`.
  const run = languageOf(opspec.toLowerCase())?.run;
  if (!run) return { cmd: [opspec.includes('/') ? opspec : `./${opspec}`, ...scriptArgs], env: {} };
  // `-c.py` would be an option to the interpreter (python3 -c, node -c): `./-c.py` is the file.
  const script = opspec.startsWith('-') ? `./${opspec}` : opspec;
  return { cmd: [...interpreter(run, env), script, ...scriptArgs], env: { ...run.env } };
}

/** The variable (`PYTHON`) that chose `program` as the interpreter of `opspec`, when one did. */
export function interpreterSource(opspec: string, program: string, env: NodeJS.ProcessEnv): string | undefined {
  const name = languageOf(opspec.toLowerCase())?.run?.envProgram;
  return name && env[name] === program ? name : undefined;
}

function interpreter(run: RunCommand, env: NodeJS.ProcessEnv): string[] {
  if (run.program === 'node') return [process.execPath];
  if (run.program === 'tsx') return [process.execPath, require.resolve('tsx/cli')];
  return [(run.envProgram && env[run.envProgram]) || run.program];
}
