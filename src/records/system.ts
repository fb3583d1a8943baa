/**
 * The `host`, `user` and `platform` attrs: where a run ran, with Guild AI's sources for each.
 */
import os from 'node:os';

/** What the three attrs hold. */
export interface SystemAttrs {
  host: string;
  user: string;
  platform: string;
}

/**
 * `host` is `$HOST` or the hostname and `user` is `$USER` or empty, as Guild reads them;
 * `platform` is the system and machine, e.g. `Linux x86_64` (Python's `platform.system()` and
 * `platform.machine()`).
 */
export function systemAttrs(env: NodeJS.ProcessEnv = process.env): SystemAttrs {
  return {
    host: env.HOST || os.hostname(),
    user: env.USER ?? '',
    platform: `${os.type()} ${os.machine()}`,
  };
}
