/**
 * How `compare` reads: the columns of a comparison, as a table that fits a terminal, as CSV
 * and as JSON. Pure: a result in, text out.
 */
import { terminalSafe } from './terminal-text.js';
import type { CompareResult, CompareRow, FlagValue, SummaryField } from '../engine.js';
import { formatDuration, formatTime, formatValue } from './format.js';

/** Which value of each named scalar to show (`last` for the others). */
export type SummaryFields = Readonly<Record<string, SummaryField>>;

export interface Column {
  header: string;
  cells: string[];
  /** Numbers align right. */
  align: 'left' | 'right';
  /** Set on the status column: its cells' status, for color. */
  status?: boolean;
}

/**
 * The columns of a comparison: run, script, status, label, each flag, `step` and each scalar
 * (when any run has one), started, time. `csv` cells are for tools: the full run id, numbers
 * at full precision, the start as ISO 8601 UTC and the time in seconds. Table cells are for
 * people: the short id, six decimals at most, local time and `1.2s`.
 */
export function compareColumns(result: CompareResult, show: SummaryFields, mode: 'table' | 'csv'): Column[] {
  const { runs } = result;
  const csv = mode === 'csv';
  const number = (value: number | null | undefined) =>
    value === null || value === undefined ? '' : csv ? String(value) : formatNumber(value);
  const column = (header: string, cell: (row: CompareRow) => string, align: Column['align'] = 'left'): Column => ({
    header,
    cells: runs.map(cell),
    align,
  });
  const choiceOf = (name: string) => (Object.hasOwn(show, name) ? show[name]! : 'last');
  return [
    column('run', (row) => (csv ? row.id : row.id.slice(0, 8))),
    column('script', (row) => row.opspec),
    { ...column('status', (row) => row.status), status: true },
    column('label', (row) => row.label ?? ''),
    ...result.flags.map((name) =>
      column(
        // A flag named like a scalar or a column is `=name`, as `--sort` takes it.
        result.scalars.includes(name) || CORE_HEADERS.includes(name) ? `=${name}` : name,
        (row) => {
          if (Object.hasOwn(row.flags, name)) return flagCell(row.flags[name]!);
          // It reached the script only as FLAG_*: never shown as if it were a flag of the script.
          return Object.hasOwn(row.forced, name) ? `${flagCell(row.forced[name]!)} (forced)` : '';
        },
        runs.every(
          (row) =>
            !Object.hasOwn(row.forced, name) &&
            (!Object.hasOwn(row.flags, name) || typeof row.flags[name] === 'number'),
        )
          ? 'right'
          : 'left',
      ),
    ),
    ...(result.scalars.length > 0 ? [column('step', (row) => number(row.step), 'right')] : []),
    ...result.scalars.map((name) => {
      const choice = choiceOf(name);
      const header = choice === 'last' ? name : `${choice} ${name}`;
      return column(
        header,
        (row) => {
          if (!Object.hasOwn(row.scalars, name)) return '';
          const value = row.scalars[name]![choice];
          // A null min or max: every value was NaN.
          return value === null ? 'NaN' : number(value);
        },
        'right',
      );
    }),
    column('started', (row) => (row.startedAt ? (csv ? row.startedAt.toISOString() : formatTime(row.startedAt)) : '')),
    column(
      'time',
      (row) => (row.durationMs === null ? '' : csv ? String(row.durationMs / 1000) : formatDuration(row.durationMs)),
      'right',
    ),
  ];
}

const CORE_HEADERS = ['run', 'script', 'status', 'label', 'step', 'started', 'time'];

function flagCell(value: FlagValue): string {
  return typeof value === 'string' ? value : formatValue(value);
}

/**
 * A number for a table cell: at most six decimals, cut rather than rounded as `guild compare`
 * does (0.9999999 stays 0.999999, not 1), without trailing zeros; NaN and the infinities as
 * the summary file writes them.
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return String(value)
    .replace(/(\.\d{6})\d+/, '$1')
    .replace(/(\.\d*?)0+(?=$|e)/, '$1')
    .replace(/\.(?=$|e)/, '');
}

export interface TableOptions {
  /** The terminal's width: columns that do not fit are dropped from the right. None: every column. */
  width?: number;
  /** Cells longer than this are cut, with `…` (on a terminal). */
  maxCell?: number;
  /** Colors for the header and status cells (on a terminal, unless NO_COLOR). */
  color?: boolean;
}

/** The table's lines, and the headers of the columns dropped to fit `width`. */
export function renderTable(
  columns: readonly Column[],
  opts: TableOptions = {},
): { lines: string[]; hidden: string[] } {
  const rowCount = columns[0]?.cells.length ?? 0;
  if (rowCount === 0) return { lines: [], hidden: [] };
  const cut = (text: string) =>
    opts.maxCell !== undefined && [...text].length > opts.maxCell
      ? `${[...text].slice(0, opts.maxCell - 1).join('')}…`
      : text;
  const shown: Array<{ column: Column; cells: string[]; width: number }> = [];
  let used = 0;
  for (const column of columns) {
    const cells = column.cells.map((cell) => cut(terminalSafe(cell)));
    const width = Math.max(textWidth(terminalSafe(column.header)), ...cells.map(textWidth));
    const next = used + (shown.length > 0 ? GAP.length : 0) + width;
    if (opts.width !== undefined && shown.length > 0 && next > opts.width) break;
    shown.push({ column, cells, width });
    used = next;
  }
  const hidden = columns.slice(shown.length).map((column) => column.header);
  const pad = (text: string, width: number, align: Column['align']) => {
    const fill = ' '.repeat(Math.max(0, width - textWidth(text)));
    return align === 'right' ? fill + text : text + fill;
  };
  const paint = (text: string, code: string | undefined) => (opts.color && code ? `${code}${text}${RESET}` : text);
  const header = shown
    .map(({ column, width }) => paint(pad(terminalSafe(column.header), width, column.align), BOLD))
    .join(GAP);
  const lines = [header.trimEnd()];
  for (let i = 0; i < rowCount; i++) {
    const line = shown
      .map(({ column, cells, width }) => {
        const text = pad(cells[i]!, width, column.align);
        return column.status ? paint(text, STATUS_COLORS[cells[i]!]) : text;
      })
      .join(GAP);
    lines.push(line.trimEnd());
  }
  return { lines, hidden };
}

const GAP = '  ';
const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';
const STATUS_COLORS: Record<string, string> = {
  completed: '\x1b[32m',
  error: '\x1b[31m',
  terminated: '\x1b[33m',
  running: '\x1b[36m',
};

/** Code points, not UTF-16 units; wide (East Asian) characters count as one, a known limit. */
function textWidth(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** The line under a table that lost columns to the terminal's width. */
export function hiddenNote(hidden: readonly string[]): string {
  const n = hidden.length;
  return terminalSafe(
    `(${n} column${n === 1 ? '' : 's'} hidden to fit the terminal: ${hidden.join(', ')}; widen it, or use --csv or --json)`,
  );
}

/** RFC 4180: a field with a comma, a quote or a line break goes in double quotes, its quotes doubled. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The CSV of `columns`: a header row, then one row per run, lines ending in `\n` as Guild's. */
export function renderCsv(columns: readonly Column[]): string {
  const rowCount = columns[0]?.cells.length ?? 0;
  const rows = [columns.map((column) => csvField(column.header)).join(',')];
  for (let i = 0; i < rowCount; i++) rows.push(columns.map((column) => csvField(column.cells[i]!)).join(','));
  return `${rows.join('\n')}\n`;
}

/**
 * The `--json` array: per run its record and every summary of each scalar (`first`,
 * `firstStep`, `last`, `step` (of `last`), `min`, `max`, `count`). NaN and the
 * infinities are the strings the scalar summary file uses ("NaN", "Infinity", "-Infinity"),
 * in flags too: JSON has no such numbers.
 */
export function compareJson(result: CompareResult): string {
  const rows = result.runs.map((row) => ({
    id: row.id,
    runDir: row.runDir,
    opspec: row.opspec,
    status: row.status,
    label: row.label,
    flags: hasNonFinite(row.flags) ? encodeNonFinite(row.flags) : row.flags,
    forced: hasNonFinite(row.forced) ? encodeNonFinite(row.forced) : row.forced,
    scalars: scalarsJson(row.scalars),
    startedAt: row.startedAt,
    stoppedAt: row.stoppedAt,
    exitStatus: row.exitStatus,
    batch: row.batch,
  }));
  // No replacer: JSON.stringify is several times slower with one, and only these values need it.
  return JSON.stringify(rows);
}

/** The summaries as they are (`first`, `firstStep`, `last`, `step`, `min`, `max`, `count`); copied only to encode NaN or an infinity. */
function scalarsJson(scalars: CompareRow['scalars']): CompareRow['scalars'] | unknown {
  for (const key in scalars) {
    const s = scalars[key]!;
    if (!Number.isFinite(s.first) || !Number.isFinite(s.last) || !finiteOrNull(s.min) || !finiteOrNull(s.max)) {
      return encodeNonFinite(scalars);
    }
  }
  return scalars;
}

function finiteOrNull(value: number | null): boolean {
  return value === null || Number.isFinite(value);
}

function num(value: number | null): number | string | null {
  return finiteOrNull(value) ? value : String(value);
}

/** Loops rather than Object.values: this runs over every flag of thousands of runs. */
function hasNonFinite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (const item of value) if (hasNonFinite(item)) return true;
    return false;
  }
  for (const key in value) if (hasNonFinite((value as Record<string, unknown>)[key])) return true;
  return false;
}

function encodeNonFinite(value: unknown): unknown {
  if (typeof value === 'number') return num(value);
  if (Array.isArray(value)) return value.map(encodeNonFinite);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeNonFinite(v)]));
  }
  return value;
}
