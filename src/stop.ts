/**
 * What asks a run to stop, in one place: a signal guild-stage receives (Ctrl-C, a kill, a
 * closed terminal), the caller's abort, and, as the last resort around the whole lifecycle,
 * anything that would otherwise kill guild-stage mid-run (an uncaught exception, an unhandled
 * rejection, a plugin calling `process.exit`). The script and every hook listen to one
 * RunStop; the lifecycle reads from it how the run ended.
 */
import { constants } from 'node:os';
import { GuildStageError, messageOf } from './errors.js';

/** The signals a CLI passes on to what it runs: Ctrl-C, a kill, a closed terminal. */
export const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** One request to stop: the signal processes get, and the failure behind it when it was not a signal. */
export interface StopRequest {
  signal: NodeJS.Signals;
  /** Set when guild-stage itself failed (the last resort): the run ends `error` with this reason. */
  error: GuildStageError | null;
}

/** The reason an aborted hook or body sees: which stop ended it. */
export class Stopped extends Error {
  constructor(readonly request: StopRequest) {
    super(request.error ? `stopped: ${request.error.message}` : `stopped by ${request.signal}`);
    this.name = 'Stopped';
  }
}

export interface RunStopOptions {
  /** Signals received by this process stop the run (the CLI sets it). */
  forwardSignals?: boolean;
  /** Aborting it stops the run with SIGTERM; a {@link Stopped} reason is taken as it is. */
  signal?: AbortSignal;
  /** Uncaught errors, unhandled rejections and `process.exit` end the run instead of the process (the CLI sets it). */
  guardProcess?: boolean;
}

export class RunStop {
  /** The first request; later ones only escalate. */
  first: StopRequest | null = null;
  private readonly listeners = new Set<(request: StopRequest) => void>();
  private readonly cleanups: Array<() => void> = [];

  constructor(opts: RunStopOptions = {}) {
    if (opts.forwardSignals) {
      for (const sig of FORWARDED_SIGNALS) {
        const onSignal = () => this.request({ signal: sig, error: null });
        process.on(sig, onSignal);
        this.cleanups.push(() => process.off(sig, onSignal));
      }
    }
    if (opts.signal) {
      const parent = opts.signal;
      const onAbort = () =>
        this.request(parent.reason instanceof Stopped ? parent.reason.request : { signal: 'SIGTERM', error: null });
      if (parent.aborted) onAbort();
      else parent.addEventListener('abort', onAbort, { once: true });
      this.cleanups.push(() => parent.removeEventListener('abort', onAbort));
    }
    if (opts.guardProcess) this.guardProcess();
  }

  /** Asks the run to stop; every listener hears each request, so a second one can escalate. */
  request(request: StopRequest): void {
    // A failure that repeats (every chunk of output to a full disk) is one request, not an escalation.
    if (request.error && this.first?.error) return;
    this.first ??= request;
    for (const listener of [...this.listeners]) listener(request);
  }

  /** Listens to stop requests until the returned function is called. */
  on(listener: (request: StopRequest) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The run is over: signals and failures are the process's own again. */
  close(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.listeners.clear();
  }

  /**
   * The last resort: what would kill guild-stage mid-run stops the run instead, so that its
   * script is stopped, its end is recorded `error` with the reason, and its end hooks run.
   * `process.exit` throws where it is called (a hook that calls it fails like one that threw).
   */
  private guardProcess(): void {
    const fail = (what: string) => (error: unknown) =>
      this.request({
        signal: 'SIGTERM',
        error: new GuildStageError('EXEC', `${what}: ${messageOf(error)}`, { cause: error }),
      });
    const onException = fail('guild-stage failed');
    const onRejection = fail('unhandled promise rejection');
    process.on('uncaughtException', onException);
    process.on('unhandledRejection', onRejection);
    const exit = process.exit;
    process.exit = ((code?: number | string | null) => {
      const error = new GuildStageError('PLUGIN', `process.exit(${code ?? ''}) called during the run`);
      this.request({ signal: 'SIGTERM', error });
      throw error;
    }) as typeof process.exit;
    this.cleanups.push(() => {
      process.off('uncaughtException', onException);
      process.off('unhandledRejection', onRejection);
      process.exit = exit;
    });
  }
}

/** The exit status recorded for a run a signal stopped before or without its script: minus the signal's number. */
export function signalStatus(signal: NodeJS.Signals): number {
  return -(constants.signals[signal] ?? constants.signals.SIGTERM);
}
