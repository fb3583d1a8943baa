/**
 * A small RFC 4180 reader: comma-separated fields, `"` quoting with `""` for a quote,
 * quoted fields that span lines, LF or CRLF line ends. Each record keeps the line it starts
 * on, so errors can point at it.
 */

/** One field; `quoted` tells `""` (an empty string) from nothing at all. */
export interface CsvField {
  text: string;
  quoted: boolean;
  /** The 1-based line and the offset in the text where the field starts, for messages. */
  line: number;
  offset: number;
}

export interface CsvRecord {
  /** 1-based line where the record starts. */
  line: number;
  fields: CsvField[];
}

/** Why the text is not CSV, and where the trouble is: its line and its offset in the text. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

/** Parses CSV text into records; blank lines between records are skipped. */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = 1;
  let pos = 0;
  while (pos < text.length) {
    const start = line;
    const fields: CsvField[] = [];
    for (;;) {
      const field = readField(text, pos, line);
      fields.push({ ...field.field, line, offset: pos });
      pos = field.end;
      line = field.line;
      if (text[pos] !== ',') break;
      pos++;
    }
    pos = skipLineEnd(text, pos);
    line++;
    const blank = fields.length === 1 && !fields[0]!.quoted && fields[0]!.text === '';
    if (!blank) records.push({ line: start, fields });
  }
  return records;
}

function skipLineEnd(text: string, pos: number): number {
  if (text.startsWith('\r\n', pos)) return pos + 2;
  return pos + 1;
}

interface FieldRead {
  field: Pick<CsvField, 'text' | 'quoted'>;
  /** Index just past the field: a comma, a line end, or the end of the text. */
  end: number;
  /** The line `end` is on. */
  line: number;
}

function readField(text: string, pos: number, line: number): FieldRead {
  if (text[pos] !== '"') {
    let end = pos;
    while (end < text.length && text[end] !== ',' && text[end] !== '\n' && !text.startsWith('\r\n', end)) end++;
    return { field: { text: text.slice(pos, end), quoted: false }, end, line };
  }
  let value = '';
  let i = pos + 1;
  let current = line;
  for (;;) {
    const close = text.indexOf('"', i);
    if (close < 0) throw new CsvSyntaxError('a quoted field is never closed', line, pos);
    const chunk = text.slice(i, close);
    value += chunk;
    current += chunk.split('\n').length - 1;
    if (text[close + 1] === '"') {
      value += '"';
      i = close + 2;
      continue;
    }
    const end = close + 1;
    if (end < text.length && text[end] !== ',' && text[end] !== '\n' && !text.startsWith('\r\n', end)) {
      throw new CsvSyntaxError('text after the closing quote of a field', current, end);
    }
    return { field: { text: value, quoted: true }, end, line: current };
  }
}
