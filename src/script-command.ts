/**
 * The plain command that runs a script, as a user would type it by hand.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

export interface ScriptCommand {
  cmd: string[];
  /** Variables the interpreter needs to behave as on a terminal (unbuffered output). */
  env: Record<string, string>;
}

const require = createRequire(import.meta.url);

/**
 * `train.py` -> `python3 train.py` (or `$PYTHON`), `.R` -> `Rscript`, `.js/.mjs/.cjs` ->
 * `node`, `.ts/.mts/.cts` -> `node <tsx> train.ts` (tsx is a dependency, so it works in
 * a fresh install), anything else executed directly.
 */
export function commandFor(
  opspec: string,
  scriptArgs: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ScriptCommand {
  const ext = path.extname(opspec).toLowerCase();
  const script = opspec.includes('/') ? opspec : `./${opspec}`;
  switch (ext) {
    case '.py':
      // Python buffers a pipe; unbuffered, each line reaches the output index when it is printed.
      return { cmd: [env.PYTHON || 'python3', opspec, ...scriptArgs], env: { PYTHONUNBUFFERED: '1' } };
    case '.r':
      return { cmd: ['Rscript', opspec, ...scriptArgs], env: {} };
    case '.js':
    case '.mjs':
    case '.cjs':
      return { cmd: [process.execPath, opspec, ...scriptArgs], env: {} };
    case '.ts':
    case '.mts':
    case '.cts':
      return { cmd: [process.execPath, require.resolve('tsx/cli'), opspec, ...scriptArgs], env: {} };
    default:
      return { cmd: [script, ...scriptArgs], env: {} };
  }
}

/** Splits an `--exec "CMD ..."` string into argv the way a POSIX shell splits plain words and quotes. */
export function splitCommand(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' in: ${text}`);
      word += text.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) i++;
        word += text[i++];
      }
      if (i >= text.length) throw new Error(`unterminated " in: ${text}`);
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
