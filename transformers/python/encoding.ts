/**
 * A Python script's source encoding (PEP 263), and reading and writing its bytes in it.
 *
 * Python decodes a script with the codec its coding cookie names, so a value written for a
 * UTF-8 reading could read as code under another codec (`+ACI-` is `"` in utf-7; in
 * shift_jis a lead byte swallows the `\` of an escaped quote). guild-stage therefore writes
 * only into encodings where that cannot happen, and refuses the rest:
 *
 * - UTF-8 (the default, with or without a BOM): read and written as UTF-8, as before.
 * - ASCII and the ASCII-transparent single-byte codecs (latin-1, iso8859-*, cp125x, koi8,
 *   mac-roman, DOS code pages): every byte is one character and every ASCII byte is itself,
 *   so the file is read byte for byte (each byte as the character of its latin-1 reading) and
 *   written back byte for byte, and a new literal is pure ASCII (`\xe9`, `\u20ac`): ASCII
 *   means the same in all of them. Only latin-1's reading of a non-ASCII byte is also the
 *   character Python sees; in the others a default holding non-ASCII text is shown as its
 *   latin-1 reading (Node has no trustworthy tables for them: its TextDecoder reads
 *   windows-1252 as latin-1).
 * - Refused: codecs that remap ASCII (utf-7), that are not ASCII-compatible (utf-16/32),
 *   that turn backslash escapes into characters (unicode_escape), multibyte codecs (a trail
 *   byte can be `\` or a quote, so even the file's own text would lex differently), and any
 *   name not known here.
 */
import { isUtf8 } from 'node:buffer';
import { TransformError } from '../errors.js';
import type { TextEncoding } from '../types.js';

/** How guild-stage reads and writes a file of a given codec. */
export type CodecHandling = 'utf-8' | 'ascii' | 'single-byte';

/** A script's declared encoding as Python resolves it. */
export interface SourceEncoding {
  /** The codec name as the cookie wrote it, or `utf-8` when there is none. */
  declared: string;
  handling: CodecHandling;
}

// tokenize.py's cookie_re and blank_re; Python also ends a line at a lone CR here.
const COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
const BLANK = /^[ \t\f]*(?:#|$)/;

/** The codec name a coding cookie on line 1 or 2 names (line 2 only after a blank or comment line), or null. */
export function codingCookie(head: string): string | null {
  const [first = '', second = ''] = head.split(/\r\n|\r|\n/, 2);
  const match = COOKIE.exec(first) ?? (BLANK.test(first) ? COOKIE.exec(second) : null);
  return match ? match[1]! : null;
}

/** Python's tokenizer names `utf-8-*` and `latin-1-*` spellings itself before asking `codecs`. */
function tokenizerName(name: string): string {
  const lower = name.slice(0, 12).toLowerCase().replace(/_/g, '-');
  if (lower === 'utf-8' || lower.startsWith('utf-8-')) return 'utf-8';
  for (const latin of ['latin-1', 'iso-8859-1', 'iso-latin-1']) {
    if (lower === latin || lower.startsWith(`${latin}-`)) return 'iso-8859-1';
  }
  return name;
}

/** `encodings.normalize_encoding`, lower-cased: runs of anything but letters, digits and `.` become `_`. */
function normalize(name: string): string {
  return name
    .toLowerCase()
    .split(/[^a-z0-9.]+/)
    .filter(Boolean)
    .join('_');
}

const SINGLE_BYTE = [
  // latin-1 and the ISO 8859 family
  'iso8859_1 latin_1 latin1 latin l1 8859 cp819 iso_8859_1 iso_ir_100 csisolatin1 ibm819',
  'iso8859_2 iso_8859_2 latin2 l2',
  'iso8859_3 iso_8859_3 latin3 l3',
  'iso8859_4 iso_8859_4 latin4 l4',
  'iso8859_5 iso_8859_5 cyrillic',
  'iso8859_6 iso_8859_6 arabic',
  'iso8859_7 iso_8859_7 greek greek8',
  'iso8859_8 iso_8859_8 hebrew',
  'iso8859_9 iso_8859_9 latin5 l5',
  'iso8859_10 iso_8859_10 latin6 l6',
  'iso8859_11 iso_8859_11 thai',
  'iso8859_13 iso_8859_13 latin7 l7',
  'iso8859_14 iso_8859_14 latin8 l8',
  'iso8859_15 iso_8859_15 latin9 l9',
  'iso8859_16 iso_8859_16 latin10 l10',
  // Windows code pages
  'cp1250 windows_1250 cp1251 windows_1251 cp1252 windows_1252 cp1253 windows_1253 cp1254 windows_1254',
  'cp1255 windows_1255 cp1256 windows_1256 cp1257 windows_1257 cp1258 windows_1258 cp874',
  // KOI8, Mac, DOS
  'koi8_r koi8_u mac_roman macroman macintosh mac_cyrillic mac_greek mac_latin2 mac_turkish mac_iceland',
  'cp437 437 ibm437 cp850 850 ibm850 cp852 852 ibm852 cp855 cp857 cp858 cp860 cp861 cp862 cp863 cp865 cp866 866 ibm866 cp869',
];

const REFUSED: ReadonlyArray<[string, string]> = [
  ['utf_7 utf7 u7 unicode_1_1_utf_7', 'it reads ASCII bytes as other characters (+ACI- is ")'],
  [
    'utf_16 utf16 u16 utf_16_le utf_16le utf_16_be utf_16be utf_32 utf32 u32 utf_32_le utf_32le utf_32_be utf_32be',
    'it is not ASCII-compatible',
  ],
  ['unicode_escape raw_unicode_escape', 'it turns backslash escapes in the file into characters'],
  [
    'shift_jis sjis s_jis cp932 ms932 mskanji ms_kanji shift_jis_2004 shift_jisx0213 euc_jp eucjp ujis euc_jis_2004 euc_jisx0213 euc_kr euckr cp949 uhc johab gbk gb2312 euc_cn eucgb2312_cn gb18030 hz big5 big5_tw big5hkscs cp950 ms950',
    'it is a multibyte encoding whose second bytes can be a backslash or a quote',
  ],
];

const HANDLING = new Map<string, CodecHandling | string>();
for (const name of 'utf_8 utf8 u8 utf utf8_ucs2 utf8_ucs4 cp65001'.split(' ')) HANDLING.set(name, 'utf-8');
for (const name of 'ascii us_ascii us 646 iso646_us ansi_x3.4_1968 ansi_x3_4_1968 cp367 csascii ibm367 iso_ir_6'.split(
  ' ',
)) {
  HANDLING.set(name, 'ascii');
}
for (const line of SINGLE_BYTE) for (const name of line.split(' ')) HANDLING.set(name, 'single-byte');
for (const [names, reason] of REFUSED) for (const name of names.split(' ')) HANDLING.set(name, reason);

/**
 * How guild-stage handles the codec `name` names: a `CodecHandling`, or the reason it
 * refuses it. ISO-2022 codecs are refused by their family name.
 */
export function codecHandling(name: string): CodecHandling | string {
  const norm = normalize(tokenizerName(name));
  const known = HANDLING.get(norm) ?? HANDLING.get(norm.replace(/\./g, '_'));
  if (known !== undefined) return known;
  if (/^(iso_?2022|csiso2022)/.test(norm))
    return 'it switches character sets with escape sequences made of ASCII bytes';
  return 'guild-stage writes only into UTF-8, ASCII and ASCII-transparent single-byte encodings';
}

const BOM = [0xef, 0xbb, 0xbf];

/** A codec guild-stage will not write into. */
function refuse(file: string, message: string): never {
  throw new TransformError('encoding', `${file} ${message}`, {
    file,
    suggestion: 'save the script as UTF-8 and remove its coding line',
  });
}

/** Bytes Python itself could not decode. */
function undecodable(file: string, message: string): never {
  throw new TransformError('source', `${file} ${message}`, { file });
}

/** The encoding Python reads `bytes` in, checked against what guild-stage can write into. */
export function sourceEncoding(bytes: Uint8Array, file: string): SourceEncoding {
  const bom = BOM.every((byte, i) => bytes[i] === byte);
  // The cookie is ASCII, so the latin-1 reading of the first lines finds it whatever the codec.
  const head = Buffer.from(bytes.subarray(bom ? 3 : 0, 1024)).toString('latin1');
  const declared = codingCookie(head);
  if (declared === null) return { declared: 'utf-8', handling: 'utf-8' };
  const handling = codecHandling(declared);
  if (bom && handling !== 'utf-8')
    refuse(file, `declares source encoding ${declared} after a UTF-8 BOM, which Python refuses`);
  if (handling !== 'utf-8' && handling !== 'ascii' && handling !== 'single-byte') {
    refuse(file, `declares source encoding ${declared}, which guild-stage refuses: ${handling}`);
  }
  return { declared, handling };
}

/** Whether a flag value written into `source` must be pure ASCII: its cookie names a codec other than UTF-8. */
export function needsAsciiValues(source: string): boolean {
  const declared = codingCookie(source.replace(/^\ufeff/, '').slice(0, 1024));
  return declared !== null && codecHandling(declared) !== 'utf-8';
}

/** The text of a script's bytes, as the transformer reads it (see the module comment). */
export function decodePython(bytes: Uint8Array, file: string): string {
  const { declared, handling } = sourceEncoding(bytes, file);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (handling === 'single-byte') return buffer.toString('latin1');
  if (handling === 'ascii') {
    if (buffer.some((byte) => byte > 0x7f))
      undecodable(file, `declares source encoding ${declared} but holds non-ASCII bytes`);
    return buffer.toString('latin1');
  }
  if (!isUtf8(buffer)) undecodable(file, 'is not valid UTF-8 text');
  return buffer.toString('utf8');
}

/** The encoding a script's text is written in: the inverse of `decodePython`. */
export function pythonEncoding(text: string, file: string): TextEncoding {
  const declared = codingCookie(text.replace(/^\ufeff/, '').slice(0, 1024));
  const handling = declared === null ? 'utf-8' : codecHandling(declared);
  if (handling === 'utf-8') return 'utf8';
  if (handling !== 'ascii' && handling !== 'single-byte') {
    refuse(file, `declares source encoding ${declared}, which guild-stage refuses: ${handling}`);
  }
  // Every character came from one byte, or from a rendered value, which is ASCII here.
  const wide = /[^\0-\xff]/.exec(text);
  if (wide)
    undecodable(file, `cannot write U+${wide[0].codePointAt(0)!.toString(16)} in its declared single-byte encoding`);
  return 'latin1';
}
