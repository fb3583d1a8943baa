/**
 * Environment filtering for records and hook payloads: what is written to `attrs/env` or sent
 * to a command hook must never carry credentials. Guild drops names with `password`, `token`
 * or `secret`; we drop more, and mask credentials written into URLs in any value.
 */

/** `auth` but not `author`: `GIT_AUTHOR_NAME` is no credential, `AUTHORIZATION` is. */
const SECRET_PATTERN = /pass|pwd|token|secret|key|auth(?!ors?(_|$))|cred|dsn|cookie|session|private/i;

/**
 * The shell's working directories: their names contain `PWD` as passwords' do (`MYSQL_PWD`,
 * `DB_PWD`), but they hold paths, and Guild records them.
 */
const WORKING_DIRS = new Set(['PWD', 'OLDPWD']);

/** True when a variable name looks like it holds a credential (`GITHUB_TOKEN`, `DB_PASS`, `SENTRY_DSN`). */
function isSecretName(name: string): boolean {
  return SECRET_PATTERN.test(name) && !WORKING_DIRS.has(name);
}

/**
 * `scheme://userinfo@`: a password after the user's `:` is masked; userinfo without one is
 * masked whole, as it may be a token (`https://<token>@github.com/...`). The last `@` before
 * the host ends it, so a raw `@` in a password is masked too.
 */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^/?#\s]*)@/gi;

/** `value` with the credentials of every URL in it masked: `postgres://u:***@host/db`. */
export function maskUrlCredentials(value: string): string {
  if (!value.includes('@')) return value;
  return value.replace(URL_USERINFO, (_, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon === -1 ? `${scheme}***@` : `${scheme}${userinfo.slice(0, colon)}:***@`;
  });
}

/** The variables of `env` that are set and not secret, in their original order, with URL credentials masked. */
export function withoutSecrets(env: Record<string, string | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !isSecretName(name)) kept[name] = maskUrlCredentials(value);
  }
  return kept;
}
