/**
 * The values the corpus writes into real files: for each flag, another value of its
 * type, chosen to be awkward to render (a string gets quotes, a backslash, a newline,
 * `${` and backticks).
 */

/** Appended to every string default: each character must be escaped by some language. */
export const HOSTILE_SUFFIX = '\'"\\\n${`x`';

/**
 * Another value for a flag of `type` whose default is `value`, always different from it.
 * @param {string} type @param {any} value @returns {unknown}
 */
export function otherValue(type, value) {
  switch (type) {
    case 'int':
      return value + 1;
    case 'float':
      return otherFloat(value);
    case 'string':
      return value + HOSTILE_SUFFIX;
    case 'boolean':
      return !value;
    case 'null':
      return 1;
    case 'list':
      return otherList(value);
    default:
      throw new Error(`no other value for a flag of type ${type}`);
  }
}

/** @param {number} value */
function otherFloat(value) {
  if (!Number.isFinite(value)) return 1.5;
  const doubled = value * 2 + 0.5;
  // -0.5 is the one finite value that x * 2 + 0.5 maps to itself.
  return doubled === value ? value + 1 : doubled;
}

/** @param {unknown[]} value */
function otherList(value) {
  const reversed = [...value].reverse();
  if (!sameValue(reversed, value)) return reversed;
  return value.length === 0 ? [1, 'x'] : [];
}

/**
 * Deep equality of flag values, with `Object.is` for numbers so that `-0` and `0` differ
 * (both languages and renderers tell them apart) and NaN equals NaN.
 * @param {unknown} a @param {unknown} b @returns {boolean}
 */
export function sameValue(a, b) {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  return Object.is(a, b);
}

/** The values of a list of flag sites, by name. @param {{ name: string, default: unknown }[]} sites */
export function defaultsOf(sites) {
  return Object.fromEntries(sites.map((site) => [site.name, site.default]));
}

/** A value as JSON, except numbers JSON cannot hold (`-0`, `Infinity`, NaN). @param {unknown} value @returns {string} */
function literal(value) {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(',')}]`;
  return JSON.stringify(value) ?? String(value);
}

/** A short, one-line rendering of a value for failure messages. @param {unknown} value */
export function show(value) {
  const text = literal(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
