/**
 * Trials from a file (`--trials trials.csv|trials.json`): one row per trial, flag values as
 * the raw text a user would type, decoded per flag later like any `--flags` value.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GuildStageError, messageOf } from '../errors.js';
import { isValidFlagName } from '../flags/parse.js';
import { CsvSyntaxError, parseCsv } from './csv.js';

type Row = Record<string, string>;

function bad(file: string, message: string, line?: number): GuildStageError {
  return new GuildStageError('USAGE', `${line === undefined ? file : `${file}:${line}`}: ${message}`, { file, line });
}

/**
 * Trials from a CSV (header row = flag names; RFC 4180 quoting) or JSON file (an array of
 * objects). In a CSV, an empty unquoted cell leaves that flag unset for the row (the
 * `--flags` value or the script's default applies) while `""` sets an empty string. JSON
 * numbers, booleans and null become the text a user would type (`0.1`, `true`, `null`);
 * arrays become a YAML flow list (`[1, 2]`). Errors name the file and the row.
 */
export async function readTrialsFile(file: string): Promise<Row[]> {
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
  const rows = ext === '.csv' ? csvRows(file, text.replace(/^\uFEFF/, '')) : jsonRows(file, text);
  if (rows.length === 0) throw bad(file, 'the trials file has no trials');
  return rows;
}

function checkName(file: string, name: string, where: string, line?: number): void {
  if (!isValidFlagName(name)) throw bad(file, `${where}: '${name}' is not a valid flag name`, line);
}

function csvRows(file: string, text: string): Row[] {
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw bad(file, error.message, error.line);
    throw error;
  }
  const [header, ...body] = records;
  if (!header) return [];
  const names = header.fields.map((field) => field.text.trim());
  const seen = new Set<string>();
  for (const name of names) {
    checkName(file, name, 'header', header.line);
    if (seen.has(name)) throw bad(file, `header: flag ${name} appears twice`, header.line);
    seen.add(name);
  }
  return body.map((record, i) => {
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
}

/** JSON.parse reports a character offset; a line is what an editor can jump to. */
function lineOfParseError(text: string, error: unknown): number | undefined {
  const match = /position (\d+)/.exec(messageOf(error));
  return match ? text.slice(0, Number(match[1])).split('\n').length : undefined;
}

function jsonRows(file: string, text: string): Row[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw bad(file, `not valid JSON: ${messageOf(error)}`, lineOfParseError(text, error));
  }
  if (!Array.isArray(data)) throw bad(file, 'expected an array of objects, one per trial');
  return data.map((item: unknown, i) => {
    const where = `row ${i + 1}`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw bad(file, `${where} is not an object`);
    return Object.fromEntries(
      Object.entries(item).map(([name, value]) => {
        checkName(file, name, where);
        return [
          name,
          rawText(value, () => bad(file, `${where}: flag ${name} has an object value; use a list or a string`)),
        ];
      }),
    );
  });
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
