/**
 * Reading R values back with the real `Rscript`: one R process parses a whole batch of
 * files, so property tests pay for R's start-up once.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { makeTempDir } from '../../helpers/fs.js';

/** What R made of the first top-level assignment to `v`: its type and an exact encoding. */
export interface RValue {
  /** `double`, `integer`, `logical`, `character`, or `error`/`missing` when there is none. */
  type: string;
  /** Doubles: the 8 bytes little-endian in hex; strings: code points joined by commas. */
  value: string;
}

// Prints one line per file: index, type, exact value. Doubles go out as raw bytes and
// strings as code points, so no rounding, locale or escaping gets between R and the test.
const READ_V = String.raw`
files <- readLines(commandArgs(trailingOnly = TRUE)[[1]], encoding = "UTF-8")
is_assign <- function(e) is.call(e) && (identical(e[[1]], as.name("<-")) || identical(e[[1]], as.name("=")))
for (i in seq_along(files)) {
  out <- tryCatch({
    exprs <- parse(files[[i]], keep.source = FALSE, encoding = "UTF-8")
    found <- Filter(function(e) is_assign(e) && identical(e[[2]], as.name("v")), as.list(exprs))
    if (length(found) == 0) "missing\t" else {
      v <- eval(found[[1]][[3]], baseenv())
      if (is.double(v)) paste0("double\t", paste(as.character(writeBin(v, raw(), endian = "little")), collapse = ""))
      else if (is.integer(v)) paste0("integer\t", v)
      else if (is.logical(v)) paste0("logical\t", v)
      else if (is.character(v)) paste0("character\t", paste(utf8ToInt(v), collapse = ","))
      else paste0("other\t", class(v)[1])
    }
  }, error = function(err) paste0("error\t", gsub("[\r\n\t]", " ", conditionMessage(err))))
  cat(i, "\t", out, "\n", sep = "")
}
`;

/**
 * Writes each source to its own file and runs `script` once with the list of files as its
 * argument. The script prints tab-separated lines starting with the 1-based file index;
 * they come back grouped by file, index removed.
 */
export async function runRBatch(script: string, sources: readonly string[]): Promise<string[][][]> {
  const dir = await makeTempDir('gs-r-batch-');
  const files = sources.map((_, i) => path.join(dir, `case-${i}.R`));
  await Promise.all(sources.map((source, i) => writeFile(files[i]!, source)));
  await writeFile(path.join(dir, 'files.txt'), `${files.join('\n')}\n`);
  await writeFile(path.join(dir, 'script.R'), script);
  const { stdout } = await execa('Rscript', ['--vanilla', path.join(dir, 'script.R'), path.join(dir, 'files.txt')]);
  const out: string[][][] = sources.map(() => []);
  for (const line of stdout.split('\n')) {
    const [index, ...fields] = line.split('\t');
    if (index) out[Number(index) - 1]!.push(fields);
  }
  return out;
}

/** What R reads as `v` in each source, in order. */
export async function readVWithR(sources: readonly string[]): Promise<RValue[]> {
  const lines = await runRBatch(READ_V, sources);
  return lines.map(([[type = '', value = ''] = []]) => ({ type, value }));
}

/** The little-endian hex bytes R prints for a double. */
export function doubleBytes(value: number): string {
  return Buffer.from(new Float64Array([value]).buffer).toString('hex');
}

/** A double from the bytes R printed. */
export function fromDoubleBytes(hex: string): number {
  return new Float64Array(new Uint8Array(Buffer.from(hex, 'hex')).buffer)[0]!;
}

/** Code points joined by commas, as R's `utf8ToInt` gives them. */
export function codePoints(value: string): string {
  return Array.from(value, (char) => char.codePointAt(0)).join(',');
}
