/**
 * The in-process checks on one corpus file: discover its flags, rewrite every flag to
 * another value, and hold the result to the transformer's promises. What only the
 * language's own parser can judge (does the result parse, what do the new literals mean)
 * is returned for the caller to check in one batch per language.
 */
import { defaultsOf, otherValue, sameValue, show } from './values.mjs';

/**
 * @typedef {{ name: string, type: string, default: unknown, line: number }} Site
 * @typedef {{ name: string, line: number, start: number, end: number, before: string, after: string }} Edit
 * @typedef {{ text: string, edits: Edit[], unused: string[] }} Applied
 * @typedef {{ discover(source: string, file: string): Site[], apply(source: string, values: Record<string, unknown>, opts: { mode: 'text' | 'ast', file: string }): Applied }} Transformer
 * @typedef {{ name: string, type: string, text: string, value: unknown, original: boolean }} Literal
 * A literal for the language to read: a flag's literal as the file had it (`original`,
 * which must read as the discovered default) or as the rewrite wrote it.
 * @typedef {{ flags: number, rewrites: number, restoredIdentical: boolean, failures: string[], rewritten: string | null, literals: Literal[] }} FileCheck
 */

/** The message of anything thrown, on one line. @param {unknown} error */
function messageOf(error) {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0];
}

/**
 * Runs `fn`, turning a throw into a failure that says which step threw.
 * @template T @param {string[]} failures @param {string} step @param {() => T} fn @returns {T | undefined}
 */
function attempt(failures, step, fn) {
  try {
    return fn();
  } catch (error) {
    failures.push(`${step} threw: ${messageOf(error)}`);
    return undefined;
  }
}

/**
 * Why `edits` are not a faithful record of how `result` came from `source`: each edit's
 * `before` must be the source at its span, spans sorted and disjoint, and the text
 * outside the spans unchanged. Null when they are.
 * @param {string} source @param {{ text: string, edits: Edit[] }} result @returns {string | null}
 */
export function editsMismatch(source, result) {
  let at = 0;
  let out = '';
  for (const edit of result.edits) {
    if (edit.start < at) return `edit of ${edit.name} overlaps or comes out of order`;
    if (source.slice(edit.start, edit.end) !== edit.before) {
      return `edit of ${edit.name} records before=${show(edit.before)} but the source has ${show(source.slice(edit.start, edit.end))}`;
    }
    out += source.slice(at, edit.start) + edit.after;
    at = edit.end;
  }
  out += source.slice(at);
  if (out === result.text) return null;
  return `text outside the rewritten literals changed near offset ${firstDifference(out, result.text)}`;
}

/** @param {string} a @param {string} b */
function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}

/**
 * Why the flags of `text` are not `sites` with `values`: same names in the same order,
 * same types, and each value read back exactly. Null when they are. Where the language
 * has one number type (JavaScript), `int` and `float` only tell how a literal is spelled.
 * @param {Site[]} sites @param {Site[]} found @param {Record<string, unknown>} values @param {boolean} oneNumberType
 */
function readBackMismatch(sites, found, values, oneNumberType) {
  const kind = (type) => (oneNumberType && (type === 'int' || type === 'float') ? 'number' : type);
  const names = (list) => list.map((site) => site.name).join(',');
  if (names(found) !== names(sites)) return `flags became [${names(found)}] (were [${names(sites)}])`;
  for (const [i, site] of sites.entries()) {
    const got = found[i];
    const type = expectedType(site.type, values[site.name]);
    if (kind(got.type) !== kind(type)) return `${site.name} became a ${got.type} flag, expected ${type}`;
    if (!sameValue(got.default, values[site.name]))
      return `${site.name} reads back ${show(got.default)}, wrote ${show(values[site.name])}`;
  }
  return null;
}

/**
 * The type a flag must have after a rewrite: its own, except that a `null` flag takes
 * the type of whatever was written into it.
 * @param {string} type @param {unknown} value
 */
function expectedType(type, value) {
  if (type !== 'null') return type;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return typeof value === 'string' ? 'string' : 'boolean';
}

/** Edits as `name: before -> after`, for messages. @param {Edit[]} edits */
function describeEdits(edits) {
  const shown = edits
    .slice(0, 3)
    .map((edit) => `${edit.name}:${edit.line} ${show(edit.before)} -> ${show(edit.after)}`);
  return shown.join('; ') + (edits.length > 3 ? `; and ${edits.length - 3} more` : '');
}

/**
 * Whether a flag's value is written into the source: not an option whose default is code or
 * which is required (a run passes those as command-line arguments).
 * @param {Site & { option?: { defaultCode?: string, required?: boolean } }} site
 */
function isWritable(site) {
  return site.option?.defaultCode === undefined && !site.option?.required;
}

/**
 * The literal of a `default=` an edit added to an option that had none (`'--lr'` ->
 * `'--lr', default=0.1` gives `0.1`), or undefined for an edit that replaced a literal.
 * @param {Edit} edit
 */
function addedDefault(edit) {
  const prefix = `${edit.before}, default=`;
  return edit.after.startsWith(prefix) ? edit.after.slice(prefix.length) : undefined;
}

/**
 * Why a rewrite of the flags `names` (in source order) did not edit each exactly once, in
 * that order, with no name left unused; null when it did.
 * @param {string[]} names @param {Applied} result
 */
function coverageMismatch(names, result) {
  if (result.unused.length > 0) return `apply reported flags [${result.unused.join(',')}] as unused`;
  const made = result.edits.map((edit) => edit.name).join(',');
  return made === names.join(',') ? null : `edited [${made}], expected one edit per flag [${names.join(',')}]`;
}

/**
 * Checks `source` (already known to parse, or about to be checked) with `transformer` in
 * each of `lang.modes`; the first mode is the reference the others must match exactly.
 * @param {Transformer} transformer @param {string} source @param {string} label
 * @param {{ modes: ('text' | 'ast')[], oneNumberType: boolean }} lang
 * @returns {FileCheck}
 */
export function checkFile(transformer, source, label, { modes, oneNumberType }) {
  /** @type {FileCheck} */
  const check = { flags: 0, rewrites: 0, restoredIdentical: true, failures: [], rewritten: null, literals: [] };
  const discovered = attempt(check.failures, 'discover', () => transformer.discover(source, label));
  if (discovered === undefined) return check;
  const sites = discovered.filter(isWritable);
  if (sites.length === 0) return check;
  check.flags = sites.length;
  const defaults = defaultsOf(sites);
  for (const mode of modes) checkDefaults(check, transformer, source, label, defaults, mode);

  const values = Object.fromEntries(sites.map((site) => [site.name, otherValue(site.type, site.default)]));
  const result = rewriteAll(check, transformer, source, label, values, modes);
  if (result === undefined) return check;
  check.rewrites = result.edits.length;
  check.rewritten = result.text;
  const byName = new Map(sites.map((site) => [site.name, site]));
  check.literals = result.edits.flatMap((edit) => {
    const site = byName.get(edit.name);
    const added = addedDefault(edit);
    const written = {
      name: edit.name,
      type: site.type,
      text: added ?? edit.after,
      value: values[edit.name],
      original: false,
    };
    // An option with no default= yet has no literal of its own to read.
    if (added !== undefined) return [written];
    return [{ name: edit.name, type: site.type, text: edit.before, value: site.default, original: true }, written];
  });

  const found = attempt(check.failures, 'discover on the rewritten file', () =>
    transformer.discover(result.text, label)?.filter(isWritable),
  );
  const readBack = found && readBackMismatch(sites, found, values, oneNumberType);
  if (readBack) check.failures.push(`rewritten file: ${readBack}`);
  checkRestore(check, transformer, source, label, { sites, defaults, result, oneNumberType });
  return check;
}

/**
 * A file's own default values are already there: writing them must change nothing.
 * @param {FileCheck} check @param {Transformer} transformer @param {string} source @param {string} label
 * @param {Record<string, unknown>} defaults @param {'text' | 'ast'} mode
 */
function checkDefaults(check, transformer, source, label, defaults, mode) {
  const same = attempt(check.failures, `apply of the defaults (${mode} mode)`, () =>
    transformer.apply(source, defaults, { mode, file: label }),
  );
  if (same && same.text !== source)
    check.failures.push(`applying the defaults (${mode} mode) changed the file: ${describeEdits(same.edits)}`);
}

/**
 * Rewrites every flag in each mode; returns the reference mode's result when it is
 * consistent with the source, else undefined after recording why.
 * @param {FileCheck} check @param {Transformer} transformer @param {string} source @param {string} label
 * @param {Record<string, unknown>} values @param {('text' | 'ast')[]} modes @returns {Applied | undefined}
 */
function rewriteAll(check, transformer, source, label, values, modes) {
  const [reference, ...others] = modes;
  const result = attempt(check.failures, `apply (${reference} mode)`, () =>
    transformer.apply(source, values, { mode: reference, file: label }),
  );
  if (result === undefined) return undefined;
  for (const mode of others) {
    const other = attempt(check.failures, `apply (${mode} mode)`, () =>
      transformer.apply(source, values, { mode, file: label }),
    );
    if (other && other.text !== result.text) {
      check.failures.push(
        `${mode} mode and ${reference} mode differ near offset ${firstDifference(other.text, result.text)}`,
      );
    } else if (other && JSON.stringify(other.edits) !== JSON.stringify(result.edits)) {
      check.failures.push(`${mode} mode and ${reference} mode report different edits`);
    }
  }
  const wrong = coverageMismatch(Object.keys(values), result) ?? editsMismatch(source, result);
  if (wrong === null) return result;
  check.failures.push(`rewrite: ${wrong}`);
  return undefined;
}

/**
 * Writing the defaults into the rewritten file restores the original: byte-identical
 * outside the flags' literals, each literal reading back its default. A literal may come
 * back in the renderer's spelling (`0x10` as `16`); whether every one came back
 * byte-identical is counted, not required.
 * @param {FileCheck} check @param {Transformer} transformer @param {string} source @param {string} label
 * @param {{ sites: Site[], defaults: Record<string, unknown>, result: Applied, oneNumberType: boolean }} rewrite
 */
function checkRestore(check, transformer, source, label, { sites, defaults, result, oneNumberType }) {
  const back = attempt(check.failures, 'apply of the defaults to the rewritten file', () =>
    transformer.apply(result.text, defaults, { mode: 'text', file: label }),
  );
  if (back === undefined) return;
  const restoredAt = new Map(back.edits.map((edit) => [edit.name, edit.after]));
  const expected = result.edits.map((edit) => {
    const restored = restoredAt.get(edit.name);
    if (restored === undefined) return edit;
    // An added default= stays, holding the default the option had without it.
    const added = addedDefault(edit);
    return { ...edit, after: added === undefined ? restored : edit.after.slice(0, -added.length) + restored };
  });
  const wrong = editsMismatch(source, { text: back.text, edits: expected });
  if (wrong !== null) check.failures.push(`restoring the defaults: ${wrong}`);
  const found = attempt(check.failures, 'discover on the restored file', () =>
    transformer.discover(back.text, label)?.filter(isWritable),
  );
  const readBack = found && readBackMismatch(sites, found, defaults, oneNumberType);
  if (readBack) check.failures.push(`restored file: ${readBack}`);
  check.restoredIdentical = back.text === source;
}
