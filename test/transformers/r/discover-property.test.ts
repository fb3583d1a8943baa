/**
 * Discovery checked against R's own parser: random scripts built from statement shapes
 * that stress statement boundaries (line breaks after operators, comments between, `;`,
 * function bodies on the next line, braces), and one Rscript process that lists, for each
 * script, the first top-level assignment of each name when it is a literal.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { r } from '../../../transformers/r/index.js';
import type { FlagSite } from '../../../transformers/types.js';
import { codePoints, doubleBytes, runRBatch } from './rscript.js';

// Mirrors the rules on R's parse tree: top-level `<-`, `=` (and `->`, which R parses as
// `<-`) to a symbol decide a name; `<<-` decides it too but is never a flag.
const REFERENCE = String.raw`
files <- readLines(commandArgs(trailingOnly = TRUE)[[1]], encoding = "UTF-8")
is_op <- function(e, op) identical(e[[1]], as.name(op))
is_literal <- function(v) (is.numeric(v) || is.character(v) || is.logical(v)) && length(v) == 1 && !is.na(v)
for (i in seq_along(files)) {
  seen <- character()
  exprs <- tryCatch(parse(files[[i]], keep.source = FALSE, encoding = "UTF-8"), error = function(err) {
    cat(i, "\t", "parse error", "\n", sep = "")
    NULL
  })
  for (e in exprs) {
    if (!is.call(e) || !(is_op(e, "<-") || is_op(e, "=") || is_op(e, "<<-")) || !is.name(e[[2]])) next
    name <- as.character(e[[2]])
    if (name %in% seen) next
    seen <- c(seen, name)
    rhs <- e[[3]]
    negative <- is.call(rhs) && is_op(rhs, "-") && length(rhs) == 2 && is.numeric(rhs[[2]])
    if (is_op(e, "<<-") || !(is_literal(rhs) || negative)) next
    v <- eval(rhs, baseenv())
    type <- if (is.integer(v)) "int" else if (is.double(v)) "float" else if (is.character(v)) "string" else "boolean"
    value <- if (is.double(v)) paste(as.character(writeBin(v, raw(), endian = "little")), collapse = "")
      else if (is.character(v)) paste(utf8ToInt(v), collapse = ",") else as.character(v)
    cat(i, "\t", name, "\t", type, "\t", value, "\n", sep = "")
  }
}
`;

const names = fc.constantFrom('lr', 'epochs', '.n', '`my var`', 'model');
const literals = fc.constantFrom(
  '0.1',
  '-2',
  '10L',
  '-3L',
  '1e-3',
  '0x1F',
  '0x1FL',
  '7',
  '"a"',
  "'b c'",
  'r"(d"e)"',
  '"t\\tu"',
  'TRUE',
  'FALSE',
  'NULL',
  'NA',
  'c(1, 2)',
  '1 + 1',
  'sqrt(4)',
  '-x',
  'T',
);
let counter = 0;
const fresh = (): string => `tmp${counter++}`;

/** One statement; `{}` stands for a name and `@` for a literal. */
const shapes = fc.constantFrom(
  '{} <- @',
  '{} = @',
  '@ -> {}',
  '{} <-\n  # note <- 1\n  @',
  '{} =\n\n  @',
  '@ ->\n  {}',
  '{} <<- @',
  '@ ->> {}',
  'print({})',
  'if (TRUE) {\n  {} <- @\n}',
  'FN <- function(a = @) {\n  {} <- @\n}',
  'FN <- function(x)\n  {} <- @',
  'FN <- \\(x)\n  {} <- @',
  'FN <- 1 +\n  2',
  'FN <- list({} = @)',
  'for (i in 1:2) {\n  {} <- @\n}',
);

const statement = fc
  .tuple(shapes, names, literals, literals)
  .map(([shape, name, a, b]) =>
    shape.replace(/FN/g, fresh()).replace('{}', name).replace('@', a).replace('@', b).replace('{}', name),
  );
const separator = fc.constantFrom(
  '\n',
  '\n\n',
  '; ',
  '\r\n',
  '  # trailing; x <- 2\n',
  '\n# a comment\n',
  '\n\n#| description: d\n',
);
const script = fc
  .array(fc.tuple(statement, separator), { minLength: 1, maxLength: 10 })
  .map((parts) => parts.map(([text, sep]) => text + sep).join(''));

function encode(flag: FlagSite): string[] {
  const value = flag.default;
  const text =
    flag.type === 'float'
      ? doubleBytes(value as number)
      : flag.type === 'string'
        ? codePoints(value as string)
        : flag.type === 'boolean'
          ? String(value).toUpperCase()
          : String(value);
  return [flag.name, flag.type, text];
}

describe('R discovery against the R parser', () => {
  it('finds exactly the flags R sees as first top-level literal assignments', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(script, { minLength: 200, maxLength: 200 }), async (scripts) => {
        const fromR = await runRBatch(REFERENCE, scripts);
        const mismatches = scripts.flatMap((source, i) => {
          const ours = r.discover(source, 'train.R').map(encode);
          return JSON.stringify(ours) === JSON.stringify(fromR[i]) ? [] : [{ source, ours, fromR: fromR[i] }];
        });
        expect(mismatches).toEqual([]);
      }),
      { numRuns: 1, endOnFailure: true },
    );
  });
});
