/**
 * Who owns a `.staging-*` directory, and whether it may still be at work on it. A runs
 * directory can be shared by processes that cannot see each other's pids (containers, NFS,
 * Slurm nodes), so a pid alone proves nothing: the name carries the pid and a tag of the
 * owner's pid namespace (kernel boot, namespace, host), and the owner keeps the directory's
 * mtime fresh, a heartbeat that any host sharing the directory can read. Dependency-free and
 * NFS-safe, where `flock` is neither in Node nor reliable over NFS.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/** How often the owner touches its staging directory. */
export const HEARTBEAT_MS = 30_000;
/**
 * A heartbeat older than this marks an owner gone, wherever it ran. Far above HEARTBEAT_MS, so
 * that a loaded machine, clock skew between hosts or a short SIGSTOP do not pass for death.
 */
export const STALE_AFTER_MS = 10 * 60_000;

const PREFIX = '.staging-';
/** `.staging-<id>-h<tag>-<pid>`. */
const OWNED_NAME = /^\.staging-(.+)-h([0-9a-f]{12})-(\d+)$/;
/** What versions before the tag wrote, `.staging-<id>-<pid>`: the owner's namespace is unknown. */
const UNTAGGED_NAME = /^\.staging-(.+)-(\d+)$/;

let ownTag: string | undefined;

/**
 * 12 hex digits naming this process's pid namespace: pids are comparable only between two
 * processes with the same kernel boot (`boot_id`) and the same pid namespace; the host name
 * tells apart machines without `/proc`.
 */
export function namespaceTag(): string {
  ownTag ??= createHash('sha256')
    .update(
      [
        readOr('/proc/sys/kernel/random/boot_id', readFileSync),
        readOr('/proc/self/ns/pid', readlinkSync),
        hostname(),
      ].join('\0'),
    )
    .digest('hex')
    .slice(0, 12);
  return ownTag;
}

function readOr(file: string, read: (file: string, encoding: 'utf8') => string): string {
  try {
    return read(file, 'utf8').trim();
  } catch {
    return '';
  }
}

/** The staging directory name of run `id` for this process. */
export function stagingName(id: string): string {
  return `${PREFIX}${id}-h${namespaceTag()}-${process.pid}`;
}

/** What a cleaner knows of its own side: its namespace tag, and whether a pid lives in it. */
export interface Observer {
  tag: string;
  alive: (pid: number) => boolean;
  now: number;
}

/**
 * Whether the staging directory `name` (last touched at `mtimeMs`) is abandoned. An owner in
 * the observer's pid namespace is alive exactly while its pid is (a stopped or slow one
 * included); any other owner while its heartbeat is younger than STALE_AFTER_MS. A name
 * without a tag (older versions) needs both a dead pid and an old heartbeat. Other hidden
 * names are never staging, whatever their age.
 */
export function isAbandoned(name: string, mtimeMs: number, observer: Observer): boolean {
  const old = observer.now - mtimeMs > STALE_AFTER_MS;
  const owned = OWNED_NAME.exec(name);
  if (owned) return owned[2] === observer.tag ? !observer.alive(Number(owned[3])) : old;
  const untagged = UNTAGGED_NAME.exec(name);
  return untagged !== null && old && !observer.alive(Number(untagged[2]));
}
