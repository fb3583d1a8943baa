/**
 * The Python flag transformer: discovers module-level literal assignments and rewrites
 * them in text mode. Python has no AST mode here: a text splice already keeps every
 * other byte, and no Python printer in JS would.
 */
import type { Transformer } from '../types.js';
import { applyPython } from './apply.js';
import { discoverPython } from './discover.js';

export { applyPython } from './apply.js';
export { discoverPython, findFlags, type PythonFlag } from './discover.js';
export { renderFloat, renderPython, renderString } from './render.js';

/** The transformer for `.py` scripts. */
export const python: Transformer = {
  language: 'python',
  extensions: ['.py'],
  discover: discoverPython,
  apply: applyPython,
};
