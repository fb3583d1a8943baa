/**
 * Select rules compiled once per staging: each glob becomes one picomatch matcher, plus the
 * little the walker needs to know to skip whole directories no rule can reach into.
 *
 * A rule that matches a directory applies to everything inside it, as in `.gitignore`:
 * `exclude: data` drops `data/**`, `include: node_modules/mylib` brings that package in.
 * Among the rules matching a path or one of its directories, the last one wins.
 */
import { createRequire } from 'node:module';
import { GuildStageError } from '../errors.js';

/** picomatch loads only when a project has select rules; most stagings have none. */
const load = createRequire(import.meta.url);
let picomatch: typeof import('picomatch') | undefined;

/** One select rule. Among all rules, the last one matching a path wins. */
export interface SelectRule {
  type: 'include' | 'exclude';
  /**
   * picomatch glob relative to the project, '/' separators, dot: true. A rule matching a
   * directory applies to everything inside it (`exclude: data`), as in `.gitignore`.
   */
  pattern: string;
}

/** The index of the winning rule; `NO_RULE` when none matched. */
export const NO_RULE = -1;

interface CompiledRule {
  type: SelectRule['type'];
  matches: (path: string) => boolean;
  /** The glob's static directory prefix (`src` for `src/*.py`), '' when it has none. */
  base: string;
  /** How many path segments below `base` the glob spans; Infinity when unbounded. */
  depth: number;
  /** The last segment has a character that is no glob syntax. */
  names: boolean;
}

/** Compiled select rules; paths are relative to the project with '/' separators. */
export interface RuleSet {
  readonly hasIncludes: boolean;
  /** Index of the last rule after `floor` that matches `path`, else `floor`. */
  lastMatch(path: string, floor: number): number;
  /** The type of the rule at `index`, undefined for `NO_RULE`. */
  typeAt(index: number): SelectRule['type'] | undefined;
  /** Whether an include rule after `floor` could match a path strictly inside `dir`. */
  includeCouldReachInside(dir: string, floor: number): boolean;
  /** The last rule matching `dir` or one of its parents (memoized), `NO_RULE` for none. */
  dirMatch(dir: string): number;
  /**
   * Whether an include rule names the file `path`: it matches the path itself (not one of its
   * directories) and its last segment is more than wildcards (`.env`, `keys/*.pem`; not `**`).
   */
  namesFile(path: string): boolean;
}

/** Compiles `rules`; a malformed rule is a USAGE error naming it. */
export function compileRules(rules: readonly SelectRule[] = []): RuleSet {
  const compiled = rules.map(compileRule);
  const lastMatch = (path: string, floor: number): number => {
    for (let i = compiled.length - 1; i > floor; i--) if (compiled[i].matches(path)) return i;
    return floor;
  };
  const dirMatches = new Map<string, number>([['', NO_RULE]]);
  const dirMatch = (dir: string): number => {
    let index = dirMatches.get(dir);
    if (index === undefined) {
      index = lastMatch(dir, dirMatch(parentDir(dir)));
      dirMatches.set(dir, index);
    }
    return index;
  };
  return {
    hasIncludes: compiled.some((rule) => rule.type === 'include'),
    lastMatch,
    dirMatch,
    typeAt: (index) => compiled[index]?.type,
    namesFile: (path) => compiled.some((rule) => rule.type === 'include' && rule.names && rule.matches(path)),
    includeCouldReachInside(dir, floor) {
      for (let i = floor + 1; i < compiled.length; i++) {
        if (compiled[i].type === 'include' && couldReachInside(compiled[i], dir)) return true;
      }
      return false;
    },
  };
}

function compileRule(rule: SelectRule, index: number): CompiledRule {
  if (rule === null || typeof rule !== 'object' || (rule.type !== 'include' && rule.type !== 'exclude')) {
    throw new GuildStageError('USAGE', `select rule ${index + 1} must have type 'include' or 'exclude'`);
  }
  const pattern = normalizePattern(rule.pattern);
  if (pattern === '') {
    throw new GuildStageError('USAGE', `select rule ${index + 1} (${rule.type}) has an empty pattern`);
  }
  picomatch ??= load('picomatch') as typeof import('picomatch');
  const scan = picomatch.scan(pattern);
  return {
    type: rule.type,
    matches: picomatch(pattern, { dot: true }),
    base: scan.negated ? '' : scan.base,
    depth: globDepth(scan.glob, scan.negated),
    names: /[^*?[\]{}()!+@|]/.test(pattern.slice(pattern.lastIndexOf('/') + 1)),
  };
}

/** Patterns are relative to the project whichever way they are written: `./src/`, `/src`, `src`. */
function normalizePattern(pattern: unknown): string {
  if (typeof pattern !== 'string') return '';
  return pattern.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
}

/** Braces and extglobs may hide a '/' or repeat one, so they count as unbounded. */
function globDepth(glob: string, negated: boolean): number {
  if (negated || /\*\*|[{(]/.test(glob)) return Infinity;
  return glob === '' ? 0 : glob.split('/').length;
}

/** The directory holding `path`, '' at the top. */
export function parentDir(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

function segments(path: string): number {
  if (path === '') return 0;
  let count = 1;
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) count++;
  return count;
}

/**
 * A rule matches paths exactly `depth` segments below its base (and, by the directory rule,
 * everything under those). Whatever it matches at or above `dir` is already inherited, so it
 * reaches inside only when its base is inside `dir` or it spans deeper than `dir`.
 */
function couldReachInside(rule: CompiledRule, dir: string): boolean {
  const { base } = rule;
  let below: number;
  if (base === '') below = segments(dir);
  else if (dir === base) below = 0;
  else if (dir.startsWith(`${base}/`)) below = segments(dir) - segments(base);
  else return base.startsWith(`${dir}/`);
  return below < rule.depth;
}
