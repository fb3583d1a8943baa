import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * End-to-end tests spawn the built CLI, as `npm run build` makes it: tsc's output for the
 * library, then the bundled CLI (scripts/bundle.mjs). Type errors do not stop the emit (tsc
 * still writes JavaScript); `npm run typecheck` is their gate.
 */
export default function setup(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const tsc = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    { cwd: root, encoding: 'utf8' },
  );
  if (tsc.status !== 0)
    process.stderr.write(`tsc reported errors (run npm run typecheck):\n${tsc.stdout}${tsc.stderr}`);
  const bundle = spawnSync(process.execPath, [path.join(root, 'scripts/bundle.mjs')], { cwd: root, encoding: 'utf8' });
  if (bundle.status !== 0) throw new Error(`scripts/bundle.mjs failed:\n${bundle.stdout}${bundle.stderr}`);
  if (!existsSync(path.join(root, 'dist/bin/guild-stage.cjs')))
    throw new Error('the build wrote no dist/bin/guild-stage.cjs');
}
