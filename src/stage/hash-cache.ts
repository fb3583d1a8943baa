/**
 * What `--link` staging knows of project files it has hashed before, one file per runs
 * directory: `<runs dir>/.guild-stage-hashes.json`. A file whose device, inode, size and
 * mtime are as they were when it was hashed is linked without being read again, as git's
 * index skips unchanged files.
 *
 * The "racy" case (git's word) is a file changed again within a tick of the file system's
 * clock of the stamp the hash was taken with: its stamp would not change, its content would.
 * So, as git does, an entry is only kept for a file whose mtime was already {@link RACY_MS}
 * old when staging began; a file written since is read every time until it has been quiet
 * that long. mtime, not ctime: linking a file changes its ctime (its link count), so a ctime
 * key would never match a linked file twice.
 *
 * Nothing of Guild reads the file (Guild takes only directories with `.guild/opref` as runs);
 * failing to read or write it is never an error: it is a cache.
 */
import type { BigIntStats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../records/files.js';
import { RACY_MS } from '../records/run-index.js';

/** The cache's name in the runs directory. */
export const HASH_CACHE_FILE = '.guild-stage-hashes.json';

const FORMAT_VERSION = 1;

/** What a file's content was when hashed: its sha1, and whether its first 8 KiB hold a NUL. */
export interface FileHash {
  sha1: string;
  size: number;
  binary: boolean;
}

/** The stat fields an entry is keyed by. */
export type HashStamp = Pick<BigIntStats, 'dev' | 'ino' | 'size' | 'mtimeNs'>;

/**
 * An entry in the file, one string (thousands of entries parse into as many strings, not
 * arrays): `dev:ino:size:mtimeNs:` (the stamp, {@link keyOf}), then the sha1, then `b` when
 * the content is binary.
 */
type Entry = string;

function keyOf(stamp: HashStamp): string {
  return `${stamp.dev}:${stamp.ino}:${stamp.size}:${stamp.mtimeNs}:`;
}

const SHA1_LENGTH = 40;

export class HashCache {
  private changed = false;
  /** Files whose mtime is older than this (ns) can be stored: see the module comment. */
  private readonly settledBeforeNs = BigInt(Date.now() - RACY_MS) * 1_000_000n;

  private constructor(
    readonly runsDir: string,
    private readonly entries: Map<string, Entry>,
  ) {}

  /** The cache of `runsDir`; empty when there is none or it cannot be read. */
  static async open(runsDir: string): Promise<HashCache> {
    let entries = new Map<string, Entry>();
    try {
      const data = JSON.parse(await readFile(path.join(runsDir, HASH_CACHE_FILE), 'utf8'));
      if (data?.version === FORMAT_VERSION && data.files && typeof data.files === 'object') {
        entries = new Map(Object.entries(data.files as Record<string, Entry>));
      }
    } catch {
      // Missing, unreadable or not ours: start empty; the next save replaces it.
    }
    return new HashCache(runsDir, entries);
  }

  /** The hash of the file at absolute path `file`, if it was hashed with exactly this stamp. */
  lookup(file: string, stamp: HashStamp): FileHash | undefined {
    const entry = this.entries.get(file);
    const key = keyOf(stamp);
    if (typeof entry !== 'string' || !entry.startsWith(key)) return undefined;
    const sha1 = entry.slice(key.length, key.length + SHA1_LENGTH);
    if (!/^[0-9a-f]{40}$/.test(sha1)) return undefined;
    return { sha1, size: Number(stamp.size), binary: entry.charAt(key.length + SHA1_LENGTH) === 'b' };
  }

  /** Remembers the hash of `file` read after `stamp` was taken, unless the file is too new to trust. */
  store(file: string, stamp: HashStamp, hash: FileHash): void {
    if (stamp.mtimeNs >= this.settledBeforeNs) return;
    this.entries.set(file, `${keyOf(stamp)}${hash.sha1}${hash.binary ? 'b' : ''}`);
    this.changed = true;
  }

  /** Forgets the files under `projectDir` (absolute) that are not in `present` (absolute paths). */
  prune(projectDir: string, present: ReadonlySet<string>): void {
    const prefix = projectDir.endsWith(path.sep) ? projectDir : `${projectDir}${path.sep}`;
    for (const file of this.entries.keys()) {
      if (file.startsWith(prefix) && !present.has(file)) {
        this.entries.delete(file);
        this.changed = true;
      }
    }
  }

  /** Writes the cache when it changed, atomically; of two concurrent writers the last wins. */
  async save(): Promise<void> {
    if (!this.changed) return;
    const text = JSON.stringify({ version: FORMAT_VERSION, files: Object.fromEntries(this.entries) });
    await writeFileAtomic(path.join(this.runsDir, HASH_CACHE_FILE), text).then(
      () => (this.changed = false),
      () => {},
    );
  }
}
