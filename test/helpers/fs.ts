import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, lstat, readlink, rm, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const created: string[] = [];

/** A fresh directory under the OS temp dir, removed after the test file. */
export async function makeTempDir(prefix = 'gs-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Writes `files` (relative path -> content) under `root`, creating directories. */
export async function writeTree(root: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}

/**
 * Every entry under `root` (files by sha1, symlinks by target, directories by name), so a
 * test can assert that a tree is byte-identical before and after a command.
 */
export async function snapshotTree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(root, full);
      const st = await lstat(full);
      if (st.isSymbolicLink()) out[rel] = `link:${await readlink(full)}`;
      else if (st.isDirectory()) {
        out[`${rel}/`] = `dir:${st.mode.toString(8)}`;
        await walk(full);
      } else
        out[rel] = `file:${st.mode.toString(8)}:${createHash('sha1')
          .update(await readFile(full))
          .digest('hex')}`;
    }
  }
  await walk(root);
  return out;
}
