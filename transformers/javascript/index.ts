/**
 * The JavaScript and TypeScript flag transformers' shared core: discovery and text mode by
 * `@babel/parser`, and JavaScript's AST mode and plugin trees by recast.
 */
import type { Transformer } from '../types.js';
import { applyAst } from './ast-mode.js';
import { findFlags } from './discover.js';
import { checkJsValue } from './edits.js';
import { recastAst } from './recast-tree.js';
import { applyText } from './text-mode.js';

export { findFlags, type JsFlag } from './discover.js';
export { renderJs, renderNumber, renderString } from './render.js';
export { applyText } from './text-mode.js';
export { applyAst } from './ast-mode.js';
export { parseSource } from './parse.js';

/**
 * A text-mode transformer (discovery and apply by babel, with the typescript plugin when
 * `typescript`), for the JavaScript and TypeScript transformers to extend with an AST mode.
 */
export function babelTextTransformer(language: string, extensions: string[], typescript: boolean): Transformer {
  return {
    language,
    extensions,
    discover: (source, file) => findFlags(source, file, { typescript }),
    modes: ['text'],
    normalizeValue: checkJsValue,
    isIdentifier: (name) => /^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(name),
    apply: (source, values, opts) => applyText(source, values, opts.file, { typescript }),
  };
}

const JS_EXTENSIONS = ['.js', '.mjs', '.cjs', '.jsx'];
const textJs = babelTextTransformer('javascript', JS_EXTENSIONS, false);

/** The transformer for JavaScript scripts: text mode by default, AST mode through recast. */
export const javascript: Transformer = {
  ...textJs,
  modes: ['text', 'ast'],
  apply(source, values, opts) {
    if (opts.mode === 'text') return textJs.apply(source, values, opts);
    return applyAst(source, values, opts.file, { typescript: false });
  },
  ast: recastAst,
};
