/**
 * Finding a script's flags: its transformer's `discover` on the script's text.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { callTransformer, GuildStageError, messageOf } from '../errors.js';
import { languageOf } from '../../transformers/index.js';
import { readFrontmatter } from '../../transformers/shared/frontmatter.js';
import type { FlagSite, Transformer } from '../../transformers/types.js';
import { isValidFlagName } from './parse.js';

/**
 * Reads a script in its encoding: the transformer's `decode` when it has one (Python's coding
 * cookie), else UTF-8, refusing bytes that are not (a transformer would garble them).
 */
async function readScript(file: string, shown: string, transformer: Transformer): Promise<string> {
  let buffer: Buffer;
  try {
    buffer = await readFile(file);
  } catch (error) {
    throw new GuildStageError('SOURCE', `cannot read script ${shown}: ${messageOf(error)}`, { file: shown });
  }
  const decode = transformer.decode;
  if (decode) return callTransformer(() => decode(buffer, shown));
  const text = buffer.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(buffer)) {
    throw new GuildStageError('SOURCE', `${shown} is not valid UTF-8 text`, { file: shown });
  }
  return text;
}

export interface Discovered {
  transformer: Transformer | undefined;
  /** Null when no transformer handles the script's language. */
  sites: FlagSite[] | null;
  /** The script's frontmatter (guildai-r's leading `#|` block), or null when it has none. */
  frontmatter: Record<string, unknown> | null;
}

/** The flags of `script` (relative to `cwd`), named in messages as `shown`. */
export async function discoverFlags(script: string, opts: { cwd?: string; shown?: string } = {}): Promise<Discovered> {
  const file = path.resolve(opts.cwd ?? process.cwd(), script);
  const shown = opts.shown ?? script;
  const language = languageOf(file);
  if (!language) return { transformer: undefined, sites: null, frontmatter: null };
  const transformer = await language.load();
  const source = await readScript(file, shown, transformer);
  return {
    transformer,
    // A name `--flags` cannot spell (R's `batch size` in backticks) is no flag: it could
    // never be set, and it would be recorded under a name no command line can match.
    sites: callTransformer(() => transformer.discover(source, shown)).filter((site) => isValidFlagName(site.name)),
    frontmatter:
      callTransformer(() => readFrontmatter(source, { prefix: language.frontmatter, file: shown }))?.data ?? null,
  };
}
