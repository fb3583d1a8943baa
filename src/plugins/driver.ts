/**
 * The one place hooks run: ordering, error wrapping and the failure rules of each hook.
 *
 * Modelled on Rollup's PluginDriver. How a hook's failures are handled is declared per
 * hook in `HOOK_KINDS`, so the rule cannot differ between callers:
 * - `strict` (onRunStaged, onRunBegin): the first failure stops the run; it is thrown.
 * - `detach` (onRunOutput): a failing handler is reported once and not called again.
 * - `settle` (onRunEnd): every handler runs; each failure is reported.
 * A handler that outlives the driver's timeout, or is running when the run is asked to stop
 * (a signal, the last resort), fails like one that threw, and its `context.signal` is
 * aborted so it can stop its work. This is the only hook timer: a command hook has none of
 * its own, it stops its processes when that signal aborts.
 */
import { GuildStageError, messageOf } from '../errors.js';
import { type RunStop, Stopped } from '../stop.js';
import type { HookArgs, HookHandler, HookName, Plugin } from './types.js';

type HookKind = 'strict' | 'detach' | 'settle';

const HOOK_KINDS: { [K in HookName]: HookKind } = {
  onRunStaged: 'strict',
  onRunBegin: 'strict',
  onRunOutput: 'detach',
  onRunEnd: 'settle',
};

/** One registered handler, in the order it runs. */
export interface OrderedHandler<H extends HookName> {
  plugin: Plugin;
  priority: number;
  handler: HookHandler<HookArgs[H]>;
}

/** Receives failures that do not stop the run (output and end hooks). */
export type FailureReporter = (error: GuildStageError) => void;

/** Arguments for a hook, the same for every plugin or made per plugin. */
export type ArgsFor<H extends HookName> = HookArgs[H] | ((plugin: Plugin) => HookArgs[H]);

export class PluginDriver {
  readonly plugins: readonly Plugin[];
  private readonly sorted = new Map<HookName, OrderedHandler<HookName>[]>();
  private readonly detached = new Set<OrderedHandler<HookName>>();

  constructor(
    plugins: readonly Plugin[],
    private readonly report: FailureReporter = () => {},
    /** A handler still running after this long fails with a timeout, and its signal is aborted. */
    private readonly timeoutMs?: number,
    /** A handler running when a stop is requested fails with it, and its signal is aborted with a {@link Stopped}. */
    private readonly stop?: RunStop,
  ) {
    this.plugins = plugins;
  }

  /** Handlers of `hook`, higher priority first; equal priorities keep registration order. */
  order<H extends HookName>(hook: H): OrderedHandler<H>[] {
    let handlers = this.sorted.get(hook);
    if (!handlers) {
      handlers = [];
      for (const plugin of this.plugins) {
        const hookValue = plugin[hook];
        if (!hookValue) continue;
        const [handler, own] =
          typeof hookValue === 'function' ? [hookValue, undefined] : [hookValue.handler, hookValue.priority];
        handlers.push({
          plugin,
          priority: own ?? plugin.priority ?? 0,
          handler: handler as HookHandler<HookArgs[HookName]>,
        });
      }
      // Array.prototype.sort is stable, which keeps registration order within a priority.
      handlers.sort((a, b) => b.priority - a.priority);
      this.sorted.set(hook, handlers);
    }
    return handlers as unknown as OrderedHandler<H>[];
  }

  /** Runs every handler of `hook` in order, applying that hook's failure rule. */
  run<H extends HookName>(hook: H, args: ArgsFor<H>): Promise<void> {
    try {
      return this.emit(hook, args) ?? DONE;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * `run`, without a promise when every handler finished synchronously: undefined then.
   * The output hook runs once per line of output, so a handler that does its work in the
   * call (the common case) costs no promise, no timer and no abort signal.
   */
  emit<H extends HookName>(hook: H, args: ArgsFor<H>): Promise<void> | undefined {
    return this.runFrom(hook, args, this.order(hook), 0);
  }

  private runFrom<H extends HookName>(
    hook: H,
    args: ArgsFor<H>,
    handlers: OrderedHandler<H>[],
    start: number,
  ): Promise<void> | undefined {
    for (let i = start; i < handlers.length; i++) {
      const entry = handlers[i]!;
      if (this.detached.has(entry as OrderedHandler<HookName>)) continue;
      let pending: Promise<void> | undefined;
      try {
        pending = this.call(entry, typeof args === 'function' ? args(entry.plugin) : args);
      } catch (error) {
        this.fail(hook, entry, error);
        continue;
      }
      if (pending) {
        const next = () => this.runFrom(hook, args, handlers, i + 1);
        return pending.then(next, (error: unknown) => {
          this.fail(hook, entry, error);
          return next();
        });
      }
    }
    return undefined;
  }

  /** Applies the hook's failure rule: throws for a strict hook, else detaches or reports. */
  private fail<H extends HookName>(hook: H, entry: OrderedHandler<H>, error: unknown): void {
    const wrapped = pluginError(entry.plugin.name, hook, error);
    const kind = HOOK_KINDS[hook];
    if (kind === 'strict') throw wrapped;
    if (kind === 'detach') {
      this.detached.add(entry as OrderedHandler<HookName>);
      this.report(
        new GuildStageError('PLUGIN', `${wrapped.message} (handler detached)`, {
          plugin: wrapped.plugin,
          hook,
          cause: error,
        }),
      );
    } else {
      this.report(wrapped);
    }
  }

  /** Calls one handler; a promise only when it returned one, raced against the timeout and stop requests. */
  private call<H extends HookName>(entry: OrderedHandler<H>, args: HookArgs[H]): Promise<void> | undefined {
    let controller: AbortController | undefined;
    let cutShort: Error | undefined;
    // Made when a handler asks for it: most never do, and an AbortSignal per call is dear.
    const context = {
      get signal(): AbortSignal {
        controller ??= new AbortController();
        if (cutShort && !controller.signal.aborted) controller.abort(cutShort);
        return controller.signal;
      },
    };
    const result = entry.handler.call(entry.plugin, ...args, context);
    if (!isPromiseLike(result)) return undefined;
    const running = Promise.resolve(result);
    const { timeoutMs: ms, stop } = this;
    if (ms === undefined && !stop) return running;
    let timer: NodeJS.Timeout | undefined;
    let unlisten: (() => void) | undefined;
    const cut = new Promise<never>((_, reject) => {
      const end = (reason: Error) => {
        if (cutShort) return;
        cutShort = reason;
        // Failed first: a handler that returns as soon as its signal aborts has still failed.
        reject(reason);
        controller?.abort(reason);
      };
      if (ms !== undefined) timer = setTimeout(() => end(new Error(`timed out after ${formatSeconds(ms)}`)), ms);
      unlisten = stop?.on((request) => end(new Stopped(request)));
    });
    return Promise.race([running, cut]).finally(() => {
      clearTimeout(timer);
      unlisten?.();
    });
  }
}

const DONE: Promise<void> = Promise.resolve();

function isPromiseLike(value: unknown): value is PromiseLike<void> {
  return typeof (value as PromiseLike<void> | undefined)?.then === 'function';
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}

/** Wraps anything a hook threw, once: `[plugin x] onRunBegin: message`. */
function pluginError(plugin: string, hook: string, error: unknown): GuildStageError {
  if (error instanceof GuildStageError && error.plugin === plugin && error.hook === hook) return error;
  return new GuildStageError('PLUGIN', `[plugin ${plugin}] ${hook}: ${messageOf(error)}`, {
    plugin,
    hook,
    file: error instanceof GuildStageError ? error.file : undefined,
    line: error instanceof GuildStageError ? error.line : undefined,
    suggestion: error instanceof GuildStageError ? error.suggestion : undefined,
    cause: error,
  });
}
