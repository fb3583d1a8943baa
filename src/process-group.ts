/**
 * Process groups and signal escalation: the one place that decides how a process guild-stage
 * starts (the script, a command hook) is stopped with everything it started.
 *
 * A process started in its own group (`detached`) is signalled as a group, so a shell
 * wrapper's python, or a child the script left behind, gets the signal too. A stop sends
 * the signal asked for; SIGKILL of the group follows after the grace period, or at once on a
 * second stop. When guild-stage exits while a group is still being stopped, the group is
 * killed on the way out, and a tiny watchdog process kills it when guild-stage itself is
 * killed (SIGKILL leaves no chance to do it from here). One watchdog serves every process
 * of a guild-stage process, so a batch's trials do not each pay for starting one.
 */
import { spawn } from 'node:child_process';

/**
 * Whether a process whose stdin is ours runs in its own process group. Not when stdin is a
 * terminal: Node starts a detached process in a new session (setsid), which has no
 * controlling terminal, so the script could not open /dev/tty (password prompts), and
 * Ctrl-Z would stop guild-stage but not the script. Node cannot make another group the
 * terminal's foreground group instead. In a terminal the script stays in guild-stage's
 * (foreground) group, where Ctrl-C, Ctrl-Z and a hang-up reach every process of it from the
 * terminal itself.
 */
export function ownGroupFor(stdinInherited: boolean): boolean {
  return !stdinInherited || !process.stdin.isTTY;
}

/** Sends `signal` to the group led by `pid` (or to `pid` alone); false when nothing was there to get it. */
export function signalTree(pid: number, group: boolean, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(group ? -pid : pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Trees being stopped right now: killed when guild-stage exits before they are gone. */
const stopping = new Set<ProcessTree>();
let exitHookInstalled = false;

function killStoppingOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const tree of stopping) signalTree(tree.pid, tree.group, 'SIGKILL');
  });
}

/** A started process (and its group, when it leads one), stopped by signals that escalate to SIGKILL. */
export class ProcessTree {
  private stopped = false;
  private killTimer: NodeJS.Timeout | undefined;
  private dismissWatchdog: (() => void) | undefined;

  constructor(
    readonly pid: number,
    /** Whether `pid` leads its own process group. */
    readonly group: boolean,
    private readonly killGraceMs: number,
  ) {}

  /** Whether a stop was asked for. */
  get stopRequested(): boolean {
    return this.stopped;
  }

  /** The first stop sends `signal`, and SIGKILL after the grace period; a second stop kills at once. */
  stop(signal: NodeJS.Signals): void {
    if (this.stopped && signal !== 'SIGKILL') signal = 'SIGKILL';
    this.stopped = true;
    stopping.add(this);
    killStoppingOnExit();
    signalTree(this.pid, this.group, signal);
    if (signal === 'SIGKILL') clearTimeout(this.killTimer);
    else if (!this.killTimer) {
      this.killTimer = setTimeout(() => signalTree(this.pid, this.group, 'SIGKILL'), this.killGraceMs);
      this.killTimer.unref();
    }
  }

  /** Starts the watchdog that kills the tree if guild-stage dies before {@link settled}. */
  watch(): void {
    this.dismissWatchdog ??= startWatchdog(this.group ? `-${this.pid}` : String(this.pid));
  }

  /**
   * Nothing of the tree is waited for any more. Unstopped, it is left alone (what the script
   * started and detached from its output is its business). Stopped, a group that still has
   * members keeps its SIGKILL timer, its watchdog and its kill on exit.
   */
  settled(): void {
    if (this.stopped && signalTree(this.pid, this.group, 0)) return;
    clearTimeout(this.killTimer);
    stopping.delete(this);
    this.dismissWatchdog?.();
  }
}

/**
 * The watchdog's script: `+ TARGET` and `- TARGET` lines (a pid, or `-pgid`) add and remove
 * targets; at end of file, which means guild-stage is gone however it died, every target
 * still listed is killed. Targets are kept space-separated and space-padded, so removing
 * one is two pattern expansions, without starting another process.
 */
const WATCHDOG_SCRIPT = `trap '' INT TERM HUP
set -f
targets=' '
while read -r op target; do
  case $op in
    +) targets="$targets$target " ;;
    -) case $targets in *" $target "*) targets="\${targets%% $target *} \${targets#* $target }" ;; esac ;;
  esac
done
for target in $targets; do kill -KILL "$target" 2>/dev/null; done`;

let watchdogInput: import('node:stream').Writable | null | undefined;

/** The process's watchdog: `sh` reading a pipe only guild-stage holds, started on first use. */
function watchdog(): import('node:stream').Writable | null {
  if (watchdogInput !== undefined) return watchdogInput;
  // In a group of its own and deaf to the terminal's signals: nothing meant for a script stops it.
  const child = spawn('sh', ['-c', WATCHDOG_SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  // A watchdog that cannot start (or is gone) must not fail a run: its scripts simply have none.
  child.on('error', () => {
    watchdogInput = null;
  });
  child.stdin?.on('error', () => {});
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  watchdogInput = child.stdin;
  return watchdogInput;
}

/**
 * Has the watchdog kill `target` (`-pgid` or a pid) if guild-stage dies before the returned
 * dismissal is called, for when the tree ended on its own.
 */
function startWatchdog(target: string): () => void {
  watchdog()?.write(`+ ${target}\n`);
  return () => {
    watchdog()?.write(`- ${target}\n`);
  };
}
