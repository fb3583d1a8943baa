/**
 * The built-in `flags` plugin: in `onRunStaged` it has the flags' transformer write the
 * run's flag values into the staged copy of the file they live in (the script, or the
 * config file its `flags-dest` names), through StagedSource like any plugin, so its
 * edits are diffed and attributed the same way.
 */
import type { Edit, FlagValue, Transformer, TransformMode } from '../../transformers/types.js';
import { callTransformer, GuildStageError } from '../errors.js';
import type { Plugin } from './types.js';

export interface FlagsPluginOptions {
  transformer: Transformer;
  /** The file the flags live in, relative to the staged source. */
  file: string;
  values: Record<string, FlagValue>;
  mode: TransformMode;
  /** Receives the literals the transformer replaced. */
  onEdits?: (edits: Edit[]) => void;
}

export const FLAGS_PLUGIN = 'flags';

export function flagsPlugin(opts: FlagsPluginOptions): Plugin {
  return {
    name: FLAGS_PLUGIN,
    async onRunStaged(_run, staged) {
      if (Object.keys(opts.values).length === 0) return;
      const source = await staged.read(opts.file);
      // Converted here, before the driver wraps it, so the run's error keeps the file and line.
      const result = callTransformer(() =>
        opts.transformer.apply(source, opts.values, { mode: opts.mode, file: opts.file }),
      );
      // The values were checked against the file as planned; a plugin that ran first may
      // have changed it. A value left unwritten must not be recorded as the run's.
      if (result.unused.length > 0) {
        throw new GuildStageError(
          'FLAG',
          `flags ${result.unused.join(', ')} are no longer in the staged ${opts.file}, so their values cannot be written`,
          { file: opts.file },
        );
      }
      if (result.text !== source) await staged.write(opts.file, result.text);
      opts.onEdits?.(result.edits);
    },
  };
}
