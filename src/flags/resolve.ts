/**
 * From what the user typed and the flags a script declares to the values of a run.
 */
import { GuildStageError } from '../errors.js';
import type { FlagSite, FlagValue } from '../../transformers/types.js';
import { decodeAs, decodeYaml, validateValue } from './decode.js';
import type { FlagAssignment } from './parse.js';

export interface ResolvedFlags {
  /** Every flag of the run: the script's defaults, overridden by the user's values (Guild's `flags`). */
  flags: Record<string, FlagValue>;
  /** Only the values the user gave (Guild's `user_flags`). */
  userFlags: Record<string, FlagValue>;
  /** The values to write into the staged script: user values for flags the script declares. */
  apply: Record<string, FlagValue>;
}

export interface ResolveOptions {
  /** The script language's identifier rule: a forced name must still be a variable name there. */
  isIdentifier?: (name: string) => boolean;
  /** Accept names the script does not declare: they are recorded and exported, not written. */
  force: boolean;
  /** The script, for messages. */
  script: string;
}

/**
 * `sites` is null when no transformer handles the script's language: then flags can only
 * be forced, since nothing could put them into the script.
 */
export function resolveFlags(
  assignments: readonly FlagAssignment[],
  sites: readonly FlagSite[] | null,
  opts: ResolveOptions,
): ResolvedFlags {
  if (sites === null && assignments.length > 0 && !opts.force) {
    throw new GuildStageError('FLAG', `no flag transformer handles ${opts.script}, so its flags cannot be rewritten`, {
      suggestion: 'pass --force-flags to record them and export them as FLAG_* variables only',
    });
  }
  const byName = new Map((sites ?? []).map((site) => [site.name, site]));
  const flags: Record<string, FlagValue> = {};
  for (const site of byName.values()) flags[site.name] = site.default;
  const userFlags: Record<string, FlagValue> = {};
  const apply: Record<string, FlagValue> = {};
  for (const { name, raw } of assignments) {
    const site = byName.get(name);
    if (!site) {
      if (!opts.force) throw unknownFlag(name, [...byName.keys()], opts.script);
      if (opts.isIdentifier && !opts.isIdentifier(name)) {
        throw new GuildStageError('FLAG', `flag name '${name}' is not an identifier of ${opts.script}'s language`);
      }
      userFlags[name] = flags[name] = decodeYaml(name, raw);
      continue;
    }
    const value = decodeAs(name, site.type, raw);
    validateValue(site, value);
    userFlags[name] = flags[name] = apply[name] = value;
  }
  return { flags, userFlags, apply };
}

function unknownFlag(name: string, known: string[], script: string): GuildStageError {
  const nearest = nearestName(name, known) ?? known.find((candidate) => candidate.endsWith(`.${name}`));
  return new GuildStageError('FLAG', `unknown flag '${name}' (${nearbyFlags(name, known, script)})`, {
    suggestion: nearest ? `did you mean ${nearest}?` : 'pass --force-flags to record it anyway',
  });
}

const LISTED = 20;

function listOf(names: Iterable<string>): string {
  const sorted = [...new Set(names)].sort();
  const more = sorted.length > LISTED ? `, ... (${sorted.length - LISTED} more)` : '';
  return sorted.slice(0, LISTED).join(', ') + more;
}

/**
 * The flags near `name`, for its message: with dotted names (a config file's leaves), the
 * keys under the longest part of `name` that exists (`optim.lrr` -> keys under optim: lr,
 * momentum), else the top-level keys; otherwise every flag.
 */
function nearbyFlags(name: string, known: readonly string[], script: string): string {
  if (known.length === 0) return `${script} has no flags`;
  if (!known.some((candidate) => candidate.includes('.'))) return `flags of ${script}: ${listOf(known)}`;
  const parts = name.split('.');
  for (let n = parts.length - 1; n > 0; n--) {
    const prefix = `${parts.slice(0, n).join('.')}.`;
    const under = known.filter((candidate) => candidate.startsWith(prefix));
    if (under.length > 0) {
      return `keys under ${prefix.slice(0, -1)} in ${script}: ${listOf(under.map((k) => k.slice(prefix.length).split('.')[0]!))}`;
    }
  }
  return `top-level keys of ${script}: ${listOf(known.map((k) => k.split('.')[0]!))}`;
}

/** The known name closest to `name` by edit distance, when it is close enough to be a typo. */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
