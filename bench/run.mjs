/**
 * `npm run bench`: measures guild-stage against the floors of issue 7 and prints one table.
 *
 *   node bench/run.mjs [--runs N] [--warmup N] [--only P1,P4] [--build] [--out FILE] [--keep]
 *
 * --runs      timed rounds per pair (default 7; P7 defaults to 3 unless --runs is given;
 *             P1, P1-min, P10 and P13 take at least 21)
 * --warmup    untimed rounds before them (default 1)
 * --only      a subset of pairs; P4 selects both P4-py and P4-R
 * --build     rebuild dist/ first (it is built anyway when missing)
 * --out       where the results go (default bench/results.json)
 * --keep      keep the temporary directory with the generated inputs
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Inputs } from './inputs.mjs';
import { PAIRS } from './pairs.mjs';
import { ensureBuilt, peakMethod } from './processes.mjs';
import { formatMachine, formatTable, judge, machine } from './report.mjs';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const DEFAULT_RUNS = 7;
const DEFAULT_P7_RUNS = 3;

/** @param {string | undefined} value @param {string} name @param {number} min */
function count(value, name, min) {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min)
    throw new Error(`--${name} expects a whole number of at least ${min}, got '${value}'`);
  return Number(value);
}

/** @param {string | undefined} only */
function selectPairs(only) {
  if (!only) return PAIRS;
  const wanted = only
    .split(',')
    .map((id) => id.trim().toUpperCase())
    .filter(Boolean);
  const matches = (pair, id) => pair.id.toUpperCase() === id || pair.id.toUpperCase().startsWith(`${id}-`);
  const unknown = wanted.filter((id) => !PAIRS.some((pair) => matches(pair, id)));
  if (unknown.length > 0)
    throw new Error(`--only: no pair ${unknown.join(', ')} (pairs: ${PAIRS.map((p) => p.id).join(', ')})`);
  return PAIRS.filter((pair) => wanted.some((id) => matches(pair, id)));
}

function options() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string' },
      warmup: { type: 'string' },
      only: { type: 'string' },
      build: { type: 'boolean', default: false },
      out: { type: 'string', default: path.join(ROOT, 'bench', 'results.json') },
      keep: { type: 'boolean', default: false },
    },
  });
  const runs = count(values.runs, 'runs', 1);
  return {
    runs: runs ?? DEFAULT_RUNS,
    p7Runs: runs ?? DEFAULT_P7_RUNS,
    warmup: count(values.warmup, 'warmup', 0) ?? 1,
    pairs: selectPairs(values.only),
    only: values.only ?? null,
    build: values.build,
    out: path.resolve(values.out),
    keep: values.keep,
  };
}

/** @param {object} row */
function progressLine(row, seconds) {
  if (row.status !== 'ok') return `${row.id}: ${row.status}: ${row.reason} (${seconds.toFixed(0)} s)`;
  const figure = row.ratio === undefined ? `${row.a.median.toFixed(1)} ${row.unit}` : `A/B ${row.ratio.toFixed(2)}`;
  const result = `${figure} ${row.pass ? 'ok' : 'MISS'}`;
  return `${row.id}: ${result} (${seconds.toFixed(0)} s)`;
}

function main() {
  const opts = options();
  const stale = ensureBuilt(ROOT, opts.build);
  if (stale) console.error(`warning: ${stale}`);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'guild-stage-bench-'));
  const ctx = {
    inputs: new Inputs(path.join(tmp, 'inputs')),
    root: ROOT,
    tmp,
    runs: opts.runs,
    p7Runs: opts.p7Runs,
    warmup: opts.warmup,
    peakMethod: peakMethod(),
  };
  const started = machine();
  const rows = [];
  try {
    for (const pair of opts.pairs) {
      const t0 = performance.now();
      console.error(`${pair.id}: ${pair.work}${pair.floor ? ` vs ${pair.floor}` : ''} ...`);
      const row = judge(pair, pair.measure(ctx));
      console.error(progressLine(row, (performance.now() - t0) / 1000));
      rows.push(row);
    }
  } finally {
    if (opts.keep) console.error(`inputs kept in ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
  const loadEnd = machine().loadavg;
  console.log(formatTable(rows));
  console.log(`\n${formatMachine(started, loadEnd)}`);
  const results = {
    date: new Date().toISOString(),
    machine: { ...started, loadavgEnd: loadEnd },
    options: { runs: opts.runs, p7Runs: opts.p7Runs, warmup: opts.warmup, only: opts.only, peakMethod: ctx.peakMethod },
    rows,
  };
  writeFileSync(opts.out, `${JSON.stringify(results, null, 2)}\n`);
  console.error(`results written to ${path.relative(process.cwd(), opts.out) || opts.out}`);
}

try {
  main();
} catch (error) {
  console.error(`bench: ${error.message}`);
  process.exitCode = 1;
}
