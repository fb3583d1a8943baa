/**
 * The StagedSource each `onRunStaged` handler receives: the staged files, with reads and
 * writes confined to the run directory and every write attributed to its plugin.
 */
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GuildStageError } from '../errors.js';
import type { StagedSource } from './types.js';

export class StagedFiles {
  /** Which plugins wrote each file, in write order. */
  readonly writers = new Map<string, string[]>();
  private readonly fileSet: Set<string>;

  constructor(
    readonly dir: string,
    files: readonly string[],
  ) {
    this.fileSet = new Set(files);
  }

  get files(): string[] {
    return [...this.fileSet].sort();
  }

  /** The view given to one plugin: the same files, writes recorded under its name. */
  view(plugin: string): StagedSource {
    const staged = this;
    return {
      dir: this.dir,
      get files() {
        return staged.files;
      },
      read: (file) => readFile(this.resolve(file, plugin), 'utf8'),
      write: (file, text) => this.write(plugin, file, text),
    };
  }

  private resolve(file: string, plugin: string): string {
    const full = path.resolve(this.dir, file);
    const rel = path.relative(this.dir, full);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel) || rel.split(path.sep)[0] === '.guild') {
      throw new GuildStageError('PLUGIN', `plugin ${plugin} may not access ${file}: outside the staged source`, { plugin });
    }
    return full;
  }

  private async write(plugin: string, file: string, text: string): Promise<void> {
    const full = this.resolve(file, plugin);
    const rel = path.relative(this.dir, full).split(path.sep).join('/');
    await mkdir(path.dirname(full), { recursive: true });
    // Write beside and rename: a staged file may be a hard link into the project, and
    // writing through it in place would change the project.
    const temp = `${full}.guild-stage-${process.pid}.tmp`;
    const mode = await stat(full).then((st) => st.mode, () => undefined);
    await writeFile(temp, text);
    if (mode !== undefined) await chmod(temp, mode);
    await rename(temp, full);
    this.fileSet.add(rel);
    const list = this.writers.get(rel) ?? [];
    if (!list.includes(plugin)) list.push(plugin);
    this.writers.set(rel, list);
  }
}
