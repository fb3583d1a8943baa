/**
 * R's own verdict on a batch of corpus files: one `Rscript` process parses every original
 * and rewritten source with `parse()` and evaluates every new literal.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Prints tab-separated lines: `P <i> <kind> ok|<error>` per parse, `L <i> <j> <type>
// <value>` per literal (literals arrive as UTF-8 bytes in hex). Doubles go out with 17 significant digits (exact), strings as code
// points, so no rounding, locale or escaping gets between R and the comparison.
const JUDGE = String.raw`
args <- commandArgs(trailingOnly = TRUE)
one_line <- function(text) gsub("[\r\n\t]+", " ", text)
for (line in readLines(args[[1]], encoding = "UTF-8")) {
  f <- strsplit(line, "\t", fixed = TRUE)[[1]]
  verdict <- tryCatch({ parse(f[[3]], keep.source = FALSE, encoding = "UTF-8"); "ok" },
    error = function(e) one_line(conditionMessage(e)))
  cat("P\t", f[[1]], "\t", f[[2]], "\t", verdict, "\n", sep = "")
}
encode <- function(v) {
  if (length(v) != 1) return(c("other", paste("length", length(v))))
  if (is.double(v)) return(c("double", sprintf("%.17g", v)))
  if (is.integer(v)) return(c("integer", as.character(v)))
  if (is.logical(v)) return(c("logical", as.character(v)))
  if (is.character(v)) return(c("character", paste(utf8ToInt(enc2utf8(v)), collapse = ",")))
  c("other", class(v)[[1]])
}
from_hex <- function(hex) {
  if (nchar(hex) == 0) return("")
  text <- rawToChar(as.raw(strtoi(substring(hex, seq(1, nchar(hex), 2), seq(2, nchar(hex), 2)), 16L)))
  Encoding(text) <- "UTF-8"
  text
}
for (line in readLines(args[[2]])) {
  f <- strsplit(line, "\t", fixed = TRUE)[[1]]
  head <- paste0(f[[1]], "\t", f[[2]], "\t")
  text <- from_hex(if (length(f) > 2) f[[3]] else "")
  out <- tryCatch(encode(eval(parse(text = text, keep.source = FALSE)[[1]], baseenv())),
    error = function(e) c("error", one_line(conditionMessage(e))))
  cat("L\t", head, out[[1]], "\t", out[[2]], "\n", sep = "")
}
`;

/** What an item reads as when R printed nothing for it (R died part-way). */
const NO_VERDICT = 'R printed no verdict';

/** The R type each flag type is written as. */
const R_TYPE = { int: 'integer', float: 'double', string: 'character', boolean: 'logical' };

/** An encoded R value as a flag value. @param {string} type @param {string} value @returns {unknown} */
function decode(type, value) {
  switch (type) {
    case 'double':
      return value === 'Inf' ? Infinity : value === '-Inf' ? -Infinity : Number(value);
    case 'integer':
      return Number(value);
    case 'logical':
      return value === 'TRUE' ? true : value === 'FALSE' ? false : null;
    case 'character':
      return value === '' ? '' : String.fromCodePoint(...value.split(',').map(Number));
    default:
      return value;
  }
}

/**
 * R's verdict on each item, as `judgePython` gives Python's. Originals are parsed where
 * they lie (`path`); rewritten texts are written to a temporary directory first.
 * @param {{ path: string, rewritten: string | null, literals: string[] }[]} items
 * @returns {{ source: string | null, rewritten: string | null, literals: { type: string, value: unknown, error?: string }[] }[]}
 */
export function judgeR(items) {
  const dir = mkdtempSync(path.join(tmpdir(), 'gs-corpus-r-'));
  try {
    const files = [];
    const literals = [];
    items.forEach((item, i) => {
      files.push(`${i}\tsource\t${item.path}`);
      if (item.rewritten !== null) {
        const rewritten = path.join(dir, `${i}.R`);
        writeFileSync(rewritten, item.rewritten);
        files.push(`${i}\trewritten\t${rewritten}`);
      }
      // Hex, so literals that span lines or hold tabs stay one line of the list.
      item.literals.forEach((text, j) => {
        literals.push(`${i}\t${j}\t${Buffer.from(text, 'utf8').toString('hex')}`);
      });
    });
    writeFileSync(path.join(dir, 'files.tsv'), `${files.join('\n')}\n`);
    writeFileSync(path.join(dir, 'literals.tsv'), `${literals.join('\n')}\n`);
    writeFileSync(path.join(dir, 'judge.R'), JUDGE);
    const out = execFileSync(
      'Rscript',
      ['--vanilla', path.join(dir, 'judge.R'), path.join(dir, 'files.tsv'), path.join(dir, 'literals.tsv')],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 30,
      },
    );
    return collect(out, items);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * @param {string} out @param {{ rewritten: string | null, literals: string[] }[]} items
 * @returns {{ source: string | null, rewritten: string | null, literals: { type: string, value: unknown, error?: string }[] }[]}
 */
function collect(out, items) {
  /** @type {ReturnType<typeof collect>} */
  const verdicts = items.map((item) => ({
    source: NO_VERDICT,
    rewritten: item.rewritten === null ? null : NO_VERDICT,
    literals: item.literals.map(() => ({ type: 'error', value: undefined, error: NO_VERDICT })),
  }));
  for (const line of out.split('\n')) {
    const fields = line.split('\t');
    if (fields[0] === 'P') verdicts[Number(fields[1])][fields[2]] = fields[3] === 'ok' ? null : fields[3];
    if (fields[0] === 'L') {
      const [, i, j, type, value] = fields;
      verdicts[Number(i)].literals[Number(j)] =
        type === 'error' ? { type, value: undefined, error: value } : { type, value: decode(type, value) };
    }
  }
  return verdicts;
}

/** The R type a literal written for a flag of `flagType` must have. @param {string} flagType */
export function rTypeFor(flagType) {
  return R_TYPE[flagType];
}
