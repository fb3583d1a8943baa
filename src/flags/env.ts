/**
 * Flags as environment variables, so any script (or `--exec` command) can read them.
 */
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

export function flagEnv(flags: Record<string, FlagValue>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(flags)) env[flagEnvName(name)] = flagEnvValue(value);
  return env;
}

/** Why a forced flag's value is not in the script: it is only in the environment. */
export function forcedFlagNote(name: string, flagsFile: string): string {
  return `flag ${name} is not in ${flagsFile}: it reaches the script only as $${flagEnvName(name)}`;
}
