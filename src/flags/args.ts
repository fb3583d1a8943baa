/**
 * Flags that reach the script as command-line arguments: options whose default the
 * transformer cannot rewrite (it is code, `default=os.environ.get("LR")`, or the option is
 * required). Language-agnostic: an option and its value, as every argument parser reads them.
 */
import { GuildStageError } from '../errors.js';
import type { FlagSite, FlagValue } from '../../transformers/types.js';

/** Whether values of `site` are passed as arguments rather than written into the source. */
export function passesAsArgs(site: FlagSite): boolean {
  return site.option !== undefined && (site.option.defaultCode !== undefined || site.option.required === true);
}

function word(value: FlagValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The arguments that give `value` to the option of `site` (`['--lr', '0.1']`); a FLAG error when none can. */
export function optionArgs(site: FlagSite, value: FlagValue, script: string): string[] {
  const option = site.option!;
  const cannot = (why: string) =>
    new GuildStageError('FLAG', `flag ${site.name}=${word(value)} cannot be given to ${script}: ${why}`, {
      file: site.file,
      line: site.line,
      suggestion: 'write a literal default for the option in the script, so guild-stage can rewrite it',
    });
  if (option.switch) {
    const flag = value === true ? option.name : value === false ? option.off : undefined;
    if (flag === undefined) throw cannot(`no option of it sets ${word(value)}, and its default is not a literal`);
    return [flag];
  }
  const name = option.name!;
  if (value === null) throw cannot(`an option cannot be given None`);
  if (Array.isArray(value)) {
    if (!option.list) throw cannot(`${name} takes one value`);
    return [name, ...value.map(word)];
  }
  const text = word(value);
  // A value that starts with `-` would read as an option: attach it (`--lr=-1`, `-l-1`).
  if (text.startsWith('-')) return name.startsWith('--') ? [`${name}=${text}`] : [`${name}${text}`];
  return [name, text];
}
