/**
 * `--dry-run` for `run` and `stage`: what staging would change and what would run.
 */
import { describeExtent, stageRun, type StageOptions } from '../engine.js';
import { formatChanges, formatCommand } from './format.js';
import { println, useColor, type CliIO } from './io.js';
import { colorPatch } from './format.js';
import { warn } from './report.js';

export async function dryRun(
  io: CliIO,
  opts: StageOptions,
  json: boolean | undefined,
  quiet: boolean | undefined,
): Promise<void> {
  const staged = await stageRun({
    ...opts,
    dryRun: true,
    forwardSignals: true,
    guardProcess: true,
    onOutput: (_stream, chunk) => io.stderr.write(chunk),
    onWarning: (warning) => warn(io, warning, quiet),
  });
  const { run } = staged;
  if (json) {
    println(
      io.stdout,
      JSON.stringify({
        dryRun: true,
        opspec: run.opspec,
        flags: run.flags,
        forced: run.forced,
        cmd: run.cmd,
        changed: staged.changed,
        patch: staged.patch,
        source: { projectDir: run.projectDir, ...staged.source },
        skipped: staged.skipped,
      }),
    );
    return;
  }
  io.stdout.write(useColor(io, undefined) ? colorPatch(staged.patch) : staged.patch);
  if (!quiet) {
    println(
      io.stderr,
      `Dry run: nothing was created. ${staged.changed.length ? 'Staging would change:' : 'Staging would change nothing.'}`,
    );
    for (const line of formatChanges(staged)) println(io.stderr, line);
    println(io.stderr, `Would stage ${describeExtent(staged.source)} from ${run.projectDir}`);
    println(io.stderr, `Would run: ${formatCommand(run.cmd)}`);
  }
}
