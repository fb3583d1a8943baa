/**
 * For the tests that run guild-stage from other tools (Guild, make, sh, git hooks): the
 * built CLI on a PATH, as an installed package puts `guild-stage` there.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CLI } from '../helpers/cli.js';

/** Makes `<root>/bin/guild-stage` run the built CLI; returns a PATH with it first. */
export async function guildStageOnPath(root: string): Promise<string> {
  const bin = path.join(root, 'bin');
  await mkdir(bin, { recursive: true });
  await writeFile(path.join(bin, 'guild-stage'), `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`);
  await chmod(path.join(bin, 'guild-stage'), 0o755);
  return `${bin}:${process.env.PATH}`;
}
