/**
 * Keeping recast from reprinting code nobody changed.
 *
 * `recast.parse` returns a copy of the tree whose nodes link to the parsed ones through
 * `.original`; printing walks copy and original side by side and reprints what differs.
 * But its walk also reprints an unchanged node whenever its own parenthesis rules think
 * the node needs parentheses the source does not have (`throw a, b` becomes
 * `throw (a, b)`). It skips that check only where the node it meets is the original
 * itself. So before printing we hand it a tree in which every untouched subtree, still in
 * its original place, *is* the original; changed nodes and moved ones stay copies.
 *
 * A subtree counts as changed only when it is: a plugin's visitor fills in fields the
 * parser left out, and a filled-in value is no change. Were it one, its unchanged
 * neighbours would be reprinted too, with recast's parentheses (`...a ? b : c` in an array
 * comes out as `...(a ? b : c)`).
 */

/** A node or other object of a recast tree; copies carry the object they were copied from. */
type TreeObject = Record<string, unknown> & { original?: TreeObject };

/** Memoised comparison of copies with their originals, so a whole tree costs one walk. */
export class ChangeTracker {
  private readonly memo = new WeakMap<object, boolean>();

  /**
   * `fieldValue` reads a field as recast compares it (ast-types' `getFieldValue`): visitors
   * fill in missing fields with their defaults (`decorators: null`, a regular expression
   * literal's `value` and `regex`), which is no change.
   */
  constructor(private readonly fieldValue: (node: object, key: string) => unknown) {}

  /** True when `copy` and everything under it equal `original` (nodes by their links). */
  unchanged(copy: unknown, original: unknown): boolean {
    if (copy === original) return true;
    if (!isObject(copy) || !isObject(original)) return false;
    if (Array.isArray(copy)) {
      return (
        Array.isArray(original) &&
        copy.length === original.length &&
        copy.every((item, i) => this.unchanged(item, original[i]))
      );
    }
    if (copy.original !== original) return isFilledIn(copy) && sameData(copy, original);
    const known = this.memo.get(copy);
    if (known !== undefined) return known;
    const keys = new Set([...Object.keys(copy), ...Object.keys(original)]);
    const same = [...keys].every((key) => this.unchanged(this.fieldValue(copy, key), this.fieldValue(original, key)));
    this.memo.set(copy, same);
    return same;
  }

  /**
   * A shallow rebuild of the copy `node` for printing: children that are unchanged and in
   * their original place become the originals; changed children are rebuilt alike; nodes
   * that are new (no `.original`) stay as they are, for recast to print generically.
   */
  forPrinting(node: TreeObject): TreeObject {
    const original = node.original!;
    const clone = Object.create(Object.getPrototypeOf(node) as object) as TreeObject;
    Object.defineProperty(clone, 'original', {
      value: original,
      writable: true,
      enumerable: false,
      configurable: false,
    });
    for (const key of Object.keys(node)) clone[key] = this.shared(node[key], original[key]);
    return clone;
  }

  private shared(value: unknown, original: unknown): unknown {
    if (!isObject(value)) return value;
    if (Array.isArray(value)) {
      // Only arrays of the original length are compared item by item; others are reprinted.
      const aligned = Array.isArray(original) && original.length === value.length;
      return value.map((item, i) => this.shared(item, aligned ? (original as unknown[])[i] : undefined));
    }
    if (value.original === undefined) return value;
    if (value.original === original && this.unchanged(value, original)) return original;
    return this.forPrinting(value);
  }
}

function isObject(value: unknown): value is TreeObject {
  return typeof value === 'object' && value !== null;
}

/** A value a visitor made up (recast copied everything the parser gave): data, never a node. */
function isFilledIn(value: TreeObject): boolean {
  return value.original === undefined && typeof value.type !== 'string';
}

/**
 * Whether two made-up values say the same: `getFieldValue` builds a default afresh on
 * every read (a new `RegExp`, a new `{ pattern, flags }`), so identity means nothing.
 */
function sameData(a: unknown, b: unknown): boolean {
  if (!isObject(a) || !isObject(b)) return Object.is(a, b);
  if (a instanceof RegExp || b instanceof RegExp) return String(a) === String(b);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => sameData(a[key], b[key]));
}
