/**
 * Attr values as text, the way Guild AI writes them: `yaml.safe_dump(value,
 * default_flow_style=False, indent=2)` with the `...` end marker of scalar documents removed.
 * Guild reads attrs back with PyYAML (YAML 1.1), so the output must resolve to the same values
 * there, and matching PyYAML's text keeps `guild cat` and `guild diff` output familiar.
 */
import type { CreateNodeOptions, DocumentOptions, Pair, ScalarTag, SchemaOptions, Tags, ToStringOptions } from 'yaml';
import { yamlLib } from '../../transformers/shared/yaml-lib.js';

/**
 * PyYAML's float syntax requires a dot (`1e-07` would load as a string), so every number is
 * written the way PyYAML writes Python's int or float: integers in plain digits, other numbers
 * as `repr(float)` with `.0` added to a bare mantissa (`1.0e-07`).
 */
const numberTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:float',
  default: true,
  identify: (value) => typeof value === 'number',
  // A `test` is what makes yaml prefer this tag over its own int/float tags for numbers.
  test: /^[-+]?(?:\.inf|\.nan|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+][0-9]+)?)$/,
  resolve: (text) => Number(text),
  stringify: ({ value }) => formatNumber(value as number),
};

/**
 * Characters PyYAML rejects in a stream (controls, DEL, C1), cannot read in a plain scalar
 * (tab), or reads as line breaks or a byte-order mark (NEL, LS, PS, BOM).
 */
const PYYAML_SPECIAL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;

/** A string with such characters goes double-quoted with every one of them escaped. */
function withPyYamlEscapes(tags: Tags): Tags {
  return tags.map((tag) => (isStrTag(tag) ? escapingStrTag(tag) : tag));
}

function isStrTag(tag: Tags[number]): tag is ScalarTag {
  return typeof tag !== 'string' && tag.tag === 'tag:yaml.org,2002:str' && !('collection' in tag);
}

function escapingStrTag(tag: ScalarTag): ScalarTag {
  const stringifyStr = tag.stringify;
  if (!stringifyStr) return tag;
  return {
    ...tag,
    stringify: (item, ctx, onComment, onChompKeep) =>
      yamlLib().isScalar(item) && typeof item.value === 'string' && PYYAML_SPECIAL.test(item.value)
        ? escapedDoubleQuoted(item.value)
        : stringifyStr.call(tag, item, ctx, onComment, onChompKeep),
  };
}

/** JSON's escapes are YAML double-quoted escapes; JSON leaves DEL, C1, LS, PS and BOM raw. */
function escapedDoubleQuoted(value: string): string {
  return JSON.stringify(value).replace(
    /[\x7f-\x9f\u2028\u2029\ufeff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Code-unit order, as Python sorts `str` keys (identical outside astral characters). */
function compareKeys(a: Pair, b: Pair): number {
  const ka = String(yamlLib().isScalar(a.key) ? a.key.value : a.key);
  const kb = String(yamlLib().isScalar(b.key) ? b.key.value : b.key);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

const STRINGIFY_OPTIONS: DocumentOptions & SchemaOptions & CreateNodeOptions & ToStringOptions = {
  schema: 'yaml-1.1',
  customTags: (tags: Tags) => [numberTag, ...withPyYamlEscapes(tags)],
  indentSeq: false,
  singleQuote: true,
  lineWidth: 0,
  // PyYAML cannot read a block scalar (`|-`) at the top level of a document, as in an attr file.
  blockQuote: false,
  sortMapEntries: compareKeys,
};

/** The text Guild would write for `value` as an attr file. */
export function encodeYaml(value: unknown): string {
  return encodePlain(value) ?? yamlLib().stringify(value, STRINGIFY_OPTIONS);
}

/** Strings this writer handles: printable ASCII, which PyYAML writes plain or single-quoted. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Where PyYAML's `analyze_scalar` forbids a plain scalar in block context. */
const NOT_PLAIN = /^$|^---|^\.\.\.|^ | $|^[#,[\]{}&*!|>'"%@`]|^[?:-](?: |$)|.:(?: |$)| #/;
/** Booleans and nulls of PyYAML's resolver (YAML 1.1): written single-quoted. */
const PYYAML_WORDS =
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$/;
/** Strings the `yaml` library reads as booleans where PyYAML does not: left to the library. */
const YAML_LIB_BOOLEANS = /^[yYnN]$/;
/** A first character with which PyYAML's other resolvers (numbers, timestamps, `<<`, `=`) can match. */
const MAYBE_TYPED = /^[-+.0-9<=~]/;
/**
 * Ids, digests and versions (`3ee8a...`, `0.1.0`) start with a digit, yet no resolver of PyYAML
 * or the `yaml` library reads them as a number or a date: digits, letters and dots only, with a
 * letter (a number has none but an `e` with a sign, or a `0x` prefix: {@link NUMBER_LIKE} comes
 * first) or two dots.
 */
function isDigitWord(value: string): boolean {
  return (
    /^[0-9][0-9A-Za-z._]*$/.test(value) && (/[A-Za-z]/.test(value) || value.indexOf('.') !== value.lastIndexOf('.'))
  );
}
/**
 * A count and its noun (`50 trials`, a batch's label): numbers hold no space, and the only
 * resolver that takes one (a timestamp's time) needs a date, with a `-`, before it.
 */
const COUNT_PHRASE = /^[0-9]+ [A-Za-z]/;
/**
 * A relative or home path (`./train.sh`, the shell's `_` in an environment): no resolver reads
 * a `/` after its first one or two dots, or after a `~`.
 */
const PATH_LIKE = /^(?:\.{1,2}|~)\//;
/** PyYAML's int and float resolvers (YAML 1.1): such a string is written single-quoted. */
const NUMBER_LIKE =
  /^(?:[-+]?0b[01_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+|[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
/** PyYAML folds a scalar with spaces at a space past this column. */
const WIDTH = 80;
/** PyYAML writes a longer key in the `? key` form. */
const MAX_SIMPLE_KEY = 128;

/**
 * Most attrs (flags of numbers and words, argv, env, paths, ids) without the `yaml` library,
 * which every command would otherwise load just to write them (P1, P7 in bench/README.md):
 * scalars, and maps and lists of them, in exactly the text PyYAML's `safe_dump` gives (its
 * tests hold it to PyYAML). Anything else (a string with quotes, a list of maps) is
 * undefined, for the library to write.
 */
export function encodePlain(value: unknown): string | undefined {
  const scalar = plainScalar(value, 0) ?? emptyCollection(value);
  if (scalar !== undefined) return `${scalar}\n`;
  const lines: string[] = [];
  return plainBlock(value, '', lines) ? `${lines.join('\n')}\n` : undefined;
}

/** `value` as a plain or single-quoted scalar that starts at `column`, if it surely is one. */
function plainScalar(value: unknown, column: number): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value !== 'string' || !PRINTABLE_ASCII.test(value) || YAML_LIB_BOOLEANS.test(value)) return undefined;
  let text = value;
  if (NOT_PLAIN.test(value) || PYYAML_WORDS.test(value) || NUMBER_LIKE.test(value)) {
    text = `'${value.replaceAll("'", "''")}'`;
  } else if (MAYBE_TYPED.test(value) && !isDigitWord(value) && !COUNT_PHRASE.test(value) && !PATH_LIKE.test(value)) {
    return undefined;
  }
  return value.includes(' ') && column + text.length > WIDTH ? undefined : text;
}

/** Appends a non-empty list or map as block lines at `indent`; false when it is not plain. */
function plainBlock(value: unknown, indent: string, lines: string[]): boolean {
  if (Array.isArray(value)) {
    if (value.length === 0) return false;
    for (const item of value) {
      const scalar = plainScalar(item, indent.length + 2);
      if (scalar === undefined) return false;
      lines.push(`${indent}- ${scalar}`);
    }
    return true;
  }
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value).sort();
  if (keys.length === 0) return false;
  for (const key of keys) {
    if (key.length >= MAX_SIMPLE_KEY || key.includes(' ') || plainScalar(key, 0) !== key) return false;
    const item = value[key];
    const scalar = plainScalar(item, indent.length + key.length + 2) ?? emptyCollection(item);
    if (scalar !== undefined) {
      lines.push(`${indent}${key}: ${scalar}`);
      continue;
    }
    lines.push(`${indent}${key}:`);
    // Lists in a map are not indented (indentSeq: false); maps in a map are, by two.
    if (!plainBlock(item, Array.isArray(item) ? indent : `${indent}  `, lines)) return false;
  }
  return true;
}

function emptyCollection(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.length === 0 ? '[]' : undefined;
  return isPlainObject(value) && Object.keys(value).length === 0 ? '{}' : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * PyYAML's resolver reads an exponent as a float only with a dot and a signed exponent
 * (`1.0e-07`); `1e5` stays a string there, and so it must here.
 */
const PYYAML_FLOAT_EXP = /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)[eE][-+][0-9]+$/;

function withPyYamlFloatExp(tags: Tags): Tags {
  return tags.map((tag) => (isFloatExpTag(tag) ? { ...tag, test: PYYAML_FLOAT_EXP } : tag));
}

function isFloatExpTag(tag: Tags[number]): tag is ScalarTag {
  return typeof tag !== 'string' && tag.tag === 'tag:yaml.org,2002:float' && tag.format === 'EXP';
}

/**
 * How much attr text is parsed: Guild's attrs are a few levels deep, small and free of aliases,
 * while a hostile file can make a YAML parser run out of stack or memory (100,000 `[` are
 * 200 kB; nine aliases of nine lists each make a billion nodes). A larger flags attr (a config
 * file of tens of thousands of leaves) still fits in the size.
 */
export const YAML_LIMITS = { bytes: 4 * 1024 * 1024, depth: 100, aliases: 100 } as const;

/**
 * Parses attr text as PyYAML's `safe_load` does (YAML 1.1: `yes` is true, `1e5` a string),
 * within {@link YAML_LIMITS}: deeper nesting is refused while the text is still being lexed,
 * before the (recursive) composer sees it. Throws an Error saying which limit or what syntax.
 */
export function decodeYaml(text: string): unknown {
  const { Composer, Lexer, Parser } = yamlLib();
  if (text.length > YAML_LIMITS.bytes) {
    throw new Error(`${text.length} characters, over the limit of ${YAML_LIMITS.bytes} for an attr`);
  }
  const parser = new Parser();
  const tokens = [];
  for (const lexeme of new Lexer().lex(text)) {
    tokens.push(...parser.next(lexeme));
    // The parser's stack holds the document and each collection open at this point.
    if (parser.stack.length > YAML_LIMITS.depth) {
      throw new Error(`nested more than ${YAML_LIMITS.depth} levels deep`);
    }
  }
  tokens.push(...parser.end());
  const docs = [...new Composer({ schema: 'yaml-1.1', customTags: withPyYamlFloatExp }).compose(tokens, true)];
  if (docs.length > 1) throw new Error('more than one YAML document');
  const doc = docs[0];
  if (doc === undefined) return null;
  if (doc.errors.length > 0) throw doc.errors[0];
  return doc.toJS({ maxAliasCount: YAML_LIMITS.aliases });
}

/** A number as PyYAML writes a Python int (when integral) or float. */
function formatNumber(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  if (value === Infinity) return '.inf';
  if (value === -Infinity) return '-.inf';
  if (Number.isInteger(value)) return BigInt(value).toString();
  const repr = pythonFloatRepr(value);
  return repr.includes('.') || !repr.includes('e') ? repr : repr.replace('e', '.0e');
}

/**
 * Python's `repr(float)` for a finite non-integral number: the shortest digits that round-trip
 * (which `toExponential()` also gives), in fixed notation for exponents -4..15, else
 * scientific with a signed exponent of at least two digits (`1e-07`).
 */
function pythonFloatRepr(value: number): string {
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const expSign = exponent < 0 ? '-' : '+';
    return `${sign}${digits[0]}${fraction}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1) || '0';
  return `${sign}${whole}.${fraction}`;
}
