/**
 * Finding a script's flags: its transformer's `discover` on the script's text, or, when the
 * script names a config file as its flags' destination (`flags-dest: config:config.yml`),
 * that file's format's transformer on the config file.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { callTransformer, GuildStageError, messageOf } from '../errors.js';
import { configExtensions, configFormatOf, languageOf } from '../../transformers/index.js';
import { readFrontmatter } from '../../transformers/shared/frontmatter.js';
import type { FlagSite, Transformer } from '../../transformers/types.js';
import { findProjectDir, isInside } from '../project-dir.js';
import { isValidFlagName } from './parse.js';

/**
 * Reads a file in its encoding: the transformer's `decode` when it has one (Python's coding
 * cookie), else UTF-8, refusing bytes that are not (a transformer would garble them).
 */
async function readText(file: string, shown: string, transformer: Transformer, what: string): Promise<string> {
  let buffer: Buffer;
  try {
    buffer = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'NOT_FOUND' : 'SOURCE';
    throw new GuildStageError(code, `cannot read ${what} ${shown}: ${messageOf(error)}`, { file: shown });
  }
  const decode = transformer.decode;
  if (decode) return callTransformer(() => decode(buffer, shown));
  const text = buffer.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(buffer)) {
    throw new GuildStageError('SOURCE', `${shown} is not valid UTF-8 text`, { file: shown });
  }
  return text;
}

/** The config file flags live in, when they live in one. */
export interface FlagsConfig {
  /** The file relative to the project, `/` separators, as `flags-dest` names it. */
  file: string;
  /** Its format's name for messages: `YAML`. */
  name: string;
  /** The `flags-dest` value as Guild records it: `config:config.yml`. */
  dest: string;
}

export interface Discovered {
  /** The transformer that writes the flags: the script's language's, or the config file's format's. */
  transformer: Transformer | undefined;
  /** Null when no transformer handles the script's language (and no config file holds its flags). */
  sites: FlagSite[] | null;
  /** The script's frontmatter (guildai-r's leading `#|` block), or null when it has none. */
  frontmatter: Record<string, unknown> | null;
  /** The config file the flags live in, or null when they are the script's own. */
  config: FlagsConfig | null;
}

export interface DiscoverOptions {
  cwd?: string;
  /** The script as messages name it. */
  shown?: string;
  /** The project the script is in; config files are found relative to it. Default: see `findProjectDir`. */
  projectDir?: string;
  /** The project config file's directory, for `findProjectDir`. */
  configDir?: string;
  /** The project config's `flagsDest`, for scripts whose frontmatter names none. */
  flagsDest?: string;
}

/**
 * The config file a `flags-dest` value names, or undefined when it names none (`globals`,
 * the script itself). `config:FILE` names one of any extension, refused unless a format
 * reads it; a bare `FILE.yml` names one too (Guild issue #486).
 */
export function configDestOf(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new GuildStageError('USAGE', `${where}: flags-dest must be text`);
  const file = value.startsWith('config:') ? value.slice('config:'.length) : value;
  if (configFormatOf(file)) return file;
  if (file === value) return undefined;
  throw new GuildStageError('USAGE', `${where}: flags-dest ${value}: no flag transformer reads this kind of file`, {
    suggestion: `flags are read from ${configExtensions().join(' ')} config files`,
  });
}

/** Reads the config file `dest` names (relative to the project) and discovers its leaves. */
async function discoverConfig(
  dest: string,
  projectDir: string,
  script: string,
): Promise<Omit<Discovered, 'frontmatter'>> {
  const full = path.resolve(projectDir, dest);
  if (!isInside(projectDir, full)) {
    throw new GuildStageError('USAGE', `flags-dest of ${script}: ${dest} is outside the project ${projectDir}`);
  }
  const file = path.relative(projectDir, full).split(path.sep).join('/');
  // configDestOf returned `dest` because a format reads it.
  const format = configFormatOf(file)!;
  const transformer = await format.load();
  const text = await readText(full, file, transformer, `config file (flags-dest of ${script})`);
  return {
    transformer,
    sites: callTransformer(() => transformer.discover(text, file)),
    config: { file, name: format.name, dest: `config:${file}` },
  };
}

/** The flags of `script` (relative to `cwd`), named in messages as `shown`. */
export async function discoverFlags(script: string, opts: DiscoverOptions = {}): Promise<Discovered> {
  const cwd = opts.cwd ?? process.cwd();
  const file = path.resolve(cwd, script);
  const shown = opts.shown ?? script;
  const language = languageOf(file);
  const transformer = await language?.load();
  const source = transformer ? await readText(file, shown, transformer, 'script') : undefined;
  const frontmatter =
    language && source !== undefined
      ? (callTransformer(() => readFrontmatter(source, { prefix: language.frontmatter, file: shown }))?.data ?? null)
      : null;
  const fromScript = frontmatter?.['flags-dest'];
  const dest =
    fromScript === undefined
      ? configDestOf(opts.flagsDest, 'the project config')
      : configDestOf(fromScript, `${shown} frontmatter`);
  if (dest !== undefined) {
    const { dir: projectDir } = await findProjectDir({
      cwd,
      scriptPath: file,
      projectDir: opts.projectDir,
      configDir: opts.configDir,
    });
    return { ...(await discoverConfig(dest, projectDir, shown)), frontmatter };
  }
  if (!transformer || source === undefined) return { transformer: undefined, sites: null, frontmatter, config: null };
  return {
    transformer,
    // A name `--flags` cannot spell (R's `batch size` in backticks) is no flag: it could
    // never be set, and it would be recorded under a name no command line can match.
    sites: callTransformer(() => transformer.discover(source, shown)).filter((site) => isValidFlagName(site.name)),
    frontmatter,
    config: null,
  };
}
