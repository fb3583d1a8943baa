import { describe, expect, it } from 'vitest';
import { callTransformer, fromTransformError } from '../src/errors.js';
import { TransformError } from '../transformers/errors.js';
import { guildError } from './helpers/errors.js';

describe('transformer errors at the engine boundary', () => {
  it('reports a source error as SOURCE and a value error as FLAG, keeping message, file, line and suggestion', () => {
    const source = new TransformError('source', 'train.py:3: unterminated string', {
      file: 'train.py',
      line: 3,
      suggestion: 'close the quote',
    });
    expect(fromTransformError(source)).toMatchObject({
      code: 'SOURCE',
      message: 'train.py:3: unterminated string',
      file: 'train.py',
      line: 3,
      suggestion: 'close the quote',
      cause: source,
    });
    expect(fromTransformError(new TransformError('value', 'NaN has no literal')).code).toBe('FLAG');
  });

  it('converts only what a transformer throws as its own error', () => {
    expect(callTransformer(() => 42)).toBe(42);
    const converted = guildError(() =>
      callTransformer(() => {
        throw new TransformError('value', 'flag n: too big', { file: 'train.R', line: 2 });
      }),
    );
    expect(converted).toMatchObject({ code: 'FLAG', file: 'train.R', line: 2 });
    const bug = new TypeError('undefined is not a function');
    expect(() =>
      callTransformer(() => {
        throw bug;
      }),
    ).toThrow(bug);
  });
});
