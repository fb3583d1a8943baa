/**
 * The built-in `flags` plugin: in `onRunStaged` it has the script's transformer write the
 * run's flag values into the staged copy, through StagedSource like any plugin, so its
 * edits are diffed and attributed the same way.
 */
import type { Edit, FlagValue, Transformer, TransformMode } from '../../transformers/types.js';
import { callTransformer } from '../errors.js';
import type { Plugin } from './types.js';

export interface FlagsPluginOptions {
  transformer: Transformer;
  /** The script, relative to the staged source. */
  script: string;
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
      const source = await staged.read(opts.script);
      // Converted here, before the driver wraps it, so the run's error keeps the file and line.
      const result = callTransformer(() =>
        opts.transformer.apply(source, opts.values, { mode: opts.mode, file: opts.script }),
      );
      if (result.text !== source) await staged.write(opts.script, result.text);
      opts.onEdits?.(result.edits);
    },
  };
}
