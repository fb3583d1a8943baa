/**
 * P1-min: a one-file stage written by hand, with nothing around it: what any tool that
 * stages `train.py --flags lr=0.1` into a Guild run directory cannot avoid. It writes the
 * files guild-stage writes (the source with the flag rewritten, 14 attrs, manifest, opref,
 * the staged diff, the STAGED marker) under a staging name, renames it into place, and
 * prints the run id, with synchronous calls only. Its ratio against `node -e 0` is the
 * lowest P1 could reach on the machine; P1's distance from it is guild-stage's own cost.
 *
 *   node bench/minimal-stage.cjs <runs dir>     (in the project directory)
 */
'use strict';
const { createHash, randomUUID } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const runsDir = path.resolve(process.argv[2]);
const id = randomUUID().replaceAll('-', '');
const staging = path.join(runsDir, `.staging-${id}-${process.pid}`);
const attrs = path.join(staging, '.guild', 'attrs');
mkdirSync(attrs, { recursive: true });

const source = readFileSync('train.py');
const before = source.toString('utf8');
const after = before.replace(/^lr = .*$/m, 'lr = 0.1');
writeFileSync(path.join(staging, 'train.py'), after);

const yamlMap = (map) =>
  Object.entries(map)
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}\n`)
    .join('');
const runEnv = { ...process.env, FLAG_LR: '0.1', RUN_DIR: path.join(runsDir, id), RUN_ID: id };
const files = {
  cmd: '- python3\n- train.py\n',
  env: yamlMap(runEnv),
  flags: 'lr: 0.1\n',
  guild_stage: `changed:\n  train.py:\n  - flags\nversion: 0.1.0\n`,
  host: `${os.hostname()}\n`,
  id: `${id}\n`,
  initialized: `${Date.now() * 1000}\n`,
  label: 'lr=0.1\n',
  op: `op-cmd:\n  cmd-args:\n  - python3\n  - train.py\n`,
  platform: `${os.type()} ${os.machine()}\n`,
  plugins: '- flags\n',
  sourcecode_digest: `${createHash('md5').update(source).digest('hex')}\n`,
  user: `${os.userInfo().username}\n`,
  user_flags: 'lr: 0.1\n',
};
for (const [name, text] of Object.entries(files)) writeFileSync(path.join(attrs, name), text);

const guild = path.join(staging, '.guild');
const sha1 = createHash('sha1').update(source).digest('hex');
writeFileSync(path.join(guild, 'manifest'), `s train.py ${sha1} train.py\n`);
writeFileSync(path.join(guild, 'opref'), `script:${process.cwd()} '' '' train.py\n`);
const lines = before.split('\n');
const at = lines.findIndex((line) => line.startsWith('lr = ')) + 1;
writeFileSync(
  path.join(guild, 'staged.patch'),
  `diff --git a/train.py b/train.py\n--- a/train.py\n+++ b/train.py\n@@ -${at} +${at} @@\n-${lines[at - 1]}\n+lr = 0.1\n`,
);
writeFileSync(path.join(guild, 'STAGED'), '');
renameSync(staging, path.join(runsDir, id));
process.stdout.write(`${id}\n`);
