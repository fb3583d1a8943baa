/**
 * Data files a run needs but that are not source: the `requires:` list of a script's
 * frontmatter (as guildai-r writes it) and of the config file, in a subset of Guild's
 * resource-source syntax:
 *
 * ```
 * #| requires:
 * #|   - file: data/train.csv          # linked as train.csv in the run directory
 * #|   - file: checkpoints
 * #|     target-path: models           # linked as models/checkpoints
 * #|     target-type: copy             # copied instead (or `copy: true`)
 * ```
 *
 * As in Guild, a requirement lands at `target-path` (`path` is Guild's older name; default
 * the run directory) under its own base name. Unlike Guild, which copies a file by default,
 * it is symlinked unless copied: a dataset is not duplicated per run. Requirements are never
 * selected as source, so they count against no source limit and are in no patch; one that is
 * missing fails before anything is staged.
 */
import { cp, lstat, mkdir, stat, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fsReason, GuildStageError, isFsError } from '../errors.js';

/** One `requires:` entry as written, checked. */
export interface RequirementSpec {
  /** The file or directory, relative to the project or absolute. */
  file: string;
  /** The directory it lands in, relative to the run directory; '' for the run directory itself. */
  targetPath: string;
  copy: boolean;
  /** Where the entry was written, for messages: `train.py frontmatter`, the config file. */
  origin: string;
}

/** A requirement found on disk: what is linked or copied where. */
export interface Requirement {
  /** As written in `file:`. */
  file: string;
  /** Absolute path of the file or directory. */
  source: string;
  /** Path in the run directory, `/` separators. */
  target: string;
  type: 'link' | 'copy';
  kind: 'file' | 'directory';
}

const KEYS = ['file', 'target-path', 'path', 'target-type', 'copy', 'description', 'name'];

function bad(origin: string, message: string, suggestion?: string): GuildStageError {
  return new GuildStageError('USAGE', `${origin} requires: ${message}`, { suggestion });
}

/** Checks a `requires:` value (a list of `{file: ...}` mappings); `origin` names where it was written. */
export function parseRequires(value: unknown, origin: string): RequirementSpec[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw bad(origin, 'expected a list of {file: PATH} entries');
  return value.map((entry) => parseEntry(entry, origin));
}

function parseEntry(entry: unknown, origin: string): RequirementSpec {
  if (typeof entry === 'string') {
    throw bad(origin, `'${entry}' is not a mapping`, `write - file: ${entry} (a bare name is a resource in Guild)`);
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw bad(origin, `expected {file: PATH}, got ${JSON.stringify(entry)}`);
  }
  const record = entry as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!KEYS.includes(key)) {
      throw bad(origin, `'${key}' is not supported (keys: ${KEYS.join(', ')})`);
    }
  }
  const { file } = record;
  if (typeof file !== 'string' || file === '') throw bad(origin, `expected file: PATH in ${JSON.stringify(entry)}`);
  const targetPath = record['target-path'] ?? record.path ?? '';
  if (typeof targetPath !== 'string') throw bad(origin, `target-path of ${file}: expected a relative directory`);
  const target = path.posix.normalize(targetPath.split(path.sep).join('/') || '.');
  if (path.posix.isAbsolute(target) || target === '..' || target.startsWith('../')) {
    throw bad(origin, `target-path '${targetPath}' of ${file} must be a directory inside the run`);
  }
  const type = record['target-type'];
  if (type !== undefined && type !== 'link' && type !== 'copy') {
    throw bad(origin, `target-type of ${file}: expected 'link' or 'copy', got ${JSON.stringify(type)}`);
  }
  if (record.copy !== undefined && typeof record.copy !== 'boolean') {
    throw bad(origin, `copy of ${file}: expected true or false`);
  }
  if (type !== undefined && record.copy !== undefined && (type === 'copy') !== record.copy) {
    throw bad(origin, `${file} has both target-type: ${type} and copy: ${record.copy}; keep one`);
  }
  return { file, targetPath: target === '.' ? '' : target, copy: type === 'copy' || record.copy === true, origin };
}

/**
 * Finds every requirement on disk: a missing one is an error naming it and where it was
 * required, as is a target given twice or one `.guild` would be.
 */
export async function resolveRequires(specs: readonly RequirementSpec[], projectDir: string): Promise<Requirement[]> {
  const resolved = await Promise.all(
    specs.map(async (spec): Promise<Requirement> => {
      const source = path.resolve(projectDir, spec.file);
      const info = await stat(source).catch((error: unknown) => {
        const why = isFsError(error) && error.code === 'ENOENT' ? 'is missing' : `cannot be read: ${fsReason(error)}`;
        throw new GuildStageError('NOT_FOUND', `required ${spec.file} (${spec.origin}) ${why}`, { file: spec.file });
      });
      if (!info.isFile() && !info.isDirectory()) {
        throw new GuildStageError('USAGE', `required ${spec.file} (${spec.origin}) is not a file or directory`);
      }
      const target = path.posix.join(spec.targetPath, path.basename(source));
      if (target === '.guild' || target.startsWith('.guild/')) {
        throw bad(spec.origin, `${spec.file} would land in .guild/, the run's records; give another target-path`);
      }
      return {
        file: spec.file,
        source,
        target,
        type: spec.copy ? 'copy' : 'link',
        kind: info.isDirectory() ? 'directory' : 'file',
      };
    }),
  );
  const seen = new Map<string, string>();
  for (const requirement of resolved) {
    const earlier = seen.get(requirement.target);
    if (earlier !== undefined) {
      throw new GuildStageError(
        'USAGE',
        `requires: ${earlier} and ${requirement.file} both land at ${requirement.target} in the run`,
        { suggestion: 'give one of them a target-path' },
      );
    }
    seen.set(requirement.target, requirement.file);
  }
  return resolved;
}

/** Whether `rel` (a project path, `/` separators) is a requirement's target or inside one. */
export function underTarget(requirements: readonly Requirement[], rel: string): Requirement | undefined {
  return requirements.find((r) => rel === r.target || rel.startsWith(`${r.target}/`) || r.target.startsWith(`${rel}/`));
}

/**
 * Links (an absolute symlink: the run directory may move to the trash and back) or copies
 * every requirement into `runDir`. A target already there (a source file of that name) is an
 * error: the run would not get what it requires.
 */
export async function placeRequires(requirements: readonly Requirement[], runDir: string): Promise<void> {
  for (const requirement of requirements) {
    const target = path.join(runDir, requirement.target);
    const exists = await lstat(target).then(
      () => true,
      () => false,
    );
    if (exists) {
      throw new GuildStageError(
        'USAGE',
        `required ${requirement.file} would replace ${requirement.target}, a source file`,
        {
          suggestion: 'give it a target-path',
        },
      );
    }
    try {
      await mkdir(path.dirname(target), { recursive: true });
      if (requirement.type === 'link') await symlink(requirement.source, target);
      else await cp(requirement.source, target, { recursive: true, errorOnExist: true, force: false });
    } catch (error) {
      throw new GuildStageError(
        'STAGE',
        `cannot ${requirement.type} required ${requirement.file}: ${fsReason(error)}`,
        {
          file: requirement.file,
          cause: error,
        },
      );
    }
  }
}

/** What the run's `guild_stage` attr records of its requirements: what was linked or copied where. */
export function requiresRecord(requirements: readonly Requirement[]): Array<Record<string, string>> {
  return requirements.map(({ file, source, target, type, kind }) => ({ file, source, target, type, kind }));
}
