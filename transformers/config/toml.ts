/**
 * TOML config files (TOML 1.0, as Python's `tomllib` reads them), parsed with
 * `toml-eslint-parser`, which gives every value its exact span: each scalar leaf is a flag
 * (`[optim]` `lr` is `optim.lr`, the second `[[layers]]` table's `size` is `layers.1.size`)
 * and a new value replaces the old one's span in the old one's string style.
 */
import { type AST, ParseError, parseTOML } from 'toml-eslint-parser';
import { TransformError } from '../errors.js';
import { planEdits, splice, type LiteralSpan } from '../shared/edits.js';
import type { ApplyOptions, ApplyResult, FlagSite, FlagType, FlagValue, Transformer } from '../types.js';
import { flagNameOf, floatText, type KeyPath, leafType, SiteList } from './leaves.js';

interface TomlLeaf {
  site: FlagSite;
  node: AST.TOMLStringValue | AST.TOMLNumberValue | AST.TOMLBooleanValue;
}

function parse(source: string, file: string): AST.TOMLProgram {
  try {
    return parseTOML(source, { tomlVersion: '1.0' });
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    const line = error.lineNumber;
    throw new TransformError('source', `${file}:${line}: ${error.message}`, { file, line, cause: error });
  }
}

function keysOf(key: AST.TOMLKey): string[] {
  return key.keys.map((part) => (part.type === 'TOMLBare' ? part.name : part.value));
}

function findLeaves(source: string, file: string): TomlLeaf[] {
  const list = new SiteList(file);
  const leaves: TomlLeaf[] = [];
  const visit = (node: AST.TOMLContentNode, path: KeyPath): void => {
    if (node.type === 'TOMLArray') {
      node.elements.forEach((item, i) => {
        visit(item, [...path, i]);
      });
    } else if (node.type === 'TOMLInlineTable') {
      for (const pair of node.body) visit(pair.value, [...path, ...keysOf(pair.key)]);
    } else if (node.kind === 'string' || node.kind === 'integer' || node.kind === 'float' || node.kind === 'boolean') {
      if (flagNameOf(path) === undefined) return;
      if (node.kind === 'integer' && !Number.isSafeInteger(node.value)) return;
      const before = list.sites.length;
      list.add(path, node.value, leafType(node.value, node.kind === 'float'), node.loc.start.line);
      if (list.sites.length > before) leaves.push({ site: list.sites.at(-1)!, node });
    }
    // Dates and times are not flag values (Guild leaves them out too).
  };
  for (const entry of parse(source, file).body[0].body) {
    if (entry.type === 'TOMLKeyValue') visit(entry.value, keysOf(entry.key));
    else for (const pair of entry.body) visit(pair.value, [...entry.resolvedKey, ...keysOf(pair.key)]);
  }
  return leaves;
}

export function discoverToml(source: string, file: string): FlagSite[] {
  return findLeaves(source, file).map((leaf) => leaf.site);
}

/** Control characters TOML does not allow raw in a string (tab is allowed). */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;
const BASIC_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r',
};

function basicString(value: string, multiline: boolean, file: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      throw new TransformError('value', `${file}: TOML cannot hold a lone surrogate (\\u${code.toString(16)})`, {
        file,
      });
    }
    if (multiline && char === '\n') out += char;
    else if (BASIC_ESCAPES[char]) out += BASIC_ESCAPES[char];
    else if (CONTROL.test(char)) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  // A line break right after the opening quotes would be dropped by the reader.
  if (multiline && out.startsWith('\n')) out = `\\n${out.slice(1)}`;
  return multiline ? `"""${out}"""` : `"${out}"`;
}

/** A string in the style the old value was written in, when that style can hold it. */
function renderString(value: string, node: TomlLeaf['node'], file: string): string {
  const style = node.kind === 'string' ? node.style : 'basic';
  const multiline = node.kind === 'string' && node.multiline;
  const literalOk = !/[\u0000-\u0008\u000b-\u001f\u007f\ud800-\udfff]/.test(value);
  if (style === 'literal' && !multiline && literalOk && !/['\r\n]/.test(value)) return `'${value}'`;
  if (style === 'literal' && multiline && literalOk && !value.includes("'''") && !/^\n|'$|\r/.test(value)) {
    return `'''${value}'''`;
  }
  return basicString(value, multiline, file);
}

function renderToml(value: FlagValue, type: FlagType, node: TomlLeaf['node'], file: string): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    return type === 'float' ? floatText(value) : String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return renderString(value, node, file);
  // Leaves are never null in TOML, and a value is decoded to its leaf's type.
  throw new TransformError('value', `${file}: TOML cannot hold ${JSON.stringify(value)} here`, { file });
}

/** Rewrites the leaves named in `values`; names that are not leaves of `source` are `unused`. */
export function applyToml(source: string, values: Record<string, FlagValue>, opts: ApplyOptions): ApplyResult {
  const spanOf = ({ site, node }: TomlLeaf): LiteralSpan => ({
    name: site.name,
    line: site.line,
    start: node.range[0],
    end: node.range[1],
    current: site.default,
  });
  const render = ({ site, node }: TomlLeaf, value: FlagValue) => renderToml(value, site.type, node, opts.file);
  const { edits, unused } = planEdits(source, findLeaves(source, opts.file), values, spanOf, render);
  return { text: splice(source, edits), edits, unused };
}

/** The transformer for `.toml` config files. */
export const tomlConfig: Transformer = {
  language: 'toml',
  extensions: ['.toml'],
  modes: ['text'],
  discover: discoverToml,
  apply: applyToml,
};
