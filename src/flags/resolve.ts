/**
 * From what the user typed and the flags a script declares to the values of a run.
 */
import { callTransformer, GuildStageError } from '../errors.js';
import type { FlagSite, FlagValue } from '../../transformers/types.js';
import { optionArgs, passesAsArgs } from './args.js';
import { decodeAs, decodeYaml, validateValue } from './decode.js';
import type { FlagAssignment } from './parse.js';

export interface ResolvedFlags {
  /** Every flag of the run: the script's defaults, overridden by the user's values (Guild's `flags`). */
  flags: Record<string, FlagValue>;
  /** Only the values the user gave (Guild's `user_flags`). */
  userFlags: Record<string, FlagValue>;
  /**
   * Forced values (`--force-flags`) for names the script does not declare: they reach the
   * script only as `FLAG_*` variables, so they are in neither `flags` nor `userFlags`.
   */
  forced: Record<string, FlagValue>;
  /** The values to write into the staged script: user values for flags the script declares. */
  apply: Record<string, FlagValue>;
  /**
   * The flags whose values reach the script as command-line arguments instead (options
   * whose default is not a literal), with those arguments, in the order given.
   */
  args: Record<string, string[]>;
}

export interface ResolveOptions {
  /** The script language's identifier rule: a forced name must still be a variable name there. */
  isIdentifier?: (name: string) => boolean;
  /** The script language's last word on a value: checked (and respelled) before anything is staged. */
  normalizeValue?: (site: FlagSite, value: FlagValue) => FlagValue;
  /** Accept names the script does not declare: they are exported (and recorded as forced), not written. */
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
  // A default that is code is not known: the records hold only values that are.
  for (const site of byName.values()) if (!passesAsArgs(site)) flags[site.name] = site.default;
  const userFlags: Record<string, FlagValue> = {};
  const apply: Record<string, FlagValue> = {};
  const args: Record<string, string[]> = {};
  const forced: Record<string, FlagValue> = {};
  for (const { name: typed, raw } of assignments) {
    const site = siteFor(typed, byName);
    if (!site) {
      if (!opts.force) throw unknownFlag(typed, [...byName.values()], opts.script);
      if (opts.isIdentifier && !opts.isIdentifier(typed)) {
        throw new GuildStageError('FLAG', `flag name '${typed}' is not an identifier of ${opts.script}'s language`);
      }
      forced[typed] = decodeYaml(typed, raw);
      continue;
    }
    const { name } = site;
    const decoded = decodeAs(name, site.type, raw);
    validateValue(site, decoded);
    const normalize = opts.normalizeValue;
    const value = normalize ? callTransformer(() => normalize(site, decoded)) : decoded;
    userFlags[name] = flags[name] = value;
    if (passesAsArgs(site)) args[name] = optionArgs(site, value, opts.script);
    else apply[name] = value;
  }
  return { flags, userFlags, apply, args, forced };
}

/**
 * The flag a typed name means: the one of that name, else the one it names with `-` and `_`
 * taken alike (`batch-size` for `batch_size`, as a command-line option spells it).
 */
function siteFor(name: string, byName: ReadonlyMap<string, FlagSite>): FlagSite | undefined {
  const exact = byName.get(name);
  if (exact) return exact;
  const key = name.replaceAll('-', '_');
  const alike = [...byName.values()].filter((site) => site.name.replaceAll('-', '_') === key);
  return alike.length === 1 ? alike[0] : undefined;
}

function unknownFlag(name: string, sites: FlagSite[], script: string): GuildStageError {
  const known = sites.map((site) => site.name);
  const nearest = nearestName(name, known) ?? known.find((candidate) => candidate.endsWith(`.${name}`));
  // --force-flags would record a value that a script reading its options never sees.
  const fallback = sites.some((site) => site.option)
    ? `to give ${script} an option guild-stage did not find, pass it after --`
    : 'pass --force-flags to record it anyway';
  return new GuildStageError('FLAG', `unknown flag '${name}' (${nearbyFlags(name, known, script)})`, {
    suggestion: nearest ? `did you mean ${nearest}?` : fallback,
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
