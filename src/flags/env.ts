/**
 * Flags as environment variables, so any script (or `--exec` command) can read them.
 */
import { GuildStageError } from '../errors.js';
import type { FlagValue } from '../../transformers/types.js';

/** `learning-rate` -> `FLAG_LEARNING_RATE`. */
export function flagEnvName(name: string): string {
  return `FLAG_${name.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`;
}

/** A value as a shell user would type it: lists space-separated, null as an empty string. */
function flagEnvValue(value: FlagValue): string {
  if (Array.isArray(value)) return value.map(flagEnvValue).join(' ');
  if (value === null) return '';
  return String(value);
}

/**
 * The `FLAG_*` variables of a run's flags. Names that differ only in case or punctuation
 * (`lr` and `LR`, `batch-size` and `batch_size`) share one variable: it is set when they
 * hold one value, and left out when they differ, since it could hold only one of them. A
 * `forced` flag (one the script does not declare) reaches the script through its variable
 * alone, so losing it that way is a `FLAG` error.
 */
export function flagEnv(
  flags: Record<string, FlagValue>,
  forced: ReadonlySet<string> = new Set(),
): Record<string, string> {
  const env: Record<string, string> = {};
  const owners = new Map<string, string[]>();
  for (const [name, value] of Object.entries(flags)) {
    const key = flagEnvName(name);
    const text = flagEnvValue(value);
    const owner = owners.get(key);
    if (!owner) {
      owners.set(key, [name]);
      env[key] = text;
      continue;
    }
    owner.push(name);
    if (env[key] === text) continue;
    const lost = owner.find((other) => forced.has(other));
    if (lost !== undefined) {
      const others = owner.filter((other) => other !== lost).join(' and ');
      throw new GuildStageError(
        'FLAG',
        `forced flag ${lost} would reach the script only as $${key}, which flag ${others} also sets, with another value`,
        { suggestion: 'give the forced flag a name of its own' },
      );
    }
    delete env[key];
  }
  return env;
}

/** Why a forced flag's value is not in the script: it is only in the environment. */
export function forcedFlagNote(name: string, flagsFile: string): string {
  return `flag ${name} is not in ${flagsFile}: it reaches the script only as $${flagEnvName(name)}`;
}
