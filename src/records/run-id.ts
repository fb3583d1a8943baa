/**
 * Run ids: 32 lower-case hex characters, a UUID without dashes, as Guild AI names runs.
 */
import { randomUUID } from 'node:crypto';

/** A new, random run id. */
export function newRunId(): string {
  return randomUUID().replaceAll('-', '');
}
