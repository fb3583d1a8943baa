/**
 * How a batch shows on the terminal: on a TTY a live status line (done/total, running,
 * failed, elapsed) and a summary table at the end; elsewhere one plain line per trial start
 * and end. Output of parallel trials is prefixed with the trial number, line by line.
 */
import { LineSplitter, type Run, type Stream, type Trial, type TrialOutcome } from '../engine.js';
import { alignColumns, formatDuration, formatFlags } from './format.js';
import type { CliIO } from './io.js';

const CLEAR_LINE = '\r\x1b[K';

export interface ProgressOptions {
  total: number;
  parallel: number;
  /** Where the trials' stdout goes (stderr with --json). */
  out: NodeJS.WritableStream;
  quiet: boolean;
}

export class BatchProgress {
  private readonly tty: boolean;
  private readonly began = Date.now();
  private readonly started = new Map<number, { run: Run; at: number }>();
  private readonly splitters = new Map<string, LineSplitter>();
  private done = 0;
  private failed = 0;
  private statusShown = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly io: CliIO,
    private readonly opts: ProgressOptions,
  ) {
    this.tty = Boolean(io.stderr.isTTY) && !opts.quiet;
    if (this.tty) {
      this.timer = setInterval(() => this.redraw(), 1000);
      this.timer.unref();
    }
  }

  private label(trial: Trial): string {
    return `Trial ${trial.index}/${this.opts.total}`;
  }

  private statusLine(): string {
    const running = this.started.size;
    const elapsed = formatDuration(Date.now() - this.began);
    return `Batch: ${this.done}/${this.opts.total} done, ${running} running, ${this.failed} failed, ${elapsed}`;
  }

  private clear(): void {
    if (this.statusShown) this.io.stderr.write(CLEAR_LINE);
    this.statusShown = false;
  }

  private redraw(): void {
    if (!this.tty) return;
    this.io.stderr.write(`${CLEAR_LINE}${this.statusLine()}`);
    this.statusShown = true;
  }

  /** Writes above the status line. */
  private print(stream: NodeJS.WritableStream, text: string): void {
    this.clear();
    stream.write(text);
    if (text.endsWith('\n')) this.redraw();
  }

  trialStarted(trial: Trial, run: Run): void {
    this.started.set(trial.index, { run, at: Date.now() });
    if (!this.tty && !this.opts.quiet)
      this.print(this.io.stderr, `${this.label(trial)} started: ${run.label} (run ${run.shortId})\n`);
    else this.redraw();
  }

  trialEnded(trial: Trial, entry: TrialOutcome): void {
    const start = this.started.get(trial.index);
    this.started.delete(trial.index);
    this.done++;
    const status = entry.outcome?.run.status ?? 'error';
    if (status !== 'completed') this.failed++;
    if (this.tty || this.opts.quiet) {
      this.redraw();
      return;
    }
    const how = entry.error
      ? `error: ${entry.error.message}`
      : status === 'error' && entry.outcome?.run.exitStatus != null
        ? `error (exit ${entry.outcome.run.exitStatus})`
        : status;
    const took = start ? ` in ${formatDuration(Date.now() - start.at)}` : '';
    this.print(this.io.stderr, `${this.label(trial)} ${how}${took}\n`);
  }

  /** A trial's output: passed through as it comes for one trial at a time, else prefixed line by line. */
  output(trial: Trial, stream: Stream, chunk: Buffer): void {
    const target = stream === 'stderr' ? this.io.stderr : this.opts.out;
    if (this.opts.parallel <= 1) {
      this.print(target, chunk.toString());
      return;
    }
    const key = `${trial.index}:${stream}`;
    let splitter = this.splitters.get(key);
    if (!splitter) this.splitters.set(key, (splitter = new LineSplitter(stream)));
    for (const line of splitter.push(chunk, new Date())) this.print(target, `[${trial.index}] ${line.text}\n`);
  }

  /** Stops the live line; returns the summary table's lines on a TTY. */
  finish(trials: ReadonlyArray<{ trial: Trial } & TrialOutcome>): string[] {
    clearInterval(this.timer);
    for (const [key, splitter] of this.splitters) {
      const index = Number(key.split(':')[0]);
      for (const line of splitter.end(new Date()))
        this.print(key.endsWith('stderr') ? this.io.stderr : this.opts.out, `[${index}] ${line.text}\n`);
    }
    this.clear();
    if (!this.tty) return [];
    const rows = trials.map(({ trial, outcome, error }) => [
      String(trial.index),
      outcome ? outcome.run.shortId : '-',
      formatFlags(trial.plan.resolved.userFlags),
      outcome ? outcome.run.status : `error: ${error?.message ?? ''}`,
      outcome ? formatDuration(outcome.result.durationMs) : '',
    ]);
    return alignColumns([['trial', 'run', 'flags', 'status', 'time'], ...rows]);
  }
}
