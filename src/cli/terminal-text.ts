/**
 * Text read from records (labels, flag names and values, scripts, file names, and messages that
 * quote them) as it may reach a terminal. A run's records are written by whoever could write
 * its directory: a label holding `ESC ]` or `ESC [2J` would otherwise retitle or clear the
 * user's terminal, a newline would forge a row of `runs`, and a bidi override would show text
 * in another order than it is.
 */

/** C0 controls, DEL, C1 controls, the line and paragraph separators, bidi embeddings, overrides and isolates. */
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * `text` with every character that a terminal would act on, rather than show, written as an
 * escape: `\n`, `\r`, `\t`, `\x1b`, `\u202e`. Everything else, backslashes included, is
 * shown as it is.
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    const code = ch.charCodeAt(0);
    return NAMED[ch] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`);
  });
}
