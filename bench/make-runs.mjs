/**
 * Writes `count` finished runs into a runs directory, seeded, as guild-stage records them:
 * every attr a run gets (env included), opref, output and its index, manifest, the staged
 * patch and source, a scalar summary and one event file per run. About one run in five is a
 * trial of a batch of ten (with its batch run); statuses are mostly completed, some error,
 * terminated or staged. Runs in a child process of the benchmark because it uses the built
 * record writers (dist/).
 *
 *   node bench/make-runs.mjs <runs dir> <count> [seed]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { int, rng, words } from './seeded.mjs';

const DIST = fileURLToPath(new URL('../dist/src/records/', import.meta.url));
const { encodeYaml } = await import(path.join(DIST, 'py-yaml.js'));
const { formatOpref } = await import(path.join(DIST, 'opref.js'));
const { encodeEventFile } = await import(path.join(DIST, 'tfevents.js'));
const { ScalarSummaryBuilder, writeScalarSummary } = await import(path.join(DIST, 'scalar-summary.js'));

const PROJECT = '/home/user/projects/mnist';
const DAY_MICROS = 86_400_000_000;
const NOW_MICROS = 1_790_000_000_000_000;
const OPTIMIZERS = ['sgd', 'adam', 'rmsprop'];
const ENV = Object.fromEntries(
  Array.from({ length: 40 }, (_, i) => [`VAR_${String(i).padStart(2, '0')}`, `/usr/local/share/value-${i}`]),
);

/** @param {() => number} next */
function hex(next, length) {
  let out = '';
  while (out.length < length)
    out += Math.floor(next() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, length);
}

/** @param {() => number} next */
function statusOf(next) {
  const x = next();
  if (x < 0.85) return { exit: 0 };
  if (x < 0.93) return { exit: 1 };
  if (x < 0.98) return { exit: -15 };
  return { staged: true };
}

/**
 * @param {string} runsDir
 * @param {{ id: string, initialized: number, flags: Record<string, unknown>, batch: object | null,
 *   status: { exit?: number, staged?: boolean }, next: () => number, trials?: string[] }} run
 */
function writeRun(runsDir, run) {
  const dir = path.join(runsDir, run.id);
  const guild = path.join(dir, '.guild');
  const attrs = path.join(guild, 'attrs');
  mkdirSync(attrs, { recursive: true });
  const isBatch = run.trials !== undefined;
  const opspec = isBatch ? 'train.py+' : 'train.py';
  const label = Object.entries(run.flags)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const env = { ...ENV, RUN_DIR: dir, RUN_ID: run.id };
  for (const [name, value] of Object.entries(run.flags)) env[`FLAG_${name.toUpperCase()}`] = String(value);
  const started = run.initialized + int(run.next, 50_000, 400_000);
  const stopped = started + int(run.next, 1_000_000, 3_600_000_000);
  const values = {
    id: run.id,
    initialized: run.initialized,
    flags: run.flags,
    user_flags: run.flags,
    cmd: ['python3', 'train.py'],
    env,
    label,
    host: 'gpu-node-3',
    user: 'user',
    platform: 'Linux x86_64',
    plugins: ['flags'],
    sourcecode_digest: hex(run.next, 32),
    vcs_commit: `git:${hex(run.next, 40)}`,
    op: { 'flags-dest': 'globals', 'op-cmd': { 'cmd-args': ['python3', 'train.py'], 'cmd-env': env } },
    guild_stage: { version: '0.1.0', batch: run.batch, error: null, changed: { 'train.py': ['flags'] }, env },
  };
  if (!run.status.staged) Object.assign(values, { started, stopped, exit_status: run.status.exit });
  for (const [name, value] of Object.entries(values)) writeFileSync(path.join(attrs, name), encodeYaml(value));
  writeFileSync(path.join(guild, 'opref'), formatOpref(PROJECT, opspec));
  const source = `lr = ${run.flags.lr ?? 0.01}\nepochs = ${run.flags.epochs ?? 10}\n# ${words(run.next, 40)}\n`;
  writeFileSync(path.join(dir, 'train.py'), source);
  writeFileSync(path.join(guild, 'manifest'), `s train.py ${hex(run.next, 40)} train.py\n`);
  writeFileSync(
    path.join(guild, 'staged.patch'),
    `--- a/train.py\n+++ b/train.py\n@@ -1 +1 @@\n-lr = 0.01\n+lr = ${run.flags.lr}\n`,
  );
  if (run.status.staged) {
    writeFileSync(path.join(guild, 'STAGED'), '');
    return;
  }
  if (isBatch) return;
  const epochs = /** @type {number} */ (run.flags.epochs);
  const scalars = [];
  const output = [];
  let loss = 2 + run.next();
  for (let step = 1; step <= epochs; step++) {
    loss *= 0.9 + run.next() * 0.08;
    const acc = 1 - loss / 3;
    scalars.push({ tag: 'loss', value: loss, step, wallTime: started / 1e6 + step });
    scalars.push({ tag: 'acc', value: acc, step, wallTime: started / 1e6 + step });
    scalars.push({ tag: 'val_loss', value: loss * 1.1, step, wallTime: started / 1e6 + step });
    output.push(`epoch ${step}: loss: ${loss} (step ${step}) acc: ${acc}`);
  }
  writeFileSync(path.join(guild, 'output'), `${output.join('\n')}\n`);
  writeFileSync(path.join(guild, 'output.index'), Buffer.alloc(9 * output.length));
  const events = encodeEventFile(scalars, started / 1e6);
  const eventName = `events.out.tfevents.${Math.floor(started / 1e6)}.gpu-node-3.${int(run.next, 1000, 99999)}.0`;
  writeFileSync(path.join(guild, eventName), events);
  const builder = new ScalarSummaryBuilder('captured');
  for (const s of scalars) builder.add(s.tag, s.value, s.step);
  builder.addSource(`.guild/${eventName}`);
  return writeScalarSummary(
    dir,
    builder.summary(() => events.length),
  );
}

async function main() {
  const [runsDir, countText, seedText] = process.argv.slice(2);
  if (!runsDir || !countText) throw new Error('usage: make-runs.mjs <runs dir> <count> [seed]');
  const count = Number(countText);
  const next = rng(Number(seedText ?? 10));
  mkdirSync(runsDir, { recursive: true });
  let made = 0;
  let time = NOW_MICROS - 30 * DAY_MICROS;
  const flagsOf = () => ({
    lr: [0.1, 0.03, 0.01, 0.003, 0.001][int(next, 0, 4)],
    epochs: int(next, 10, 100),
    batch_size: [32, 64, 128][int(next, 0, 2)],
    optimizer: OPTIMIZERS[int(next, 0, 2)],
    dropout: Math.round(next() * 50) / 100,
  });
  while (made < count) {
    time += int(next, 1, 20) * 60_000_000;
    if (count - made >= 11 && next() < 0.02) {
      const batchId = hex(next, 32);
      const trials = Array.from({ length: 10 }, () => hex(next, 32));
      await writeRun(runsDir, {
        id: batchId,
        initialized: time,
        flags: flagsOf(),
        batch: { role: 'batch', trials },
        status: { exit: 0 },
        next,
        trials,
      });
      for (const [index, id] of trials.entries()) {
        time += int(next, 1, 5) * 60_000_000;
        await writeRun(runsDir, {
          id,
          initialized: time,
          flags: flagsOf(),
          batch: { role: 'trial', batchId, index: index + 1 },
          status: statusOf(next),
          next,
        });
      }
      made += 11;
      continue;
    }
    await writeRun(runsDir, {
      id: hex(next, 32),
      initialized: time,
      flags: flagsOf(),
      batch: null,
      status: statusOf(next),
      next,
    });
    made += 1;
  }
}

await main();
