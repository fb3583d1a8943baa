/**
 * `--flags` items from the command line: `name=value`, split but not yet typed.
 */
import { GuildStageError } from '../errors.js';

export interface FlagAssignment {
  name: string;
  /** The text after the first `=`, exactly as typed. */
  raw: string;
}

/**
 * A flag name: a letter of any script, `_` or `.` first (R names may start with a dot), then
 * letters, digits, combining marks, `_`, `.` or `-` (`batch-size`, the spelling of a
 * command-line option, names the flag `batch_size`).
 */
const FLAG_NAME = /^[\p{L}\p{Nl}_.][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}.-]*$/u;

export function isValidFlagName(name: string): boolean {
  return FLAG_NAME.test(name) && !/^\.[0-9]/.test(name);
}

/** Parses one `name=value` item; the value may be empty or contain more `=`. */
function parseFlagItem(item: string): FlagAssignment {
  const eq = item.indexOf('=');
  if (eq < 0) {
    throw new GuildStageError('USAGE', `malformed flag '${item}': expected NAME=VALUE`, {
      suggestion: `write ${item}=VALUE`,
    });
  }
  const name = item.slice(0, eq);
  if (name === '') throw new GuildStageError('USAGE', `malformed flag '${item}': the name before '=' is empty`);
  if (!isValidFlagName(name)) {
    throw new GuildStageError('USAGE', `malformed flag '${item}': '${name}' is not a valid flag name`, {
      suggestion: 'a flag name starts with a letter, _ or . and holds letters, digits, _, . and -',
    });
  }
  return { name, raw: item.slice(eq + 1) };
}

/** Parses every item; a name given twice keeps the last value, as a shell user expects. */
export function parseFlagItems(items: readonly string[]): FlagAssignment[] {
  const byName = new Map<string, FlagAssignment>();
  for (const item of items) {
    const assignment = parseFlagItem(item);
    byName.delete(assignment.name);
    byName.set(assignment.name, assignment);
  }
  return [...byName.values()];
}
