/**
 * ts-morph (a whole TypeScript compiler) is loaded only when AST mode or a plugin tree
 * needs it. Checked in a fresh node process, since this test process may have loaded it
 * already: ts-morph is CommonJS, so once loaded it sits in `require.cache`.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../helpers/fs.js';

const PROJECT = path.resolve(import.meta.dirname, '../../..');
const TRANSFORMER = pathToFileURL(path.join(PROJECT, 'transformers/typescript/index.ts')).href;

/** A script that reports whether ts-morph is loaded after each step. */
const PROBE = `
import { createRequire } from 'node:module';
import { typescript } from ${JSON.stringify(TRANSFORMER)};

const cache = createRequire(import.meta.url).cache;
const morphLoaded = () => Object.keys(cache).some((file) => /[\\\\/]node_modules[\\\\/](ts-morph|@ts-morph)[\\\\/]/.test(file));
const source = 'const lr: number = 0.01;\\nconsole.log(lr);\\n';
const steps = { imported: morphLoaded() };
const sites = typescript.discover(source, 'train.ts');
steps.discovered = morphLoaded();
const text = typescript.apply(source, { lr: 0.1 }, { mode: 'text', file: 'train.ts' });
steps.textMode = morphLoaded();
const ast = typescript.apply(source, { lr: 0.1 }, { mode: 'ast', file: 'train.ts' });
steps.astMode = morphLoaded();
console.log(JSON.stringify({ steps, flags: sites.map((site) => site.name), text: text.text, ast: ast.text }));
`;

async function probe(script: string): Promise<Record<string, unknown>> {
  const file = path.join(await makeTempDir('gs-ts-lazy-'), 'probe.mts');
  await writeFile(file, script);
  const { stdout } = await execa(process.execPath, ['--import', 'tsx', file], { cwd: PROJECT });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('loading ts-morph', () => {
  it('waits for AST mode: discovery and text mode never load it', async () => {
    const out = await probe(PROBE);
    expect(out.flags).toEqual(['lr']);
    expect(out.text).toBe('const lr: number = 0.1;\nconsole.log(lr);\n');
    expect(out.ast).toBe(out.text);
    expect(out.steps).toEqual({ imported: false, discovered: false, textMode: false, astMode: true });
  });

  it('loads it for a plugin tree', async () => {
    const out = await probe(`
      import { createRequire } from 'node:module';
      import { typescript } from ${JSON.stringify(TRANSFORMER)};
      const cache = createRequire(import.meta.url).cache;
      const loaded = () => Object.keys(cache).some((file) => file.includes('/node_modules/ts-morph/'));
      const before = loaded();
      const tree = typescript.ast.parse('const a = 1;\\n', 'train.ts');
      console.log(JSON.stringify({ before, after: loaded(), kind: tree.getKindName() }));
    `);
    expect(out).toEqual({ before: false, after: true, kind: 'SourceFile' });
  });
});
