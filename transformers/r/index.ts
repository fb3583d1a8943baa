/**
 * The R flag transformer: discovery as guildai-r does it, and text mode. R has no AST
 * mode: a text splice already keeps every other byte.
 */
import type { Transformer } from '../types.js';
import { applyR, normalizeR } from './apply.js';
import { discoverR } from './discover.js';

export { applyR, normalizeR } from './apply.js';
export { discoverR } from './discover.js';
export { renderR, renderString, type Quote } from './render.js';
export { renderDouble } from './double.js';
export { tokenize } from './tokenizer.js';

/** R scripts (`.R`, `.r`), discovered and rewritten as guildai-r does, in text mode. */
export const r: Transformer = {
  language: 'r',
  extensions: ['.R', '.r'],
  modes: ['text'],
  discover: discoverR,
  apply: applyR,
  normalizeValue: normalizeR,
  // A syntactic R name: a letter, or a dot not followed by a digit, then letters, digits, `.` and `_`.
  isIdentifier: (name) => /^(?:[\p{L}]|\.(?![0-9]))[\p{L}\p{N}._]*$/u.test(name),
};
