/**
 * Catching the error a call must throw, so that a test can check its code (or kind),
 * message, file and line.
 */
import { GuildStageError } from '../../src/errors.js';
import { TransformError } from '../../transformers/errors.js';

/** The error of class `type` that `run` throws; fails when `run` returns, and rethrows any other error. */
function caught<E extends Error>(type: new (...args: never[]) => E, run: () => unknown): E {
  try {
    run();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a ${type.name}`);
}

/** The `GuildStageError` that `run` throws. */
export function guildError(run: () => unknown): GuildStageError {
  return caught(GuildStageError, run);
}

/** The `TransformError` that `run`, a call into a transformer, throws. */
export function transformError(run: () => unknown): TransformError {
  return caught(TransformError, run);
}
