/**
 * Preloaded by startup-modules.mjs (`node --import`) into the measured CLI. In the main
 * thread it registers itself as module hooks and, at exit, logs the CommonJS files that
 * `require` loaded (which Node.js 20's hooks do not see). In the hooks thread its `load`
 * hook logs every ES module as it is loaded. Log lines: `<ms since start> <kind> <url>`.
 */
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const log = process.env.BENCH_MODULE_LOG;
/** The child's start, shared by both threads (their own clocks start at different times). */
const start = Number(process.env.BENCH_MODULE_T0 ?? 0);
const now = () => (performance.timeOrigin + performance.now() - start).toFixed(1);

if (isMainThread && log) {
  register(import.meta.url);
  process.on('exit', () => {
    const files = Object.keys(createRequire(import.meta.url).cache);
    appendFileSync(log, files.map((file) => `${now()} cjs file://${file}\n`).join(''));
  });
}

/** Module hook: records the URL, then loads as usual. */
export async function load(url, context, nextLoad) {
  if (log && url.startsWith('file:')) appendFileSync(log, `${now()} esm ${url}\n`);
  return nextLoad(url, context);
}
