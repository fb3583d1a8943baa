/**
 * The benchmark's inputs, generated on first use into one temporary directory. Content is
 * seeded, so every run and every machine measures the same bytes.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateYamlConfig } from './configs.mjs';
import { generateArgparseScript, generateScript, optionValues } from './sources.mjs';
import { int, rng, words } from './seeded.mjs';

/** MB as in MB/s: 10^6 bytes. */
export const MB = 1_000_000;

const TREE = { topDirs: 10, subDirs: 5, filesPerDir: 100, minBytes: 8_000, maxBytes: 12_480 };
const EXTENSIONS = ['.txt', '.md', '.csv', '.yaml'];

const ONE_FILE_SCRIPT = `# A one-file training script with a few flags.
lr = 0.01
batch_size = 32
epochs = 10
optimizer = 'adam'

print(f"training with lr={lr} batch_size={batch_size} epochs={epochs} optimizer={optimizer}")
`;

const TRIVIAL_SCRIPT = 'x = 0\nprint(x)\n';
/** 1,000,000 lines in Guild's default scalar form, written as a training loop would. */
const SCALARS_SCRIPT = 'n = 1000000\nfor i in range(n):\n    print(f"loss: {1 / (i + 1)} (step {i})")\n';

/** Where each generated script goes, with its size. */
const SCRIPTS = {
  python: { file: 'big.py', bytes: 5 * MB },
  r: { file: 'big.R', bytes: 5 * MB },
  javascript: { file: 'big.js', bytes: 5 * MB },
  typescript: { file: 'big.ts', bytes: 1 * MB },
};

/** Every generator under one root, each run at most once. */
export class Inputs {
  /** @param {string} root an empty directory */
  constructor(root) {
    this.root = root;
    /** @type {Map<string, string>} */
    this.made = new Map();
  }

  /** @param {string} key @param {(dir: string) => void} make */
  once(key, make) {
    let dir = this.made.get(key);
    if (dir === undefined) {
      dir = path.join(this.root, key);
      mkdirSync(dir, { recursive: true });
      make(dir);
      this.made.set(key, dir);
    }
    return dir;
  }

  /** A project holding only train.py with four flags. */
  oneFile() {
    return this.once('one-file', (dir) => writeFileSync(path.join(dir, 'train.py'), ONE_FILE_SCRIPT));
  }

  /** 5,000 text files of about 10 KB in 50 nested directories (~50 MB), train.py at the root. */
  bigTree() {
    return this.once('big-tree', writeTree);
  }

  /** A project whose train.py does nothing but print its one flag. */
  trivial() {
    return this.once('trivial', (dir) => writeFileSync(path.join(dir, 'train.py'), TRIVIAL_SCRIPT));
  }

  /** A project whose train.py prints 1,000,000 scalar lines. */
  scalars() {
    return this.once('scalars', (dir) => writeFileSync(path.join(dir, 'train.py'), SCALARS_SCRIPT));
  }

  /**
   * A runs directory of `count` finished runs as guild-stage records them, each with attrs,
   * opref, output, a scalar summary and an event file (bench/make-runs.mjs; needs dist/).
   * @param {number} count
   */
  manyRuns(count) {
    return this.once(`runs-${count}`, (dir) => {
      const script = fileURLToPath(new URL('./make-runs.mjs', import.meta.url));
      const made = spawnSync(process.execPath, [script, dir, String(count), '10'], { encoding: 'utf8' });
      if (made.status !== 0) throw new Error(`make-runs.mjs failed: ${made.stderr.trim().split('\n')[0]}`);
    });
  }

  /**
   * A 1 MB Python script whose twenty flags are argparse options: its path, and the values P11 applies.
   * @returns {{ file: string, values: Record<string, unknown> }}
   */
  argparseScript() {
    const dir = this.once('argparse', (d) =>
      writeFileSync(path.join(d, 'train.py'), generateArgparseScript(1 * MB, 11)),
    );
    return { file: path.join(dir, 'train.py'), values: optionValues() };
  }

  /**
   * A 1 MB YAML config (bench/configs.mjs): its path, and the twenty values P11 applies.
   * @returns {{ file: string, values: Record<string, number> }}
   */
  yamlConfig() {
    const { text, values } = generateYamlConfig(1 * MB, 11);
    const dir = this.once('config-yaml', (d) => writeFileSync(path.join(d, 'config.yml'), text));
    return { file: path.join(dir, 'config.yml'), values };
  }

  /**
   * A generated script with ten flags; its path.
   * @param {keyof typeof SCRIPTS} language
   */
  script(language) {
    const { file, bytes } = SCRIPTS[language];
    const dir = this.once(`script-${language}`, (d) =>
      writeFileSync(path.join(d, file), generateScript(language, bytes, 7)),
    );
    return path.join(dir, file);
  }
}

/** @param {string} dir */
function writeTree(dir) {
  writeFileSync(path.join(dir, 'train.py'), ONE_FILE_SCRIPT);
  const next = rng(42);
  const pool = textPool(next, 2 * TREE.maxBytes);
  for (let top = 0; top < TREE.topDirs; top++) {
    for (let sub = 0; sub < TREE.subDirs; sub++) {
      const rel = path.join(`pkg${String(top).padStart(2, '0')}`, `mod${sub}`);
      mkdirSync(path.join(dir, rel), { recursive: true });
      for (let i = 0; i < TREE.filesPerDir; i++) {
        const name = `file${String(i).padStart(3, '0')}${EXTENSIONS[i % EXTENSIONS.length]}`;
        const size = int(next, TREE.minBytes, TREE.maxBytes);
        const offset = int(next, 0, pool.length - size);
        // A distinct first line keeps any two files from being byte-identical.
        writeFileSync(path.join(dir, rel, name), `# ${rel}/${name}\n${pool.slice(offset, offset + size)}`);
      }
    }
  }
}

/** @param {() => number} next @param {number} bytes */
function textPool(next, bytes) {
  const lines = [];
  let size = 0;
  while (size < bytes) {
    const line = `${words(next, int(next, 4, 14))}\n`;
    lines.push(line);
    size += line.length;
  }
  return lines.join('');
}
