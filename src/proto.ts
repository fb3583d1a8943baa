/**
 * A new run from another run's script and flags (`run --proto RUN`, Guild issue #419): the
 * proto's flags are given again as `--flags` items, the caller's after them, so the caller's
 * win. What the new run ends up with is checked against the proto, so a value that would not
 * read back the same (a type changed in the script since) is refused, never recorded as the
 * proto's.
 */
import path from 'node:path';
import type { FlagValue } from '../transformers/types.js';
import { GuildStageError } from './errors.js';
import { assignmentsOf } from './plan.js';
import type { RunRecord } from './records/read-run.js';

/** What a new run records and checks of its proto run. */
export interface ProtoRef {
  id: string;
  /** The proto's flags, typed as recorded. */
  flags: Record<string, FlagValue>;
  /** The names the caller gave values of their own (as typed). */
  given: string[];
}

/**
 * The options of a new run from `run`: its script and project, its flags as `--flags` items
 * with `flags` (the caller's) after them, and the proto to record and check against. A batch
 * run or a run without an opref is refused.
 */
export function protoOptions(
  run: RunRecord,
  flags: readonly string[] = [],
): { script: string; projectDir: string; flags: string[]; proto: ProtoRef } {
  const short = run.id.slice(0, 8);
  if (run.batch?.role === 'batch') {
    const first = run.batch.trials[0]?.slice(0, 8);
    throw new GuildStageError('USAGE', `--proto ${short}: run ${short} is a batch; give one of its trials`, {
      suggestion: first && `--proto ${first}`,
    });
  }
  if (run.opspec === '' || run.projectDir === '') {
    throw new GuildStageError('USAGE', `--proto ${short}: run ${short} does not record the script it ran (no opref)`);
  }
  const given = assignmentsOf(flags).map(({ name }) => name);
  return {
    script: path.join(run.projectDir, run.opspec),
    projectDir: run.projectDir,
    flags: [...Object.entries(run.flags).map(([name, value]) => `${name}=${flagText(value)}`), ...flags],
    proto: { id: run.id, flags: run.flags, given },
  };
}

/**
 * A value as one types it after `--flags`, read back to the same value by its flag's type. A
 * list keeps a space inside its brackets, so it is one list value and never a batch's grid.
 */
export function flagText(value: FlagValue): string {
  if (Array.isArray(value)) return value.length === 0 ? '[ ]' : `[ ${value.map(itemText).join(', ')} ]`;
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  }
  return String(value);
}

function itemText(value: FlagValue): string {
  return typeof value === 'string' ? JSON.stringify(value) : flagText(value);
}

/**
 * Refuses a run whose flags do not carry the proto's values where the caller gave none of
 * their own (`batch-size` and `batch_size` alike).
 */
export function checkProtoFlags(proto: ProtoRef, flags: Record<string, FlagValue>): void {
  const overridden = new Set(proto.given.map(canonical));
  for (const [name, value] of Object.entries(proto.flags)) {
    if (overridden.has(canonical(name))) continue;
    if (!sameValue(flags[name], value)) {
      throw new GuildStageError(
        'FLAG',
        `--proto ${proto.id.slice(0, 8)}: flag ${name} was ${JSON.stringify(value)} there and would be ${JSON.stringify(flags[name] ?? null)} here`,
        { suggestion: `give ${name} with --flags` },
      );
    }
  }
}

function canonical(name: string): string {
  return name.replaceAll('-', '_');
}

function sameValue(a: FlagValue | undefined, b: FlagValue): boolean {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => sameValue(item, b[i]!));
  return Object.is(a, b) || a === b;
}
