/**
 * JavaScript/TypeScript flag metadata: `//|` YAML lines directly above a declaration (the
 * shared annotation format, as guildai-r writes it with `#|`), and a trailing `// comment`
 * after a declarator as its description when the annotation gives none.
 */
import type * as t from '@babel/types';

/** What starts a JavaScript annotation line. */
export const ANNOTATION_PREFIX = '//|';

/** The comments of a file, indexed for the two lookups discovery makes. */
export interface CommentIndex {
  /** `//|` comments alone on their line, by 1-based line, with their `//`. */
  notes: Map<number, string>;
  /** Other `//` comments by start offset, without the `//`. */
  plain: Map<number, string>;
}

/** Indexes the line comments of `source` that can annotate a flag. */
export function indexComments(comments: readonly t.Comment[], source: string): CommentIndex {
  const notes = new Map<number, string>();
  const plain = new Map<number, string>();
  for (const comment of comments) {
    if (comment.type !== 'CommentLine') continue;
    if (!comment.value.startsWith('|')) plain.set(comment.start!, comment.value);
    else if (leadsLine(source, comment.start!)) notes.set(comment.loc!.start.line, `//${comment.value}`);
  }
  return { notes, plain };
}

/** True when only spaces and tabs (or a BOM) stand between `offset` and the start of its line. */
export function leadsLine(source: string, offset: number): boolean {
  let at = offset;
  while (at > 0 && ' \t\ufeff'.includes(source.charAt(at - 1))) at--;
  return at === 0 || '\n\r\u2028\u2029'.includes(source.charAt(at - 1));
}

/**
 * The `// comment` that closes the line of a declarator ending at `end`: only `,`, `;`
 * and blanks may stand between them, so in `a = 1, b = 2; // c` the comment is b's.
 */
export function trailingComment(plain: Map<number, string>, source: string, end: number): string | undefined {
  let at = end;
  while (at < source.length && ' \t,;'.includes(source.charAt(at))) at++;
  return plain.get(at);
}
