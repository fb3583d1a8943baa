/**
 * The transformer registry: which transformer handles a file, by its extension.
 *
 * Entries are loaders, so a command pays for a language's parser only when a script
 * of that language is staged.
 */
import path from 'node:path';
import type { Transformer } from './types.js';

export type * from './types.js';

interface Entry {
  language: string;
  extensions: readonly string[];
  load: () => Promise<Transformer>;
}

const builtins: readonly Entry[] = [
  { language: 'python', extensions: ['.py'], load: async () => (await import('./python/index.js')).python },
  { language: 'r', extensions: ['.R', '.r'], load: async () => (await import('./r/index.js')).r },
  {
    language: 'javascript',
    extensions: ['.js', '.mjs', '.cjs', '.jsx'],
    load: async () => (await import('./javascript/index.js')).javascript,
  },
  {
    language: 'typescript',
    extensions: ['.ts', '.mts', '.cts', '.tsx'],
    load: async () => (await import('./typescript/index.js')).typescript,
  },
];

/** The extensions that have a built-in transformer, e.g. for help text. */
export function supportedExtensions(): string[] {
  return builtins.flatMap((entry) => entry.extensions);
}

/** The transformer for `file`, or undefined when no language handles its extension. */
export async function transformerFor(file: string): Promise<Transformer | undefined> {
  const ext = path.extname(file);
  const entry = builtins.find((candidate) => candidate.extensions.includes(ext));
  return entry?.load();
}
