/**
 * The transformer registry: the one table of the languages guild-stage knows, by file
 * extension: how a script of each runs, and its transformer.
 *
 * Entries load their transformer on demand, so a command pays for a language's parser
 * only when a script of that language is staged, and looking a language up loads nothing.
 */
import path from 'node:path';
import type { Transformer } from './types.js';

export type * from './types.js';

/**
 * How a script of a language runs, as data: `<program> <script> <args>`. The engine turns
 * it into a command; nothing here knows of runs or processes.
 */
export interface RunCommand {
  /**
   * The interpreter: a program looked up on PATH (`python3`, `Rscript`), or one of two
   * names the engine resolves itself: `node`, the Node.js running guild-stage, and `tsx`,
   * the TypeScript runner guild-stage depends on, run by that Node.js (so both work in a
   * fresh install, with no global tools).
   */
  program: string;
  /** An environment variable that, when set, names the interpreter instead (`PYTHON`). */
  envProgram?: string;
  /** Variables the interpreter needs to behave as on a terminal. */
  env?: Readonly<Record<string, string>>;
}

/** A row of the table: a language, extensions of it that run alike, and how they run. */
export interface Language {
  /** Lower-case id, the transformer's `language`, e.g. `python`. */
  language: string;
  /** The language's name as people write it, for messages: `Python`, `R`. */
  name: string;
  /** File extensions, with the dot, as written: `.R` and `.r` are both listed. */
  extensions: readonly string[];
  run: RunCommand;
  /** The comment prefix of the script's frontmatter, guildai-r's leading `#|` block. */
  frontmatter: '#|' | '//|';
  load: () => Promise<Transformer>;
}

async function loadJavaScript(): Promise<Transformer> {
  return (await import('./javascript/index.js')).javascript;
}

const LANGUAGES: readonly Language[] = [
  {
    language: 'python',
    name: 'Python',
    extensions: ['.py'],
    // Python buffers a pipe; unbuffered, each line reaches the output index when it is printed.
    run: { program: 'python3', envProgram: 'PYTHON', env: { PYTHONUNBUFFERED: '1' } },
    frontmatter: '#|',
    load: async () => (await import('./python/index.js')).python,
  },
  {
    language: 'r',
    name: 'R',
    extensions: ['.R', '.r'],
    run: { program: 'Rscript' },
    frontmatter: '#|',
    load: async () => (await import('./r/index.js')).r,
  },
  {
    language: 'javascript',
    name: 'JavaScript',
    extensions: ['.js', '.mjs', '.cjs'],
    run: { program: 'node' },
    frontmatter: '//|',
    load: loadJavaScript,
  },
  // JSX is JavaScript to the transformer, but Node.js cannot run it; tsx can.
  {
    language: 'javascript',
    name: 'JavaScript',
    extensions: ['.jsx'],
    run: { program: 'tsx' },
    frontmatter: '//|',
    load: loadJavaScript,
  },
  {
    language: 'typescript',
    name: 'TypeScript',
    extensions: ['.ts', '.mts', '.cts', '.tsx'],
    run: { program: 'tsx' },
    frontmatter: '//|',
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

/**
 * A config file format whose scalar leaves can be a script's flags (`flags-dest:
 * config:config.yml`). Its transformer writes values into the staged copy of the file;
 * the script itself is left as it is.
 */
export interface ConfigFormat {
  /** Lower-case id, the transformer's `language`, e.g. `yaml`. */
  format: string;
  /** The format's name as people write it, for messages: `YAML`. */
  name: string;
  /** File extensions, with the dot, lower-case (matched case-insensitively, as Guild does). */
  extensions: readonly string[];
  load: () => Promise<Transformer>;
}

const CONFIG_FORMATS: readonly ConfigFormat[] = [
  {
    format: 'yaml',
    name: 'YAML',
    extensions: ['.yml', '.yaml'],
    load: async () => (await import('./config/yaml.js')).yamlConfig,
  },
  {
    format: 'json',
    name: 'JSON',
    extensions: ['.json'],
    load: async () => (await import('./config/json.js')).jsonConfig,
  },
  {
    format: 'toml',
    name: 'TOML',
    extensions: ['.toml'],
    load: async () => (await import('./config/toml.js')).tomlConfig,
  },
];

/** The config file extensions flags can live in, e.g. for messages. */
export function configExtensions(): string[] {
  return CONFIG_FORMATS.flatMap((entry) => entry.extensions);
}

/** The config format of `file`, by its extension in any case; undefined when none has it. */
export function configFormatOf(file: string): ConfigFormat | undefined {
  const ext = path.extname(file).toLowerCase();
  return CONFIG_FORMATS.find((entry) => entry.extensions.includes(ext));
}
