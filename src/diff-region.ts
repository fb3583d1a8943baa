/**
 * The part of two versions of a file that a patch shows, read from disk a block at a time:
 * the lines from the first that differs to the last, with diff.ts's context around them.
 * A one-line change of a 50 MB file holds a few blocks and those lines in memory, never
 * either file whole (`filePatch` takes the result with `linesAbove`).
 */
import { type FileHandle, open } from 'node:fs/promises';
import { CONTEXT } from './diff.js';

/** Two files' differing part; `linesAbove` counts the lines of the file before it. */
export interface ChangedRegion {
  before: string;
  after: string;
  linesAbove: number;
}

/** Bytes read from each file at a time. */
const BLOCK = 1 << 18;
const NEWLINE = 0x0a;

/** Reads `length` bytes at `position` (fewer only at the end of the file). */
async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await file.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

function countNewlines(bytes: Buffer): number {
  let count = 0;
  for (let i = bytes.indexOf(NEWLINE); i >= 0; i = bytes.indexOf(NEWLINE, i + 1)) count++;
  return count;
}

/** How many leading bytes both files share (at most `limit`), and the newlines among them. */
async function commonPrefix(
  a: FileHandle,
  b: FileHandle,
  limit: number,
  block: number,
): Promise<{ length: number; lines: number }> {
  let length = 0;
  let lines = 0;
  while (length < limit) {
    const size = Math.min(block, limit - length);
    const [x, y] = await Promise.all([readAt(a, length, size), readAt(b, length, size)]);
    let same = 0;
    if (x.equals(y)) same = x.length;
    else while (same < x.length && x[same] === y[same]) same++;
    lines += countNewlines(x.subarray(0, same));
    length += same;
    if (same < size) break;
  }
  return { length, lines };
}

/** How many trailing bytes the files (of sizes `sizeA`, `sizeB`) share, at most `limit`. */
async function commonSuffix(
  a: FileHandle,
  sizeA: number,
  b: FileHandle,
  sizeB: number,
  limit: number,
  block: number,
): Promise<number> {
  let length = 0;
  while (length < limit) {
    const size = Math.min(block, limit - length);
    const [x, y] = await Promise.all([readAt(a, sizeA - length - size, size), readAt(b, sizeB - length - size, size)]);
    let same = 0;
    if (x.equals(y)) same = x.length;
    else while (same < x.length && x[x.length - 1 - same] === y[y.length - 1 - same]) same++;
    length += same;
    if (same < size) break;
  }
  return length;
}

/** The position of the last newline before `end`, or -1. */
async function lastNewline(file: FileHandle, end: number, block: number): Promise<number> {
  for (let to = end; to > 0; to -= block) {
    const from = Math.max(0, to - block);
    const at = (await readAt(file, from, to - from)).lastIndexOf(NEWLINE);
    if (at >= 0) return from + at;
  }
  return -1;
}

/** The position of the first newline at or after `from`, or -1. */
async function nextNewline(file: FileHandle, from: number, size: number, block: number): Promise<number> {
  for (let at = from; at < size; at += block) {
    const found = (await readAt(file, at, Math.min(block, size - at))).indexOf(NEWLINE);
    if (found >= 0) return at + found;
  }
  return -1;
}

/** The start of the line `count` lines above the line starting at `from` (0 at the top). */
async function linesUp(file: FileHandle, from: number, count: number, block: number): Promise<number> {
  let start = from;
  for (let k = 0; k < count && start > 0; k++) start = start < 2 ? 0 : (await lastNewline(file, start - 1, block)) + 1;
  return start;
}

/** The end of the `count`th line from the line start `from` (`size` at most). */
async function linesDown(file: FileHandle, from: number, count: number, size: number, block: number): Promise<number> {
  let end = from;
  for (let k = 0; k < count && end < size; k++) {
    const newline = await nextNewline(file, end, size, block);
    end = newline < 0 ? size : newline + 1;
  }
  return end;
}

/**
 * The changed region of `fileA` -> `fileB` as UTF-8 text, or null when their bytes are equal;
 * `block` bytes of each file are read at a time.
 * Its bounds are line starts, where no UTF-8 sequence can be split, so the region decodes as
 * the same lines of the whole files would.
 */
export async function readChangedRegion(fileA: string, fileB: string, block = BLOCK): Promise<ChangedRegion | null> {
  const a = await open(fileA, 'r');
  try {
    const b = await open(fileB, 'r');
    try {
      const [sizeA, sizeB] = (await Promise.all([a.stat(), b.stat()])).map((info) => info.size);
      const prefix = await commonPrefix(a, b, Math.min(sizeA, sizeB), block);
      if (prefix.length === sizeA && sizeA === sizeB) return null;
      const head = prefix.length === 0 ? 0 : (await lastNewline(a, prefix.length, block)) + 1;
      const suffix = await commonSuffix(a, sizeA, b, sizeB, Math.min(sizeA, sizeB) - head, block);
      // The shared tail starts after a newline both files share, so it is a line start in both.
      const newline = suffix === 0 ? -1 : await nextNewline(a, sizeA - suffix, sizeA, block);
      const tail = newline < 0 ? 0 : sizeA - newline - 1;
      const start = await linesUp(a, head, CONTEXT, block);
      const endA = await linesDown(a, sizeA - tail, CONTEXT, sizeA, block);
      const endB = sizeB - (sizeA - endA);
      const [before, after, above] = await Promise.all([
        readAt(a, start, endA - start),
        readAt(b, start, endB - start),
        readAt(a, start, prefix.length - start),
      ]);
      return {
        before: before.toString('utf8'),
        after: after.toString('utf8'),
        linesAbove: prefix.lines - countNewlines(above),
      };
    } finally {
      await b.close();
    }
  } finally {
    await a.close();
  }
}
