/**
 * `<run>/.guild/opref`: the one line Guild AI uses to tell what a run ran. Its format is
 * Guild's OpRef, `<pkg_type>:<pkg_name> <pkg_version> <model_name> <op_name>`, each field
 * shell-quoted; for a script run, `script:<project dir> '' '' <script path>`.
 */
import { GuildStageError, messageOf } from '../errors.js';
import { shlexQuote, shlexSplit } from '../shlex.js';

/** What an opref line names. */
export interface OpRef {
  /** `script` for runs of a script (ours); `guildfile` or `package` for other Guild runs. */
  pkgType: string;
  /** The project directory (Guild's pkg_name). */
  projectDir: string;
  /** The script relative to the project (`train.py`), or `model:op` for Guild operations. */
  opspec: string;
}

/** The opref line for a run of `opspec` in `projectDir`, with its newline. */
export function formatOpref(projectDir: string, opspec: string): string {
  return `script:${quote(projectDir)} '' '' ${quote(opspec)}\n`;
}

/** Reads an opref line as Guild does. Throws `RUN_STATE` when it is not one. */
export function parseOpref(line: string): OpRef {
  let fields: string[];
  try {
    fields = shlexSplit(line);
  } catch (error) {
    throw new GuildStageError('RUN_STATE', `invalid opref: ${messageOf(error)}`);
  }
  const colon = fields[0]?.indexOf(':') ?? -1;
  if (fields.length !== 4 || colon === -1) {
    const shown = JSON.stringify(line.trim());
    throw new GuildStageError('RUN_STATE', `invalid opref ${shown}: expected 4 fields, the first <type>:<name>`);
  }
  const [typeAndName, , modelName, opName] = fields;
  const pkgType = typeAndName.slice(0, colon);
  const projectDir = typeAndName.slice(colon + 1);
  const opspec = pkgType !== 'script' && modelName ? `${modelName}:${opName}` : opName;
  return { pkgType, projectDir, opspec };
}

/** {@link parseOpref} of the text of `file`, its errors naming the file. */
export function parseOprefFile(file: string, text: string): OpRef {
  try {
    return parseOpref(text);
  } catch (error) {
    throw new GuildStageError('RUN_STATE', `${file}: ${messageOf(error)}`, { file, cause: error });
  }
}

/**
 * Guild's `util.shlex_quote`: `shlex.quote`, then a value that itself starts and ends with a
 * single quote is written in double quotes rather than as a run of escaped quotes.
 */
function quote(value: string): string {
  const quoted = shlexQuote(value);
  const start = `''"'"'`;
  const end = `'"'"''`;
  if (quoted.length >= start.length + end.length && quoted.startsWith(start) && quoted.endsWith(end)) {
    return `"'${quoted.slice(start.length, -end.length)}'"`;
  }
  return quoted;
}
