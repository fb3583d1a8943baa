/**
 * The Python flag transformer: discovers module-level literal assignments and rewrites
 * them in text mode. Python has no AST mode here: a text splice already keeps every
 * other byte, and no Python printer in JS would.
 */
import type { Transformer } from '../types.js';
import { applyPython } from './apply.js';
import { discoverPython } from './discover.js';
import { decodePython, pythonEncoding } from './encoding.js';

export { applyPython } from './apply.js';
export { discoverPython, findFlags, type PythonFlag, type Target } from './discover.js';
export { codecHandling, codingCookie, decodePython, pythonEncoding, sourceEncoding } from './encoding.js';
export { renderFloat, renderPython, renderString } from './render.js';

/** The transformer for `.py` scripts. */
export const python: Transformer = {
  language: 'python',
  extensions: ['.py'],
  modes: ['text'],
  discover: discoverPython,
  apply: applyPython,
  decode: decodePython,
  encoding: pythonEncoding,
  // Keywords are excluded: `class = 1` would not even parse.
  isIdentifier: (name) => /^[\p{L}_][\p{L}\p{N}_]*$/u.test(name) && !PYTHON_KEYWORDS.has(name),
};

const PYTHON_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
);
