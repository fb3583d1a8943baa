/**
 * Real code from node_modules (read only), for the tests that hold the JavaScript and
 * TypeScript transformers to files nobody wrote for them. Only a fixed list of packages is
 * read, not their nested node_modules, so installing an unrelated package (another dev
 * tool, or one that changes how npm lays the tree out) changes no sample.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const NODE_MODULES = path.resolve(import.meta.dirname, '../../node_modules');

/**
 * guild-stage's own runtime dependencies, typescript and vitest, and two packages that ship
 * TypeScript sources: tiny-invariant (recast's) and @jridgewell/sourcemap-codec (vitest's).
 */
export const SAMPLED_PACKAGES: readonly string[] = [
  '@babel/parser',
  '@babel/types',
  'commander',
  'diff',
  'execa',
  'picomatch',
  'pure-rand',
  'recast',
  'ts-morph',
  'tsx',
  'yaml',
  'typescript',
  'vitest',
  'tiny-invariant',
  '@jridgewell/sourcemap-codec',
];

/**
 * The files of the sampled packages no larger than `maxBytes`, in path order. Throws when
 * a package is not installed: a silent gap would shrink every sample taken from the list.
 */
export function packageFiles(maxBytes: number): string[] {
  const files: string[] = [];
  for (const name of SAMPLED_PACKAGES) {
    const root = path.join(NODE_MODULES, name);
    if (!existsSync(root)) throw new Error(`the real-file tests read ${name}, which is not installed`);
    walk(root, maxBytes, files);
  }
  return files.sort();
}

/** Up to `count` items spread evenly over `items`, first and last included. */
export function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))]!);
}

function walk(dir: string, maxBytes: number, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') walk(full, maxBytes, out);
    else if (entry.isFile() && statSync(full).size <= maxBytes) out.push(full);
  }
}
