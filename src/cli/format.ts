/**
 * How results read on a terminal and in `--json`. Pure: data in, text or plain objects out.
 */
import path from 'node:path';
import type {
  BatchOutcome,
  FileStat,
  FlagSite,
  FlagValue,
  ListedRun,
  ObjectiveResult,
  Run,
  RunRecord,
  RunResult,
  StagedRun,
} from '../engine.js';
import { terminalSafe } from './terminal-text.js';

export function formatValue(value: FlagValue): string {
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

export function formatFlags(flags: Record<string, FlagValue>): string {
  return Object.entries(flags)
    .map(([name, value]) => `${name}=${Array.isArray(value) || typeof value !== 'string' ? formatValue(value) : value}`)
    .join(' ');
}

/**
 * The best trial of a batch: `Best: trial 3 (run 1a2b3c4d) lr=0.1, loss 0.25 (least)`, and
 * the trials that never printed the scalar, which are neither best nor worst.
 */
export function formatBest(result: ObjectiveResult, trials: BatchOutcome['trials']): string[] {
  const { objective, best, missing } = result;
  const which = objective.goal === 'minimize' ? 'least' : 'most';
  const lines = best
    ? [
        `Best: trial ${best.index} (run ${best.id.slice(0, 8)}) ${formatFlags(userFlagsOf(best.index, trials, best.flags))}, ${objective.scalar} ${best.value} (${which})`,
      ]
    : [`Best: none, no trial printed ${objective.scalar}`];
  if (best && missing.length) lines.push(`  without ${objective.scalar}: trial ${missing.join(', ')}`);
  return lines.map(terminalSafe);
}

/** The flags the user gave a trial, which tell trials apart better than every flag. */
function userFlagsOf(
  index: number,
  trials: BatchOutcome['trials'],
  fallback: Record<string, FlagValue>,
): Record<string, FlagValue> {
  return trials.find(({ trial }) => trial.index === index)?.trial.plan.resolved.userFlags ?? fallback;
}

/** `1.2s`, `850ms`, `2m05s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

/** A literal split over lines (`0 +\n  0i`, a list) as one line: each break and its indentation a space. */
function oneLine(text: string): string {
  return text.replace(/[ \t]*(?:\r\n|\r|\n)\s*/g, ' ');
}

/** What staging changed, one line each: `train.py:3 lr 0.01 -> 0.1`, `M other.py (plugin x)`. */
export function formatChanges(staged: Pick<StagedRun, 'edits' | 'flagArgs' | 'changed'>): string[] {
  const lines = staged.edits.map(
    (edit) => `  ${edit.file}:${edit.line} ${edit.name} ${oneLine(edit.before)} -> ${oneLine(edit.after)}`,
  );
  const edited = new Set(staged.edits.map((edit) => edit.file));
  for (const [name, args] of Object.entries(staged.flagArgs)) {
    lines.push(`  ${name}: ${formatCommand(args)} on the command line (its default is not a literal)`);
  }
  const mark = { modified: 'M', added: 'A', deleted: 'D' } as const;
  for (const file of staged.changed) {
    const byOthers = file.plugins.filter((plugin) => plugin !== 'flags');
    if (edited.has(file.path) && byOthers.length === 0) continue;
    lines.push(`  ${mark[file.change]} ${file.path}${byOthers.length ? ` (${byOthers.join(', ')})` : ''}`);
  }
  return lines.map(terminalSafe);
}

export function formatStaged(staged: StagedRun): string[] {
  const { run } = staged;
  const changes = formatChanges(staged);
  return [
    `Staged run ${run.shortId} (${run.opspec}${run.label ? ` ${run.label}` : ''}) in ${run.dir}`,
    ...(changes.length ? changes : ['  no changes to the source']),
  ].map(terminalSafe);
}

export function formatEnd(run: Run, result: RunResult): string {
  const how =
    result.status === 'completed'
      ? 'completed'
      : result.status === 'terminated'
        ? `terminated${result.signal ? ` by ${result.signal}` : ''}`
        : result.exitStatus === null
          ? `error: ${result.error?.message ?? run.error ?? 'unknown'}`
          : `error (exit ${result.exitStatus})`;
  return terminalSafe(`Run ${run.shortId} ${how} in ${formatDuration(result.durationMs)}`);
}

/** The `--json` object of `run`, `stage` and `start`. */
export function runJson(run: Run, staged?: StagedRun): Record<string, unknown> {
  const data = run.toJSON();
  return {
    id: data.id,
    runDir: data.dir,
    status: data.status,
    flags: data.flags,
    forced: data.forced,
    exitStatus: data.exitStatus,
    opspec: data.opspec,
    label: data.label,
    cmd: data.cmd,
    startedAt: data.startedAt,
    stoppedAt: data.stoppedAt,
    error: data.error,
    ...(data.remote && { remote: data.remote }),
    ...(staged && {
      patchFile: staged.patchFile,
      changed: staged.changed,
      edits: staged.edits.map(({ name, file, line, before, after }) => ({ name, file, line, before, after })),
      skipped: staged.skipped,
    }),
  };
}

/** A local time as `runs` and `compare` show it: `2026-11-26 16:20:01`. */
export function formatTime(date: Date | null): string {
  if (!date) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/**
 * `guild runs` style rows under a header, in listing order, each batch's trials indented under
 * it: `[1:1a2b3c4d]  train.py  completed  lr=0.1  2026-11-26 16:20:01`. The label column is
 * the flags the user gave, unless they named the run, or why a run is `unreadable`; a marked run's script ends with
 * `[marked]`, as in `guild runs`, and one whose `--link`ed files changed since it was staged
 * with `[modified]`. A trial of a batch with an objective ends with its value:
 * `loss=0.25`, `loss=-` when it printed none. When the runs come from more than one project,
 * a project column after the script says which (`~/proj` for one in the home directory).
 */
export function formatRunsTable(
  listed: readonly ListedRun<RunRecord>[],
  objectives: ReadonlyMap<string, { scalar: string; value: number | undefined }> = new Map(),
  modified: ReadonlyMap<string, readonly string[]>,
  home: string,
): string[] {
  if (listed.length === 0) return [];
  const projects = new Set(listed.map(({ run }) => run.projectDir));
  const project = projects.size > 1 ? (dir: string) => [homeRelative(dir, home)] : () => [];
  const header = ['run', 'script', ...project('project'), 'status', 'label', 'started'];
  const rows = listed.map(({ index, run, trial }) =>
    [
      `${trial ? '  ' : ''}[${index}:${run.id.slice(0, 8)}]`,
      `${run.opspec}${run.attrs.marked === true ? ' [marked]' : ''}${modified.has(run.id) ? ' [modified]' : ''}`,
      ...project(run.projectDir),
      run.status,
      run.unreadable ?? run.label ?? formatFlags(run.flags),
      formatTime(run.started),
      ...(objectives.size > 0 ? [formatObjective(objectives.get(run.id))] : []),
    ].map(terminalSafe),
  );
  if (objectives.size > 0) header.push('objective');
  // Every column but the last is padded: started is, only when an objective column follows it.
  return alignColumns([header, ...rows], header.length - 1);
}

/** `dir` with the home directory written `~`, as a shell prompt shows it. */
function homeRelative(dir: string, home: string): string {
  if (dir === '') return '-';
  if (dir === home) return '~';
  return dir.startsWith(`${home}${path.sep}`) ? `~${dir.slice(home.length)}` : dir;
}

/** A trial's objective, `loss=0.25`, or `loss=-` when it never printed it; empty for other runs. */
function formatObjective(objective: { scalar: string; value: number | undefined } | undefined): string {
  if (!objective) return '';
  return `${objective.scalar}=${objective.value === undefined ? '-' : objective.value}`;
}

/** Rows of `flags`: name, type, default, description, file:line. */
export function formatFlagsTable(sites: readonly FlagSite[]): string[] {
  if (sites.length === 0) return ['no flags'];
  const rows = [['name', 'type', 'default', 'description', 'where']].concat(
    sites.map((site) => {
      const limits = [
        site.choices && `one of ${site.choices.map(formatValue).join(', ')}`,
        site.min !== undefined && `>= ${site.min}`,
        site.max !== undefined && `<= ${site.max}`,
      ]
        .filter(Boolean)
        .join(', ');
      const description = [site.description, limits && `(${limits})`].filter(Boolean).join(' ');
      return [site.name, site.type, formatDefault(site), description, formatWhere(site)];
    }),
  );
  return alignColumns(rows);
}

/**
 * A flag's default as the table shows it: as the source spells it where the transformer says
 * (Python's `1e-3`, `True`), the code of one that is not a literal, `(required)` for a required option.
 */
function formatDefault(site: FlagSite): string {
  if (site.option?.defaultCode !== undefined) return site.option.defaultCode;
  if (site.option?.required) return '(required)';
  if (site.defaultText !== undefined) return oneLine(site.defaultText);
  if (site.type === 'complex') return String(site.default);
  return site.type === 'float' && Number.isInteger(site.default) ? `${site.default}.0` : formatValue(site.default);
}

/** Where a flag lives: `train.py:12`, and what declares it when that is not an assignment (`train.py:20 argparse`). */
export function formatWhere(site: FlagSite): string {
  return `${site.file}:${site.line}${site.kind ? ` ${site.kind}` : ''}`;
}

/** Rows of cells as lines, each column padded to its widest cell (the first `padded` columns only). */
export function alignColumns(rows: readonly string[][], padded = Number.POSITIVE_INFINITY): string[] {
  const widths = (rows[0] ?? []).map((_, col) => Math.max(...rows.map((row) => row[col]?.length ?? 0)));
  return rows.map((row) =>
    row
      .map((cell, col) => (col < padded ? cell.padEnd(widths[col]!) : cell))
      .join('  ')
      .trimEnd(),
  );
}

const ANSI = { bold: '\x1b[1m', red: '\x1b[31m', green: '\x1b[32m', cyan: '\x1b[36m', reset: '\x1b[0m' };

/** A patch colored as `git diff` colors it. */
export function colorPatch(patch: string): string {
  return patch
    .split('\n')
    .map((line) => {
      if (line === '') return line;
      if (/^(diff --git|--- |\+\+\+ |new file mode|deleted file mode)/.test(line))
        return `${ANSI.bold}${line}${ANSI.reset}`;
      if (line.startsWith('@@')) return `${ANSI.cyan}${line}${ANSI.reset}`;
      if (line.startsWith('+')) return `${ANSI.green}${line}${ANSI.reset}`;
      if (line.startsWith('-')) return `${ANSI.red}${line}${ANSI.reset}`;
      return line;
    })
    .join('\n');
}

/** `git diff --stat` lines: ` train.py | 2 +-` and the totals. */
export function formatStat(stats: readonly FileStat[]): string[] {
  if (stats.length === 0) return ['no changes'];
  const width = Math.max(...stats.map((stat) => stat.path.length));
  const countWidth = String(Math.max(...stats.map((stat) => stat.added + stat.removed))).length;
  const lines = stats.map(
    (stat) =>
      ` ${stat.path.padEnd(width)} | ${String(stat.added + stat.removed).padStart(countWidth)} ${'+'.repeat(stat.added)}${'-'.repeat(stat.removed)}`,
  );
  const added = stats.reduce((sum, stat) => sum + stat.added, 0);
  const removed = stats.reduce((sum, stat) => sum + stat.removed, 0);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(
    ` ${plural(stats.length, 'file')} changed, ${plural(added, 'insertion')}(+), ${plural(removed, 'deletion')}(-)`,
  );
  return lines;
}

/** An argv as a shell line, quoting only the words that need it. */
export function formatCommand(cmd: readonly string[]): string {
  return cmd.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`)).join(' ');
}
