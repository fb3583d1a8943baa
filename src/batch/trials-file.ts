/**
 * Trials from a file (`--trials trials.csv|trials.json`): one row per trial, flag values as
 * the raw text a user would type, decoded per flag later like any `--flags` value.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GuildStageError, messageOf } from '../errors.js';
import { isValidFlagName } from '../flags/parse.js';
import { yamlLib } from '../../transformers/shared/yaml-lib.js';
import { CsvSyntaxError, parseCsv } from './csv.js';

type Row = Record<string, string>;

/** Where something is in a text: 1-based line and column (in characters). */
interface Place {
  line: number;
  column: number;
}

/** A trials file's rows, and where each row sets each flag, for messages about its values. */
export interface TrialsFile {
  file: string;
  rows: Row[];
  /** Where row `index` (0-based) sets flag `name`, when it can be told. */
  cellAt(index: number, name: string): Place | undefined;
}

function placeOf(text: string, offset: number): Place {
  const lineStart = offset === 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return { line, column: offset - lineStart + 1 };
}

/**
 * `error`, about the value row `index` of `trials` gives flag `name`, as an error naming the
 * file, line and column of that cell, the row and the flag.
 */
export function cellError(trials: TrialsFile, index: number, name: string, error: GuildStageError): GuildStageError {
  const place = trials.cellAt(index, name);
  const where = place ? `${trials.file}:${place.line}:${place.column}` : trials.file;
  return new GuildStageError(error.code, `${where}: row ${index + 1}, flag ${name}: ${error.message}`, {
    file: trials.file,
    line: place?.line,
    suggestion: error.suggestion,
    cause: error,
  });
}

function bad(file: string, message: string, place?: Place | number): GuildStageError {
  const at = typeof place === 'number' ? { line: place, column: undefined } : place;
  const where = at === undefined ? file : `${file}:${at.line}${at.column === undefined ? '' : `:${at.column}`}`;
  return new GuildStageError('USAGE', `${where}: ${message}`, { file, line: at?.line });
}

/**
 * Trials from a CSV (header row = flag names; RFC 4180 quoting) or JSON file (an array of
 * objects). In a CSV, an empty unquoted cell leaves that flag unset for the row (the
 * `--flags` value or the script's default applies) while `""` sets an empty string. JSON
 * numbers, booleans and null become the text a user would type (`0.1`, `true`, `null`);
 * arrays become a YAML flow list (`[1, 2]`). Errors name the file, the line and column, and the row.
 */
export async function readTrialsFile(file: string): Promise<TrialsFile> {
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.csv' && ext !== '.json') throw bad(file, 'a trials file must be .csv or .json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new GuildStageError(missing ? 'NOT_FOUND' : 'USAGE', `cannot read trials file ${file}: ${messageOf(error)}`, {
      file,
    });
  }
  const trials = ext === '.csv' ? csvRows(file, text.replace(/^\uFEFF/, '')) : jsonRows(file, text);
  if (trials.rows.length === 0) throw bad(file, 'the trials file has no trials');
  return trials;
}

function checkName(file: string, name: string, where: string, place?: Place): void {
  if (!isValidFlagName(name)) throw bad(file, `${where}: '${name}' is not a valid flag name`, place);
}

function csvRows(file: string, text: string): TrialsFile {
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw bad(file, error.message, placeOf(text, error.offset));
    throw error;
  }
  const [header, ...body] = records;
  if (!header) return { file, rows: [], cellAt: () => undefined };
  const names = header.fields.map((field) => field.text.trim());
  const seen = new Set<string>();
  for (const [k, name] of names.entries()) {
    const place = placeOf(text, header.fields[k]!.offset);
    checkName(file, name, `header, column ${k + 1}`, place);
    if (seen.has(name)) throw bad(file, `header, column ${k + 1}: flag ${name} appears twice`, place);
    seen.add(name);
  }
  const rows = body.map((record, i) => {
    if (record.fields.length !== names.length) {
      throw bad(
        file,
        `row ${i + 1} has ${record.fields.length} cells but the header names ${names.length} flags`,
        record.line,
      );
    }
    const set = names.map((name, k) => [name, record.fields[k]!] as const).filter(([, f]) => f.quoted || f.text !== '');
    return Object.fromEntries(set.map(([name, field]) => [name, field.text]));
  });
  const cellAt = (index: number, name: string): Place | undefined => {
    const field = body[index]?.fields[names.indexOf(name)];
    return field && placeOf(text, field.offset);
  };
  return { file, rows, cellAt };
}

/** JSON.parse reports a character offset; a line and column is what an editor can jump to. */
function placeOfParseError(text: string, error: unknown): Place | undefined {
  const match = /position (\d+)/.exec(messageOf(error));
  return match ? placeOf(text, Number(match[1])) : undefined;
}

/**
 * Where a JSON trials file's row `index` holds `name` (its key or its value; the row, without
 * `name`), by the offsets YAML's parser keeps: JSON is YAML, and JSON.parse keeps none.
 * Read only for a message, so only a file with a bad row pays for it.
 */
function jsonPlace(text: string, index: number, name?: string, part: 'key' | 'value' = 'value'): Place | undefined {
  const { isMap, isSeq, parseDocument } = yamlLib();
  const rows = parseDocument(text).contents;
  const row = isSeq(rows) ? rows.items[index] : undefined;
  const rowStart = (row as { range?: number[] } | undefined)?.range?.[0];
  if (name === undefined || !isMap(row)) return rowStart === undefined ? undefined : placeOf(text, rowStart);
  const pair = row.items.find((item) => (item.key as { value?: unknown } | null)?.value === name);
  const start = (pair?.[part] as { range?: number[] } | null | undefined)?.range?.[0];
  return start === undefined ? undefined : placeOf(text, start);
}

function jsonRows(file: string, text: string): TrialsFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw bad(file, `not valid JSON: ${messageOf(error)}`, placeOfParseError(text, error));
  }
  if (!Array.isArray(data)) throw bad(file, 'expected an array of objects, one per trial');
  const rows = data.map((item: unknown, i) => {
    const where = `row ${i + 1}`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw bad(file, `${where} is not an object`, jsonPlace(text, i));
    }
    return Object.fromEntries(
      Object.entries(item).map(([name, value]) => {
        checkName(file, name, where, jsonPlace(text, i, name, 'key'));
        const objectValue = () =>
          bad(file, `${where}: flag ${name} has an object value; use a list or a string`, jsonPlace(text, i, name));
        return [name, rawText(value, objectValue)];
      }),
    );
  });
  return { file, rows, cellAt: (index, name) => jsonPlace(text, index, name) };
}

/** A JSON value as a user would type it on the command line. */
function rawText(value: unknown, objectError: () => GuildStageError): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map((item) => flowItem(item, objectError)).join(', ')}]`;
  if (value !== null && typeof value === 'object') throw objectError();
  return String(value);
}

/** Strings inside a list are JSON-quoted, which YAML reads back as the same string. */
function flowItem(value: unknown, objectError: () => GuildStageError): string {
  return typeof value === 'string' ? JSON.stringify(value) : rawText(value, objectError);
}
