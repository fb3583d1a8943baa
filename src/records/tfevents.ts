/**
 * TensorBoard event files, as Guild AI writes its output scalars and reads them back for
 * `guild compare` and `guild runs info`.
 *
 * A file is `events.out.tfevents.<secs:010d>.<host>.<pid>.<uid>` (TensorBoard's
 * `EventFileWriter` name; Guild's summary writer uses the same) and holds TFRecords:
 * u64 LE data length, masked CRC32C of those 8 bytes, the data, masked CRC32C of the data.
 * Each record's data is one `tensorflow.Event` protobuf. The first is `{wall_time,
 * file_version: "brain.Event:2"}`; each scalar is `{wall_time, step, summary {value {tag,
 * simple_value}}}`. Field numbers (event.proto, summary.proto): Event.wall_time 1 (double),
 * step 2 (int64), file_version 3 (string), summary 5; Summary.value 1; Value.tag 1,
 * simple_value 2 (float), tensor 8; TensorProto.dtype 1, tensor_content 4, float_val 5,
 * double_val 6.
 *
 * Guild reads every file whose name holds `.tfevents.` (but not one ending `.attrs`, its
 * logged-attribute files) in any directory of the run, following symlinked directories that
 * are runs. Files in `<run>/.guild/` give bare tags (`loss`); files elsewhere give
 * `<dir>#<tag>` (`logs/train#loss`). Guild caches what it read in
 * `$GUILD_HOME/cache/runs/index_v1.db`, keyed by the names and sizes of a directory's event
 * files, so appending to a file is seen on the next read.
 */
import { hostname } from 'node:os';
import { lstat, open, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { makeRunSubdir } from './files.js';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { GuildStageError, messageOf } from '../errors.js';
import { GUILD_DIR, guildDir, runFile } from './layout.js';

/** The `file_version` of the first event of every file TensorBoard 2 writes. */
export const FILE_VERSION = 'brain.Event:2';

/** One scalar of an event file. */
export interface Scalar {
  tag: string;
  /** As stored: `simple_value` is a float32, so 0.1 reads back as 0.10000000149011612. */
  value: number;
  step: number;
  /** Seconds since the epoch (TensorBoard's `wall_time`); 0 when the event has none. */
  wallTime: number;
}

// ---------------------------------------------------------------------------------------
// CRC32C (Castagnoli), slicing by 8 over tables built at load.

const CRC_TABLES = (() => {
  const tables = new Uint32Array(8 * 256);
  for (let i = 0; i < 256; i += 1) {
    let c = i;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    tables[i] = c >>> 0;
  }
  for (let i = 0; i < 256; i += 1) {
    for (let t = 1; t < 8; t += 1) {
      const prev = tables[(t - 1) * 256 + i]!;
      tables[t * 256 + i] = ((prev >>> 8) ^ tables[prev & 0xff]!) >>> 0;
    }
  }
  return tables;
})();

/** CRC32C of `data[start, end)`. */
export function crc32c(data: Uint8Array, start = 0, end = data.length): number {
  const t = CRC_TABLES;
  let c = 0xffffffff;
  let i = start;
  for (; end - i >= 8; i += 8) {
    c ^= data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    c =
      t[1792 + (c & 0xff)]! ^
      t[1536 + ((c >>> 8) & 0xff)]! ^
      t[1280 + ((c >>> 16) & 0xff)]! ^
      t[1024 + (c >>> 24)]! ^
      t[768 + data[i + 4]!]! ^
      t[512 + data[i + 5]!]! ^
      t[256 + data[i + 6]!]! ^
      t[data[i + 7]!]!;
  }
  for (; i < end; i += 1) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** TFRecord's masked CRC32C of `data[start, end)`. */
export function maskedCrc32c(data: Uint8Array, start = 0, end = data.length): number {
  const c = crc32c(data, start, end);
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;
}

// ---------------------------------------------------------------------------------------
// File names.

let nextUid = 0;

export interface EventFileNameParts {
  /** Seconds since the epoch; default now. */
  time?: number;
  host?: string;
  pid?: number;
  /** TensorBoard's per-process writer counter; default the next of ours. */
  uid?: number;
  /** Appended after the uid (Guild uses `.attrs` for logged attributes, which it never reads as scalars). */
  suffix?: string;
}

/** `events.out.tfevents.<secs:010d>.<host>.<pid>.<uid><suffix>`, TensorBoard's name for a new event file. */
export function eventFileName(parts: EventFileNameParts = {}): string {
  const secs = Math.floor(parts.time ?? Date.now() / 1000);
  const uid = parts.uid ?? nextUid++;
  const host = parts.host ?? hostname();
  return `events.out.tfevents.${String(secs).padStart(10, '0')}.${host}.${parts.pid ?? process.pid}.${uid}${parts.suffix ?? ''}`;
}

/** Whether Guild reads scalars from a file of this name. */
export function isEventFileName(name: string): boolean {
  return name.includes('.tfevents.') && !name.endsWith('.attrs');
}

/**
 * The key Guild gives a scalar (`run_util.run_scalar_key`): the bare tag for files in the run
 * directory or its `.guild/`, else `<dir>#<tag>` with the directory relative to the run.
 */
export function scalarKey(prefix: string, tag: string): string {
  return prefix === '' || prefix === GUILD_DIR ? tag : `${prefix}#${tag}`;
}

// ---------------------------------------------------------------------------------------
// Encoding.

const TWO_POW_32 = 0x1_0000_0000;

function varintSize(value: number): number {
  if (value < 0) return 10;
  let size = 1;
  for (let v = value; v >= 0x80; v = Math.floor(v / 128)) size += 1;
  return size;
}

function writeVarint(buf: Uint8Array, pos: number, value: number): number {
  let p = pos;
  if (value < 0) {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      buf[p++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    buf[p++] = Number(v);
    return p;
  }
  let v = value;
  while (v >= 0x80) {
    buf[p++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  buf[p++] = v;
  return p;
}

function checkStep(step: number): void {
  if (!Number.isSafeInteger(step)) {
    throw new GuildStageError('USAGE', `scalar step must be an integer of at most 2^53-1 in size, not ${step}`);
  }
}

function checkTag(tag: string): void {
  if (tag === '') throw new GuildStageError('USAGE', 'scalar tag must not be empty');
}

/** Writes a TFRecord frame around `data[12, 12 + length)` already in `buf` at `pos`; returns the end. */
function frameRecord(buf: Buffer, pos: number, length: number): number {
  buf.writeUInt32LE(length % TWO_POW_32, pos);
  buf.writeUInt32LE(Math.floor(length / TWO_POW_32), pos + 4);
  buf.writeUInt32LE(maskedCrc32c(buf, pos, pos + 8), pos + 8);
  const end = pos + 12 + length;
  buf.writeUInt32LE(maskedCrc32c(buf, pos + 12, end), end);
  return end + 4;
}

/** One TFRecord holding `data`. */
export function encodeRecord(data: Uint8Array): Buffer {
  const buf = Buffer.allocUnsafe(data.length + 16);
  buf.set(data, 12);
  frameRecord(buf, 0, data.length);
  return buf;
}

/** The Event protobuf `{wall_time, file_version}` that starts every event file. */
export function encodeFileVersionEvent(wallTime: number, fileVersion = FILE_VERSION): Buffer {
  const version = Buffer.from(fileVersion, 'utf8');
  const buf = Buffer.allocUnsafe(9 + 1 + varintSize(version.length) + version.length);
  buf[0] = 0x09;
  buf.writeDoubleLE(wallTime, 1);
  buf[9] = 0x1a;
  const p = writeVarint(buf, 10, version.length);
  buf.set(version, p);
  return buf;
}

/**
 * The bytes of a scalar event from its summary on, but for the float: `2a <len> 0a <len> 0a
 * <len> <tag> 15`. The same for every scalar of a tag, so the writer keeps one per tag.
 */
function scalarEventTail(tag: Uint8Array): Buffer {
  const value = 1 + varintSize(tag.length) + tag.length + 5;
  const summary = 1 + varintSize(value) + value;
  const tail = Buffer.allocUnsafe(1 + varintSize(summary) + summary - 4);
  tail[0] = 0x2a;
  let p = writeVarint(tail, 1, summary);
  tail[p++] = 0x0a;
  p = writeVarint(tail, p, value);
  tail[p++] = 0x0a;
  p = writeVarint(tail, p, tag.length);
  tail.set(tag, p);
  tail[p + tag.length] = 0x15;
  return tail;
}

/** The most bytes a scalar event with this tail takes: wall time, the longest step, the tail, the float. */
function maxScalarEventSize(tail: Uint8Array): number {
  return 9 + 11 + tail.length + 4;
}

/** Writes the Event of one scalar at `pos`; returns the end. Step 0 is left out, as protobuf does. */
function writeScalarEvent(buf: Buffer, pos: number, tail: Uint8Array, value: number, step: number, wallTime: number) {
  buf[pos] = 0x09;
  buf.writeDoubleLE(wallTime, pos + 1);
  let p = pos + 9;
  if (step !== 0) {
    buf[p++] = 0x10;
    p = writeVarint(buf, p, step);
  }
  buf.set(tail, p);
  p += tail.length;
  buf.writeFloatLE(value, p);
  return p + 4;
}

/** The Event protobuf of one scalar (`simple_value`, so `value` is stored as a float32). */
export function encodeScalarEvent(scalar: Scalar): Buffer {
  checkTag(scalar.tag);
  checkStep(scalar.step);
  const tail = scalarEventTail(Buffer.from(scalar.tag, 'utf8'));
  const buf = Buffer.allocUnsafe(maxScalarEventSize(tail));
  return buf.subarray(0, writeScalarEvent(buf, 0, tail, scalar.value, scalar.step, scalar.wallTime));
}

/** A whole event file: the file-version record, then one record per scalar. */
export function encodeEventFile(scalars: Iterable<Scalar>, wallTime = Date.now() / 1000): Buffer {
  const parts = [encodeRecord(encodeFileVersionEvent(wallTime))];
  for (const scalar of scalars) parts.push(encodeRecord(encodeScalarEvent(scalar)));
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------------------------------
// Writing.

export interface EventFileWriterOptions {
  /** The file's name in `<run>/.guild/`; default {@link eventFileName}. It must not exist yet. */
  fileName?: string;
  /** Write the buffer out once it holds this many bytes (default 64 KiB). */
  flushBytes?: number;
  /** Write buffered scalars out at most this long after they were added (default 200 ms). */
  flushIntervalMs?: number;
  /** The wall time of an event, in seconds since the epoch; default `Date.now() / 1000`. */
  now?: () => number;
}

const DEFAULT_FLUSH_BYTES = 64 * 1024;
const DEFAULT_FLUSH_INTERVAL_MS = 200;

/**
 * Appends scalars to a new event file in `<run>/.guild/`. `add` encodes into a buffer and
 * returns at once; the buffer goes to the file (one `write`, whole records only) when it
 * passes `flushBytes`, `flushIntervalMs` after its first scalar, on `flush()` and on
 * `close()`. What was written survives the writer's process being killed; the file is then
 * a complete event file (unless the kill landed inside one `write`, which can leave a
 * partial last record: readers then keep the records before it).
 */
export class EventFileWriter {
  /** Absolute path of the event file. */
  readonly file: string;
  private chunk: Buffer;
  private used = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private closed = false;
  private written = 0;
  private queued = 0;
  private count = 0;
  private readonly tails = new Map<string, Buffer>();
  private readonly flushBytes: number;
  private readonly flushIntervalMs: number;
  private readonly now: () => number;

  private constructor(
    private readonly handle: FileHandle,
    file: string,
    options: EventFileWriterOptions,
  ) {
    this.file = file;
    this.flushBytes = Math.max(1, options.flushBytes ?? DEFAULT_FLUSH_BYTES);
    this.flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
    this.now = options.now ?? (() => Date.now() / 1000);
    this.chunk = Buffer.allocUnsafe(this.chunkCapacity(0));
  }

  /**
   * Creates the event file in `<runDir>/.guild/` (and the directory) and writes its
   * file-version event. A default name that exists already (two writers in one second)
   * moves on to the next uid.
   */
  static async open(runDir: string, options: EventFileWriterOptions = {}): Promise<EventFileWriter> {
    const dir = guildDir(runDir);
    let file = path.join(dir, options.fileName ?? eventFileName());
    try {
      await makeRunSubdir(runDir, dir);
      let handle: FileHandle | undefined;
      while (!handle) {
        try {
          handle = await open(file, 'wx');
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || options.fileName !== undefined) throw error;
          file = path.join(dir, eventFileName());
        }
      }
      const writer = new EventFileWriter(handle, file, options);
      const first = encodeRecord(encodeFileVersionEvent(writer.now()));
      try {
        await handle.write(first);
      } catch (error) {
        await handle.close();
        throw error;
      }
      writer.written = first.length;
      return writer;
    } catch (error) {
      throw new GuildStageError('STAGE', `cannot create event file ${file}: ${messageOf(error)}`, {
        file,
        cause: error,
      });
    }
  }

  /** Bytes written to the file so far (not counting the buffer). */
  get bytesWritten(): number {
    return this.written;
  }

  /** Bytes added but not yet written to the file (buffered or queued for writing). */
  get pendingBytes(): number {
    return this.queued + this.used;
  }

  /** Scalars added so far. */
  get scalarCount(): number {
    return this.count;
  }

  /**
   * Adds one scalar. `value` is stored as a float32 (NaN and infinities included; doubles
   * beyond float32's range become infinities). `step` is a safe integer, negative allowed.
   */
  add(tag: string, value: number, step: number, wallTime: number = this.now()): void {
    if (this.closed) throw new GuildStageError('STAGE', `event file writer is closed: ${this.file}`);
    this.throwIfFailed();
    checkStep(step);
    let tail = this.tails.get(tag);
    if (!tail) {
      checkTag(tag);
      tail = scalarEventTail(Buffer.from(tag, 'utf8'));
      this.tails.set(tag, tail);
    }
    const size = maxScalarEventSize(tail) + 16;
    if (this.used + size > this.chunk.length) {
      this.handOff();
      if (size > this.chunk.length) this.chunk = Buffer.allocUnsafe(this.chunkCapacity(size));
    }
    const start = this.used + 12;
    const end = writeScalarEvent(this.chunk, start, tail, value, step, wallTime);
    this.used = frameRecord(this.chunk, this.used, end - start);
    this.count += 1;
    if (this.used >= this.flushBytes) this.handOff();
    else if (!this.timer && this.flushIntervalMs !== Number.POSITIVE_INFINITY) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.handOff();
      }, this.flushIntervalMs);
      this.timer.unref();
    }
  }

  /** Writes everything added so far to the file. Rejects if any write failed. */
  async flush(): Promise<void> {
    this.handOff();
    await this.writing;
    this.throwIfFailed();
  }

  /** Flushes and closes the file. Rejects if any write failed; closing again does nothing. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.handOff();
    this.closed = true;
    await this.writing;
    await this.handle.close().catch((error: Error) => (this.failure ??= error));
    this.throwIfFailed();
  }

  private chunkCapacity(atLeast: number): number {
    return Math.max(atLeast, Math.min(this.flushBytes, 1024 * 1024) + 1024);
  }

  /** Queues the buffered records for writing and starts a new buffer. */
  private handOff(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.used === 0 || this.closed) return;
    const data = this.chunk.subarray(0, this.used);
    this.chunk = Buffer.allocUnsafe(this.chunkCapacity(0));
    this.used = 0;
    this.queued += data.length;
    this.writing = this.writing.then(async () => {
      try {
        let offset = 0;
        while (offset < data.length && !this.failure) {
          const { bytesWritten } = await this.handle.write(data, offset, data.length - offset);
          offset += bytesWritten;
          this.written += bytesWritten;
        }
      } catch (error) {
        this.failure = error as Error;
      } finally {
        this.queued -= data.length;
      }
    });
  }

  private throwIfFailed(): void {
    if (this.failure) {
      throw new GuildStageError('STAGE', `cannot write event file ${this.file}: ${this.failure.message}`, {
        file: this.file,
        cause: this.failure,
      });
    }
  }
}

// ---------------------------------------------------------------------------------------
// Reading.

class Malformed extends Error {}

/** Walks the fields of one protobuf message, one at a time, without allocating. */
class Cursor {
  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  end = 0;
  /** The current field: number, wire type, varint value (wire 0), and its bytes (wires 1, 2, 5). */
  num = 0;
  wire = 0;
  int = 0;
  start = 0;
  stop = 0;

  reset(buf: Uint8Array, pos: number, end: number): this {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    return this;
  }

  /** Moves to the next field; false at the end of the message. */
  next(): boolean {
    if (this.pos >= this.end) return false;
    const key = this.varint();
    this.num = Math.floor(key / 8);
    this.wire = key % 8;
    this.int = 0;
    switch (this.wire) {
      case 0:
        this.int = this.varint();
        this.start = this.stop = this.pos;
        return true;
      case 1:
        this.start = this.pos;
        this.stop = this.pos += 8;
        break;
      case 2: {
        const length = this.varint();
        this.start = this.pos;
        this.stop = this.pos += length;
        break;
      }
      case 5:
        this.start = this.pos;
        this.stop = this.pos += 4;
        break;
      default:
        throw new Malformed(`unsupported wire type ${this.wire}`);
    }
    if (this.pos > this.end) throw new Malformed('truncated field');
    return true;
  }

  private varint(): number {
    const buf = this.buf;
    const begin = this.pos;
    let result = 0;
    let mul = 1;
    // Seven bytes (49 bits) add up exactly in a double; longer varints are read again as BigInt.
    for (let i = 0; i < 7; i += 1) {
      if (this.pos >= this.end) throw new Malformed('truncated varint');
      const b = buf[this.pos++]!;
      result += (b & 0x7f) * mul;
      if (!(b & 0x80)) return result;
      mul *= 128;
    }
    this.pos = begin;
    return this.bigVarint();
  }

  /** A varint of more than 49 bits, as protobuf's int64 (two's complement); beyond 2^53 it loses precision. */
  private bigVarint(): number {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.end) throw new Malformed('truncated varint');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return Number(BigInt.asIntN(64, result));
    }
    throw new Malformed('varint too long');
  }
}

const UTF8 = new TextDecoder('utf-8');

/** DT_FLOAT and DT_DOUBLE: the tensors Guild reads as scalars. */
const DT_FLOAT = 1;
const DT_DOUBLE = 2;

/** The state of decoding one file: its bytes, a cursor per message level, and the tags seen. */
class Decoder {
  readonly view: DataView;
  readonly event = new Cursor();
  readonly summary = new Cursor();
  readonly value = new Cursor();
  readonly tensor = new Cursor();
  private readonly tags: Array<{ bytes: Uint8Array; tag: string }> = [];

  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** The tag in `buf[start, end)`: decoded once for the first 64 distinct tags, then matched by bytes. */
  tag(start: number, end: number): string {
    const length = end - start;
    const buf = this.buf;
    for (const known of this.tags) {
      const bytes = known.bytes;
      if (bytes.length !== length) continue;
      let i = 0;
      while (i < length && bytes[i] === buf[start + i]) i += 1;
      if (i === length) return known.tag;
    }
    const tag = UTF8.decode(buf.subarray(start, end));
    if (this.tags.length < 64) this.tags.push({ bytes: buf.slice(start, end), tag });
    return tag;
  }

  /** A float or double tensor with exactly one element, as Guild reads `tensor` values; else undefined. */
  tensorScalar(start: number, end: number): number | undefined {
    const c = this.tensor.reset(this.buf, start, end);
    const view = this.view;
    let dtype = 0;
    let count = 0;
    let last = 0;
    let content = -1;
    let contentLength = 0;
    while (c.next()) {
      if (c.num === 1 && c.wire === 0) dtype = c.int;
      else if (c.num === 4 && c.wire === 2) {
        content = c.start;
        contentLength = c.stop - c.start;
      } else if ((c.num === 5 && c.wire === 5) || (c.num === 6 && c.wire === 1)) {
        count += 1;
        last = c.wire === 5 ? view.getFloat32(c.start, true) : view.getFloat64(c.start, true);
      } else if ((c.num === 5 || c.num === 6) && c.wire === 2) {
        const width = c.num === 5 ? 4 : 8;
        for (let p = c.start; p + width <= c.stop; p += width) {
          count += 1;
          last = width === 4 ? view.getFloat32(p, true) : view.getFloat64(p, true);
        }
      }
    }
    if (dtype !== DT_FLOAT && dtype !== DT_DOUBLE) return undefined;
    const width = dtype === DT_FLOAT ? 4 : 8;
    if (content >= 0 && contentLength === width) {
      return width === 4 ? view.getFloat32(content, true) : view.getFloat64(content, true);
    }
    return count === 1 ? last : undefined;
  }

  /** The scalars of the Event message in `buf[start, end)`, appended to `out`. */
  decodeEvent(start: number, end: number, out: Scalar[]): void {
    const e = this.event.reset(this.buf, start, end);
    const view = this.view;
    let wallTime = 0;
    let step = 0;
    let summaryStart = -1;
    let summaryEnd = -1;
    while (e.next()) {
      if (e.num === 1 && e.wire === 1) wallTime = view.getFloat64(e.start, true);
      else if (e.num === 2 && e.wire === 0) step = e.int;
      else if (e.num === 5 && e.wire === 2) {
        summaryStart = e.start;
        summaryEnd = e.stop;
      }
    }
    if (summaryStart < 0) return;
    const s = this.summary.reset(this.buf, summaryStart, summaryEnd);
    while (s.next()) {
      if (s.num !== 1 || s.wire !== 2) continue;
      const v = this.value.reset(this.buf, s.start, s.stop);
      let tag: string | undefined;
      let simple: number | undefined;
      let tensor: number | undefined;
      let hasTensor = false;
      while (v.next()) {
        if (v.num === 1 && v.wire === 2) tag = this.tag(v.start, v.stop);
        else if (v.num === 2 && v.wire === 5) simple = view.getFloat32(v.start, true);
        else if (v.num === 8 && v.wire === 2) {
          hasTensor = true;
          tensor = this.tensorScalar(v.start, v.stop);
        }
      }
      // As Guild: a value with a tensor is a scalar only when the tensor is one.
      const value = hasTensor ? tensor : simple;
      if (tag !== undefined && value !== undefined) out.push({ tag, value, step, wallTime });
    }
  }

  /** The `file_version` of the Event in `buf[start, end)`, if it has one. */
  fileVersion(start: number, end: number): string | undefined {
    const e = this.event.reset(this.buf, start, end);
    while (e.next()) {
      if (e.num === 3 && e.wire === 2) return UTF8.decode(this.buf.subarray(e.start, e.stop));
    }
    return undefined;
  }
}

export interface DecodedEventFile {
  /** Every scalar before the first bad record, in file order. */
  scalars: Scalar[];
  /** The `file_version` of the file's first event, if any. */
  fileVersion?: string;
  /** Why reading stopped early: a bad CRC, a truncated record or a malformed event (code `SOURCE`, naming `file`). */
  error?: GuildStageError;
}

/** Decodes the bytes of an event file; `file` names it in the error. Never throws. */
export function decodeEventFile(data: Uint8Array, file: string): DecodedEventFile {
  const decoder = new Decoder(data);
  const view = decoder.view;
  const scalars: Scalar[] = [];
  let fileVersion: string | undefined;
  let pos = 0;
  let index = 0;
  const fail = (problem: string): DecodedEventFile => ({
    scalars,
    fileVersion,
    error: new GuildStageError('SOURCE', `bad event file ${file}: ${problem} (record ${index} at byte ${pos})`, {
      file,
    }),
  });
  while (pos < data.length) {
    if (pos + 12 > data.length) return fail('truncated record header');
    if (maskedCrc32c(data, pos, pos + 8) !== view.getUint32(pos + 8, true)) return fail('bad length CRC');
    const length = view.getUint32(pos, true) + view.getUint32(pos + 4, true) * TWO_POW_32;
    const start = pos + 12;
    if (length > data.length - start - 4) return fail(`truncated record (${length} data bytes)`);
    const end = start + length;
    if (maskedCrc32c(data, start, end) !== view.getUint32(end, true)) return fail('bad data CRC');
    try {
      if (index === 0) fileVersion = decoder.fileVersion(start, end);
      decoder.decodeEvent(start, end, scalars);
    } catch (error) {
      if (error instanceof Malformed) return fail(`malformed event: ${error.message}`);
      throw error;
    }
    pos = end + 4;
    index += 1;
  }
  return { scalars, fileVersion };
}

/**
 * Every scalar of one event file, in file order. A file that cannot be read, or has a bad
 * CRC, a truncated record or a malformed event, throws `SOURCE` naming the file; use
 * {@link decodeEventFile} to keep the scalars before the bad record.
 */
export async function readEventFile(file: string): Promise<Scalar[]> {
  const decoded = decodeEventFile(await readSource(file), file);
  if (decoded.error) throw decoded.error;
  return decoded.scalars;
}

async function readSource(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new GuildStageError('SOURCE', `cannot read event file ${file}: ${messageOf(error)}`, { file, cause: error });
  }
}

/** An event file of a run. */
export interface RunEventFile {
  /** Absolute path. */
  file: string;
  /** Its path relative to the run directory, with `/`. */
  relPath: string;
  /** Its directory relative to the run directory (`''` for the run directory itself), as Guild's scalar prefix. */
  prefix: string;
}

/**
 * The event files Guild reads scalars from in a run: in every directory of the run (`.guild/`
 * included), following symlinked directories only when they are runs (have `.guild/opref`),
 * as Guild's index does. Sorted by directory, then by name (the order TensorBoard reads a
 * directory in). A run directory that does not exist has none.
 */
export async function findEventFiles(runDir: string): Promise<RunEventFile[]> {
  return (await walkEventFiles(runDir)).files;
}

/**
 * {@link findEventFiles}, plus every directory the walk read (relative to the run directory,
 * with `/`; `''` for the run directory itself): a new event file can only appear by changing
 * one of them, so their change times tell a cache whether the list still holds.
 */
export async function walkEventFiles(runDir: string): Promise<{ files: RunEventFile[]; dirs: string[] }> {
  const found: RunEventFile[] = [];
  const dirsRead: string[] = [];
  const seen = new Set<string>();
  async function walk(dir: string, rel: string): Promise<void> {
    const real = await realpath(dir).catch(() => undefined);
    if (real === undefined || seen.has(real)) return;
    seen.add(real);
    dirsRead.push(rel);
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // as os.walk: an unreadable directory is skipped
    }
    entries.sort((a, b) => compareNames(a.name, b.name));
    const dirs: string[] = [];
    for (const entry of entries) {
      const name = entry.name;
      const full = path.join(dir, name);
      if (entry.isDirectory()) dirs.push(name);
      else if (entry.isSymbolicLink()) {
        const target = await stat(full).catch(() => undefined);
        if (target?.isDirectory()) {
          if (await isRunDir(full)) dirs.push(name);
        } else if (target?.isFile() && isEventFileName(name)) found.push(ref(full, rel, name));
      } else if (entry.isFile() && isEventFileName(name)) found.push(ref(full, rel, name));
    }
    for (const name of dirs) await walk(path.join(dir, name), rel === '' ? name : `${rel}/${name}`);
  }
  const ref = (file: string, prefix: string, name: string): RunEventFile => ({
    file,
    relPath: prefix === '' ? name : `${prefix}/${name}`,
    prefix,
  });
  await walk(path.resolve(runDir), '');
  return { files: found, dirs: dirsRead };
}

/** Python's default string order (code points), which TensorBoard uses to order a directory's files. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function isRunDir(dir: string): Promise<boolean> {
  return (await lstat(runFile(dir, 'opref')).catch(() => undefined)) !== undefined;
}

/** The scalars of one event file of a run. */
export interface RunEventFileScalars extends RunEventFile {
  /** Every scalar read; when `error` is set, those before the bad record (Guild keeps them too). */
  scalars: Scalar[];
  /** Why the file could not be read to its end (code `SOURCE`, naming the file). */
  error?: GuildStageError;
}

/**
 * Every scalar of a run, file by file ({@link findEventFiles}). A bad file does not stop the
 * others: its entry has `error`, for the caller to warn about.
 */
export async function readRunScalars(runDir: string): Promise<RunEventFileScalars[]> {
  const out: RunEventFileScalars[] = [];
  for (const ref of await findEventFiles(runDir)) {
    let data: Buffer;
    try {
      data = await readSource(ref.file);
    } catch (error) {
      out.push({ ...ref, scalars: [], error: error as GuildStageError });
      continue;
    }
    const { scalars, error } = decodeEventFile(data, ref.file);
    out.push(error ? { ...ref, scalars, error } : { ...ref, scalars });
  }
  return out;
}
