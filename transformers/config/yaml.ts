/**
 * YAML config files: each scalar leaf is a flag (`model.hidden`, `layers.0`), read as
 * YAML 1.1 as Guild's and most scripts' reader (PyYAML) does, and rewritten in place: the
 * new value replaces the old one's exact span in the style it was written in (plain,
 * quoted, block), so comments, key order and indentation stay byte for byte.
 *
 * Discovery composes the document with the `yaml` library, which checks it all; writing
 * needs only its concrete syntax tree (CST) to find the few leaves that change, which
 * costs half a parse.
 */
import { CST, isMap, isPair, isScalar, isSeq, type Node, Parser, parse, parseDocument } from 'yaml';
import { TransformError } from '../errors.js';
import { planEdits, splice, type LiteralSpan } from '../shared/edits.js';
import { lineAt } from '../shared/line-breaks.js';
import type { ApplyOptions, ApplyResult, FlagSite, FlagType, FlagValue, Transformer } from '../types.js';
import { floatText, isPrintable, type KeyPath, LineIndex, leafType, SiteList, flagNameOf } from './leaves.js';

const SCHEMA = { schema: 'yaml-1.1' } as const;

/** Whether a plain number was written as a float (`1.0`, `1e-3`, `.inf`), not as an int (`256`, `0x10`). */
function writtenAsFloat(value: number, source: string): boolean {
  return !Number.isInteger(value) || (/[.eEnN]/.test(source) && !/^[-+]?0x/i.test(source));
}

/** A composed scalar as a flag value and type, or undefined when it is no flag value (a date, a tagged value). */
function scalarFlag(value: unknown, source: string): { value: FlagValue; type: FlagType } | undefined {
  if (typeof value === 'number') {
    const float = writtenAsFloat(value, source);
    if (!float && !Number.isSafeInteger(value)) return undefined;
    return { value, type: leafType(value, float) };
  }
  if (value === null || typeof value === 'string' || typeof value === 'boolean') {
    return { value, type: leafType(value, false) };
  }
  return undefined;
}

function parseError(file: string, line: number, message: string): TransformError {
  return new TransformError('source', `${file}:${line}: ${message.split('\n', 1)[0]}`, { file, line });
}

/** The scalar leaves of a YAML file, as flags. */
export function discoverYaml(source: string, file: string): FlagSite[] {
  const doc = parseDocument(source, { ...SCHEMA, prettyErrors: false, uniqueKeys: true });
  const [error] = doc.errors;
  if (error) throw parseError(file, lineAt(source, error.pos[0]), error.message);
  if (!isMap(doc.contents)) {
    throw parseError(file, 1, 'expected a mapping of keys to values at the top of the file');
  }
  const lines = new LineIndex(source);
  const list = new SiteList(file);
  const walk = (node: Node | null, path: KeyPath): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : undefined;
        // `<<` merges another mapping in: its leaves are that mapping's, changed there. A
        // number key counts as written (`3`, not `0x3`), so writing finds it by its text.
        const named =
          (typeof key === 'string' && key !== '<<') ||
          (typeof key === 'number' && String(key) === (pair.key as { source?: string }).source);
        if (named) walk(pair.value as Node, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        if (!isPair(item)) walk(item as Node, [...path, i]);
      });
      // An alias is not a leaf: its value is its anchor's, a flag where that is written.
    } else if (isScalar(node) && node.tag === undefined && flagNameOf(path) !== undefined) {
      const flag = scalarFlag(node.value, node.source ?? '');
      if (flag) list.add(path, flag.value, flag.type, lines.lineOf(node.range?.[0] ?? 0));
    }
  };
  walk(doc.contents, []);
  return list.sites;
}

/** A leaf found in the CST: where its value is, or where one goes when it has none (`key:`). */
interface CstLeaf {
  name: string;
  token: CST.FlowScalar | CST.BlockScalar | null;
  /** Offset of the value's text, or where a missing value goes. */
  start: number;
  end: number;
  inFlow: boolean;
}

const SCALAR_TYPES = new Set(['scalar', 'single-quoted-scalar', 'double-quoted-scalar', 'block-scalar']);

function keyOf(token: CST.Token | undefined): string | number | undefined {
  if (!token || !SCALAR_TYPES.has(token.type) || token.type === 'block-scalar') return undefined;
  const key = CST.resolveAsScalar(token)?.value;
  if (key === undefined || key === '<<') return undefined;
  return /^(?:0|[1-9][0-9]*)$/.test(key) ? Number(key) : key;
}

function tokenEnd(token: CST.FlowScalar | CST.BlockScalar): number {
  return token.offset + (token.type === 'block-scalar' ? CST.stringify(token) : token.source).length;
}

/** Finds the leaves named in `wanted` in the CST of `source`. */
function findCstLeaves(source: string, wanted: ReadonlySet<string>): CstLeaf[] {
  const found: CstLeaf[] = [];
  const visitValue = (
    token: CST.Token | undefined,
    path: KeyPath,
    inFlow: boolean,
    sep: readonly CST.SourceToken[] = [],
  ): void => {
    // A tagged value (`!!str 1`) is not a flag (see discoverYaml).
    if (sep.some((part) => part.type === 'tag')) return;
    if (token?.type === 'block-map' || token?.type === 'block-seq' || token?.type === 'flow-collection') {
      visitCollection(token, path);
      return;
    }
    const name = flagNameOf(path);
    if (name === undefined || !wanted.has(name)) return;
    if (token === undefined) {
      const indicator = sep.find((part) => part.type === 'map-value-ind');
      if (!indicator) return;
      const at = indicator.offset + indicator.source.length;
      found.push({ name, token: null, start: at, end: at, inFlow });
    } else if (SCALAR_TYPES.has(token.type)) {
      const scalar = token as CST.FlowScalar | CST.BlockScalar;
      found.push({ name, token: scalar, start: scalar.offset, end: tokenEnd(scalar), inFlow });
    }
  };
  const visitCollection = (token: CST.BlockMap | CST.BlockSequence | CST.FlowCollection, path: KeyPath): void => {
    const inFlow = token.type === 'flow-collection';
    const isSequence = token.type === 'block-seq' || (token.type === 'flow-collection' && token.start.source === '[');
    token.items.forEach((item, i) => {
      if (isSequence) {
        if (!('key' in item) || item.key === undefined) visitValue(item.value, [...path, i], inFlow, item.sep);
        return;
      }
      const key = 'key' in item ? keyOf(item.key as CST.Token | undefined) : undefined;
      if (key !== undefined) visitValue(item.value, [...path, key], inFlow, 'sep' in item ? item.sep : []);
    });
  };
  for (const token of new Parser().parse(source)) {
    if (token.type === 'document') {
      visitValue(token.value, [], false);
      break;
    }
  }
  return found;
}

/** The value a CST leaf holds now, as discovery would read it. */
function currentOf(leaf: CstLeaf): { value: FlagValue; type: FlagType; style: string } {
  if (!leaf.token) return { value: null, type: 'null', style: 'PLAIN' };
  const resolved = CST.resolveAsScalar(leaf.token);
  const style = resolved?.type ?? 'PLAIN';
  if (style !== 'PLAIN') return { value: resolved?.value ?? '', type: 'string', style };
  const text = leaf.token.source;
  const flag = scalarFlag(parse(text, SCHEMA), text);
  return { value: flag?.value ?? text, type: flag?.type ?? 'string', style };
}

/** Rewrites the leaves named in `values`; names that are not leaves of `source` are `unused`. */
export function applyYaml(source: string, values: Record<string, FlagValue>, _opts: ApplyOptions): ApplyResult {
  const leaves = findCstLeaves(source, new Set(Object.keys(values)));
  const current = new Map(leaves.map((leaf) => [leaf, currentOf(leaf)]));
  const spanOf = (leaf: CstLeaf): LiteralSpan => ({
    name: leaf.name,
    line: lineAt(source, leaf.start),
    start: leaf.start,
    end: leaf.end,
    current: current.get(leaf)!.value,
  });
  const render = (leaf: CstLeaf, value: FlagValue): string => {
    const { type, style } = current.get(leaf)!;
    const text = renderYaml(value, type, style, leaf);
    // `key:` had no value: the new one needs a space after the colon.
    return leaf.token ? text : ` ${text}`;
  };
  const { edits, unused } = planEdits(source, leaves, values, spanOf, render);
  return { text: splice(source, edits), edits, unused };
}

/** A value as YAML for a leaf of `type` written in `style`. */
function renderYaml(value: FlagValue, type: FlagType, style: string, leaf: CstLeaf): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return renderNumber(value, type === 'float');
  if (Array.isArray(value)) return `[${value.map((item) => renderYaml(item, 'null', 'PLAIN', leaf)).join(', ')}]`;
  if (style === 'BLOCK_LITERAL' || style === 'BLOCK_FOLDED') return renderBlock(value, leaf);
  if (style === 'QUOTE_SINGLE' && canSingleQuote(value)) return `'${value.replaceAll("'", "''")}'`;
  if (style === 'PLAIN' && canBePlain(value)) return value;
  return doubleQuoted(value);
}

/** A whole number for an int leaf; any other number in a float's form, which PyYAML needs (`1.0e-7`, not `1e-7`). */
function renderNumber(value: number, float: boolean): string {
  if (Number.isNaN(value)) return '.nan';
  if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf';
  return float || !Number.isInteger(value) ? floatText(value) : String(value);
}

/**
 * Plain text only when it cannot mean anything else: a conservative set of characters (no
 * `:`, `#`, flow indicators, leading indicators) that reads back as this same string under
 * YAML 1.1 and 1.2 (so not `yes`, `null`, `1e3`).
 */
function canBePlain(value: string): boolean {
  if (!/^[A-Za-z_/][A-Za-z0-9_ ./+-]*$/.test(value) || value.endsWith(' ')) return false;
  return parse(value, SCHEMA) === value && parse(value, { schema: 'core' }) === value;
}

const LINE_BREAK_LIKE = /[\r\n\u0085\u2028\u2029]/;

function allPrintable(value: string): boolean {
  for (const char of value) if (!isPrintable(char.codePointAt(0)!)) return false;
  return true;
}

/** Single quotes hold any printable text on one line (a line break in them folds to a space). */
function canSingleQuote(value: string): boolean {
  return !LINE_BREAK_LIKE.test(value) && allPrintable(value);
}

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r' };

/** Double quotes hold anything: what is not printable, or breaks a line, is escaped. */
export function doubleQuoted(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    const escaped = ESCAPES[char];
    if (escaped) out += escaped;
    else if (isPrintable(code) && !LINE_BREAK_LIKE.test(char)) out += char;
    else if (code <= 0xff) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/**
 * A block scalar keeps its indicator (`|`, or `>` for text on one line, which folds the
 * same), the comment after it and its indentation; its chomping indicator says how many
 * line breaks end the new text. Text a block cannot hold as written (non-printable
 * characters, CR, leading space, nothing) becomes a double-quoted string ending the line
 * the block ended.
 */
function renderBlock(value: string, leaf: CstLeaf): string {
  const token = leaf.token as CST.BlockScalar;
  if (/[\r\u0085\u2028\u2029]/.test(value) || !allPrintable(value) || /^[ \t\n]/.test(value) || value === '') {
    return `${doubleQuoted(value)}\n`;
  }
  const [header, ...rest] = token.props.map((prop) => CST.stringify(prop));
  const body = value.replace(/\n+$/, '');
  const breaks = value.length - body.length;
  const indicator = header?.startsWith('>') && !body.includes('\n') ? '>' : '|';
  const chomp = breaks === 0 ? '-' : breaks === 1 ? '' : '+';
  const indent = /^( *)\S/m.exec(token.source)?.[1] ?? ' '.repeat(token.indent + 2);
  const lines = body.split('\n').map((line) => (line === '' ? '' : indent + line));
  return `${indicator}${chomp}${rest.join('')}${lines.join('\n')}\n${'\n'.repeat(Math.max(0, breaks - 1))}`;
}

/** The transformer for `.yml` and `.yaml` config files. */
export const yamlConfig: Transformer = {
  language: 'yaml',
  extensions: ['.yml', '.yaml'],
  modes: ['text'],
  discover: discoverYaml,
  apply: applyYaml,
};
