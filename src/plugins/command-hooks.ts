/**
 * Command hooks: any program as a hook (`--hook on_run_staged='Rscript patch.R'`), so R,
 * Python or shell code plugs in without writing TypeScript. Each becomes a Plugin, so the
 * driver's ordering and failure rules apply to it like to any other.
 */
import { GuildStageError } from '../errors.js';
import { nearestName } from '../flags/resolve.js';
import type { Run } from '../run.js';
import { HOOK_SYNONYMS, type HookContext, type HookName, type Plugin, type PluginHooks } from './types.js';

/** The proposal's snake_case names, as used on the command line and in the config file. */
const COMMAND_HOOK_EVENTS = {
  on_run_staged: 'onRunStaged',
  on_run_begin: 'onRunBegin',
  on_run_end: 'onRunEnd',
} as const satisfies Record<string, HookName>;

export type CommandHookEvent = keyof typeof COMMAND_HOOK_EVENTS;

export interface CommandHook {
  event: CommandHookEvent;
  /** A shell command line, run with `sh -c` in the run directory. */
  command: string;
}

function isEvent(name: string): name is CommandHookEvent {
  return Object.hasOwn(COMMAND_HOOK_EVENTS, name);
}

/** Parses `EVENT=COMMAND`. */
export function parseHookSpec(spec: string): CommandHook {
  const eq = spec.indexOf('=');
  const event = eq < 0 ? spec : spec.slice(0, eq);
  const command = eq < 0 ? '' : spec.slice(eq + 1).trim();
  return checkedHook(event, command, `--hook ${spec}`);
}

/** Checks an event name and command from any source (`--hook`, the config file). */
export function checkedHook(event: string, command: string, source: string): CommandHook {
  if (!isEvent(event)) {
    const near = nearestName(event, Object.keys(COMMAND_HOOK_EVENTS), HOOK_SYNONYMS);
    throw new GuildStageError(
      'USAGE',
      `${source}: unknown hook event '${event}' (events: ${Object.keys(COMMAND_HOOK_EVENTS).join(', ')})`,
      {
        suggestion: near ? `did you mean ${near}?` : undefined,
      },
    );
  }
  if (command === '') throw new GuildStageError('USAGE', `${source}: expected EVENT=COMMAND with a command`);
  return { event, command };
}

/** The program a command line starts, when it is a plain word (not `VAR=x cmd` or a subshell). */
function programOf(command: string): string | undefined {
  const word = /^\s*([^\s;&|<>()$`'"=]+)(?=\s|$)/.exec(command)?.[1];
  return word;
}

/** Fails before anything is staged when a hook's program does not exist. */
export async function checkHookCommand(hook: CommandHook, cwd: string): Promise<void> {
  const program = programOf(hook.command);
  if (!program) return;
  const { execa } = await import('execa');
  const found = await execa('sh', ['-c', 'command -v -- "$1"', 'sh', program], { cwd, reject: false });
  if (found.exitCode !== 0) {
    throw new GuildStageError('NOT_FOUND', `hook command not found: ${program} (in ${hook.event}=${hook.command})`);
  }
}

function lastLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join('\n');
}

/**
 * Runs the command with the Run as JSON on stdin; a non-zero exit throws with its stderr.
 * When `signal` aborts (the driver's hook timeout), the command's whole process group is
 * killed: the driver has already failed the hook, and nothing else would stop the command.
 */
async function runCommand(
  hook: CommandHook,
  run: Run,
  onOutput: (chunk: string) => void,
  signal: AbortSignal,
): Promise<void> {
  const { execa } = await import('execa');
  const child = execa(hook.command, {
    shell: true,
    // Its own process group, so a kill stops the shell and everything it started; killing
    // only the shell would leave its children holding the output pipes open.
    detached: true,
    cwd: run.dir,
    input: JSON.stringify(run),
    env: { ...run.env, RUN_DIR: run.dir, RUN_ID: run.id, GUILD_STAGE_HOOK: hook.event },
    reject: false,
    stripFinalNewline: false,
  });
  const kill = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group is already gone: everything in it has exited.
    }
  };
  if (signal.aborted) kill();
  else signal.addEventListener('abort', kill, { once: true });
  const result = await child.finally(() => signal.removeEventListener('abort', kill));
  if (result.stdout) onOutput(String(result.stdout));
  if (result.exitCode === 0) {
    if (result.stderr) onOutput(String(result.stderr));
    return;
  }
  const why = result.exitCode === undefined ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
  const stderr = lastLines(String(result.stderr ?? ''), 5);
  throw new GuildStageError('PLUGIN', `command '${hook.command}' ${why}${stderr ? `: ${stderr}` : ''}`);
}

/**
 * A plugin that runs `hook.command` at its event. It has no timer of its own: the driver's
 * hook timeout aborts the handler's signal, which kills the command.
 */
export function commandHookPlugin(hook: CommandHook, onOutput: (chunk: string) => void = () => {}): Plugin {
  const run = (target: Run, context: HookContext) => runCommand(hook, target, onOutput, context.signal);
  // The context follows each hook's own arguments, so each event's handler takes it from its place.
  const handlers: PluginHooks = {
    onRunStaged: (target, _staged, context) => run(target, context),
    onRunBegin: (target, context) => run(target, context),
    onRunEnd: (target, _result, context) => run(target, context),
  };
  const event = COMMAND_HOOK_EVENTS[hook.event];
  return { name: `hook ${hook.event}`, [event]: handlers[event] };
}
