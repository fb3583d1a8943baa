/**
 * The plain command that runs a script, as a user would type it by hand.
 */
import { createRequire } from 'node:module';
import { languageOf, type RunCommand } from '../transformers/index.js';

export interface ScriptCommand {
  cmd: string[];
  /** Variables the interpreter needs to behave as on a terminal (unbuffered output). */
  env: Record<string, string>;
}

const require = createRequire(import.meta.url);

/**
 * The command the registry gives for the script's language (`train.py` -> `python3
 * train.py`, or `$PYTHON`; `.ts` -> `node <tsx> train.ts`); a script of no language is
 * executed directly.
 */
export function commandFor(
  opspec: string,
  scriptArgs: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ScriptCommand {
  // An interpreter runs `TRAIN.PY` as well as `train.py`.
  const run = languageOf(opspec.toLowerCase())?.run;
  if (!run) return { cmd: [opspec.includes('/') ? opspec : `./${opspec}`, ...scriptArgs], env: {} };
  return { cmd: [...interpreter(run, env), opspec, ...scriptArgs], env: { ...run.env } };
}

function interpreter(run: RunCommand, env: NodeJS.ProcessEnv): string[] {
  if (run.program === 'node') return [process.execPath];
  if (run.program === 'tsx') return [process.execPath, require.resolve('tsx/cli')];
  return [(run.envProgram && env[run.envProgram]) || run.program];
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
