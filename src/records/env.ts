/**
 * Environment filtering for records and hook payloads: what is written to `attrs/env` or sent
 * to a command hook must never carry credentials.
 */

const SECRET_PATTERN = /password|passwd|token|secret|key/i;

/** True when a variable name looks like it holds a credential (`GITHUB_TOKEN`, `api_key`). */
function isSecretName(name: string): boolean {
  return SECRET_PATTERN.test(name);
}

/** The variables of `env` that are set and not secret, in their original order. */
export function withoutSecrets(env: Record<string, string | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !isSecretName(name)) kept[name] = value;
  }
  return kept;
}
