/**
 * The Plugin API: the public contract for code that hooks into a run's lifecycle.
 *
 * Every hook's arguments are declared once, in `HookArgs`; the `Plugin` interface, the
 * driver and command hooks are all derived from it, so a wrong hook name or a wrong
 * argument list does not compile.
 */
import type { Run } from '../run.js';

/** One line the script wrote, without its line ending. */
export interface OutputLine {
  stream: 'stdout' | 'stderr';
  text: string;
  time: Date;
}

/** How a run ended, passed to `onRunEnd`. `run.status` already holds the same final status. */
export interface RunResult {
  status: 'completed' | 'error' | 'terminated';
  /** The script's exit code, a negative signal number, or null when it never started. */
  exitStatus: number | null;
  /** The signal that ended the script, e.g. `SIGTERM`, or null. */
  signal: string | null;
  /** From the start of `onRunBegin` to the script's exit, in milliseconds. */
  durationMs: number;
  /** What stopped the run when a hook failed or the script could not start. */
  error: Error | null;
}

/**
 * The staged copy of the project, as `onRunStaged` sees it. Writes through it are
 * recorded with the plugin that made them; files changed by any other means (a command
 * hook, `fs` directly) are still found and diffed after the hook.
 */
export interface StagedSource {
  /** The run directory the source was copied into. */
  readonly dir: string;
  /** Staged files, relative to `dir`, with `/` separators, sorted. */
  readonly files: readonly string[];
  /** Reads a staged file as UTF-8. */
  read(file: string): Promise<string>;
  /** Replaces a staged file's content (creates it when new). */
  write(file: string, text: string): Promise<void>;
  /**
   * The file's syntax tree, for editing code structurally: a ts-morph `SourceFile` for
   * TypeScript, a recast `File` (babel nodes) for JavaScript. Edit it in place; the engine
   * prints it back (unchanged code byte-identical) when the hook is done, or before the file
   * is read or written again. Plugins share one tree per file. Throws for languages without
   * tree support.
   */
  ast<Tree = unknown>(file: string): Promise<Tree>;
}

/** The arguments of each hook, declared once. */
export interface HookArgs {
  /** After the run directory is populated, before anything runs. Not called for batch runs. */
  onRunStaged: [run: Run, staged: StagedSource];
  /** Right before the script starts. `run.status` is `running`. */
  onRunBegin: [run: Run];
  /** For each line of output while the script runs. */
  onRunOutput: [run: Run, line: OutputLine];
  /** After the run ended, however it ended. Always called once `onRunBegin` or `onRunStaged` was. */
  onRunEnd: [run: Run, result: RunResult];
}

export type HookName = keyof HookArgs;

/** Words people use for the ones hook names use, for "did you mean". */
export const HOOK_SYNONYMS: Readonly<Record<string, string>> = {
  start: 'begin',
  finish: 'end',
  stop: 'end',
  complete: 'end',
  done: 'end',
};

export const HOOK_NAMES: readonly HookName[] = ['onRunStaged', 'onRunBegin', 'onRunOutput', 'onRunEnd'];

/**
 * What the driver passes every handler after the hook's own arguments. A handler that
 * ignores it still type-checks: it is the last parameter, and may be left out.
 */
export interface HookContext {
  /**
   * Aborted when the handler outlives the hook timeout. The driver has by then failed the
   * handler and moved on; the signal is the handler's cue to stop whatever it still runs
   * (a command hook kills its processes), since nothing else will.
   */
  signal: AbortSignal;
}

/** A hook's handler: the hook's arguments from `HookArgs`, then the {@link HookContext}. */
export type HookHandler<A extends unknown[]> = (...args: [...A, context: HookContext]) => void | Promise<void>;

/** A hook is a function, or an object giving it its own priority. */
export type Hook<A extends unknown[]> = HookHandler<A> | { priority?: number; handler: HookHandler<A> };

export type PluginHooks = { [K in HookName]?: Hook<HookArgs[K]> };

export interface Plugin extends PluginHooks {
  /** Shown in every report about this plugin. */
  name: string;
  /** Default priority of all of its hooks. Higher runs first; equal ones keep registration order. Default 0. */
  priority?: number;
}

/** Identity at run time; gives plugin authors type checking and completion. */
export function definePlugin<P extends Plugin>(plugin: P): P {
  return plugin;
}
