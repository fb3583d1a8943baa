/**
 * `apply`: a run's flag rewrite and `onRunStaged` plugins, applied in place to a directory
 * another tool prepared (Guild's run directory, a CI job's checkout copy, a Make build dir),
 * with no run directory and no records of its own.
 *
 * It goes the way staging goes, on a scratch copy: plan (prepareRun) -> copy the source ->
 * the flags plugin and onRunStaged through StagedSource -> the staged diff (editStagedCopy).
 * Only then is the directory touched, by `commitEdits`: all the changed files or none.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FlagValue } from '../../transformers/types.js';
import { fsReason, GuildStageError } from '../errors.js';
import type { ChangedFile, EngineOptions, FlagEdit } from '../options.js';
import type { PlanInput } from '../plan.js';
import { writeFileAtomic } from '../records/files.js';
import { runFile } from '../records/layout.js';
import { newRunId } from '../records/run-id.js';
import { defaultLabel, Run } from '../run.js';
import { builtinsFor, driverFor, editStagedCopy, openSource, prepareRun, withRunStop } from '../runner.js';
import { commandFor } from '../script-command.js';
import { copySource } from '../stage/copy.js';
import type { SourceRules } from '../stage/select.js';
import { describeSkip } from '../stage/skipped.js';
import { commitEdits, type FileEdit } from './commit.js';
import { guardCheckout, guardUncommitted } from './guard.js';

export interface ApplyFlagsOptions
  extends Omit<EngineOptions, 'runsDir'>,
    Pick<PlanInput, 'flags' | 'mode' | 'flagsDest'> {
  /** The directory to edit in place; relative to `cwd`; default `cwd`. */
  dir?: string;
  /** The script, a path inside `dir` (relative to it). */
  script: string;
  /** Which files of `dir` the plugins see, as for staging. */
  source?: SourceRules;
  /** Validate the flags and compute the patch, and write nothing. */
  check?: boolean;
  /** Edit a git checkout itself, or files with uncommitted changes, too. */
  force?: boolean;
  /** Where to write the patch once it is applied; relative to `cwd`. */
  patchFile?: string;
}

/** What `apply` changed (or, with `check`, would change). */
export interface AppliedFlags {
  /** The directory, absolute. */
  dir: string;
  /** The script, relative to `dir`. */
  opspec: string;
  /** Every flag: the script's defaults with the given values applied. */
  flags: Record<string, FlagValue>;
  /** The files changed, with the plugins that wrote them. */
  changes: ChangedFile[];
  /** The flag literals the transformer replaced. */
  edits: FlagEdit[];
  /** The unified diff of every change; `git apply -R` in `dir` undoes it. */
  patch: string;
  /** False with `check`: nothing was written. */
  applied: boolean;
}

export async function applyFlags(opts: ApplyFlagsOptions): Promise<AppliedFlags> {
  const cwd = opts.cwd ?? process.cwd();
  const dir = path.resolve(cwd, opts.dir ?? '.');
  if (!(await stat(dir).catch(() => undefined))?.isDirectory()) {
    throw new GuildStageError('NOT_FOUND', `${opts.dir ?? dir}: no such directory`);
  }
  const plan = await prepareRun({ ...opts, cwd: dir, projectDir: dir, captureScalars: false });
  const args = Object.keys(plan.resolved.args);
  if (args.length > 0) {
    throw new GuildStageError(
      'USAGE',
      `${args.join(', ')} cannot be written into ${plan.flagsFile} (the default is not a literal), and apply runs no command to pass them to`,
      { suggestion: `give them to ${plan.opspec} on its command line instead` },
    );
  }
  const guarded = !opts.check && !opts.force;
  if (guarded) await guardCheckout(dir);
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'guild-stage-apply-')).catch((error: unknown) => {
    throw new GuildStageError('STAGE', `cannot make a scratch directory in ${os.tmpdir()}: ${fsReason(error)}`, {
      suggestion: 'set TMPDIR to a directory you can write',
      cause: error,
    });
  });
  try {
    const { selection } = await openSource(opts, plan, scratch);
    await mkdir(path.dirname(runFile(scratch, 'hooksStarted')), { recursive: true });
    const copy = await copySource(dir, scratch, selection);
    for (const file of [...selection.skipped, ...copy.skipped]) {
      opts.onWarning?.(
        new GuildStageError('SOURCE', `skipped ${file.path}: ${describeSkip(file)}`, { file: file.path }),
      );
    }
    const script = commandFor(plan.opspec, []);
    const run = Run.staged({
      id: newRunId(),
      dir: scratch,
      projectDir: dir,
      opspec: plan.opspec,
      flags: plan.resolved.flags,
      forced: plan.resolved.forced,
      cmd: script.cmd,
      env: { ...script.env, ...plan.flagEnv },
      remote: null,
      batch: null,
      label: defaultLabel(plan.resolved.userFlags),
    });
    const { builtins, edits } = builtinsFor(plan);
    const { changed, patch } = await withRunStop(opts, async (stop) => {
      const result = await editStagedCopy(run, driverFor(opts, stop, builtins), stop, builtins, copy.copied);
      if (result.failure) throw result.failure;
      if (stop.first) throw new GuildStageError('EXEC', `apply stopped by ${stop.first.signal}; nothing was changed`);
      return result;
    });
    await warnDroppedAttrs(scratch, opts);
    const outcome = { dir, opspec: plan.opspec, flags: plan.resolved.flags, changes: changed, edits, patch };
    if (opts.check) return { ...outcome, applied: false };
    if (guarded)
      await guardUncommitted(
        dir,
        changed.map((file) => file.path),
      );
    await commitEdits(dir, await Promise.all(changed.map((file) => editOf(scratch, file))));
    if (opts.patchFile !== undefined) await writeFileAtomic(path.resolve(cwd, opts.patchFile), patch);
    return { ...outcome, applied: true };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** A changed file's new state, as the hooks left it in the scratch copy. */
async function editOf(scratch: string, file: ChangedFile): Promise<FileEdit> {
  if (file.change === 'deleted') return { path: file.path, after: null };
  const full = path.join(scratch, file.path);
  const [bytes, info] = await Promise.all([readFile(full), stat(full)]);
  return { path: file.path, after: { bytes, mode: info.mode & 0o7777 } };
}

/** `run.setAttr` writes into the scratch copy's records, which apply does not keep: say so rather than lose them quietly. */
async function warnDroppedAttrs(scratch: string, opts: ApplyFlagsOptions): Promise<void> {
  const attrs = path.join(path.dirname(runFile(scratch, 'hooksStarted')), 'attrs');
  const names = await readdir(attrs).catch(() => [] as string[]);
  if (names.length === 0) return;
  opts.onWarning?.(
    new GuildStageError(
      'PLUGIN',
      `apply keeps no run records: the attrs plugins set (${names.join(', ')}) were dropped`,
    ),
  );
}
