/**
 * Whether the script's command can start, checked before a run directory exists: a missing
 * interpreter (`PYTHON=python9`) or a script that is not executable would otherwise make a
 * run that fails at exec.
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { GuildStageError } from './errors.js';
import { interpreterSource } from './script-command.js';

/** The file `program` names: a path as given (relative to `cwd`), else the first match on `$PATH`. */
export function findProgram(program: string, cwd: string, env: NodeJS.ProcessEnv): string | null {
  const candidates = program.includes('/')
    ? [path.resolve(cwd, program)]
    : (env.PATH ?? '').split(path.delimiter).map((dir) => path.resolve(cwd, dir || '.', program));
  return candidates.find(isExecutableFile) ?? null;
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Fails when `cmd`, run in a copy of `projectDir`, could not start: its program is not on
 * `$PATH` (naming the variable that chose it), or it is the script itself and not executable.
 */
export function checkRunnable(
  opspec: string,
  cmd: readonly string[],
  projectDir: string,
  env: NodeJS.ProcessEnv,
  exec: boolean,
): void {
  const program = cmd[0]!;
  if (findProgram(program, projectDir, env)) return;
  const source = exec ? undefined : interpreterSource(opspec, program, env);
  const why = program.includes('/')
    ? `${program} is not an executable file`
    : `${source ? `$${source} is '${program}', which` : program} is not on PATH`;
  const fix = program.includes('/') && !exec ? `chmod +x ${program}, or run it with --exec` : undefined;
  throw new GuildStageError('NOT_FOUND', `cannot run ${exec ? 'the --exec command' : 'the script'}: ${why}`, {
    suggestion: fix,
  });
}
