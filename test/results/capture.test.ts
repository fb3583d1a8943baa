import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Scalar, ScalarCapture } from '../../src/results/capture.js';
import { compileOutputScalars } from '../../src/results/patterns.js';

/** The scalars of each line, as [tag, value, step]. */
function feed(capture: ScalarCapture, lines: string[]): Array<Array<[string, number, number]>> {
  return lines.map((line) =>
    capture.push(line).map((s: Scalar) => [s.tag, s.value, s.step] as [string, number, number]),
  );
}

describe('ScalarCapture with Guild default patterns', () => {
  it('reads `key: value` and `key: value (step N)`', () => {
    expect(feed(new ScalarCapture(), ['loss: 0.5 (step 1)', 'acc: 90', 'val_loss: -1e-3 (step 2)'])).toEqual([
      [['loss', 0.5, 1]],
      [['acc', 90, 1]],
      [['val_loss', -0.001, 2]],
    ]);
  });

  it('reads nan and inf as Guild spells them, and nothing that is not a number', () => {
    const capture = new ScalarCapture();
    const got = feed(capture, ['a: nan', 'b: -inf', 'c: INF', 'd: 90%', 'e: 1,5', 'f: .', 'g: 0x10', 'h: 5.']);
    expect(got.map((line) => line.map(([tag, value]) => [tag, value]))).toEqual([
      [['a', Number.NaN]],
      [['b', Number.NEGATIVE_INFINITY]],
      [['c', Number.POSITIVE_INFINITY]],
      [],
      [],
      [],
      [],
      [['h', 5]],
    ]);
  });

  it('needs whitespace after the colon, a letter or _ first, and nothing after but (...)', () => {
    const got = feed(new ScalarCapture(), [
      'loss:0.5',
      '1st: 2',
      '_x: 3',
      'train/loss.avg: 4',
      'loss: 5 (lr 0.1)',
      'loss: 6 extra',
      'a: b: 7',
      'a:b: 8',
      'loss:\t9\t(step\t4)',
      '  loss: 10',
    ]);
    expect(got.map((line) => line.map(([tag, value]) => `${tag}=${value}`))).toEqual([
      [],
      [],
      ['_x=3'],
      ['train/loss.avg=4'],
      ['loss=5'],
      [],
      [],
      ['a:b=8'],
      ['loss=9'],
      [],
    ]);
  });

  it('implies steps until the output gives one: 0, then one more when a name repeats', () => {
    expect(feed(new ScalarCapture(), ['loss: 1', 'acc: 2', 'loss: 3', 'acc: 4', 'acc: 5'])).toEqual([
      [['loss', 1, 0]],
      [['acc', 2, 0]],
      [['loss', 3, 1]],
      [['acc', 4, 1]],
      [['acc', 5, 2]],
    ]);
  });

  it('lets a `step` scalar set the step of what follows, for good', () => {
    expect(feed(new ScalarCapture(), ['loss: 1', 'step: 3', 'loss: 2', 'acc: 0.5', 'step: 4.9', 'loss: 1'])).toEqual([
      [['loss', 1, 0]],
      [],
      [['loss', 2, 3]],
      [['acc', 0.5, 3]],
      [],
      [['loss', 1, 4]],
    ]);
  });

  it('takes `(step N)` as a step that stays, and a `step:` value on the same line wins over it', () => {
    const capture = new ScalarCapture();
    expect(feed(capture, ['loss: 1 (step 7)', 'acc: 2', 'step: 5 (step 9)', 'acc: 3'])).toEqual([
      [['loss', 1, 7]],
      [['acc', 2, 7]],
      [],
      [['acc', 3, 5]],
    ]);
    expect(capture.step).toBe(5);
    // A line with no number before "(step N)" still sets the step.
    expect(feed(capture, ['loss:  (step 12)', 'acc: 4'])).toEqual([[], [['acc', 4, 12]]]);
  });

  it('ignores a step that is not a finite 64-bit integer (Guild would stop capturing)', () => {
    expect(feed(new ScalarCapture(), ['step: nan', 'loss: 1', 'step: 1e30', 'loss: 2', 'step: -2', 'loss: 3'])).toEqual(
      [[], [['loss', 1, 0]], [], [['loss', 2, 1]], [], [['loss', 3, -2]]],
    );
  });

  it("does not record the run's flags with the default patterns, though they count for steps", () => {
    const capture = new ScalarCapture(undefined, { flagNames: ['lr', 'epochs'] });
    expect(feed(capture, ['lr: 0.1', 'loss: 1', 'lr: 0.1', 'loss: 2'])).toEqual([
      [],
      [['loss', 1, 0]],
      [],
      [['loss', 2, 1]],
    ]);
    const configured = ScalarCapture.fromConfig('(\\key): (\\value)', { flagNames: ['lr'] });
    expect(feed(configured, ['lr: 0.1'])).toEqual([[['lr', 0.1, 0]]]);
  });

  it('reads a line as Guild reads its bytes: control bytes and undecodable bytes dropped, trailing space stripped', () => {
    expect(
      feed(new ScalarCapture(), [
        'loss: 0.5\uFFFD',
        'lo\u0001ss: 1\u0000',
        'acc: 2 \t\r',
        'x: 3\u3000\u0085',
        '\u001b[32mloss: 4\u001b[0m',
        'loss: 5\r(step 2)',
        'y: 6\ufeff',
      ]).map((line) => line.map(([tag, value]) => `${tag}=${value}`)),
    ).toEqual([['loss=0.5'], ['loss=1'], ['acc=2'], ['x=3'], [], ['loss=5'], []]);
  });

  it('captures nothing when off', () => {
    const capture = new ScalarCapture(compileOutputScalars(false));
    expect(capture.push('loss: 1')).toEqual([]);
  });
});

describe('ScalarCapture with configured patterns', () => {
  it('finds every match on a line and returns scalars sorted by name', () => {
    const capture = ScalarCapture.fromConfig('(\\key)=(\\value)');
    expect(feed(capture, ['b=2 a=1 b=3 c=x'])).toEqual([
      [
        ['a', 1, 0],
        ['b', 3, 0],
      ],
    ]);
  });

  it('names a scalar after its mapping key, or after its named group', () => {
    const capture = ScalarCapture.fromConfig([
      { loss: 'loss=(\\value)' },
      'acc (?P<accuracy>\\value)',
      'Epoch (?P<step>[0-9]+)',
    ]);
    expect(feed(capture, ['Epoch 3', 'loss=0.25 acc 0.5'])).toEqual([
      [],
      [
        ['accuracy', 0.5, 3],
        ['loss', 0.25, 3],
      ],
    ]);
  });

  it('reads _key and _val groups, and a later pattern overrides an earlier one on the same line', () => {
    const capture = ScalarCapture.fromConfig(['(?P<_key>\\w+)=(?P<_val>\\S+)', { a: 'a=\\S+ \\((\\value)\\)' }]);
    expect(feed(capture, ['a=1 (2)'])).toEqual([[['a', 2, 0]]]);
  });

  it('never throws, whatever the line', () => {
    const captures = [new ScalarCapture(), ScalarCapture.fromConfig(['(\\key)=(\\value)', '(?P<step>\\d*)'])];
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (line) => {
        for (const capture of captures) {
          for (const scalar of capture.push(line)) {
            expect(typeof scalar.tag).toBe('string');
            expect(Number.isInteger(scalar.step)).toBe(true);
          }
        }
      }),
      { numRuns: 2000, seed: 3 },
    );
  });
});
