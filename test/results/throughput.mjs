/**
 * Lines per second through ScalarCapture with Guild's default patterns, 1,000,000 lines of
 * each kind, each kind in a fresh process: "cold" is the first million lines (JIT warm-up
 * included), "warm" a second million after it. Not a test (timing on a shared machine is
 * noise); run it by hand on the build:
 *
 *   npm run build && node test/results/throughput.mjs [lines]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ScalarCapture } from '../../dist/src/results/capture.js';

const CASES = {
  'scalar `loss: 0.123 (step 5)`': (i) => `loss: 0.${(123 + i) % 1000} (step ${i})`,
  'scalar `acc: 0.91`': (i) => `acc: 0.9${i % 10}`,
  'no colon (progress bar)': (i) => `Epoch ${i} - 100%|##########| 469/469 [00m03s<00m00s, 120.5it/s]`,
  'colon, not a scalar (log line)': (i) => `INFO 2024-01-01 12:00:0${i % 10} trainer: starting epoch ${i}`,
  'key: word, not a number': (i) => `model: resnet${i % 100} (pretrained)`,
};

const count = Number(process.argv[2] ?? 1_000_000);
const only = process.argv[3];

function time(capture, lines) {
  let scalars = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) scalars += capture.push(lines[i % lines.length]).length;
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, scalars };
}

const rate = (seconds) => Math.round(count / seconds).toLocaleString('en-US');

if (only === undefined) {
  console.log(`${count.toLocaleString('en-US')} lines of each kind, Node ${process.version}`);
  for (const name of Object.keys(CASES)) {
    process.stdout.write(execFileSync(process.execPath, [fileURLToPath(import.meta.url), String(count), name]));
  }
} else {
  const lines = Array.from({ length: 1000 }, (_, i) => CASES[only](i));
  const capture = new ScalarCapture();
  const cold = time(capture, lines);
  const warm = time(capture, lines);
  console.log(
    `${only.padEnd(32)} cold ${rate(cold.seconds).padStart(11)} lines/s, warm ${rate(warm.seconds).padStart(11)} lines/s (${cold.scalars} scalars)`,
  );
}
