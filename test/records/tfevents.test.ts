import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { GuildStageError } from '../../src/errors.js';
import {
  crc32c,
  decodeEventFile,
  encodeEventFile,
  encodeFileVersionEvent,
  encodeRecord,
  encodeScalarEvent,
  EventFileWriter,
  eventFileName,
  FILE_VERSION,
  findEventFiles,
  isEventFileName,
  maskedCrc32c,
  readEventFile,
  readRunScalars,
  type Scalar,
  scalarKey,
} from '../../src/records/tfevents.js';
import { makeTempDir, writeTree } from '../helpers/fs.js';
import { guild, parseSimpleCsv, REFERENCE, REFERENCE_SKIP, referenceRead } from '../helpers/reference.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'dist/bin/guild-stage.cjs');
const TFEVENTS_MODULE = pathToFileURL(path.join(ROOT, 'src/records/tfevents.ts')).href;

/** The bit-at-a-time CRC32C, to check the sliced one against. */
function slowCrc32c(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** Scalars as the file holds them: values through float32. */
const asStored = (scalars: Scalar[]) => scalars.map((s) => ({ ...s, value: Math.fround(s.value) }));

const SAMPLE: Scalar[] = [
  { tag: 'loss', value: 1.2195, step: 1, wallTime: 1_700_000_000.25 },
  { tag: 'loss', value: 0.1, step: 2, wallTime: 1_700_000_001.5 },
  { tag: 'acc', value: 0, step: 0, wallTime: 1_700_000_002 },
  { tag: 'val/loss', value: -3.5e-7, step: 2 ** 53 - 1, wallTime: 1_700_000_003 },
  { tag: 'négatif ✓', value: 1e39, step: -7, wallTime: 1_700_000_004 },
  { tag: 'x', value: Number.NaN, step: 128, wallTime: 1_700_000_005 },
  { tag: 'x', value: Number.NEGATIVE_INFINITY, step: 300, wallTime: 1_700_000_006 },
  { tag: 't'.repeat(200), value: Number.POSITIVE_INFINITY, step: 2 ** 31, wallTime: 0 },
];

async function writeSample(dir: string, scalars: Scalar[] = SAMPLE): Promise<string> {
  const writer = await EventFileWriter.open(dir);
  for (const s of scalars) writer.add(s.tag, s.value, s.step, s.wallTime);
  await writer.close();
  return writer.file;
}

function sourceError(run: () => unknown): GuildStageError {
  try {
    run();
  } catch (error) {
    if (error instanceof GuildStageError) return error;
    throw error;
  }
  throw new Error('expected a GuildStageError');
}

describe('crc32c', () => {
  it('matches the CRC-32C check values and the bitwise definition', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
    const data = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 0xff));
    for (let start = 0; start < 9; start += 1) {
      for (const end of [start, start + 1, start + 7, start + 8, start + 9, 100, 299, 300]) {
        expect(crc32c(data, start, end)).toBe(slowCrc32c(data.subarray(start, end)));
      }
    }
  });

  it('masks as TFRecord does (the first length CRC of a Guild sample file)', () => {
    // 79ca9e64.../events.out.tfevents.*: `0f00 0000 0000 0000 6d53 2b09`.
    expect(maskedCrc32c(Buffer.from('0f00000000000000', 'hex'))).toBe(0x092b536d);
  });
});

describe('event file names', () => {
  it("are TensorBoard's events.out.tfevents.<secs:010d>.<host>.<pid>.<uid>", () => {
    expect(eventFileName({ time: 1_662_041_973.9, host: 'calusa', pid: 97126, uid: 2 })).toBe(
      'events.out.tfevents.1662041973.calusa.97126.2',
    );
    expect(eventFileName({ time: 12, host: 'h', pid: 1, uid: 0, suffix: '.x' })).toBe(
      'events.out.tfevents.0000000012.h.1.0.x',
    );
    const a = eventFileName();
    const b = eventFileName();
    expect(a).toMatch(new RegExp(`^events\\.out\\.tfevents\\.\\d{10}\\..+\\.${process.pid}\\.\\d+$`));
    expect(a).not.toBe(b);
  });

  it('are read for scalars by Guild when they hold .tfevents. and do not end .attrs', () => {
    expect(isEventFileName('events.out.tfevents.1662041973.calusa.97126.2')).toBe(true);
    expect(isEventFileName('events.out.tfevents.0000000000.hparams')).toBe(true);
    expect(isEventFileName('events.out.tfevents.1662041973.calusa.97126.3.attrs')).toBe(false);
    expect(isEventFileName('output')).toBe(false);
    expect(scalarKey('.guild', 'loss')).toBe('loss');
    expect(scalarKey('', 'loss')).toBe('loss');
    expect(scalarKey('logs/train', 'loss')).toBe('logs/train#loss');
  });
});

describe('encoding', () => {
  it('frames records with the length, its masked CRC, the data and its masked CRC', () => {
    const record = encodeRecord(Buffer.from('abc'));
    expect(record.length).toBe(19);
    expect(record.readBigUInt64LE(0)).toBe(3n);
    expect(record.readUInt32LE(8)).toBe(maskedCrc32c(record, 0, 8));
    expect(record.subarray(12, 15).toString()).toBe('abc');
    expect(record.readUInt32LE(15)).toBe(maskedCrc32c(Buffer.from('abc')));
  });

  it('encodes a scalar event as Guild/TensorBoard does (bytes of a Guild sample, plus wall time)', () => {
    // Guild's sample 79ca9e64: `2a 0d 0a 0b 0a 04 "loss" 15 <float32>` (no wall time, step 0).
    const event = encodeScalarEvent({ tag: 'loss', value: 0.435140997171402, step: 0, wallTime: 1.5 });
    expect(event.subarray(0, 9)).toEqual(Buffer.from([0x09, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f]));
    expect(event.subarray(9).toString('hex')).toBe('2a0d0a0b0a046c6f737315cdcade3e');
    const stepped = encodeScalarEvent({ tag: 'a', value: 1, step: 300, wallTime: 0 });
    expect(stepped.subarray(9, 12).toString('hex')).toBe('10ac02');
  });

  it('rejects a step that is not a safe integer and an empty tag', () => {
    for (const step of [0.5, 2 ** 53, Number.NaN]) {
      expect(sourceError(() => encodeScalarEvent({ tag: 'a', value: 1, step, wallTime: 0 })).code).toBe('USAGE');
    }
    expect(sourceError(() => encodeScalarEvent({ tag: '', value: 1, step: 0, wallTime: 0 })).code).toBe('USAGE');
  });
});

describe('EventFileWriter and readEventFile', () => {
  it('round-trips tags, float32 values, int64 steps and wall times, after a file-version event', async () => {
    const dir = await makeTempDir();
    const file = await writeSample(dir);
    expect(path.dirname(file)).toBe(path.join(dir, '.guild'));
    expect(isEventFileName(path.basename(file))).toBe(true);
    const read = await readEventFile(file);
    expect(read).toEqual(asStored(SAMPLE));
    expect(read[1]!.value).toBe(0.10000000149011612);
    expect(read[4]!.value).toBe(Number.POSITIVE_INFINITY); // 1e39 is past float32's range
    const decoded = decodeEventFile(await readFile(file), file);
    expect(decoded.fileVersion).toBe(FILE_VERSION);
    expect(decoded.error).toBeUndefined();
    // Same bytes as the one-shot encoder, but for the first event's wall time.
    const whole = encodeEventFile(SAMPLE, 0);
    const bytes = await readFile(file);
    const first = encodeRecord(encodeFileVersionEvent(0)).length;
    expect(bytes.length).toBe(whole.length);
    expect(bytes.subarray(first)).toEqual(whole.subarray(first));
  });

  it('reads an empty run directory and a missing one as having no scalars', async () => {
    const dir = await makeTempDir();
    expect(await readRunScalars(dir)).toEqual([]);
    expect(await readRunScalars(path.join(dir, 'missing'))).toEqual([]);
  });

  it('writes once the buffer passes flushBytes, without flush()', async () => {
    const dir = await makeTempDir();
    const writer = await EventFileWriter.open(dir, { flushBytes: 200, flushIntervalMs: Number.POSITIVE_INFINITY });
    const header = writer.bytesWritten;
    // 42-byte records: the buffer goes out after the 5th and the 10th; 2 stay buffered.
    for (let i = 1; i <= 12; i += 1) writer.add('loss', i, i, 1);
    await until(async () => (await stat(writer.file)).size === header + 10 * 42);
    expect((await readEventFile(writer.file)).length).toBe(10);
    await writer.close();
    expect((await readEventFile(writer.file)).length).toBe(12);
  });

  it('writes a lone scalar within flushIntervalMs, without flush()', async () => {
    const dir = await makeTempDir();
    const writer = await EventFileWriter.open(dir, { flushIntervalMs: 20 });
    writer.add('loss', 0.5, 1);
    await until(async () => (await readEventFile(writer.file)).length === 1);
    await writer.close();
  });

  it('keeps what was flushed when its process is SIGKILLed', async () => {
    const dir = await makeTempDir();
    const child = path.join(dir, 'child.mts');
    await writeFile(
      child,
      `import { EventFileWriter } from ${JSON.stringify(TFEVENTS_MODULE)};
const w = await EventFileWriter.open(process.argv[2], { flushIntervalMs: Number.POSITIVE_INFINITY });
for (let i = 0; i < 1000; i += 1) w.add('loss', i / 1000, i);
await w.flush();
for (let i = 1000; i < 1010; i += 1) w.add('loss', i / 1000, i);
process.stdout.write('flushed\\n');
setInterval(() => {}, 1000);
`,
    );
    await mkdir(path.join(dir, 'run'));
    const proc = spawn(process.execPath, ['--import', 'tsx', child, path.join(dir, 'run')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      proc.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('flushed') && resolve());
      proc.on('exit', (code) => reject(new Error(`child exited ${code} before flushing`)));
    });
    const exited = new Promise((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));
    proc.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const [file] = await findEventFiles(path.join(dir, 'run'));
    const scalars = await readEventFile(file!.file);
    expect(scalars.length).toBe(1000);
    expect(scalars.at(-1)).toMatchObject({ tag: 'loss', step: 999, value: Math.fround(0.999) });
  });

  it('opens a new file per writer, and refuses an explicit name that exists', async () => {
    const dir = await makeTempDir();
    const a = await EventFileWriter.open(dir);
    const b = await EventFileWriter.open(dir);
    expect(a.file).not.toBe(b.file);
    await Promise.all([a.close(), b.close()]);
    const name = path.basename(a.file);
    const error = await EventFileWriter.open(dir, { fileName: name }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuildStageError);
    expect(error).toMatchObject({ code: 'STAGE', file: a.file });
  });

  it('refuses scalars after close', async () => {
    const dir = await makeTempDir();
    const writer = await EventFileWriter.open(dir);
    await writer.close();
    await writer.close();
    expect(sourceError(() => writer.add('loss', 1, 1)).code).toBe('STAGE');
  });
});

describe('tensor values', () => {
  /** A protobuf length-delimited field. */
  const field = (num: number, body: Buffer) => Buffer.concat([Buffer.from([(num << 3) | 2, body.length]), body]);
  const f32 = (x: number) => {
    const b = Buffer.alloc(4);
    b.writeFloatLE(x);
    return b;
  };
  const f64 = (x: number) => {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(x);
    return b;
  };
  /** An Event at step 5 with one summary value `{tag, tensor}`. */
  const tensorEvent = (tag: string, tensor: Buffer) =>
    Buffer.concat([
      Buffer.from([0x10, 5]),
      field(5, field(1, Buffer.concat([field(1, Buffer.from(tag)), field(8, tensor)]))),
    ]);
  const dtype = (n: number) => Buffer.from([0x08, n]);

  it('reads one-element float and double tensors (TensorFlow 2 summaries) as Guild does, and skips others', async () => {
    const dir = await makeTempDir();
    const file = path.join(dir, 'events.out.tfevents.0000000001.h.1.0');
    await writeFile(
      file,
      Buffer.concat(
        [
          encodeFileVersionEvent(1),
          tensorEvent('packed_float', Buffer.concat([dtype(1), field(5, f32(0.25))])),
          tensorEvent('double', Buffer.concat([dtype(2), field(6, f64(0.1))])),
          tensorEvent('content', Buffer.concat([dtype(1), field(4, f32(-2.5))])),
          tensorEvent('unpacked', Buffer.concat([dtype(1), Buffer.from([0x2d]), f32(3)])),
          tensorEvent('two', Buffer.concat([dtype(1), field(5, Buffer.concat([f32(1), f32(2)]))])),
          tensorEvent('text', Buffer.concat([dtype(7), field(8, Buffer.from('hi'))])),
          tensorEvent('int', Buffer.concat([dtype(3), Buffer.from([0x38, 4])])),
        ].map(encodeRecord),
      ),
    );
    expect((await readEventFile(file)).map(({ tag, value, step }) => [tag, value, step])).toEqual([
      ['packed_float', 0.25, 5],
      ['double', 0.1, 5],
      ['content', -2.5, 5],
      ['unpacked', 3, 5],
    ]);
  });
});

describe('throughput', () => {
  it("writes 1,000,000 scalars in well under a run's time and reads them back", async () => {
    const dir = await makeTempDir();
    const started = performance.now();
    const writer = await EventFileWriter.open(dir);
    for (let i = 0; i < 1_000_000; i += 1) writer.add(i % 2 ? 'loss' : 'accuracy', 1 / (i + 1), i);
    expect(writer.pendingBytes).toBeGreaterThan(0);
    await writer.close();
    const seconds = (performance.now() - started) / 1000;
    expect(writer.pendingBytes).toBe(0);
    expect(writer.scalarCount).toBe(1_000_000);
    expect((await stat(writer.file)).size).toBe(writer.bytesWritten);
    expect(seconds).toBeLessThan(20);
    const scalars = await readEventFile(writer.file);
    expect(scalars.length).toBe(1_000_000);
    expect(scalars.at(-1)).toMatchObject({ tag: 'loss', step: 999_999, value: Math.fround(1e-6) });
  });
});

describe('bad event files', () => {
  async function sampleBytes(): Promise<{ dir: string; bytes: Buffer }> {
    const dir = await makeTempDir();
    const file = await writeSample(dir, SAMPLE.slice(0, 3));
    return { dir, bytes: await readFile(file) };
  }

  async function expectRejected(file: string, message: RegExp): Promise<GuildStageError> {
    const error = await readEventFile(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuildStageError);
    const e = error as GuildStageError;
    expect(e.code).toBe('SOURCE');
    expect(e.file).toBe(file);
    expect(e.message).toContain(file);
    expect(e.message).toMatch(message);
    return e;
  }

  it('rejects a file truncated anywhere inside a record, naming it, and keeps the records before', async () => {
    const { dir, bytes } = await sampleBytes();
    const lastStart = bytes.length - encodeRecord(encodeScalarEvent(SAMPLE[2]!)).length;
    for (const cut of [lastStart + 1, lastStart + 11, lastStart + 12, lastStart + 20, bytes.length - 1]) {
      const file = path.join(dir, `events.out.tfevents.cut${cut}`);
      await writeFile(file, bytes.subarray(0, cut));
      await expectRejected(file, /truncated/);
      const decoded = decodeEventFile(await readFile(file), file);
      expect(decoded.scalars).toEqual(asStored(SAMPLE.slice(0, 2)));
    }
  });

  it('rejects a bad length CRC, a bad data CRC and a bad length', async () => {
    const { dir, bytes } = await sampleBytes();
    const flip = async (name: string, at: number) => {
      const copy = Buffer.from(bytes);
      copy[at]! ^= 0x01;
      const file = path.join(dir, `events.out.tfevents.${name}`);
      await writeFile(file, copy);
      return file;
    };
    const second = encodeRecord(encodeFileVersionEvent(0)).length;
    await expectRejected(await flip('len', second), /bad length CRC/);
    await expectRejected(await flip('lencrc', second + 9), /bad length CRC/);
    await expectRejected(await flip('data', second + 14), /bad data CRC/);
    await expectRejected(await flip('datacrc', bytes.length - 1), /bad data CRC/);
  });

  it('rejects a record whose CRCs hold but whose event is malformed', async () => {
    const dir = await makeTempDir();
    const file = path.join(dir, 'events.out.tfevents.malformed');
    await writeFile(file, encodeRecord(Buffer.from([0x2a, 0x05, 0x0a])));
    await expectRejected(file, /malformed event/);
  });

  it('reports a bad file of a run and reads the others', async () => {
    const { dir, bytes } = await sampleBytes();
    await writeFile(path.join(dir, '.guild', 'events.out.tfevents.0000000001.bad'), bytes.subarray(0, -3));
    const files = await readRunScalars(dir);
    expect(files.map((f) => Boolean(f.error))).toEqual([true, false]);
    expect(files[0]!.error).toMatchObject({
      code: 'SOURCE',
      file: path.join(dir, '.guild/events.out.tfevents.0000000001.bad'),
    });
    expect(files[0]!.scalars).toEqual(asStored(SAMPLE.slice(0, 2)));
    expect(files[1]!.scalars).toEqual(asStored(SAMPLE.slice(0, 3)));
  });
});

describe('findEventFiles', () => {
  it('finds event files where Guild does, with its prefixes, in directory then name order', async () => {
    const dir = await makeTempDir();
    const other = await makeTempDir();
    const event = encodeEventFile([{ tag: 'loss', value: 1, step: 1, wallTime: 1 }]);
    await writeTree(dir, {
      '.guild/events.out.tfevents.0000000002.h.1.0': event,
      '.guild/events.out.tfevents.0000000001.h.1.0': event,
      '.guild/events.out.tfevents.0000000001.h.1.1.attrs': event,
      '.guild/output': 'loss: 1\n',
      'events.out.tfevents.0000000003.h.1.0': event,
      'logs/train/events.out.tfevents.0000000004.h.1.0': event,
      'logs/notes.txt': '',
    });
    await writeTree(other, {
      'plain/events.out.tfevents.0000000005.h.1.0': event,
      'dep-run/.guild/opref': 'guildfile:x y z w\n',
      'dep-run/.guild/events.out.tfevents.0000000006.h.1.0': event,
    });
    await symlink(path.join(other, 'plain'), path.join(dir, 'linked-plain'));
    await symlink(path.join(other, 'dep-run'), path.join(dir, 'linked-run'));
    await symlink(dir, path.join(dir, 'logs', 'loop'));
    const found = await findEventFiles(dir);
    expect(found.map((f) => [f.relPath, f.prefix])).toEqual([
      ['events.out.tfevents.0000000003.h.1.0', ''],
      ['.guild/events.out.tfevents.0000000001.h.1.0', '.guild'],
      ['.guild/events.out.tfevents.0000000002.h.1.0', '.guild'],
      ['linked-run/.guild/events.out.tfevents.0000000006.h.1.0', 'linked-run/.guild'],
      ['logs/train/events.out.tfevents.0000000004.h.1.0', 'logs/train'],
    ]);
    expect(found[1]!.file).toBe(path.join(dir, '.guild/events.out.tfevents.0000000001.h.1.0'));
  });
});

describe.skipIf(!REFERENCE)(`against the reference clients${REFERENCE_SKIP}`, () => {
  const samples = REFERENCE ? path.join(REFERENCE, 'guildai/guild/tests/samples/filter-runs') : '';

  it('tfevents_read.py reads our files as we wrote them', async () => {
    const dir = await makeTempDir();
    const file = await writeSample(dir, SAMPLE);
    const ref = await referenceRead(file);
    expect(ref.exitCode, ref.stderr).toBe(0);
    expect(ref.scalars).toEqual(SAMPLE.map(({ tag, step, value }) => ({ tag, step, value: Math.fround(value) })));
  });

  it("reads each of Guild's sample event files equal to tfevents_read.py", async () => {
    const runs = await readdir(samples);
    let files = 0;
    for (const run of runs) {
      for (const found of await readRunScalars(path.join(samples, run))) {
        files += 1;
        expect(found.error).toBeUndefined();
        // Two are runs that hold the run they used in target/: Guild keys those `target/.guild#loss`.
        expect(['.guild', 'target/.guild']).toContain(found.prefix);
        const ref = await referenceRead(found.file);
        expect(ref.exitCode).toBe(0);
        expect(found.scalars.map(({ tag, step, value }) => ({ tag, step, value }))).toEqual(ref.scalars);
        expect(found.scalars.length).toBeGreaterThan(0);
      }
    }
    expect(files).toBe(7);
  });

  it('agrees with tfevents_read.py on which damaged files are bad', async () => {
    const dir = await makeTempDir();
    const bytes = await readFile(await writeSample(dir, SAMPLE.slice(0, 2)));
    const cases: Array<[string, Buffer]> = [
      ['truncated', bytes.subarray(0, -1)],
      ['header', bytes.subarray(0, bytes.length - 30)],
      ['crc', Buffer.concat([bytes.subarray(0, -1), Buffer.from([bytes.at(-1)! ^ 0x80])])],
    ];
    for (const [name, data] of cases) {
      const file = path.join(dir, `events.out.tfevents.${name}`);
      await writeFile(file, data);
      expect((await referenceRead(file)).exitCode).toBe(1);
      expect((await readEventFile(file).catch((e: GuildStageError) => e)) as GuildStageError).toMatchObject({
        code: 'SOURCE',
        file,
      });
    }
  });

  it('Guild compare and runs info show the scalars we add to a run, as the run goes', async () => {
    const home = await makeTempDir('gs-guild-home-');
    const { stdout } = await execa(
      process.execPath,
      [CLI, '-C', path.join(ROOT, 'examples/quickstart'), 'train.py', '--flags', 'lr=0.1', '--json', '--no-scalars'],
      { env: { GUILD_HOME: home } },
    );
    const runDir = (JSON.parse(stdout) as { runDir: string }).runDir;

    const writer = await EventFileWriter.open(runDir, { flushIntervalMs: Number.POSITIVE_INFINITY });
    writer.add('loss', 1.2195, 1);
    writer.add('loss', 0.7399, 2);
    await writer.flush();
    const mid = parseSimpleCsv(await guild(home, 'compare', '--csv', '-'));
    expect(mid).toHaveLength(1);
    expect(Number(mid[0]!.loss)).toBe(Math.fround(0.7399));

    // Guild caches scalars by event file names and sizes: the next read sees the new ones.
    writer.add('loss', 0.4515, 3);
    writer.add('acc', 0.875, 3);
    await writer.close();
    const [row] = parseSimpleCsv(await guild(home, 'compare', '--csv', '-'));
    expect(Number(row!.loss)).toBe(Math.fround(0.4515));
    expect(Number(row!.acc)).toBe(0.875);
    expect(row!.step).toBe('3');

    const info = await guild(home, 'runs', 'info');
    const scalars = info.slice(info.indexOf('\nscalars:'));
    expect(scalars).toContain('  loss: 0.451500 (step 3)');
    expect(scalars).toContain('  acc: 0.875000 (step 3)');
  });
});

/** Polls `check` until it holds, for at most 5 s. */
async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
