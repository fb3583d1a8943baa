/**
 * Catching the error a call must throw, so that a test can check its code, message, file
 * and line.
 */
import { GuildStageError } from '../../src/errors.js';

/**
 * The `GuildStageError` that `run` throws. Fails the test when `run` returns, and rethrows
 * any other error so the test fails on it.
 */
export function guildError(run: () => unknown): GuildStageError {
  try {
    run();
  } catch (error) {
    if (error instanceof GuildStageError) return error;
    throw error;
  }
  throw new Error('expected a GuildStageError');
}
