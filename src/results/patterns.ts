/**
 * Output-scalar patterns: which output lines become scalars, with Guild AI 0.9.1's
 * meaning (`guild/summary.py`, `guildfile.py`).
 *
 * The config is what a Guild file or script frontmatter holds under `output-scalars`:
 *
 * - absent (`undefined`/`null`): Guild's defaults, `key: value` and `key: value (step N)`;
 * - `false` or `[]`: capture off;
 * - a string: one pattern; a mapping `{name: pattern}`; or a list of both.
 *
 * Patterns are Python regular expressions with three aliases: `\key` (`[_a-zA-Z]\S*`),
 * `\value` (a number, `nan` or `inf` as Guild spells them) and `\step` (digits). A match
 * becomes scalars as Guild reads it:
 *
 * - named groups `(?P<_key>...)` and `(?P<_val>...)`: one scalar, named by the first;
 * - other named groups: one scalar per group, named by the group (`(?P<loss>\value)`);
 * - else two groups: key and value; one group: the value of the mapping's name.
 *
 * A scalar named `step` is not recorded: it sets the step of the scalars after it.
 * Where Guild would only log a warning and capture nothing (a pattern that does not
 * compile, or has no group to read a value from), this fails with a USAGE error.
 */
import { GuildStageError } from '../errors.js';
import { PyPattern, PythonRegexError } from './python-regex.js';
import { comparePyStrings } from './python-text.js';

/** Guild's `\value`: a decimal number (as loose as Guild's), `nan`, or a signed `inf`. */
export const VALUE_PATTERN = '(?:[-+]?[0-9]*\\.?(?:[0-9]+)?(?:[eE][-+]?[0-9]+)?|[nN][aA][nN]|[-+]?[iI][nN][fF])';

/** The aliases in the order Guild substitutes them, each by plain text replacement. */
export const OUTPUT_SCALAR_ALIASES: ReadonlyArray<readonly [alias: string, pattern: string]> = [
  ['\\key', '[_a-zA-Z]\\S*'],
  ['\\value', VALUE_PATTERN],
  ['\\step', '[0-9]+'],
];

/** Guild's DEFAULT_OUTPUT_SCALARS, as written there. */
export const DEFAULT_OUTPUT_SCALARS: readonly string[] = [
  String.raw`^\key:\s+\value\s+\((?:step\s+)?(?P<step>\step)\)$`,
  String.raw`^(\key):\s+(\value)(?:\s+\(.*\))?$`,
];

/**
 * How a match becomes scalars. Group numbers are Python's (1-based).
 * - `pair`: key from one group, value from another (`_key`/`_val`, or groups 1 and 2);
 * - `named`: each named group is a scalar of that name;
 * - `single`: group 1 is the value of the scalar `name`.
 */
export type MatchRule =
  | { kind: 'pair'; key: number; value: number }
  | { kind: 'named'; groups: ReadonlyArray<readonly [name: string, group: number]> }
  | { kind: 'single'; name: string; group: 1 };

export interface OutputScalarPattern {
  /** The pattern as written in the config. */
  readonly source: string;
  /** Its name in a `{name: pattern}` mapping, else null. */
  readonly name: string | null;
  /** The pattern with `\key`, `\value`, `\step` replaced: what Python compiles. */
  readonly expanded: string;
  readonly regex: PyPattern;
  readonly rule: MatchRule;
  /** Characters every matching line contains: a line without one of them cannot match. */
  readonly required: readonly string[];
}

export interface OutputScalars {
  /** False when the config turns capture off (`false`, `[]`). */
  readonly enabled: boolean;
  /** Guild's defaults are in use: Guild then records no scalar named like one of the run's flags. */
  readonly isDefault: boolean;
  /** In Guild's order: list order, and a mapping's names sorted. */
  readonly patterns: readonly OutputScalarPattern[];
}

/** Guild's replace_aliases: each alias replaced wherever its text occurs. */
export function expandAliases(pattern: string): string {
  let out = pattern;
  for (const [alias, replacement] of OUTPUT_SCALAR_ALIASES) out = out.split(alias).join(replacement);
  return out;
}

/**
 * Reads an `output-scalars` config (see the module comment). Throws a USAGE
 * GuildStageError naming the pattern when one is unusable.
 */
export function compileOutputScalars(config: unknown): OutputScalars {
  if (config === undefined || config === null) {
    return {
      enabled: true,
      isDefault: true,
      patterns: DEFAULT_OUTPUT_SCALARS.map((p) => compileOutputScalarPattern(p, null)),
    };
  }
  if (config === false) return { enabled: false, isDefault: false, patterns: [] };
  let items: unknown[];
  if (typeof config === 'string' || isMapping(config)) items = [config];
  else if (Array.isArray(config)) items = config;
  else {
    throw usage(
      `output-scalars: expected a mapping, a list, a pattern or false (to turn capture off), not ${describe(config)}`,
    );
  }
  if (items.length === 0) return { enabled: false, isDefault: false, patterns: [] };
  const patterns: OutputScalarPattern[] = [];
  for (const item of items) {
    if (typeof item === 'string') patterns.push(compileOutputScalarPattern(item, null));
    else if (isMapping(item)) {
      for (const name of Object.keys(item).sort(comparePyStrings)) {
        const pattern = item[name];
        if (typeof pattern !== 'string') {
          throw usage(`output-scalars: the pattern for ${quote(name)} must be a string, not ${describe(pattern)}`);
        }
        patterns.push(compileOutputScalarPattern(pattern, name));
      }
    } else {
      throw usage(`output-scalars: a list item must be a pattern or a mapping, not ${describe(item)}`);
    }
  }
  return { enabled: true, isDefault: false, patterns };
}

/** One pattern; `name` is its key when it comes from a `{name: pattern}` mapping. */
export function compileOutputScalarPattern(source: string, name: string | null): OutputScalarPattern {
  const expanded = expandAliases(source);
  const label = `output-scalars: pattern ${quote(source)}${name === null ? '' : ` (for ${quote(name)})`}`;
  let regex: PyPattern;
  try {
    regex = new PyPattern(expanded);
  } catch (error) {
    if (!(error instanceof PythonRegexError)) throw error;
    const where = expanded === source ? '' : ` (in ${quote(expanded)})`;
    const what = error.invalid ? 'is not a valid regular expression' : 'cannot be used';
    throw usage(`${label} ${what}: ${error.message}${where}`, error);
  }
  const rule = matchRule(regex, name, label);
  return { source, name, expanded, regex, rule, required: prefilterChars(regex.translated.requiredChars) };
}

function matchRule(regex: PyPattern, name: string | null, label: string): MatchRule {
  const { groups, groupNames } = regex.translated;
  if (groupNames.size > 0) {
    const key = groupNames.get('_key');
    const value = groupNames.get('_val');
    if (key !== undefined && value !== undefined) return { kind: 'pair', key, value };
    if (key !== undefined || value !== undefined) {
      throw usage(`${label} has only one of (?P<_key>...) and (?P<_val>...); Guild needs both or neither`);
    }
    if (groupNames.has('key') && groupNames.has('value')) {
      throw usage(
        `${label}: Guild names a scalar after each named group, so this records one named 'value'; ` +
          'name the groups (?P<_key>...) and (?P<_val>...)',
      );
    }
    if (name !== null && groupNames.has('value') && groupNames.size === 1) {
      throw usage(
        `${label}: Guild names a scalar after each named group, so this records 'value', not ${quote(name)}; ` +
          'use an unnamed group (...)',
      );
    }
    return { kind: 'named', groups: [...groupNames] };
  }
  if (groups === 2) return { kind: 'pair', key: 1, value: 2 };
  if (groups === 1) {
    if (name !== null) return { kind: 'single', name, group: 1 };
    throw usage(
      `${label} has one group but no scalar name: write it as {name: pattern}, ` +
        'name the group (?P<name>...), or capture the key too',
    );
  }
  if (groups === 0) {
    const off = /^(?:no|off|false)$/i.test(regex.pattern) ? ' (to turn capture off, use false)' : '';
    throw usage(`${label} has no group to read a value from: capture it as (\\value) or (?P<name>\\value)${off}`);
  }
  throw usage(
    `${label} has ${groups} unnamed groups; Guild reads one (the value) or two (key and value): ` +
      'make the others (?:...)',
  );
}

/** Up to two required characters to test, punctuation first (rarer in output than letters). */
function prefilterChars(required: readonly string[]): string[] {
  const rank = (ch: string): number => (/^[\p{P}\p{S}]$/u.test(ch) ? 0 : /^\s$/u.test(ch) ? 2 : 1);
  return [...required].sort((a, b) => rank(a) - rank(b)).slice(0, 2);
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A pattern or name in single quotes, on one line. */
function quote(text: string): string {
  const escaped = text.replace(/[\0-\x1f\x7f]/g, (ch) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[ch] ?? `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
  return `'${escaped}'`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return quote(value);
  return JSON.stringify(value) ?? String(value);
}

function usage(message: string, cause?: unknown): GuildStageError {
  return new GuildStageError('USAGE', message, cause === undefined ? {} : { cause });
}
