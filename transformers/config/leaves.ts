/**
 * What every config format shares: a scalar leaf's path of keys and list indexes becomes a
 * dotted flag name (`model.hidden`, `layers.0`), as Guild names the flags it imports from a
 * config file, and a leaf's value and type become a FlagSite.
 */
import { TransformError } from '../errors.js';
import type { FlagSite, FlagType, FlagValue } from '../types.js';

/** Map keys and list indexes from the root to a leaf. */
export type KeyPath = ReadonlyArray<string | number>;

/**
 * A key that can be part of a flag name typed on the command line: letters, digits, `_`
 * and `-`. A key holding a dot would make two leaves one name (`a.b: 1` and `a: {b: 2}`),
 * and one with spaces or quotes cannot be typed as `name=value`; such leaves are not flags.
 */
const KEY = /^[A-Za-z0-9_-]+$/;

/** The flag name of a leaf, or undefined when a key on its path cannot be part of one. */
export function flagNameOf(path: KeyPath): string | undefined {
  const first = path[0];
  if (typeof first !== 'string' || !/^[A-Za-z_]/.test(first)) return undefined;
  for (const key of path) {
    if (typeof key === 'string' ? !KEY.test(key) : !Number.isSafeInteger(key) || key < 0) return undefined;
  }
  return path.join('.');
}

/** A leaf's flag type; numbers need the format's word on whether it was written as a float. */
export function leafType(value: FlagValue, float: boolean): FlagType {
  if (value === null) return 'null';
  if (typeof value === 'number') return float ? 'float' : 'int';
  if (typeof value === 'boolean') return 'boolean';
  return typeof value === 'string' ? 'string' : 'list';
}

/**
 * A float as every config format reads it back as a float, PyYAML included: with a
 * fraction (`256.0`, `1.0e-7`) and a signed exponent. Finite values only.
 */
export function floatText(value: number): string {
  if (Object.is(value, -0)) return '-0.0';
  const text = String(value);
  if (/^-?[0-9]+$/.test(text)) return `${text}.0`;
  const exp = text.indexOf('e');
  if (exp < 0 || text.slice(0, exp).includes('.')) return text;
  return `${text.slice(0, exp)}.0${text.slice(exp)}`;
}

/**
 * The sites of one file: leaves added in document order. Two leaves of one name mean a
 * duplicate key, which the file's readers disagree on, so it is refused at its line.
 */
export class SiteList {
  readonly sites: FlagSite[] = [];
  private readonly lines = new Map<string, number>();

  constructor(private readonly file: string) {}

  add(path: KeyPath, value: FlagValue, type: FlagType, line: number): void {
    const name = flagNameOf(path);
    if (name === undefined) return;
    const first = this.lines.get(name);
    if (first !== undefined) {
      throw new TransformError('source', `${this.file}:${line}: duplicate key ${name} (first at line ${first})`, {
        file: this.file,
        line,
      });
    }
    this.lines.set(name, line);
    this.sites.push({ name, type, default: value, file: this.file, line });
  }
}

/** 1-based lines of offsets, for a file whose leaves are looked up in any order. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(source: string) {
    for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  lineOf(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }
}

/** Non-printable characters as YAML 1.1 (PyYAML's reader) and TOML refuse them raw in a file. */
export function isPrintable(code: number): boolean {
  return (
    code === 0x09 ||
    code === 0x0a ||
    code === 0x0d ||
    (code >= 0x20 && code <= 0x7e) ||
    (code >= 0xa0 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    code >= 0x10000
  );
}
