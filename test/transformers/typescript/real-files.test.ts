/**
 * Real code from node_modules (read only, the packages test/helpers/real-files.ts lists):
 * a deterministic sample of a few hundred files, the TypeScript sources there, declaration
 * files and JavaScript read as TypeScript. A plugin tree of each prints back byte-identical,
 * and rewriting any flag in AST mode changes exactly that literal's span, matches text mode
 * and still parses.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsFlag } from '../../../transformers/javascript/index.js';
import { typescript } from '../../../transformers/typescript/index.js';
import type { FlagValue } from '../../../transformers/types.js';
import { NODE_MODULES, packageFiles, spread } from '../../helpers/real-files.js';

const MAX_BYTES = 300 * 1024;
const SAMPLE = 300;
/** Flags rewritten per file, spread over the file, so a bundle of hundreds stays cheap. */
const FLAGS_PER_FILE = 5;

const TS_SOURCE = /\.(?:ts|mts|cts|tsx)$/;
const DECLARATION = /\.d\.[mc]?ts$/;
const JS_SOURCE = /\.(?:js|mjs|cjs)$/;

type Kind = 'typescript' | 'declaration' | 'javascript';

function kindOf(file: string): Kind | undefined {
  if (DECLARATION.test(file)) return 'declaration';
  if (TS_SOURCE.test(file)) return 'typescript';
  return JS_SOURCE.test(file) ? 'javascript' : undefined;
}

/** Every TypeScript source, and declaration and JavaScript files spread evenly over the rest. */
function sample(): { path: string; kind: Kind }[] {
  const files = packageFiles(MAX_BYTES).flatMap((file) => {
    const kind = kindOf(file);
    return kind ? [{ path: file, kind }] : [];
  });
  const sources = files.filter((file) => file.kind === 'typescript');
  const others = files.filter((file) => file.kind !== 'typescript');
  return [...sources, ...spread(others, SAMPLE - sources.length)];
}

/** The name a file is parsed under: JavaScript is read as TypeScript. */
function tsName(file: string, kind: Kind): string {
  const base = path.basename(file);
  return kind === 'javascript' ? `${base}.ts` : base;
}

/** A value that renders differently from the flag's default, quotes and all. */
function otherValue(flag: JsFlag): FlagValue {
  const value = flag.default;
  switch (flag.type) {
    case 'int':
      return (value as number) + 1;
    case 'float':
      return Number.isFinite(value) ? (value as number) + 0.25 : 1.5;
    case 'string':
      return `${value as string}'"\`\${x}`;
    case 'boolean':
      return !value;
    case 'null':
      return 'set';
    case 'list':
      return [1, 'two', null];
    case 'complex':
      throw new Error('complex flags are R only');
  }
}

const files = sample().map(({ path: file, kind }) => ({
  file: path.relative(NODE_MODULES, file),
  kind,
  name: tsName(file, kind),
  source: readFileSync(file, 'utf8'),
}));

describe('typescript transformer on real files', () => {
  it('samples a few hundred files, the TypeScript sources among them', () => {
    expect(files.length).toBeGreaterThanOrEqual(250);
    const count = (kind: Kind) => files.filter((file) => file.kind === kind).length;
    expect(count('typescript')).toBeGreaterThan(0);
    expect(count('declaration')).toBeGreaterThan(50);
    expect(count('javascript')).toBeGreaterThan(50);
  });

  it('prints every untouched plugin tree byte-identical', () => {
    const differ = files.filter(
      ({ name, source }) => typescript.ast!.print(typescript.ast!.parse(source, name)) !== source,
    );
    expect(differ.map(({ file }) => file)).toEqual([]);
  });

  it('rewrites each discovered flag in AST mode, changing only its literal', () => {
    const failures: string[] = [];
    let rewritten = 0;
    for (const { file, name, source } of files) {
      let flags: JsFlag[];
      try {
        flags = typescript.discover(source, name) as JsFlag[];
      } catch {
        continue; // babel's TypeScript grammar rejects a few JavaScript files; discovery reports those itself.
      }
      for (const flag of spread(flags, FLAGS_PER_FILE)) {
        const value = otherValue(flag);
        const ast = typescript.apply(source, { [flag.name]: value }, { mode: 'ast', file: name });
        const [edit] = ast.edits;
        const where = `${file}:${flag.line} ${flag.name}`;
        rewritten++;
        if (ast.edits.length !== 1 || ast.text !== source.slice(0, flag.start) + edit!.after + source.slice(flag.end)) {
          failures.push(`${where}: changed more than the literal`);
        } else if (ast.text !== typescript.apply(source, { [flag.name]: value }, { mode: 'text', file: name }).text) {
          failures.push(`${where}: AST mode and text mode differ`);
        } else {
          const reread = typescript.discover(ast.text, name).find((site) => site.name === flag.name);
          typescript.ast!.parse(ast.text, name);
          if (JSON.stringify(reread?.default) !== JSON.stringify(value))
            failures.push(`${where}: reads back ${JSON.stringify(reread?.default)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(rewritten).toBeGreaterThan(50);
  });
});
