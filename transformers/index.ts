/**
 * The transformer registry: the one table of the languages guild-stage knows, by file
 * extension, and the transformer of each.
 *
 * Entries load their transformer on demand, so a command pays for a language's parser
 * only when a script of that language is staged, and looking a language up loads nothing.
 */
import path from 'node:path';
import type { Transformer } from './types.js';

export type * from './types.js';

export interface Language {
  /** Lower-case id, the transformer's `language`, e.g. `python`. */
  language: string;
  /** The language's name as people write it, for messages: `Python`, `R`. */
  name: string;
  /** File extensions, with the dot, as written: `.R` and `.r` are both listed. */
  extensions: readonly string[];
  load: () => Promise<Transformer>;
}

const LANGUAGES: readonly Language[] = [
  {
    language: 'python',
    name: 'Python',
    extensions: ['.py'],
    load: async () => (await import('./python/index.js')).python,
  },
  { language: 'r', name: 'R', extensions: ['.R', '.r'], load: async () => (await import('./r/index.js')).r },
  {
    language: 'javascript',
    name: 'JavaScript',
    extensions: ['.js', '.mjs', '.cjs', '.jsx'],
    load: async () => (await import('./javascript/index.js')).javascript,
  },
  {
    language: 'typescript',
    name: 'TypeScript',
    extensions: ['.ts', '.mts', '.cts', '.tsx'],
    load: async () => (await import('./typescript/index.js')).typescript,
  },
];

/** The extensions that have a built-in transformer, e.g. for help text. */
export function supportedExtensions(): string[] {
  return LANGUAGES.flatMap((entry) => entry.extensions);
}

/** The language of `file`, by its extension; undefined when no language has it. */
export function languageOf(file: string): Language | undefined {
  const ext = path.extname(file);
  return LANGUAGES.find((entry) => entry.extensions.includes(ext));
}

/** The transformer for `file`, or undefined when no language handles its extension. */
export async function transformerFor(file: string): Promise<Transformer | undefined> {
  return languageOf(file)?.load();
}
