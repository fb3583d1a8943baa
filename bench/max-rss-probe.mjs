/**
 * Preloaded (`node --import`) into a measured child where GNU time is missing: reports the
 * child's own peak resident set (KiB) to the file the harness named, as it exits.
 */
import { writeFileSync } from 'node:fs';

process.on('exit', () => writeFileSync(process.env.BENCH_MAX_RSS_FILE, String(process.resourceUsage().maxRSS)));
