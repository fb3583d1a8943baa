/**
 * Python `re` patterns as JavaScript regular expressions with the same meaning.
 *
 * Guild compiles output-scalar patterns with Python's `re`; users write them in that
 * dialect. This module parses a pattern by Python 3.11's grammar (same errors for the same
 * mistakes, with Python's messages and positions) and emits an equivalent JavaScript
 * pattern with the `v` flag. What is translated:
 *
 * - `(?P<name>...)`, `(?P=name)`, `(?#...)`, `(?>...)` and possessive `*+ ++ ?+ {m,n}+`
 *   (as a lookahead with a backreference), `{,n}`, a `{` that is not a quantifier.
 * - Inline flags: global `(?aimsux)` at the start; scoped `(?ms-x:...)`, `(?a:...)`. `.`,
 *   `^`, `$`, `\A`, `\Z` get Python's meaning (`.` stops only at `\n`, `$` also matches
 *   before a final `\n`, MULTILINE lines end only at `\n`), and so do `\d \s \w \b \B`
 *   (Unicode categories as Python defines them, or ASCII under `a`).
 * - Escapes: `\a`, octal, `\x`, `\u`, `\U`, and escaped punctuation.
 *
 * Refused with a clear error: conditional groups `(?(1)...)`, `\N{NAME}`, a scoped `i`
 * that differs from the whole pattern's, the `L` and `t` flags, atomic groups inside a
 * lookbehind.
 *
 * Known differences that remain, in how a match is found, not in what a pattern means:
 * a backreference to a group that did not take part matches empty in JavaScript (Python
 * fails); a group inside a repeated group is reset on each repetition in JavaScript (Python
 * keeps the last value); case-insensitive matching folds cases by Unicode's simple folding
 * (Python by `lower()` with a few extra pairs); under `(?ai)`, `\w` and `[a-z]` also match
 * U+017F and U+212A.
 */

const MAXREPEAT = 4294967295;
const MAXGROUPS = 1073741823;

/** A pattern Python's `re` would reject, or one this translation cannot carry over. */
export class PythonRegexError extends Error {
  override name = 'PythonRegexError';
  /** Python rejects the pattern too (false: valid Python we do not translate). */
  readonly invalid: boolean;
  constructor(message: string, invalid = true) {
    super(message);
    this.invalid = invalid;
  }
}

/** Flag bits, as in Python. */
const F_I = 2;
const F_M = 8;
const F_S = 16;
const F_X = 64;
const F_A = 256;
const F_U = 32;
const F_L = 4;
const F_T = 1;
const FLAG_BITS: Record<string, number> = { i: F_I, L: F_L, m: F_M, s: F_S, x: F_X, a: F_A, t: F_T, u: F_U };
const TYPE_FLAGS = F_A | F_L | F_U;
const GLOBAL_ONLY = F_T;

type Category = 'd' | 'D' | 's' | 'S' | 'w' | 'W';
type SetItem = { t: 'lit'; cp: number } | { t: 'range'; lo: number; hi: number } | { t: 'cat'; cat: Category };
type At = 'bol' | 'eol' | 'bos' | 'eos' | 'b' | 'B';

type Node =
  | { t: 'lit'; cp: number }
  | { t: 'any' }
  | { t: 'set'; negate: boolean; items: SetItem[] }
  | { t: 'at'; at: At }
  | { t: 'group'; index: number | null; add: number; del: number; body: Node[] }
  | { t: 'atomic'; body: Node[] }
  | { t: 'look'; behind: boolean; negate: boolean; body: Node[] }
  | { t: 'ref'; index: number }
  | { t: 'repeat'; min: number; max: number; kind: 'greedy' | 'lazy' | 'possessive'; body: Node[] }
  | { t: 'alt'; branches: Node[][] };

/** A translated pattern. */
export interface TranslatedRegex {
  /** The JavaScript pattern, for the `v` flag (plus `i` when `flags` says so). */
  source: string;
  /** `v`, or `iv`. */
  flags: string;
  /** Python's group count (`re.compile(p).groups`). */
  groups: number;
  /** Python's named groups and their numbers, in the order they are defined. */
  groupNames: ReadonlyMap<string, number>;
  /** For Python group n (1-based), the number of the JavaScript group holding it. */
  jsGroup: readonly number[];
  /** JavaScript's group count: more than Python's when atomic groups needed one. */
  jsGroups: number;
  /**
   * The same pattern, prefixed so that it only accepts a non-empty match, for the sticky
   * retry after an empty match (Python's `finditer` may then match at the same position).
   * Its groups are `jsGroup` shifted by one.
   */
  nonEmptySource: string;
  /** Characters every match's line must contain (sound for the prefilter; may be empty). */
  requiredChars: readonly string[];
}

const SPECIAL = new Set('.\\[{()*+?^$|');
const REPEAT_CHARS = new Set('*+?{');
const DIGITS = '0123456789';
const OCTDIGITS = '01234567';
const HEXDIGITS = '0123456789abcdefABCDEF';
const WHITESPACE = new Set(' \t\n\r\v\f');
const ESCAPES: Record<string, number> = {
  '\\a': 7,
  '\\b': 8,
  '\\f': 12,
  '\\n': 10,
  '\\r': 13,
  '\\t': 9,
  '\\v': 11,
  '\\\\': 92,
};
const CATEGORY_ESCAPES = new Set(['\\d', '\\D', '\\s', '\\S', '\\w', '\\W']);
const AT_ESCAPES: Record<string, At> = { '\\A': 'bos', '\\b': 'b', '\\B': 'B', '\\Z': 'eos' };
const IDENTIFIER = /^[\p{ID_Start}_][\p{ID_Continue}\u200c\u200d]*$/u;

class Tokenizer {
  private readonly chars: string[];
  private index = 0;
  next: string | null = null;

  constructor(readonly pattern: string) {
    this.chars = Array.from(pattern);
    this.advance();
  }

  private advance(): void {
    let index = this.index;
    if (index >= this.chars.length) {
      this.next = null;
      return;
    }
    let char = this.chars[index]!;
    if (char === '\\') {
      index++;
      if (index >= this.chars.length) {
        throw this.errorAt('bad escape (end of pattern)', this.chars.length - 1);
      }
      char += this.chars[index];
    }
    this.index = index + 1;
    this.next = char;
  }

  match(char: string): boolean {
    if (char === this.next) {
      this.advance();
      return true;
    }
    return false;
  }

  get(): string | null {
    const current = this.next;
    this.advance();
    return current;
  }

  getWhile(n: number, charset: string): string {
    let result = '';
    for (let i = 0; i < n; i++) {
      const c = this.next;
      if (c === null || c.length !== 1 || !charset.includes(c)) break;
      result += c;
      this.advance();
    }
    return result;
  }

  getUntil(terminator: string, name: string): string {
    let result = '';
    for (;;) {
      const c = this.next;
      this.advance();
      if (c === null) {
        if (!result) throw this.error(`missing ${name}`);
        throw this.error(`missing ${terminator}, unterminated name`, Array.from(result).length);
      }
      if (c === terminator) {
        if (!result) throw this.error(`missing ${name}`, 1);
        break;
      }
      result += c;
    }
    return result;
  }

  tell(): number {
    return this.index - (this.next === null ? 0 : Array.from(this.next).length);
  }

  seek(index: number): void {
    this.index = index;
    this.advance();
  }

  error(message: string, offset = 0): PythonRegexError {
    return this.errorAt(message, this.tell() - offset);
  }

  errorAt(message: string, pos: number): PythonRegexError {
    let where = `at position ${pos}`;
    if (this.chars.includes('\n')) {
      // Python adds the line and column when the pattern spans lines.
      const before = this.chars.slice(0, pos);
      const line = before.filter((c) => c === '\n').length + 1;
      where += ` (line ${line}, column ${pos - before.lastIndexOf('\n')})`;
    }
    return new PythonRegexError(`${message} ${where}`);
  }

  checkGroupName(name: string, offset: number): void {
    if (!IDENTIFIER.test(name)) {
      throw this.error(`bad character in group name ${pyRepr(name)}`, Array.from(name).length + offset);
    }
  }
}

interface ParseState {
  flags: number;
  groupNames: Map<string, number>;
  /** Width of each closed group (index 0 unused); undefined while open. */
  groupWidths: Array<[number, number] | undefined>;
  lookbehindGroups: number | null;
  /** Lookbehind bodies, whose width Python checks once the whole pattern is parsed. */
  lookbehinds: Node[][];
}

function groupsOf(state: ParseState): number {
  return state.groupWidths.length;
}

function checkGroupReference(state: ParseState, gid: number, source: Tokenizer, offset: number): void {
  if (state.groupWidths[gid] === undefined) throw source.error('cannot refer to an open group', offset);
  if (state.lookbehindGroups !== null && gid >= state.lookbehindGroups) {
    throw source.error('cannot refer to group defined in the same lookbehind subpattern');
  }
}

function classEscape(source: Tokenizer, token: string): SetItem {
  const code = ESCAPES[token];
  if (code !== undefined) return { t: 'lit', cp: code };
  if (CATEGORY_ESCAPES.has(token)) return { t: 'cat', cat: token[1] as Category };
  const c = token.slice(1);
  if (c === 'x' || c === 'u' || c === 'U') return { t: 'lit', cp: hexEscape(source, token, c) };
  if (c === 'N') throw namedCharacter(source);
  if (OCTDIGITS.includes(c)) {
    const digits = token + source.getWhile(2, OCTDIGITS);
    const value = Number.parseInt(digits.slice(1), 8);
    if (value > 0o377) {
      throw source.error(`octal escape value ${digits} outside of range 0-0o377`, digits.length);
    }
    return { t: 'lit', cp: value };
  }
  if (DIGITS.includes(c) || /^[a-zA-Z]$/.test(c)) throw source.error(`bad escape ${token}`, token.length);
  return { t: 'lit', cp: c.codePointAt(0)! };
}

function hexEscape(source: Tokenizer, token: string, c: string): number {
  const width = c === 'x' ? 2 : c === 'u' ? 4 : 8;
  const full = token + source.getWhile(width, HEXDIGITS);
  if (full.length !== width + 2) throw source.error(`incomplete escape ${full}`, full.length);
  const value = Number.parseInt(full.slice(2), 16);
  if (value > 0x10ffff) throw source.error(`bad escape ${full}`, full.length);
  return value;
}

function namedCharacter(source: Tokenizer): PythonRegexError {
  return new PythonRegexError(
    `named character escapes (\\N{...}) are not supported, write the character or \\uXXXX (at position ${source.tell() - 2})`,
    false,
  );
}

function escapeNode(source: Tokenizer, token: string, state: ParseState): Node {
  const at = AT_ESCAPES[token];
  if (at) return { t: 'at', at };
  if (CATEGORY_ESCAPES.has(token)) return { t: 'set', negate: false, items: [{ t: 'cat', cat: token[1] as Category }] };
  const code = ESCAPES[token];
  if (code !== undefined) return { t: 'lit', cp: code };
  const c = token.slice(1);
  if (c === 'x' || c === 'u' || c === 'U') return { t: 'lit', cp: hexEscape(source, token, c) };
  if (c === 'N') throw namedCharacter(source);
  if (c === '0') {
    const digits = token + source.getWhile(2, OCTDIGITS);
    return { t: 'lit', cp: Number.parseInt(digits.slice(1), 8) };
  }
  if (DIGITS.includes(c)) {
    let digits = token;
    if (source.next !== null && DIGITS.includes(source.next)) {
      digits += source.get();
      if (
        OCTDIGITS.includes(digits[1]!) &&
        OCTDIGITS.includes(digits[2]!) &&
        source.next !== null &&
        OCTDIGITS.includes(source.next)
      ) {
        digits += source.get();
        const value = Number.parseInt(digits.slice(1), 8);
        if (value > 0o377) {
          throw source.error(`octal escape value ${digits} outside of range 0-0o377`, digits.length);
        }
        return { t: 'lit', cp: value };
      }
    }
    const group = Number.parseInt(digits.slice(1), 10);
    if (group < groupsOf(state)) {
      checkGroupReference(state, group, source, digits.length);
      return { t: 'ref', index: group };
    }
    throw source.error(`invalid group reference ${group}`, digits.length - 1);
  }
  if (/^[a-zA-Z]$/.test(c)) throw source.error(`bad escape ${token}`, token.length);
  return { t: 'lit', cp: c.codePointAt(0)! };
}

function parseSub(source: Tokenizer, state: ParseState, verbose: boolean, nested: number): Node[] {
  const items: Node[][] = [];
  for (;;) {
    items.push(parseSeq(source, state, verbose, nested + 1, !nested && items.length === 0));
    if (!source.match('|')) break;
    if (!nested) verbose = (state.flags & F_X) !== 0;
  }
  if (items.length === 1) return items[0]!;
  return [{ t: 'alt', branches: items }];
}

function parseSeq(source: Tokenizer, state: ParseState, verboseIn: boolean, nested: number, first: boolean): Node[] {
  let verbose = verboseIn;
  const seq: Node[] = [];
  for (;;) {
    const current = source.next;
    if (current === null || current === '|' || current === ')') break;
    source.get();
    if (verbose) {
      if (WHITESPACE.has(current)) continue;
      if (current === '#') {
        for (;;) {
          const c = source.get();
          if (c === null || c === '\n') break;
        }
        continue;
      }
    }
    if (current[0] === '\\' && current.length > 1) {
      seq.push(escapeNode(source, current, state));
    } else if (!SPECIAL.has(current)) {
      seq.push({ t: 'lit', cp: current.codePointAt(0)! });
    } else if (current === '[') {
      seq.push(parseSet(source));
    } else if (REPEAT_CHARS.has(current)) {
      const here = source.tell();
      let min = 0;
      let max = MAXREPEAT;
      if (current === '?') max = 1;
      else if (current === '+') min = 1;
      else if (current === '{') {
        if (source.next === '}') {
          seq.push({ t: 'lit', cp: 0x7b });
          continue;
        }
        let lo = '';
        let hi = '';
        while (source.next !== null && DIGITS.includes(source.next)) lo += source.get();
        if (source.match(',')) {
          while (source.next !== null && DIGITS.includes(source.next)) hi += source.get();
        } else hi = lo;
        if (!source.match('}')) {
          seq.push({ t: 'lit', cp: 0x7b });
          source.seek(here);
          continue;
        }
        if (lo) {
          min = Number(lo);
          if (min >= MAXREPEAT) throw new PythonRegexError('the repetition number is too large');
        }
        if (hi) {
          max = Number(hi);
          if (max >= MAXREPEAT) throw new PythonRegexError('the repetition number is too large');
          if (max < min) throw source.error('min repeat greater than max repeat', source.tell() - here);
        }
      }
      const item = seq[seq.length - 1];
      if (!item || item.t === 'at') throw source.error('nothing to repeat', source.tell() - here + current.length);
      if (item.t === 'repeat') throw source.error('multiple repeat', source.tell() - here + current.length);
      const kind = source.match('?') ? 'lazy' : source.match('+') ? 'possessive' : 'greedy';
      seq[seq.length - 1] = { t: 'repeat', min, max, kind, body: [item] };
    } else if (current === '.') {
      seq.push({ t: 'any' });
    } else if (current === '(') {
      const node = parseGroup(source, state, verbose, nested, first && seq.length === 0);
      if (node === 'global-flags') {
        verbose = (state.flags & F_X) !== 0;
        continue;
      }
      if (node) seq.push(node);
    } else if (current === '^') {
      seq.push({ t: 'at', at: 'bol' });
    } else if (current === '$') {
      seq.push({ t: 'at', at: 'eol' });
    }
  }
  return seq;
}

function parseSet(source: Tokenizer): Node {
  const here = source.tell() - 1;
  const items: SetItem[] = [];
  const negate = source.match('^');
  for (;;) {
    const current = source.get();
    if (current === null) throw source.error('unterminated character set', source.tell() - here);
    if (current === ']' && items.length > 0) break;
    const code1: SetItem =
      current[0] === '\\' && current.length > 1
        ? classEscape(source, current)
        : { t: 'lit', cp: current.codePointAt(0)! };
    if (source.match('-')) {
      const that = source.get();
      if (that === null) throw source.error('unterminated character set', source.tell() - here);
      if (that === ']') {
        items.push(code1, { t: 'lit', cp: 0x2d });
        break;
      }
      const code2: SetItem =
        that[0] === '\\' && that.length > 1 ? classEscape(source, that) : { t: 'lit', cp: that.codePointAt(0)! };
      const width = Array.from(current).length + 1 + Array.from(that).length;
      if (code1.t !== 'lit' || code2.t !== 'lit' || code2.cp < code1.cp) {
        throw source.error(`bad character range ${current}-${that}`, width);
      }
      items.push({ t: 'range', lo: code1.cp, hi: code2.cp });
    } else {
      items.push(code1);
    }
  }
  return { t: 'set', negate, items };
}

function parseGroup(
  source: Tokenizer,
  state: ParseState,
  verbose: boolean,
  nested: number,
  first: boolean,
): Node | 'global-flags' | null {
  const start = source.tell() - 1;
  let capture = true;
  let atomic = false;
  let name: string | null = null;
  let add = 0;
  let del = 0;
  if (source.match('?')) {
    const char = source.get();
    if (char === null) throw source.error('unexpected end of pattern');
    if (char === 'P') {
      if (source.match('<')) {
        name = source.getUntil('>', 'group name');
        source.checkGroupName(name, 1);
      } else if (source.match('=')) {
        const ref = source.getUntil(')', 'group name');
        source.checkGroupName(ref, 1);
        const gid = state.groupNames.get(ref);
        const width = Array.from(ref).length + 1;
        if (gid === undefined) throw source.error(`unknown group name ${pyRepr(ref)}`, width);
        checkGroupReference(state, gid, source, width);
        return { t: 'ref', index: gid };
      } else {
        const c = source.get();
        if (c === null) throw source.error('unexpected end of pattern');
        throw source.error(`unknown extension ?P${c}`, c.length + 2);
      }
    } else if (char === ':') {
      capture = false;
    } else if (char === '#') {
      for (;;) {
        if (source.next === null) throw source.error('missing ), unterminated comment', source.tell() - start);
        if (source.get() === ')') break;
      }
      return null;
    } else if (char === '=' || char === '!' || char === '<') {
      let kind = char;
      let behind = false;
      let outerLookbehind: number | null = null;
      if (char === '<') {
        const c = source.get();
        if (c === null) throw source.error('unexpected end of pattern');
        if (c !== '=' && c !== '!') throw source.error(`unknown extension ?<${c}`, c.length + 2);
        kind = c;
        behind = true;
        outerLookbehind = state.lookbehindGroups;
        if (outerLookbehind === null) state.lookbehindGroups = groupsOf(state);
      }
      const body = parseSub(source, state, verbose, nested + 1);
      if (behind && outerLookbehind === null) state.lookbehindGroups = null;
      if (!source.match(')')) throw source.error('missing ), unterminated subpattern', source.tell() - start);
      const node: Node = { t: 'look', behind, negate: kind === '!', body };
      if (behind) state.lookbehinds.push(body);
      return node;
    } else if (char === '(') {
      source.getUntil(')', 'group name');
      throw new PythonRegexError(
        `conditional groups (?(...)...) are not supported (at position ${source.tell() - 3})`,
        false,
      );
    } else if (char === '>') {
      capture = false;
      atomic = true;
    } else if (char in FLAG_BITS || char === '-') {
      const flags = parseFlags(source, state, char);
      if (flags === null) {
        if (!first) throw source.error('global flags not at the start of the expression', source.tell() - start);
        return 'global-flags';
      }
      [add, del] = flags;
      capture = false;
    } else {
      throw source.error(`unknown extension ?${char}`, char.length + 1);
    }
  }
  let group: number | null = null;
  if (capture) {
    group = groupsOf(state);
    if (group + 1 > MAXGROUPS) throw new PythonRegexError('too many groups');
    if (name !== null) {
      const previous = state.groupNames.get(name);
      if (previous !== undefined) {
        throw source.error(
          `redefinition of group name ${pyRepr(name)} as group ${group}; was group ${previous}`,
          Array.from(name).length + 1,
        );
      }
      state.groupNames.set(name, group);
    }
    state.groupWidths.push(undefined);
  }
  const subVerbose = (verbose || (add & F_X) !== 0) && (del & F_X) === 0;
  const body = parseSub(source, state, subVerbose, nested + 1);
  if (!source.match(')')) throw source.error('missing ), unterminated subpattern', source.tell() - start);
  if (group !== null) state.groupWidths[group] = widthOf(body, state);
  if (atomic) return { t: 'atomic', body };
  return { t: 'group', index: group, add, del, body };
}

function parseFlags(source: Tokenizer, state: ParseState, firstChar: string): [number, number] | null {
  let add = 0;
  let del = 0;
  let char: string | null = firstChar;
  if (char !== '-') {
    for (;;) {
      const flag = FLAG_BITS[char]!;
      if (char === 'L') throw source.error("bad inline flags: cannot use 'L' flag with a str pattern");
      add |= flag;
      if (flag & TYPE_FLAGS && (add & TYPE_FLAGS) !== flag) {
        throw source.error("bad inline flags: flags 'a', 'u' and 'L' are incompatible");
      }
      char = source.get();
      if (char === null) throw source.error('missing -, : or )');
      if (char === ')' || char === '-' || char === ':') break;
      if (!(char in FLAG_BITS)) {
        throw source.error(/^\p{L}$/u.test(char) ? 'unknown flag' : 'missing -, : or )', char.length);
      }
    }
  }
  if (char === ')') {
    state.flags |= add;
    return null;
  }
  if (add & GLOBAL_ONLY) throw source.error('bad inline flags: cannot turn on global flag', 1);
  if (char === '-') {
    char = source.get();
    if (char === null) throw source.error('missing flag');
    if (!(char in FLAG_BITS)) throw source.error(/^\p{L}$/u.test(char) ? 'unknown flag' : 'missing flag', char.length);
    for (;;) {
      const flag = FLAG_BITS[char]!;
      if (flag & TYPE_FLAGS) throw source.error("bad inline flags: cannot turn off flags 'a', 'u' and 'L'");
      del |= flag;
      char = source.get();
      if (char === null) throw source.error('missing :');
      if (char === ':') break;
      if (!(char in FLAG_BITS)) throw source.error(/^\p{L}$/u.test(char) ? 'unknown flag' : 'missing :', char.length);
    }
  }
  if (del & GLOBAL_ONLY) throw source.error('bad inline flags: cannot turn off global flag', 1);
  if (add & del) throw source.error('bad inline flags: flag turned on and off', 1);
  return [add, del];
}

/** Python's SubPattern.getwidth(): the (min, max) length of what `seq` matches. */
function widthOf(seq: readonly Node[], state: ParseState): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const node of seq) {
    switch (node.t) {
      case 'alt': {
        let i = MAXREPEAT - 1;
        let j = 0;
        for (const branch of node.branches) {
          const [l, h] = widthOf(branch, state);
          i = Math.min(i, l);
          j = Math.max(j, h);
        }
        lo += i;
        hi += j;
        break;
      }
      case 'atomic':
      case 'group': {
        const [i, j] = widthOf(node.body, state);
        lo += i;
        hi += j;
        break;
      }
      case 'repeat': {
        const [i, j] = widthOf(node.body, state);
        lo += i * node.min;
        hi += j * node.max;
        break;
      }
      case 'lit':
      case 'any':
      case 'set':
        lo += 1;
        hi += 1;
        break;
      case 'ref': {
        const [i, j] = state.groupWidths[node.index]!;
        lo += i;
        hi += j;
        break;
      }
      default:
        break;
    }
  }
  return [Math.min(lo, MAXREPEAT - 1), Math.min(hi, MAXREPEAT)];
}

// ---------------------------------------------------------------------------------------
// Emitting JavaScript

const PY_SPACE_ITEMS = '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const ASCII_SPACE_ITEMS = '\\t-\\r\\x20';
const WORD_ITEMS = '\\p{L}\\p{N}_';
const ASCII_WORD_ITEMS = 'A-Za-z0-9_';
const SYNTAX_CHARS = new Set('^$\\.*+?()[]{}|/');

function hex(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

/** A literal outside a class, in `v`-mode syntax. */
function literalOutside(cp: number): string {
  if (cp >= 0x20 && cp < 0x7f) {
    const ch = String.fromCharCode(cp);
    return SYNTAX_CHARS.has(ch) ? `\\${ch}` : ch;
  }
  return hex(cp);
}

/** A literal inside a `v`-mode class, where most punctuation is reserved. */
function literalInside(cp: number): string {
  if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || cp === 0x5f) {
    return String.fromCharCode(cp);
  }
  if (cp === 0x20) return '\\x20';
  return hex(cp);
}

/** The class items (no brackets) for a category, or a nested class for the negated ones. */
function categoryItems(cat: Category, ascii: boolean): string {
  switch (cat) {
    case 'd':
      return ascii ? '0-9' : '\\p{Nd}';
    case 'D':
      return ascii ? '[^0-9]' : '\\P{Nd}';
    case 's':
      return ascii ? ASCII_SPACE_ITEMS : PY_SPACE_ITEMS;
    case 'S':
      return `[^${ascii ? ASCII_SPACE_ITEMS : PY_SPACE_ITEMS}]`;
    case 'w':
      return ascii ? ASCII_WORD_ITEMS : WORD_ITEMS;
    case 'W':
      return `[^${ascii ? ASCII_WORD_ITEMS : WORD_ITEMS}]`;
  }
}

interface EmitContext {
  /** Python group number -> JavaScript group number. */
  jsGroup: number[];
  /** JavaScript groups opened so far. */
  count: number;
  globalIgnoreCase: boolean;
  inLookbehind: boolean;
}

function emitSeq(seq: readonly Node[], flags: number, ctx: EmitContext): string {
  let out = '';
  for (const node of seq) out += emitNode(node, flags, ctx);
  return out;
}

function emitNode(node: Node, flags: number, ctx: EmitContext): string {
  const ascii = (flags & F_A) !== 0;
  switch (node.t) {
    case 'lit':
      return literalOutside(node.cp);
    case 'any':
      return flags & F_S ? '[\\s\\S]' : '[^\\n]';
    case 'set': {
      let inner = '';
      for (const item of node.items) {
        if (item.t === 'lit') inner += literalInside(item.cp);
        else if (item.t === 'range') inner += `${literalInside(item.lo)}-${literalInside(item.hi)}`;
        else inner += categoryItems(item.cat, ascii);
      }
      return `[${node.negate ? '^' : ''}${inner}]`;
    }
    case 'at':
      return emitAt(node.at, flags);
    case 'group': {
      // Python's _combine_flags: a scoped a/u replaces the pattern's.
      const base = node.add & TYPE_FLAGS ? flags & ~TYPE_FLAGS : flags;
      const bodyFlags = (base | node.add) & ~node.del;
      if (((bodyFlags & F_I) !== 0) !== ctx.globalIgnoreCase) {
        throw new PythonRegexError(
          'a scoped (?i:...) or (?-i:...) that differs from the whole pattern is not supported; put (?i) at the start instead',
          false,
        );
      }
      if (node.index === null) return `(?:${emitSeq(node.body, bodyFlags, ctx)})`;
      ctx.count++;
      ctx.jsGroup[node.index] = ctx.count;
      return `(${emitSeq(node.body, bodyFlags, ctx)})`;
    }
    case 'atomic':
      return emitAtomic(() => emitSeq(node.body, flags, ctx), ctx);
    case 'look': {
      const wasBehind = ctx.inLookbehind;
      if (node.behind) ctx.inLookbehind = true;
      const body = emitSeq(node.body, flags, ctx);
      ctx.inLookbehind = wasBehind;
      return `(?${node.behind ? '<' : ''}${node.negate ? '!' : '='}${body})`;
    }
    case 'ref':
      return `(?:\\${ctx.jsGroup[node.index]})`;
    case 'repeat': {
      const emitRepeat = (kind: 'greedy' | 'lazy'): string => {
        const single = node.body.length === 1 && isSingle(node.body[0]!);
        const body = emitSeq(node.body, flags, ctx);
        const atom = single ? body : `(?:${body})`;
        return `${atom}${quantifier(node.min, node.max)}${kind === 'lazy' ? '?' : ''}`;
      };
      if (node.kind === 'possessive') return emitAtomic(() => emitRepeat('greedy'), ctx);
      return emitRepeat(node.kind);
    }
    case 'alt':
      return `(?:${node.branches.map((branch) => emitSeq(branch, flags, ctx)).join('|')})`;
  }
}

function isSingle(node: Node): boolean {
  return node.t === 'lit' || node.t === 'any' || node.t === 'set';
}

function quantifier(min: number, max: number): string {
  const unbounded = max >= MAXREPEAT;
  if (min === 0 && unbounded) return '*';
  if (min === 1 && unbounded) return '+';
  if (min === 0 && max === 1) return '?';
  if (unbounded) return `{${min},}`;
  if (min === max) return `{${min}}`;
  return `{${min},${max}}`;
}

/** An atomic group as a lookahead (which never backtracks into) and a backreference. */
function emitAtomic(body: () => string, ctx: EmitContext): string {
  if (ctx.inLookbehind) {
    throw new PythonRegexError('atomic groups and possessive repeats inside a lookbehind are not supported', false);
  }
  ctx.count++;
  const group = ctx.count;
  return `(?=(${body()}))(?:\\${group})`;
}

function emitAt(at: At, flags: number): string {
  const word = flags & F_A ? `[${ASCII_WORD_ITEMS}]` : `[${WORD_ITEMS}]`;
  switch (at) {
    case 'bos':
      return '^';
    case 'eos':
      return '$';
    case 'bol':
      return flags & F_M ? '(?<![^\\n])' : '^';
    case 'eol':
      // Python's `$` also matches before a newline that ends the string.
      return flags & F_M ? '(?![^\\n])' : '(?=\\n?$)';
    case 'b':
      return `(?:(?<=${word})(?!${word})|(?<!${word})(?=${word}))`;
    case 'B':
      // Python's \B never matches in an empty string.
      return `(?!^$)(?:(?<=${word})(?=${word})|(?<!${word})(?!${word}))`;
  }
}

// ---------------------------------------------------------------------------------------
// What every match needs: the prefilter

/** Characters that must occur in any string the sequence matches (positive lookarounds included). */
function requiredOf(seq: readonly Node[], ignoreCase: boolean): Set<string> {
  const out = new Set<string>();
  for (const node of seq) for (const ch of requiredOfNode(node, ignoreCase)) out.add(ch);
  return out;
}

function requiredOfNode(node: Node, ignoreCase: boolean): Set<string> {
  switch (node.t) {
    case 'lit': {
      const ch = String.fromCodePoint(node.cp);
      // Under IGNORECASE only characters no case folding can reach are safe to require.
      if (ignoreCase && !(node.cp < 0x80 && !/[A-Za-z]/.test(ch))) return new Set();
      return new Set([ch]);
    }
    case 'set':
      if (!node.negate && node.items.length === 1 && node.items[0]!.t === 'lit') {
        return requiredOfNode({ t: 'lit', cp: node.items[0]!.cp }, ignoreCase);
      }
      return new Set();
    case 'group':
    case 'atomic':
      return requiredOf(node.body, ignoreCase);
    case 'look':
      return node.negate ? new Set() : requiredOf(node.body, ignoreCase);
    case 'repeat':
      return node.min > 0 ? requiredOf(node.body, ignoreCase) : new Set();
    case 'alt': {
      const [firstBranch, ...rest] = node.branches.map((branch) => requiredOf(branch, ignoreCase));
      return new Set([...(firstBranch ?? [])].filter((ch) => rest.every((set) => set.has(ch))));
    }
    default:
      return new Set();
  }
}

// ---------------------------------------------------------------------------------------

/**
 * Translates a Python `re` pattern (as `re.compile(pattern)` reads it, no flags given).
 * Throws PythonRegexError with Python's message where Python would reject it, and with
 * `invalid: false` for valid Python this translation does not carry over.
 */
export function translatePythonRegex(pattern: string): TranslatedRegex {
  const source = new Tokenizer(pattern);
  const state: ParseState = {
    flags: 0,
    groupNames: new Map(),
    groupWidths: [[0, 0]],
    lookbehindGroups: null,
    lookbehinds: [],
  };
  const tree = parseSub(source, state, false, 0);
  if (source.next !== null) throw source.error('unbalanced parenthesis');
  if (state.flags & F_A && state.flags & F_U) throw new PythonRegexError('ASCII and UNICODE flags are incompatible');
  for (const body of state.lookbehinds) {
    const [lo, hi] = widthOf(body, state);
    if (lo !== hi) throw new PythonRegexError('look-behind requires fixed-width pattern');
  }
  if (state.flags & F_T) throw new PythonRegexError('the TEMPLATE flag (?t) is not supported', false);
  const ignoreCase = (state.flags & F_I) !== 0;
  const emit = (offset: number): { source: string; jsGroup: number[]; count: number } => {
    const ctx: EmitContext = {
      jsGroup: new Array<number>(groupsOf(state)).fill(0),
      count: offset,
      globalIgnoreCase: ignoreCase,
      inLookbehind: false,
    };
    const source = emitSeq(tree, state.flags, ctx);
    return { source, jsGroup: ctx.jsGroup, count: ctx.count };
  };
  const main = emit(0);
  const shifted = emit(1);
  return {
    source: main.source,
    flags: ignoreCase ? 'iv' : 'v',
    groups: groupsOf(state) - 1,
    groupNames: state.groupNames,
    jsGroup: main.jsGroup,
    jsGroups: main.count,
    // Group 1 holds the rest of the subject from the start; a match that consumed nothing
    // is followed by exactly that text, which the final lookahead refuses.
    nonEmptySource: `(?=([\\s\\S]*))(?:${shifted.source})(?!\\1)`,
    requiredChars: [...requiredOf(tree, ignoreCase)],
  };
}

/** Python's repr() of a string (printable non-ASCII characters are kept as they are). */
function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** A compiled Python pattern: `finditer` with Python's rules, over JavaScript matches. */
export class PyPattern {
  readonly translated: TranslatedRegex;
  private readonly regex: RegExp;
  private nonEmpty: RegExp | null = null;
  /** Python's group n is JavaScript's group n (no atomic group added one). */
  private readonly sameNumbers: boolean;

  /** Throws PythonRegexError (see translatePythonRegex). */
  constructor(readonly pattern: string) {
    this.translated = translatePythonRegex(pattern);
    try {
      this.regex = new RegExp(this.translated.source, `g${this.translated.flags}`);
    } catch (error) {
      // A translation JavaScript rejects is our bug, not the user's; say so plainly.
      throw new PythonRegexError(`cannot be translated to JavaScript (${(error as Error).message})`, false);
    }
    const { jsGroup, jsGroups, groups } = this.translated;
    this.sameNumbers = jsGroups === groups && jsGroup.every((js, py) => py === 0 || js === py);
  }

  /**
   * Calls `fn` for each match `re.finditer` would give, in order, with Python's groups
   * (index 0 the whole match, `undefined` for a group that did not take part), the match's
   * index, and `context`. The groups array is only valid during the call.
   * After an empty match Python may match again at the same position if that match is not
   * empty; JavaScript would move on, so that case retries with a variant that must consume.
   */
  forEachMatch<T>(
    text: string,
    fn: (groups: ArrayLike<string | undefined>, index: number, context: T) => void,
    context: T,
  ): void {
    const regex = this.regex;
    regex.lastIndex = 0;
    for (;;) {
      const m = regex.exec(text);
      if (m === null) return;
      const start = m.index;
      if (isInsidePair(text, start)) {
        // V8 tries lookbehind-led patterns between the halves of a surrogate pair even
        // under `v`; Python (and the spec) only try whole code points.
        regex.lastIndex = start + 1;
        continue;
      }
      fn(this.sameNumbers ? m : this.pick(m, 0), start, context);
      const end = start + m[0].length;
      if (end > start) {
        regex.lastIndex = end;
        continue;
      }
      if (start >= text.length) return;
      this.nonEmpty ??= new RegExp(this.translated.nonEmptySource, `y${this.translated.flags}`);
      this.nonEmpty.lastIndex = start;
      const again = this.nonEmpty.exec(text);
      if (again !== null) {
        fn(this.pick(again, 1), start, context);
        regex.lastIndex = start + again[0].length;
      } else {
        regex.lastIndex = start + (text.codePointAt(start)! > 0xffff ? 2 : 1);
      }
    }
  }

  /** Python's groups from a JavaScript match whose groups are numbered differently. */
  private pick(m: RegExpExecArray, offset: number): Array<string | undefined> {
    const { jsGroup, groups } = this.translated;
    const out: Array<string | undefined> = [m[0]];
    for (let g = 1; g <= groups; g++) out.push(m[jsGroup[g]! + offset]);
    return out;
  }
}

function isInsidePair(text: string, index: number): boolean {
  if (index === 0 || index >= text.length) return false;
  const before = text.charCodeAt(index - 1);
  const here = text.charCodeAt(index);
  return before >= 0xd800 && before <= 0xdbff && here >= 0xdc00 && here <= 0xdfff;
}
