/**
 * Flags a Python script declares as command-line options: argparse's
 * `parser.add_argument('--lr', type=float, default=0.01, help=...)` and click's
 * `@click.option('--lr', default=0.01, type=float)`, wherever they are (usually inside a
 * function). The name is the one the script reads: argparse's `dest` (`dest=`, else the
 * first long option with `-` read as `_`), click's parameter name (an identifier among the
 * declarations, else the longest-prefixed option, lower-cased, `-` read as `_`). A call the
 * source does not spell out (`*args`, an option string in a variable, a custom action) is
 * not a flag.
 */
import type { TokenBuffer } from '../shared/token-buffer.js';
import type { FlagOption, FlagSite, FlagType, FlagValue } from '../types.js';
import { isPythonIdentifier } from './chars.js';
import { argText, type CallArg, type CallTokens, callArgs, isNameChar, readCall } from './calls.js';
import type { PythonFlag, Target } from './flag.js';
import { type Literal, parseLiteral } from './literals.js';
import { CodeProbes } from './probes.js';
import { decodeStringLiteral } from './string-literal.js';
import { skipComments, Tok } from './tokens.js';

export type OptionKind = 'argparse' | 'click';

/** Where option calls may be: the offsets of `add_argument`, `click.option` and `@option` in the text. */
export interface OptionProbes {
  probes: CodeProbes;
  kinds: Map<number, OptionKind>;
}

/** What a call's name is followed by before its `(`. */
const CALLEES: ReadonlyArray<[string, OptionKind]> = [
  ['add_argument', 'argparse'],
  ['click.option', 'click'],
];

/** The places to ask the lexer about, or null when the source names no option call at all. */
export function optionProbes(source: string): OptionProbes | null {
  const kinds = new Map<number, OptionKind>();
  for (const [name, kind] of CALLEES) {
    for (let at = source.indexOf(name); at >= 0; at = source.indexOf(name, at + name.length)) kinds.set(at, kind);
  }
  // `@option(...)` is click's only when the script imports it by that name.
  if (source.includes('@option') && /^[ \t]*from[ \t]+click[ \t]+import\b/m.test(source)) {
    for (let at = source.indexOf('@option'); at >= 0; at = source.indexOf('@option', at + 7)) kinds.set(at, 'click');
  }
  if (kinds.size === 0) return null;
  return {
    probes: new CodeProbes(
      source,
      [...kinds.keys()].sort((a, b) => a - b),
    ),
    kinds,
  };
}

/** The option flags at the probes the lexer found in code, in source order. */
export function optionFlags(source: string, file: string, { probes, kinds }: OptionProbes): PythonFlag[] {
  const flags: PythonFlag[] = [];
  for (const { offset, line } of probes.code()) {
    const kind = kinds.get(offset)!;
    const open = callOpen(source, offset, kind);
    if (open < 0) continue;
    const call = readCall(source, open, line, file);
    const flag = kind === 'argparse' ? argparseFlag(call, file) : clickFlag(call, file);
    if (flag) flags.push(flag);
  }
  return flags;
}

/** The offset of the call's `(`, or -1 when the text at `at` is not the call (`my_add_argument`, `x.click.option`). */
function callOpen(source: string, at: number, kind: OptionKind): number {
  let end: number;
  if (kind === 'argparse') {
    if (source.charCodeAt(at - 1) !== 0x2e) return -1;
    end = at + 'add_argument'.length;
  } else if (source.charCodeAt(at) === 0x40) end = at + '@option'.length;
  else {
    const before = source.charCodeAt(at - 1);
    if (at > 0 && (isNameChar(before) || before === 0x2e)) return -1;
    end = at + 'click.option'.length;
  }
  while (source.charCodeAt(end) === 0x20 || source.charCodeAt(end) === 0x09) end++;
  return source.charCodeAt(end) === 0x28 ? end : -1;
}

/** A call's option strings and keyword arguments. */
interface Declaration {
  call: CallTokens;
  /** The positional string arguments, with the span of the last one. */
  strings: string[];
  lastString: { start: number; end: number };
  keywords: Map<string, CallArg>;
}

function declaration(call: CallTokens): Declaration | null {
  const args = callArgs(call.tokens);
  if (args === null) return null;
  const strings: string[] = [];
  let lastString = { start: 0, end: 0 };
  const keywords = new Map<string, CallArg>();
  for (const arg of args) {
    if (arg.keyword !== null) {
      keywords.set(arg.keyword, arg);
      continue;
    }
    const value = stringArg(call.tokens, arg);
    if (value === null) return null;
    strings.push(value);
    const token = skipComments(call.tokens, arg.from, arg.to);
    lastString = { start: call.tokens.start(token), end: call.tokens.end(token) };
  }
  return strings.length > 0 ? { call, strings, lastString, keywords } : null;
}

/** The value of an argument that is one plain string literal, else null. */
function stringArg(tokens: TokenBuffer, arg: CallArg): string | null {
  const first = skipComments(tokens, arg.from, arg.to);
  if (first >= arg.to || tokens.kind(first) !== Tok.STRING || skipComments(tokens, first + 1, arg.to) !== arg.to)
    return null;
  return decodeStringLiteral(tokens.text(first))?.value ?? null;
}

/** A help text: one string or adjacent ones (`'Learning ' 'rate'`), else undefined. */
function helpText(tokens: TokenBuffer, arg: CallArg | undefined): string | undefined {
  if (!arg) return undefined;
  let text = '';
  for (let i = skipComments(tokens, arg.from, arg.to); i < arg.to; i = skipComments(tokens, i + 1, arg.to)) {
    if (tokens.kind(i) !== Tok.STRING) return undefined;
    const decoded = decodeStringLiteral(tokens.text(i));
    if (decoded === null) return undefined;
    text += decoded.value;
  }
  return text === '' ? undefined : text.replace(/\s+/g, ' ').trim();
}

/** The values of a list or tuple literal (`choices=['a', 'b']`, `('a', 'b')`), else undefined. */
function sequence(tokens: TokenBuffer, from: number, to: number, file: string): FlagValue[] | undefined {
  const first = skipComments(tokens, from, to);
  if (first >= to) return undefined;
  if (tokens.kind(first) === Tok.LSQB) {
    const literal = parseLiteral(tokens, first, to, file);
    return literal && Array.isArray(literal.value) ? literal.value : undefined;
  }
  if (tokens.kind(first) !== Tok.LPAR) return undefined;
  let last = to - 1;
  while (last > first && tokens.kind(last) === Tok.COMMENT) last--;
  if (tokens.kind(last) !== Tok.RPAR) return undefined;
  const items: FlagValue[] = [];
  let depth = 0;
  let start = first + 1;
  for (let i = first + 1; i <= last; i++) {
    const kind = tokens.kind(i);
    if (kind === Tok.LPAR || kind === Tok.LSQB || kind === Tok.LBRACE) depth++;
    else if ((kind === Tok.RPAR || kind === Tok.RSQB || kind === Tok.RBRACE) && i < last) depth--;
    else if (depth === 0 && (kind === Tok.COMMA || i === last)) {
      if (skipComments(tokens, start, i) < i) {
        const item = parseLiteral(tokens, start, i, file);
        if (item === null) return undefined;
        items.push(item.value);
      }
      start = i + 1;
    }
  }
  return items;
}

/** The name a `type=` gives, for Python's builtins and click's own types. */
const TYPES: Readonly<Record<string, FlagType>> = {
  int: 'int',
  float: 'float',
  str: 'string',
  bool: 'boolean',
  'click.INT': 'int',
  'click.FLOAT': 'float',
  'click.STRING': 'string',
  'click.BOOL': 'boolean',
};

/** What a `type=` tells: the type, and click's `Choice([...])` choices. */
function typeOf(decl: Declaration, file: string): { type?: FlagType; choices?: FlagValue[] } {
  const arg = decl.keywords.get('type');
  if (!arg) return {};
  const { tokens } = decl.call;
  const text = argText(tokens, arg.from, arg.to);
  const type = TYPES[text];
  if (type) return { type };
  const choice = /^(?:click\.)?Choice\s*\(/.exec(text);
  if (!choice) return {};
  const open = skipComments(tokens, arg.from, arg.to) + (text.startsWith('click.') ? 3 : 1);
  const first = callArgs(tokens, open)?.[0];
  if (!first || first.keyword !== null) return { type: 'string' };
  return { type: 'string', choices: sequence(tokens, first.from, first.to, file) };
}

/** The default: its literal, or its code when it is not one. */
function defaultOf(decl: Declaration, file: string): { literal: Literal | null; code?: string } | undefined {
  const arg = decl.keywords.get('default');
  if (!arg) return undefined;
  const literal = parseLiteral(decl.call.tokens, arg.from, arg.to, file);
  return literal ? { literal } : { literal: null, code: argText(decl.call.tokens, arg.from, arg.to) };
}

function isTrue(decl: Declaration, keyword: string): boolean {
  const arg = decl.keywords.get(keyword);
  return arg !== undefined && argText(decl.call.tokens, arg.from, arg.to) === 'True';
}

interface OptionSpec {
  name: string;
  kind: OptionKind;
  option: FlagOption;
  /** The type the action or declaration fixes (switches, lists), before `type=` and the default. */
  type?: FlagType;
  /** The default the library uses when the call gives none. */
  implied: FlagValue;
}

/** The flag of a declaration, once its kind's rules have named it and said what it takes. */
function optionFlag(decl: Declaration, spec: OptionSpec, file: string): PythonFlag | null {
  // argparse takes any dest (read with getattr), but a flag name must be one the script could write.
  if (!isPythonIdentifier(spec.name)) return null;
  const { call } = decl;
  const given = typeOf(decl, file);
  const dflt = defaultOf(decl, file);
  const option = { ...spec.option };
  if (dflt?.code !== undefined) option.defaultCode = dflt.code;
  if (isTrue(decl, 'required')) option.required = true;
  const literal = dflt?.literal ?? null;
  const value = literal ? literal.value : spec.implied;
  const type = spec.type ?? given.type ?? (literal && literal.type !== 'null' ? literal.type : 'string');
  const site: FlagSite = {
    name: spec.name,
    type,
    default: option.defaultCode !== undefined || option.required ? null : value,
    file,
    line: call.line,
    kind: spec.kind,
    option,
  };
  const description = helpText(call.tokens, decl.keywords.get('help'));
  if (description !== undefined) site.description = description;
  const choicesArg = decl.keywords.get('choices');
  const choices = choicesArg ? sequence(call.tokens, choicesArg.from, choicesArg.to, file) : given.choices;
  if (choices !== undefined) site.choices = choices;
  return { site, target: targetOf(decl, literal, option) };
}

function targetOf(decl: Declaration, literal: Literal | null, option: FlagOption): Target | null {
  if (option.defaultCode !== undefined || option.required) return null;
  const { base } = decl.call;
  if (literal) return { start: base + literal.start, end: base + literal.end, quote: literal.quote };
  const { start, end } = decl.lastString;
  const text = decl.call.tokens.source.slice(start, end);
  const quote = text.at(-1) as '"' | "'";
  return { start: base + start, end: base + end, quote, prefix: `${text}, default=` };
}

/** argparse's `nargs` that make a list: `+`, `*`, or a count. */
function takesList(decl: Declaration): boolean {
  const arg = decl.keywords.get('nargs');
  if (!arg) return false;
  const text = argText(decl.call.tokens, arg.from, arg.to);
  return /^(['"])[+*]\1$/.test(text) || /^[0-9]+$/.test(text);
}

function argparseFlag(call: CallTokens, file: string): PythonFlag | null {
  const decl = declaration(call);
  if (decl === null || !decl.strings.every((s) => s.length > 1 && s.startsWith('-'))) return null;
  const long = decl.strings.find((s) => s.startsWith('--'));
  const dest = decl.keywords.get('dest');
  const destName = dest ? stringArg(call.tokens, dest) : undefined;
  if (destName === null) return null;
  const name = destName ?? (long ?? decl.strings[0]!).replace(/^-+/, '').replaceAll('-', '_');
  const first = long ?? decl.strings[0]!;
  const actionArg = decl.keywords.get('action');
  const action = actionArg
    ? argText(call.tokens, actionArg.from, actionArg.to).replace(/^(['"])(.*)\1$/, '$2')
    : 'store';
  const base = { name, kind: 'argparse' as const };
  switch (action) {
    case 'store':
      return optionFlag(
        decl,
        {
          ...base,
          option: { name: first, ...(takesList(decl) && { list: true }) },
          ...(takesList(decl) && { type: 'list' as const }),
          implied: null,
        },
        file,
      );
    case 'store_true':
      return optionFlag(
        decl,
        { ...base, option: { name: first, switch: true }, type: 'boolean', implied: false },
        file,
      );
    case 'store_false':
      return optionFlag(decl, { ...base, option: { switch: true, off: first }, type: 'boolean', implied: true }, file);
    case 'argparse.BooleanOptionalAction':
    case 'BooleanOptionalAction': {
      if (!long) return null;
      const option = { name: long, switch: true, off: `--no-${long.slice(2)}` };
      return optionFlag(decl, { ...base, option, type: 'boolean', implied: null }, file);
    }
    default:
      return null;
  }
}

/** click's parameter name rules (`Option._parse_decls`). */
function clickFlag(call: CallTokens, file: string): PythonFlag | null {
  const decl = declaration(call);
  if (decl === null || isTrue(decl, 'count')) return null;
  let name: string | undefined;
  const opts: string[] = [];
  const secondary: string[] = [];
  for (const text of decl.strings) {
    if (!text.startsWith('-') && !text.includes('/')) {
      name = text;
      continue;
    }
    const slash = text.indexOf('/');
    const first = (slash < 0 ? text : text.slice(0, slash)).trimEnd();
    if (first) opts.push(first);
    if (slash >= 0 && text.slice(slash + 1).trim()) secondary.push(text.slice(slash + 1).trim());
  }
  if (opts.length === 0) return null;
  // The longest prefix wins, the first among equals: `--lr` over `-l`.
  const prefixed = opts.map((opt) => ({ opt, prefix: /^-*/.exec(opt)![0].length }));
  const longest = prefixed.reduce((best, next) => (next.prefix > best.prefix ? next : best));
  name ??= longest.opt.slice(longest.prefix).replaceAll('-', '_').toLowerCase();
  const multiple = isTrue(decl, 'multiple') || /^[2-9]|^[1-9][0-9]/.test(nargsText(decl));
  const base = { name, kind: 'click' as const };
  if (isTrue(decl, 'is_flag') || secondary.length > 0) {
    const option: FlagOption = { name: opts[0]!, switch: true, ...(secondary[0] && { off: secondary[0] }) };
    return optionFlag(decl, { ...base, option, type: 'boolean', implied: false }, file);
  }
  const option: FlagOption = { name: longest.opt, ...(multiple && { list: true }) };
  return optionFlag(decl, { ...base, option, ...(multiple && { type: 'list' as const }), implied: null }, file);
}

function nargsText(decl: Declaration): string {
  const arg = decl.keywords.get('nargs');
  return arg ? argText(decl.call.tokens, arg.from, arg.to) : '';
}
