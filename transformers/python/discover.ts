/**
 * Flag discovery for Python, following Guild AI: a flag is a module-level
 * `NAME = literal` (or `NAME: T = literal`) whose name does not start with `_`, and the
 * first top-level assignment of a name decides whether it is one.
 */
import { annotateSite, annotationAbove } from '../shared/annotations.js';
import type { TokenBuffer } from '../shared/token-buffer.js';
import type { FlagSite } from '../types.js';
import { startsLine, tokenize } from './lexer.js';
import type { Literal } from './literals.js';
import { forEachTopLevelAssignment } from './statements.js';
import { Tok } from './tokens.js';

/** What starts a Python annotation line, as in guildai-r. */
const ANNOTATION_PREFIX = '#|';

/** A flag with the literal that holds its default, for rewriting. */
export interface PythonFlag {
  site: FlagSite;
  literal: Literal;
}

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
 * Finds the flags of `source` with their literals, in source order, in one pass of the
 * lexer. Throws a `source` error naming `file:line` when the source does not tokenize or
 * an annotation is malformed.
 */
export function findFlags(source: string, file: string): PythonFlag[] {
  const tokens = tokenize(source, file, { topLevelOnly: true });
  const notes = annotationLines(tokens);
  const seen = new Set<string>();
  const flags: PythonFlag[] = [];
  forEachTopLevelAssignment(tokens, file, ({ names, literal, line, leadsLine, comment }) => {
    for (const name of names) {
      if (seen.has(name)) continue;
      seen.add(name);
      if (literal === null || name.startsWith('_')) continue;
      const site: FlagSite = { name, type: literal.type, default: literal.value, file, line };
      const block = leadsLine ? annotationAbove(notes, line) : null;
      if (block || comment) annotateSite(site, ANNOTATION_PREFIX, block, comment);
      flags.push({ site, literal });
    }
  });
  return flags;
}

/** The flags of a Python script (see `findFlags`). */
export function discoverPython(source: string, file: string): FlagSite[] {
  return findFlags(source, file).map((flag) => flag.site);
}
