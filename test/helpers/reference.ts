/**
 * The reference clients of /work/shared/reference, found through `GUILD_STAGE_REFERENCE`:
 * `tfevents_read.py` (an independent event-file reader) and Guild AI itself (`guild.sh`).
 * Tests that need them skip when the variable is unset, with {@link REFERENCE_SKIP} in their name.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';

/** The reference directory, or undefined when `GUILD_STAGE_REFERENCE` is unset. */
export const REFERENCE = process.env.GUILD_STAGE_REFERENCE || undefined;

/** Appended to the name of a describe that needs the reference, so a skip says why. */
export const REFERENCE_SKIP = REFERENCE ? '' : ' [skipped: GUILD_STAGE_REFERENCE (the reference dir) is unset]';

if (REFERENCE && !existsSync(path.join(REFERENCE, 'tfevents_read.py'))) {
  throw new Error(`GUILD_STAGE_REFERENCE=${REFERENCE} has no tfevents_read.py`);
}

/** One line of tfevents_read.py: `tag<TAB>step<TAB>repr(value)`, decoded. */
export interface ReferenceScalar {
  tag: string;
  step: number;
  value: number;
}

/** Python's `repr` of a float, as a number. */
export function parsePyFloat(text: string): number {
  if (text === 'nan') return Number.NaN;
  if (text === 'inf') return Number.POSITIVE_INFINITY;
  if (text === '-inf') return Number.NEGATIVE_INFINITY;
  const value = Number(text);
  if (Number.isNaN(value)) throw new Error(`not a Python float: ${text}`);
  return value;
}

/** Runs tfevents_read.py on files or directories: its exit code, scalars and stderr. */
export async function referenceRead(
  ...targets: string[]
): Promise<{ exitCode: number; scalars: ReferenceScalar[]; stderr: string }> {
  const result = await execa('python3', [path.join(REFERENCE!, 'tfevents_read.py'), ...targets], { reject: false });
  const scalars = result.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [tag, step, value] = line.split('\t');
      // It prints the int64 step as unsigned.
      return { tag: tag!, step: Number(BigInt.asIntN(64, BigInt(step!))), value: parsePyFloat(value!) };
    });
  return { exitCode: result.exitCode ?? -1, scalars, stderr: result.stderr };
}

/** Runs Guild AI 0.9.1 (`guild.sh`) with `GUILD_HOME`. */
export async function guild(guildHome: string, ...args: string[]): Promise<string> {
  const result = await execa(path.join(REFERENCE!, 'guild.sh'), args, {
    env: { GUILD_HOME: guildHome },
    reject: false,
  });
  if (result.exitCode !== 0) {
    throw new Error(`guild ${args.join(' ')} exited ${result.exitCode}:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/** The rows of a CSV with a header line and no quoted commas, as records by column name. */
export function parseSimpleCsv(text: string): Record<string, string>[] {
  const [header, ...rows] = text.trim().split(/\r?\n/);
  const names = header!.split(',');
  return rows.map((row) => {
    const cells = row.split(',');
    return Object.fromEntries(names.map((name, i) => [name, cells[i] ?? '']));
  });
}
