/**
 * Flag discovery for Python, following Guild AI: a flag is a module-level
 * `NAME = literal` (or `NAME: T = literal`) whose name does not start with `_`, and the
 * first top-level assignment of a name decides whether it is one. Options the script
 * declares with argparse or click are flags too (`options.ts`); where one has the name of
 * a global, the option is the flag, since it is what the script reads last.
 */
import { TransformError } from '../errors.js';
import { annotateSite, annotationAbove } from '../shared/annotations.js';
import type { TokenBuffer } from '../shared/token-buffer.js';
import type { FlagSite } from '../types.js';
import { isPythonIdentifier } from './chars.js';
import type { PythonFlag } from './flag.js';
import { startsLine, tokenize } from './lexer.js';
import { optionFlags, optionProbes } from './options.js';
import { renderPython } from './render.js';
import { forEachTopLevelAssignment } from './statements.js';
import { Tok } from './tokens.js';

export type { PythonFlag, Target } from './flag.js';

/** What starts a Python annotation line, as in guildai-r. */
const ANNOTATION_PREFIX = '#|';

/** The `#|` comments that start at column 0, by 1-based line. */
function annotationLines(tokens: TokenBuffer): Map<number, string> {
  const out = new Map<number, string>();
  for (let i = 0; i < tokens.count; i++) {
    if (tokens.kind(i) !== Tok.COMMENT || !startsLine(tokens.source, tokens.start(i))) continue;
    if (tokens.source.startsWith(ANNOTATION_PREFIX, tokens.start(i))) out.set(tokens.line(i), tokens.text(i));
  }
  return out;
}

/**
 * Finds the flags of `source` with where their values go, in source order, in one pass of
 * the lexer (plus the option calls it found in code). Throws a `source` error naming
 * `file:line` when the source does not tokenize or an annotation is malformed.
 */
export function findFlags(source: string, file: string): PythonFlag[] {
  const probes = optionProbes(source);
  const tokens = tokenize(source, file, { topLevelOnly: true, probes: probes?.probes });
  const notes = annotationLines(tokens);
  const seen = new Set<string>();
  const flags: PythonFlag[] = [];
  forEachTopLevelAssignment(tokens, file, ({ names, literal, line, leadsLine, comment }) => {
    for (const written of names) {
      const name = pythonName(written, file, line);
      if (seen.has(name)) continue;
      seen.add(name);
      if (literal === null || name.startsWith('_')) continue;
      const site: FlagSite = { name, type: literal.type, default: literal.value, file, line };
      const block = leadsLine ? annotationAbove(notes, line) : null;
      if (block || comment) annotateSite(site, ANNOTATION_PREFIX, block, comment);
      flags.push({ site, target: { start: literal.start, end: literal.end, quote: literal.quote } });
    }
  });
  const all = probes ? withOptions(flags, optionFlags(source, file, probes)) : flags;
  for (const flag of all) {
    const text = defaultText(source, flag);
    if (text !== undefined) flag.site.defaultText = text;
  }
  return all;
}

/**
 * A flag's default in Python's spelling: its literal as written when on one line, else (a
 * literal over several lines or with control characters, or an option's implied default) as
 * guild-stage would write it.
 * Undefined for a default that is code or a required option, which has no value.
 */
function defaultText(source: string, { site, target }: PythonFlag): string | undefined {
  if (!target) return undefined;
  const written = target.prefix === undefined ? source.slice(target.start, target.end) : '';
  // Line breaks and control characters (a raw ESC is valid in a Python string) are shown escaped.
  if (written !== '' && !/[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]/.test(written)) return written;
  return renderPython(site.default, site.type, target.quote);
}

/**
 * The name Python binds for an identifier as written: NFKC-normalized, as its parser does
 * (`ﬁle` is `file`). A name with a character Python rejects (`x€`) fails as Python would.
 */
function pythonName(written: string, file: string, line: number): string {
  if (isAscii(written)) return written;
  if (!isPythonIdentifier(written)) {
    const bad = [...written].find((char, i) => !isPythonIdentifier(i === 0 ? char : `_${char}`))!;
    const code = bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new TransformError('source', `${file}:${line}: invalid character '${bad}' (U+${code}) in ${written}`, {
      file,
      line,
    });
  }
  return written.normalize('NFKC');
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** Globals and options together by line; the first option of a name wins, and over a global of it. */
function withOptions(globals: PythonFlag[], options: PythonFlag[]): PythonFlag[] {
  const named = new Map<string, PythonFlag>();
  for (const flag of options) if (!named.has(flag.site.name)) named.set(flag.site.name, flag);
  if (named.size === 0) return globals;
  const kept = globals.filter((flag) => !named.has(flag.site.name));
  return [...kept, ...named.values()].sort((a, b) => a.site.line - b.site.line);
}

/** The flags of a Python script (see `findFlags`). */
export function discoverPython(source: string, file: string): FlagSite[] {
  return findFlags(source, file).map((flag) => flag.site);
}
