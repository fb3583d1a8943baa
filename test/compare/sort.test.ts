/**
 * Sorting compare rows: which name `--sort` means, numbers before strings, natural order,
 * missing values last in both directions, ties kept.
 */
import { describe, expect, it } from 'vitest';
import { naturalCompare, parseSort, sortRows } from '../../src/compare/sort.js';
import type { CompareRow } from '../../src/compare/types.js';
import { GuildStageError } from '../../src/errors.js';

function row(id: string, flags: CompareRow['flags'], loss?: number): CompareRow {
  return {
    id,
    runDir: `/runs/${id}`,
    opspec: 'train.py',
    status: 'completed',
    label: null,
    flags,
    forced: {},
    scalars:
      loss === undefined ? {} : { loss: { first: 9, firstStep: 0, last: loss, step: 1, min: loss, max: 9, count: 2 } },
    startedAt: null,
    stoppedAt: null,
    durationMs: null,
    step: null,
    exitStatus: 0,
    batch: null,
  };
}

const ids = (rows: CompareRow[]) => rows.map((r) => r.id);

describe('parseSort', () => {
  it('reads a column, then a scalar, then a flag; =NAME is the flag; - is descending', () => {
    const flags = ['lr', 'loss', 'status'];
    const scalars = ['loss', 'acc'];
    expect(parseSort('started', flags, scalars)).toEqual({
      key: { kind: 'column', name: 'started' },
      descending: false,
    });
    expect(parseSort('-loss', flags, scalars)).toEqual({ key: { kind: 'scalar', name: 'loss' }, descending: true });
    expect(parseSort('=loss', flags, scalars)).toEqual({ key: { kind: 'flag', name: 'loss' }, descending: false });
    expect(parseSort('-=status', flags, scalars)).toEqual({ key: { kind: 'flag', name: 'status' }, descending: true });
    expect(parseSort('lr', flags, scalars)).toEqual({ key: { kind: 'flag', name: 'lr' }, descending: false });
  });

  it('refuses a name no row has, with the names there are and the nearest', () => {
    const error = (() => {
      try {
        parseSort('accc', ['lr'], ['acc']);
      } catch (e) {
        return e as GuildStageError;
      }
    })();
    expect(error).toBeInstanceOf(GuildStageError);
    expect(error).toMatchObject({ code: 'USAGE', suggestion: 'did you mean acc?' });
    expect(error!.message).toBe(
      "cannot sort by 'accc': no such column, flag or scalar in these runs (columns: run, script, status, label, started, time, step; flags: lr; scalars: acc)",
    );
    expect(() => parseSort('=acc', ['lr'], ['acc'])).toThrow(/cannot sort by '=acc'/);
  });
});

describe('sortRows', () => {
  it('sorts numbers by value before strings, missing and NaN last either way, ties in their order', () => {
    const rows = [
      row('a', { x: 10 }, 10),
      row('b', { x: 'b10' }, Number.NaN),
      row('c', { x: 9 }, 9),
      row('d', {}),
      row('e', { x: 'b9' }, 0.5),
      row('f', { x: null }, 9),
    ];
    const sorted = (spec: string) => {
      const copy = [...rows];
      sortRows(copy, parseSort(spec, ['x'], ['loss']), {});
      return ids(copy);
    };
    expect(sorted('x')).toEqual(['c', 'a', 'e', 'b', 'd', 'f']);
    expect(sorted('-x')).toEqual(['b', 'e', 'a', 'c', 'd', 'f']);
    expect(sorted('loss')).toEqual(['e', 'c', 'f', 'a', 'b', 'd']);
    expect(sorted('-loss')).toEqual(['a', 'c', 'f', 'e', 'b', 'd']);
  });

  it('sorts a scalar by the summary value shown for it', () => {
    const rows = [row('a', {}, 1), row('b', {}, 2)];
    rows[0]!.scalars.loss!.max = 5;
    sortRows(rows, parseSort('-loss', [], ['loss']), { loss: 'max' });
    expect(ids(rows)).toEqual(['b', 'a']);
  });
});

describe('naturalCompare', () => {
  it('orders digit runs by value', () => {
    expect(['run10', 'run2', 'run1', 'a', 'run02'].sort(naturalCompare)).toEqual([
      'a',
      'run1',
      'run2',
      'run02',
      'run10',
    ]);
  });
});
