/**
 * Where each language's corpus comes from, and which of its files a run reads. Every
 * corpus is real code nobody here wrote, found on this machine and only ever read.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Decodes strictly, so a file that is not UTF-8 is skipped rather than misread. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The languages of the corpus, in report order. */
export const LANGUAGES = ['py', 'r', 'js', 'ts'];

const PY_FILE = /\.py$/;
const R_FILE = /\.[Rr]$/;
const JS_FILE = /\.(?:js|mjs|cjs|jsx)$/;
const TS_FILE = /\.(?:ts|mts|cts|tsx)$/;
/** JavaScript that TypeScript reads too; `.jsx` would need TSX, which changes what `<T>x` means. */
const JS_AS_TS_FILE = /\.(?:js|mjs|cjs)$/;

/**
 * Every file under `dir` whose name matches `pattern`, skipping the directories `skip`
 * names (by base name). Symlinks are not followed, so nothing is read twice.
 * @param {string} dir @param {RegExp} pattern @param {Set<string>} skip @param {string[]} out
 */
function walk(dir, pattern, skip = new Set(), out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !skip.has(entry.name)) walk(full, pattern, skip, out);
    else if (entry.isFile() && pattern.test(entry.name)) out.push(full);
  }
  return out;
}

/** @param {string} command @param {string[]} args */
function ask(command, args) {
  return execFileSync(command, args, { encoding: 'utf8' }).trim();
}

/**
 * The standard library of the machine's `python3`; `site-packages` holds third-party
 * packages, not the standard library, so it is left out.
 */
function pythonFiles() {
  const stdlib = ask('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"]);
  return { root: stdlib, files: walk(stdlib, PY_FILE, new Set(['site-packages', 'dist-packages'])) };
}

/**
 * The `.R` files installed R ships: demos, vignette code and scripts of its packages (R
 * keeps the packages' own code in lazy-load databases, not as source files), and the
 * helper scripts in R's share directory.
 */
function rFiles() {
  const homeAndLibraries = ask('Rscript', ['-e', 'cat(R.home(), .libPaths(), sep = "\\n")']).split('\n');
  const roots = [...new Set([...homeAndLibraries, '/usr/share/R'])].filter((dir) => dir !== '');
  return { root: '/', files: [...new Set(roots.flatMap((dir) => walk(dir, R_FILE)))] };
}

/** @param {string} nodeModules @param {RegExp} pattern */
function nodeFiles(nodeModules, pattern) {
  return { root: nodeModules, files: walk(nodeModules, pattern, new Set(['.bin', '.cache'])) };
}

/**
 * @typedef {{ path: string, label: string, name: string }} CorpusFile
 * `label` is the file's path relative to its corpus root, as reports show it; `name` is
 * what the transformer is told the file is called (the label, or the label with `.ts`
 * appended for JavaScript read as TypeScript).
 */

/** @param {{ root: string, files: string[] }} found @param {string} suffix @returns {CorpusFile[]} */
function labelled(found, suffix = '') {
  return found.files.map((file) => {
    const label = path.relative(found.root, file);
    return { path: file, label, name: label + suffix };
  });
}

/**
 * The corpus of `lang`, sorted by label. node_modules ships few TypeScript sources (the
 * rest are declaration files, which hold no flags), so the TypeScript corpus also reads
 * every JavaScript file as TypeScript, which it is syntactically.
 * @param {string} lang @param {{ nodeModules: string }} where @returns {CorpusFile[]}
 */
export function corpusFiles(lang, where) {
  const files = {
    py: () => labelled(pythonFiles()),
    r: () => labelled(rFiles()),
    js: () => labelled(nodeFiles(where.nodeModules, JS_FILE)),
    ts: () => [
      ...labelled(nodeFiles(where.nodeModules, TS_FILE)),
      ...labelled(nodeFiles(where.nodeModules, JS_AS_TS_FILE), '.ts'),
    ],
  }[lang]();
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Whether `file` is JavaScript read as TypeScript. @param {CorpusFile} file */
export function readAsTypeScript(file) {
  return file.name !== file.label;
}

/** The files of at most `maxBytes` bytes. @param {CorpusFile[]} files @param {number} maxBytes */
export function smallFiles(files, maxBytes) {
  return files.filter((file) => statSync(file.path).size <= maxBytes);
}

/**
 * A deterministic sample of `count` files: those whose names hash lowest. A file's
 * membership depends on its own name only, so adding files elsewhere does not reshuffle it.
 * @param {CorpusFile[]} files @param {number} count @returns {CorpusFile[]}
 */
export function sampleFiles(files, count) {
  const key = (file) => createHash('sha1').update(file.name).digest('hex');
  const chosen = new Set(
    files
      .map((file) => ({ file, key: key(file) }))
      .sort((a, b) => (a.key < b.key ? -1 : 1))
      .slice(0, count)
      .map(({ file }) => file),
  );
  return files.filter((file) => chosen.has(file));
}

/**
 * The text of a file, or null when it is not valid UTF-8 (the transformers read sources
 * as UTF-8, so such a file is out of scope, not a failure).
 * @param {string} file @returns {string | null}
 */
export function readText(file) {
  try {
    return UTF8.decode(readFileSync(file));
  } catch (error) {
    if (error instanceof TypeError) return null;
    throw error;
  }
}
