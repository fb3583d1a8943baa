/**
 * The built-in `scalars` plugin: while a run runs, it reads scalars out of each line of the
 * script's output (Guild AI's output-scalars rules) into a TensorBoard event file in the
 * run's `.guild/`, where Guild, TensorBoard and `guild-stage compare` find them, and at the
 * end writes the run's scalar summary. It is an ordinary plugin on the while-running hook:
 * what it does, any plugin can do with the same API.
 */
import path from 'node:path';
import { EventFileWriter } from '../records/tfevents.js';
import { ScalarSummaryBuilder } from '../records/scalar-summary.js';
import { type Scalar, ScalarCapture } from '../results/capture.js';
import type { OutputScalars } from '../results/patterns.js';
import type { Plugin } from './types.js';

export const SCALARS_PLUGIN = 'scalars';

export interface ScalarsPluginOptions {
  /** The compiled patterns (checked before the run was staged). */
  config: OutputScalars;
  /** The run's flag names: with Guild's default patterns a line naming a flag is no scalar. */
  flagNames: readonly string[];
}

/** One run's capture: a plugin object serves exactly one run, as the runner makes one per run. */
export function scalarsPlugin(opts: ScalarsPluginOptions): Plugin {
  const capture = new ScalarCapture(opts.config, { flagNames: opts.flagNames });
  const summary = new ScalarSummaryBuilder('captured');
  // Opened at the first scalar, so a run that prints none gets no empty event file. Once
  // open, a line's scalars are added in the call: no promise per line.
  let events: EventFileWriter | undefined;
  let opening: Promise<EventFileWriter> | undefined;
  const record = (scalars: readonly Scalar[], wallTime: number, writer: EventFileWriter) => {
    for (const { tag, value, step } of scalars) {
      writer.add(tag, value, step, wallTime);
      summary.add(tag, value, step);
    }
  };
  return {
    name: SCALARS_PLUGIN,
    onRunOutput(run, line) {
      const scalars = capture.push(line.text);
      if (scalars.length === 0) return;
      const wallTime = line.time.getTime() / 1000;
      if (events) return record(scalars, wallTime, events);
      opening ??= EventFileWriter.open(run.dir);
      return opening.then((writer) => {
        events = writer;
        record(scalars, wallTime, writer);
      });
    },
    async onRunEnd(run) {
      const writer = events ?? (await opening);
      if (writer) {
        await writer.close();
        summary.addSource(path.relative(run.dir, writer.file));
      }
      await summary.write(run.dir);
    },
  };
}
