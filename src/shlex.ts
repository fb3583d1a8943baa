/**
 * Python's `shlex.quote` and `shlex.split` (POSIX mode): the one quoter and splitter. Guild AI
 * uses them to encode the fields of `.guild/opref` and `.guild/manifest` lines; reproducing
 * them byte for byte is what lets Guild parse paths with spaces or quotes that we wrote, and
 * us parse Guild's. `--exec "CMD ..."` is split by the same rules.
 */

const UNSAFE = /[^\w@%+=:,./-]/;
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);

/** `shlex.quote`: the word unchanged when it is safe, else single-quoted. */
export function shlexQuote(word: string): string {
  if (word === '') return "''";
  if (!UNSAFE.test(word)) return word;
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}

/**
 * `shlex.split(line)` with `posix=True, comments=False`. Throws an Error on an unclosed quote or
 * a trailing backslash, with a one-line message naming the line; callers add where it came from.
 */
export function shlexSplit(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`${why} in ${JSON.stringify(line)}`);
  };
  while (i < line.length) {
    const ch = line[i];
    if (WHITESPACE.has(ch)) {
      if (word !== null) words.push(word);
      word = null;
      i += 1;
    } else if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) fail('no closing quotation');
      word = (word ?? '') + line.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '"') {
      const [text, next] = readDoubleQuoted(line, i + 1);
      if (next === -1) fail('no closing quotation');
      word = (word ?? '') + text;
      i = next;
    } else if (ch === '\\') {
      if (i + 1 >= line.length) fail('no escaped character');
      word = (word ?? '') + line[i + 1];
      i += 2;
    } else {
      word = (word ?? '') + ch;
      i += 1;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

/**
 * The text of a double-quoted section starting after its opening quote, and the index after
 * its closing quote (-1 when unclosed). Inside double quotes a backslash escapes only `"` and
 * `\`; before anything else it stays, as in POSIX shells and Python's shlex.
 */
function readDoubleQuoted(line: string, start: number): [string, number] {
  let text = '';
  let i = start;
  while (i < line.length) {
    const ch = line[i];
    if (ch === '"') return [text, i + 1];
    if (ch === '\\' && i + 1 < line.length && (line[i + 1] === '"' || line[i + 1] === '\\')) {
      text += line[i + 1];
      i += 2;
    } else {
      text += ch;
      i += 1;
    }
  }
  return [text, -1];
}
