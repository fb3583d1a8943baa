/**
 * Babel's verdict on JavaScript and TypeScript corpus files, in process: does each
 * original parse, and does its rewritten text parse the same way.
 */
import { parse } from '@babel/parser';

const DECLARATION = /\.d\.[mc]?ts$/;

/**
 * The plugin set babel reads `label` with: JSX for JavaScript (React code writes it in
 * `.js` files), TypeScript by extension, declaration files in babel's `dts` mode.
 * @param {string} label @param {boolean} typescript @returns {import('@babel/parser').ParserPlugin[]}
 */
function pluginsFor(label, typescript) {
  if (!typescript) return ['jsx'];
  if (DECLARATION.test(label)) return [['typescript', { dts: true }]];
  return label.endsWith('.tsx') ? ['typescript', 'jsx'] : ['typescript'];
}

/**
 * The source type `text` parses as (`module`, or `script` for CommonJS code that only
 * parses that way), or the error of the module attempt.
 * @param {string} text @param {import('@babel/parser').ParserPlugin[]} plugins
 * @returns {{ sourceType: 'module' | 'script' } | { error: string }}
 */
function parseAs(text, plugins) {
  let first;
  for (const sourceType of /** @type {const} */ (['module', 'script'])) {
    try {
      parse(text, { sourceType, plugins, allowReturnOutsideFunction: sourceType === 'script' });
      return { sourceType };
    } catch (error) {
      first ??= error instanceof Error ? error.message : String(error);
    }
  }
  return { error: first };
}

/**
 * Babel's verdict on each item, in the shape the Python and R judges give (JavaScript
 * literal values are read back by discovery, which is babel's own reading).
 * @param {{ label: string, source: string, rewritten: string | null }[]} items @param {boolean} typescript
 * @returns {{ source: string | null, rewritten: string | null, literals: { type: string, value: unknown, error?: string }[] }[]}
 */
export function judgeBabel(items, typescript) {
  return items.map(({ label, source, rewritten }) => {
    const plugins = pluginsFor(label, typescript);
    const original = parseAs(source, plugins);
    if ('error' in original) return { source: original.error, rewritten: null, literals: [] };
    if (rewritten === null) return { source: null, rewritten: null, literals: [] };
    const again = parseAs(rewritten, plugins);
    if ('error' in again) return { source: null, rewritten: again.error, literals: [] };
    const changed = again.sourceType !== original.sourceType;
    return {
      source: null,
      rewritten: changed ? `parses as a ${again.sourceType}, the original as a ${original.sourceType}` : null,
      literals: [],
    };
  });
}
