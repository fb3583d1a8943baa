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
 * `host` is `$HOST` or the hostname; `user` is `$USER`, else the name of the process's uid
 * (a cron job or a container has no `$USER`), else empty;
 * `platform` is the system and machine, e.g. `Linux x86_64` (Python's `platform.system()` and
 * `platform.machine()`).
 */
function uidName(): string {
  try {
    return os.userInfo().username;
  } catch {
    // A uid with no entry in the password database has no name.
    return '';
  }
}

/** Asked once per process: the lookup reads the password database, and a batch asks per trial. */
let processUser: string | undefined;

export function systemAttrs(env: NodeJS.ProcessEnv = process.env): SystemAttrs {
  return {
    host: env.HOST || os.hostname(),
    user: env.USER || (processUser ??= uidName()),
    platform: `${os.type()} ${os.machine()}`,
  };
}
