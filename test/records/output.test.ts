import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { OutputWriter } from '../../src/records/output.js';
import { makeTempDir } from '../helpers/fs.js';
import { pythonHas } from '../helpers/python.js';

const HAS_PYTHON = pythonHas('struct');

const out = (text: string) => Buffer.from(text);

/** `.guild/output.index` decoded by hand, 9 bytes a record: big-endian u64 milliseconds, stream byte. */
async function readOutputIndex(dir: string): Promise<Array<{ time: number; stream: number }>> {
  const data = await readFile(path.join(dir, '.guild', 'output.index'));
  const records = [];
  for (let offset = 0; offset + 9 <= data.length; offset += 9) {
    records.push({ time: Number(data.readBigUInt64BE(offset)), stream: data[offset + 8]! });
  }
  return records;
}

describe('OutputWriter', () => {
  it('records chunks split mid-line, indexing each line at its first byte with its stream', async () => {
    const dir = await makeTempDir();
    const t = (ms: number) => new Date(1_732_636_800_000 + ms);
    const writer = await OutputWriter.open(dir);
    writer.write('stdout', out('epoch 1: lo'), t(1));
    writer.write('stdout', out('ss 0.5\nepoch 2'), t(2));
    writer.write('stdout', out(': loss 0.4\n'), t(3));
    writer.write('stderr', out('warning: slow\n'), t(4));
    writer.write('stderr', out(''), t(4));
    writer.write('stdout', out('done\n\nbye'), t(5));
    await writer.close();

    const output = await readFile(path.join(dir, '.guild', 'output'), 'utf8');
    expect(output).toBe('epoch 1: loss 0.5\nepoch 2: loss 0.4\nwarning: slow\ndone\n\nbye');
    expect(await readOutputIndex(dir)).toEqual([
      { time: 1_732_636_800_001, stream: 0 },
      { time: 1_732_636_800_002, stream: 0 },
      { time: 1_732_636_800_004, stream: 1 },
      { time: 1_732_636_800_005, stream: 0 },
      { time: 1_732_636_800_005, stream: 0 },
      { time: 1_732_636_800_005, stream: 0 },
    ]);
  });

  it('keeps one record per line of the file when the streams interleave mid-line', async () => {
    const dir = await makeTempDir();
    const writer = await OutputWriter.open(dir);
    writer.write('stdout', out('progress '));
    writer.write('stderr', out('err A\nerr'));
    writer.write('stdout', out(' 50%\n'));
    writer.write('stderr', out(' B\n'));
    await writer.close();

    const output = await readFile(path.join(dir, '.guild', 'output'), 'utf8');
    const lines = output.split('\n').filter((line, i, all) => i < all.length - 1 || line !== '');
    const index = await readOutputIndex(dir);
    expect(output).toBe('progress err A\nerr 50%\n B\n');
    expect(index.map((r) => r.stream)).toEqual([0, 1, 1]);
    expect(index).toHaveLength(lines.length);
  });

  it('writes big-endian u64 milliseconds and a stream byte, 9 bytes per line, within the test window', async () => {
    const dir = await makeTempDir();
    const before = Date.now();
    const writer = await OutputWriter.open(dir);
    writer.write('stderr', out('a\n'));
    writer.write('stdout', out('b\n'));
    await writer.close();
    const after = Date.now();

    const raw = await readFile(path.join(dir, '.guild', 'output.index'));
    expect(raw).toHaveLength(18);
    const first = Number(raw.readBigUInt64BE(0));
    const second = Number(raw.readBigUInt64BE(9));
    expect(first).toBeGreaterThanOrEqual(before);
    expect(second).toBeLessThanOrEqual(after);
    expect(second).toBeGreaterThanOrEqual(first);
    expect([raw[8], raw[17]]).toEqual([1, 0]);
  });

  it('keeps bytes as they came, including invalid UTF-8 and CRLF', async () => {
    const dir = await makeTempDir();
    const bytes = Buffer.from([0xff, 0xfe, 0x0d, 0x0a, 0x41, 0x0a]);
    const writer = await OutputWriter.open(dir);
    writer.write('stdout', bytes.subarray(0, 3));
    writer.write('stdout', bytes.subarray(3));
    await writer.close();
    expect(await readFile(path.join(dir, '.guild', 'output'))).toEqual(bytes);
    expect(await readOutputIndex(dir)).toHaveLength(2);
  });

  it('gathers small chunks into few writes yet has them on disk within a tenth of a second, before close', async () => {
    const dir = await makeTempDir();
    const writer = await OutputWriter.open(dir);
    for (let i = 0; i < 1000; i += 1) writer.write('stdout', out(`loss: ${i}\n`));
    expect((await readFile(path.join(dir, '.guild', 'output'))).length).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const onDisk = await readFile(path.join(dir, '.guild', 'output'), 'utf8');
    expect(onDisk.split('\n')).toHaveLength(1001);
    expect(await readOutputIndex(dir)).toHaveLength(1000);
    writer.write('stdout', out('last\n'));
    await writer.close();
    expect(await readFile(path.join(dir, '.guild', 'output'), 'utf8')).toBe(`${onDisk}last\n`);
  });

  it('truncates output from an earlier attempt and refuses writes after close', async () => {
    const dir = await makeTempDir();
    const first = await OutputWriter.open(dir);
    first.write('stdout', out('old line\nold line\n'));
    await first.close();
    const second = await OutputWriter.open(dir);
    second.write('stdout', out('new\n'));
    await second.close();
    expect(await readFile(path.join(dir, '.guild', 'output'), 'utf8')).toBe('new\n');
    expect(await readOutputIndex(dir)).toHaveLength(1);
    expect(() => second.write('stdout', out('late\n'))).toThrow(/closed/);
  });

  it.skipIf(!HAS_PYTHON)("is read by Guild's reader logic line for line (skipped without python3)", async () => {
    const dir = await makeTempDir();
    const writer = await OutputWriter.open(dir);
    writer.write('stdout', out('one\ntw'));
    writer.write('stderr', out('o\nthree\n'));
    await writer.close();
    // Guild's RunOutputReader: readline() on output, one 9-byte '!QB' record per line.
    const script = `
import json, os, struct, sys
g = os.path.join(sys.argv[1], '.guild')
out, idx, lines = open(os.path.join(g, 'output'), 'rb'), open(os.path.join(g, 'output.index'), 'rb'), []
while True:
    line = out.readline().rstrip().decode()
    if not line: break
    header = idx.read(9)
    if len(header) < 9: break
    lines.append([struct.unpack('!QB', header)[1], line])
print(json.dumps(lines))`;
    const { stdout } = await execa('python3', ['-c', script, dir]);
    expect(JSON.parse(stdout)).toEqual([
      [0, 'one'],
      [0, 'two'],
      [1, 'three'],
    ]);
  });
});
