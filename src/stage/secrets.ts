/**
 * Files that can hold secrets, by name: never staged by default, in a git checkout or not,
 * since a run directory is read (and shared) far more widely than a project. An include rule
 * that names such a file stages it (see `RuleSet.namesFile`).
 */

/** Whole base names. */
const SECRET_NAMES = new Set([
  '.netrc',
  '_netrc',
  '.git-credentials',
  '.pgpass',
  '.pypirc',
  '.npmrc',
  'credentials.db',
  'access_tokens.db',
  'application_default_credentials.json',
]);

/** Base names: `.env`, `.env.local`, `.envrc`; shell and REPL histories; TLS keys and keystores. */
const SECRET_NAME_PATTERN = /^\.env|_history$|\.(pem|key|p12|pfx)$/i;

/** SSH keys as ssh-keygen names them (`id_rsa`, `id_ed25519.pub`, `id_work`): no other dot in the name. */
const SSH_KEY_PATTERN = /^id_[^.]+(\.pub)?$/;

/** Directories whose every file is a credential store (cloud CLIs, ssh, docker, kubectl). */
const SECRET_DIRS = ['.ssh/', '.aws/', '.azure/', '.config/gcloud/', '.gnupg/'];
const SECRET_PATHS = ['.docker/config.json', '.kube/config'];

/** Whether the project file `rel` ('/' separators) can hold secrets. */
export function isSecretPath(rel: string): boolean {
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  if (SECRET_NAMES.has(name) || SECRET_NAME_PATTERN.test(name) || SSH_KEY_PATTERN.test(name)) return true;
  const inside = `/${rel}`;
  return (
    SECRET_DIRS.some((dir) => inside.includes(`/${dir}`)) || SECRET_PATHS.some((file) => inside.endsWith(`/${file}`))
  );
}
