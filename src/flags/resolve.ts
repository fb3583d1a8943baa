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
  const nearest = nearestName(name, known);
  const list = known.length ? `flags of ${script}: ${[...known].sort().join(', ')}` : `${script} has no flags`;
  return new GuildStageError('FLAG', `unknown flag '${name}' (${list})`, {
    suggestion: nearest ? `did you mean ${nearest}?` : 'pass --force-flags to record it anyway',
  });
}

/**
 * The known name closest to `name` by edit distance, when it is close enough to be a typo:
 * one edit per three characters, at least one (`bs` is no typo of `lr`). `synonyms` maps a
 * word someone may say for one the names use (`start` for `begin`); a name that matches
 * once a synonym is swapped in wins.
 */
export function nearestName(
  name: string,
  known: readonly string[],
  synonyms: Readonly<Record<string, string>> = {},
): string | undefined {
  const lower = name.toLowerCase();
  for (const [word, meant] of Object.entries(synonyms)) {
    const swapped = lower.replace(word, meant);
    const match = swapped !== lower ? known.find((candidate) => candidate.toLowerCase() === swapped) : undefined;
    if (match) return match;
  }
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
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
