/**
 * JSON config files, comments and trailing commas allowed (JSONC, as VS Code and many
 * tools write them), read with Microsoft's `jsonc-parser`: each scalar leaf is a flag and
 * a new value replaces the old one's exact span, so every other byte stays.
 */
import { type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { TransformError } from '../errors.js';
import { planEdits, splice, type LiteralSpan } from '../shared/edits.js';
import type { ApplyOptions, ApplyResult, FlagSite, FlagType, FlagValue, Transformer } from '../types.js';
import { flagNameOf, floatText, type KeyPath, LineIndex, leafType, SiteList } from './leaves.js';

interface JsonLeaf {
  site: FlagSite;
  node: Node;
}

/** The scalar leaves of `source` with their nodes; throws at the line of a syntax error. */
function findLeaves(source: string, file: string): JsonLeaf[] {
  const errors: ParseError[] = [];
  const root = parseTree(source, errors, { allowTrailingComma: true, disallowComments: false });
  const lines = new LineIndex(source);
  const [error] = errors;
  if (error) {
    const line = lines.lineOf(error.offset);
    throw new TransformError('source', `${file}:${line}: ${describe(printParseErrorCode(error.error))}`, {
      file,
      line,
    });
  }
  if (root?.type !== 'object') {
    throw new TransformError('source', `${file}:1: expected an object of keys to values at the top of the file`, {
      file,
      line: 1,
    });
  }
  const list = new SiteList(file);
  const leaves: JsonLeaf[] = [];
  const walk = (node: Node, path: KeyPath): void => {
    if (node.type === 'object') {
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key && value) walk(value, [...path, key.value as string]);
      }
    } else if (node.type === 'array') {
      (node.children ?? []).forEach((item, i) => {
        walk(item, [...path, i]);
      });
    } else if (flagNameOf(path) !== undefined) {
      const value = node.value as FlagValue;
      const float = typeof value === 'number' && /[.eE]/.test(source.slice(node.offset, node.offset + node.length));
      if (typeof value === 'number' && !float && !Number.isSafeInteger(value)) return;
      const before = list.sites.length;
      list.add(path, value, leafType(value, float), lines.lineOf(node.offset));
      if (list.sites.length > before) leaves.push({ site: list.sites.at(-1)!, node });
    }
  };
  walk(root, []);
  return leaves;
}

/** `CloseBraceExpected` -> `close brace expected`. */
function describe(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

export function discoverJson(source: string, file: string): FlagSite[] {
  return findLeaves(source, file).map((leaf) => leaf.site);
}

/** A value as JSON for a leaf of `type`; JSON has no NaN or infinity. */
function renderJson(value: FlagValue, type: FlagType, file: string, name: string): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new TransformError('value', `${file}: JSON cannot hold ${value} (flag ${name})`, { file });
    }
    return type === 'float' ? floatText(value) : String(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => renderJson(item, 'null', file, name)).join(', ')}]`;
  return JSON.stringify(value);
}

/** Rewrites the leaves named in `values`; names that are not leaves of `source` are `unused`. */
export function applyJson(source: string, values: Record<string, FlagValue>, opts: ApplyOptions): ApplyResult {
  const spanOf = ({ site, node }: JsonLeaf): LiteralSpan => ({
    name: site.name,
    line: site.line,
    start: node.offset,
    end: node.offset + node.length,
    current: site.default,
  });
  const render = ({ site }: JsonLeaf, value: FlagValue) => renderJson(value, site.type, opts.file, site.name);
  const { edits, unused } = planEdits(source, findLeaves(source, opts.file), values, spanOf, render);
  return { text: splice(source, edits), edits, unused };
}

/** The transformer for `.json` config files. */
export const jsonConfig: Transformer = {
  language: 'json',
  extensions: ['.json'],
  modes: ['text'],
  discover: discoverJson,
  apply: applyJson,
};
