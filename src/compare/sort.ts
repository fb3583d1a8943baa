/**
 * Ordering compare rows: by a column, a flag or a scalar, ascending or descending, with runs
 * that lack the value last either way.
 */
import { GuildStageError } from '../errors.js';
import { nearestName } from '../flags/resolve.js';
import type { CompareRow, SummaryField } from './types.js';

/** The columns every row has, by the name `--sort` takes. */
export const CORE_COLUMNS = ['run', 'script', 'status', 'label', 'started', 'time', 'step'] as const;
export type CoreColumn = (typeof CORE_COLUMNS)[number];

export type SortKey =
  | { kind: 'column'; name: CoreColumn }
  | { kind: 'flag'; name: string }
  | { kind: 'scalar'; name: string };

export interface SortSpec {
  key: SortKey;
  descending: boolean;
}

/**
 * Reads `[-]NAME`: a core column, else a scalar, else a flag; `=NAME` is a flag only (as
 * Guild's column specs write flags). A name no row has is a `USAGE` error listing the names.
 */
export function parseSort(spec: string, flags: readonly string[], scalars: readonly string[]): SortSpec {
  const descending = spec.startsWith('-');
  const name = descending ? spec.slice(1) : spec;
  if (name.startsWith('=') && flags.includes(name.slice(1))) {
    return { key: { kind: 'flag', name: name.slice(1) }, descending };
  }
  if ((CORE_COLUMNS as readonly string[]).includes(name)) {
    return { key: { kind: 'column', name: name as CoreColumn }, descending };
  }
  if (scalars.includes(name)) return { key: { kind: 'scalar', name }, descending };
  if (flags.includes(name)) return { key: { kind: 'flag', name }, descending };
  throw unknownName(`cannot sort by '${name}'`, name, { columns: CORE_COLUMNS, flags, scalars });
}

/** A `USAGE` error for a name that is no column, flag or scalar of the rows, listing those there are. */
export function unknownName(
  what: string,
  name: string,
  known: { columns?: readonly string[]; flags?: readonly string[]; scalars: readonly string[] },
): GuildStageError {
  const lists = [
    known.columns && `columns: ${known.columns.join(', ')}`,
    known.flags && `flags: ${known.flags.join(', ') || 'none'}`,
    `scalars: ${known.scalars.join(', ') || 'none'}`,
  ].filter(Boolean);
  const near = nearestName(name.replace(/^=/, ''), [
    ...(known.columns ?? []),
    ...(known.flags ?? []),
    ...known.scalars,
  ]);
  return new GuildStageError(
    'USAGE',
    `${what}: no such ${known.columns ? 'column, flag or scalar' : 'scalar'} in these runs (${lists.join('; ')})`,
    {
      suggestion: near ? `did you mean ${near}?` : undefined,
    },
  );
}

type Value = number | string | undefined;

/** The value a row sorts by; undefined (missing) for absent values, null flags, NaN and null scalars. */
export function sortValue(row: CompareRow, key: SortKey, show: Readonly<Record<string, SummaryField>>): Value {
  switch (key.kind) {
    case 'column':
      return columnValue(row, key.name);
    case 'flag':
      if (Object.hasOwn(row.flags, key.name)) return plain(row.flags[key.name]);
      return Object.hasOwn(row.forced, key.name) ? plain(row.forced[key.name]) : undefined;
    case 'scalar': {
      if (!Object.hasOwn(row.scalars, key.name)) return undefined;
      const value = row.scalars[key.name]![choiceFor(show, key.name)];
      return value === null || value === undefined || Number.isNaN(value) ? undefined : value;
    }
  }
}

/** The summary value shown for scalar `name`: its choice in `show`, else `last`. */
export function choiceFor(show: Readonly<Record<string, SummaryField>>, name: string): SummaryField {
  return Object.hasOwn(show, name) ? show[name]! : 'last';
}

function columnValue(row: CompareRow, name: CoreColumn): Value {
  switch (name) {
    case 'run':
      return row.id;
    case 'script':
      return row.opspec;
    case 'status':
      return row.status;
    case 'label':
      return row.label ?? undefined;
    case 'started':
      return row.startedAt?.getTime();
    case 'time':
      return row.durationMs ?? undefined;
    case 'step':
      return row.step ?? undefined;
  }
}

function plain(value: unknown): Value {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : value;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Sorts `rows` in place by `spec`, stably (rows that tie keep their order): numbers by value,
 * before strings in natural order; missing values last whichever the direction.
 */
export function sortRows(rows: CompareRow[], spec: SortSpec, show: Readonly<Record<string, SummaryField>>): void {
  const values = new Map(rows.map((row) => [row, sortValue(row, spec.key, show)]));
  const sign = spec.descending ? -1 : 1;
  rows.sort((a, b) => {
    const va = values.get(a);
    const vb = values.get(b);
    if (va === undefined || vb === undefined) return (va === undefined ? 1 : 0) - (vb === undefined ? 1 : 0);
    return sign * compareValues(va, vb);
  });
}

function compareValues(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return naturalCompare(a, b);
}

const CHUNKS = /(\d+)|(\D+)/g;

/** Natural order: digit runs compare as numbers (`run2` before `run10`), the rest by code point. */
export function naturalCompare(a: string, b: string): number {
  const ca = a.match(CHUNKS) ?? [];
  const cb = b.match(CHUNKS) ?? [];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i]!;
    const y = cb[i]!;
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) {
      const diff = Number(x) - Number(y);
      if (diff !== 0) return diff < 0 ? -1 : 1;
      if (x.length !== y.length) return x.length < y.length ? -1 : 1;
      continue;
    }
    return x < y ? -1 : 1;
  }
  return ca.length - cb.length;
}
