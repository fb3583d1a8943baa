/**
 * Judging rows against their targets, the printed table (Markdown, so it can go into the
 * README as is) and the results file.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';

const METRIC_VALUE = {
  ratio: (row) => row.ratio,
  mbPerSec: (row) => row.mbPerSec,
  peakMB: (row) => row.peakMB,
};

const TARGET_TEXT = {
  ratio: (t) => `${t.op} ${t.value}x`,
  mbPerSec: (t) => `${t.op} ${t.value} MB/s`,
  peakMB: (t) => `${t.op} ${t.value} MB`,
};

/**
 * The row with each target's measured value and verdict; `pass` is null when nothing was measured.
 * @param {import('./pairs.mjs').Pair} pair
 * @param {object} measured what `pair.measure` returned
 */
export function judge(pair, measured) {
  const row = { id: pair.id, work: pair.work, floor: pair.floor, ...measured };
  if (row.status !== 'ok') return { ...row, targets: pair.targets, pass: null };
  const targets = pair.targets.map((t) => {
    const value = METRIC_VALUE[t.metric](row);
    return { ...t, measured: value, pass: t.op === '<=' ? value <= t.value : value >= t.value };
  });
  return { ...row, targets, pass: targets.every((t) => t.pass) };
}

/** @param {number} n */
function num(n) {
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}

/** @param {{ median: number, min: number, max: number } | undefined} s @param {string} unit */
function cell(s, unit) {
  return s ? `${num(s.median)} ${unit} (${num(s.min)}-${num(s.max)})` : '-';
}

function verdict(row) {
  if (row.status === 'unavailable') return 'n/a';
  if (row.status === 'error') return 'ERROR';
  if (row.targets.length === 0) return '-';
  return row.pass ? 'ok' : 'MISS';
}

/** @param {object} row */
function cells(row) {
  const aCell = cell(row.a, row.unit) + (row.mbPerSec ? `, ${num(row.mbPerSec)} MB/s` : '');
  return [
    row.id,
    row.work,
    row.floor || '-',
    row.status === 'ok' ? aCell : '-',
    row.status === 'ok' ? cell(row.b, row.unit) : '-',
    row.ratio === undefined ? '-' : `${num(row.ratio)}x`,
    row.targets.map((t) => TARGET_TEXT[t.metric](t)).join(', ') || '-',
    verdict(row),
  ];
}

const HEADER = ['pair', 'work (A)', 'floor (B)', 'A median (min-max)', 'B median (min-max)', 'A/B', 'target', 'result'];

/**
 * The table as Markdown, columns padded, followed by a line per row that was not measured.
 * @param {object[]} rows judged rows
 */
export function formatTable(rows) {
  const body = rows.map(cells);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const notes = rows
    .filter((r) => r.status !== 'ok')
    .map((r) => `${r.id} ${r.status === 'error' ? 'error' : 'not available'}: ${r.reason}`);
  return [
    line(HEADER),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    ...(notes.length ? ['', ...notes] : []),
  ].join('\n');
}

function cpuModel() {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) return match[1].trim();
  } catch {
    // Not Linux: os.cpus() has the model too.
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

/** What the figures were measured on; the load average matters on a shared machine. */
export function machine() {
  return {
    cpu: cpuModel(),
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadavg: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}

/** The one line under the table that says where it was measured. */
export function formatMachine(m, loadEnd) {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node.js ${m.node}, ${m.platform}; load average ${m.loadavg.join(' ')} at start, ${loadEnd.join(' ')} at end`;
}
