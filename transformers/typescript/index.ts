/**
 * The TypeScript flag transformer: discovery and text mode are the babel core shared with
 * JavaScript; AST mode (which finds the same flags in its own tree) and plugin trees go
 * through ts-morph, loaded only when one of them is used.
 */
import { babelTextTransformer } from '../javascript/index.js';
import type { Transformer } from '../types.js';
import { applyTypeScriptAst } from './ast-mode.js';
import { typescriptAst } from './ast.js';

export { applyTypeScriptAst } from './ast-mode.js';
export { parseTypeScript, printTypeScript, typescriptAst } from './ast.js';

const textMode = babelTextTransformer('typescript', ['.ts', '.mts', '.cts', '.tsx'], true);

/** The transformer for `.ts`, `.mts`, `.cts` and `.tsx` scripts. */
export const typescript: Transformer = {
  ...textMode,
  modes: ['text', 'ast'],
  apply: (source, values, opts) =>
    opts.mode === 'ast' ? applyTypeScriptAst(source, values, opts.file) : textMode.apply(source, values, opts),
  ast: typescriptAst,
};
