/**
 * Run ids: 32 lower-case hex characters, a UUID without dashes, as Guild AI names runs.
 */
import { randomUUID } from 'node:crypto';

/** A new, random run id. */
export function newRunId(): string {
  return randomUUID().replaceAll('-', '');
}

/** Whether `value` has the form of a run id. */
export function isRunId(value: string): boolean {
  return /^[0-9a-f]{32}$/.test(value);
}
