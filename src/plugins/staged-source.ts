/**
 * The StagedSource each `onRunStaged` handler receives: the staged files, with reads and
 * writes confined to the run directory, every write attributed to its plugin, and parsed
 * trees printed back before anyone reads the file as text.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { callTransformer, GuildStageError } from '../errors.js';
import { writeFileAtomic } from '../records/files.js';
import { isGuildPath } from '../records/layout.js';
import { transformerFor } from '../../transformers/index.js';
import type { AstSupport, TextEncoding, Transformer } from '../../transformers/types.js';
import type { StagedSource } from './types.js';

interface OpenTree {
  tree: unknown;
  support: AstSupport;
  /** The text the tree was parsed from: printing it unchanged writes nothing. */
  text: string;
  /** Plugins that asked for the tree, so a change to it is attributed to them. */
  plugins: string[];
}

export class StagedFiles {
  /** Which plugins wrote each file, in write order. */
  readonly writers = new Map<string, string[]>();
  private readonly fileSet: Set<string>;
  private readonly trees = new Map<string, OpenTree>();

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
      read: async (file) => {
        const rel = this.resolve(file, plugin);
        await this.flushTree(rel);
        return this.readText(rel);
      },
      write: async (file, text) => {
        const rel = this.resolve(file, plugin);
        await this.flushTree(rel);
        await this.write([plugin], rel, text);
      },
      ast: async <Tree>(file: string) => (await this.openTree(plugin, this.resolve(file, plugin))) as Tree,
    };
  }

  /** Prints every tree a plugin asked for back to its file. */
  async flushTrees(): Promise<void> {
    for (const rel of [...this.trees.keys()]) await this.flushTree(rel);
  }

  private async openTree(plugin: string, rel: string): Promise<unknown> {
    let open = this.trees.get(rel);
    if (!open) {
      const support = (await transformerFor(rel))?.ast;
      if (!support) throw new GuildStageError('PLUGIN', `no syntax tree support for ${rel}`, { plugin, file: rel });
      const text = await this.readText(rel);
      open = { tree: callTransformer(() => support.parse(text, rel)), support, text, plugins: [] };
      this.trees.set(rel, open);
    }
    if (!open.plugins.includes(plugin)) open.plugins.push(plugin);
    return open.tree;
  }

  private async flushTree(rel: string): Promise<void> {
    const open = this.trees.get(rel);
    if (!open) return;
    this.trees.delete(rel);
    const printed = callTransformer(() => open.support.print(open.tree));
    if (printed !== open.text) await this.write(open.plugins, rel, printed);
  }

  /**
   * A staged file's text: in the encoding its language's transformer reads (a Python file's
   * coding cookie), else UTF-8. `encodingOf` names the inverse.
   */
  private async readText(rel: string): Promise<string> {
    const transformer = await transformerFor(rel);
    const decode = transformer?.decode;
    if (!decode) return readFile(path.join(this.dir, rel), 'utf8');
    const bytes = await readFile(path.join(this.dir, rel));
    return callTransformer(() => decode(bytes, rel));
  }

  private async encodingOf(rel: string, text: string): Promise<TextEncoding> {
    const transformer: Transformer | undefined = await transformerFor(rel);
    const encoding = transformer?.encoding;
    return encoding ? callTransformer(() => encoding(text, rel)) : 'utf8';
  }

  /** The file's path relative to the run dir (`/` separators); refuses anything outside the source. */
  private resolve(file: string, plugin: string): string {
    const full = path.resolve(this.dir, file);
    const rel = path.relative(this.dir, full);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel) || isGuildPath(rel)) {
      throw new GuildStageError('PLUGIN', `plugin ${plugin} may not access ${file}: outside the staged source`, {
        plugin,
      });
    }
    return rel.split(path.sep).join('/');
  }

  private async write(plugins: readonly string[], rel: string, text: string): Promise<void> {
    const full = path.join(this.dir, rel);
    await mkdir(path.dirname(full), { recursive: true });
    // Never in place: a staged file may be a hard link into the project, and writing through
    // it would change the project.
    await writeFileAtomic(full, text, { encoding: await this.encodingOf(rel, text), keepMode: true });
    this.fileSet.add(rel);
    const list = this.writers.get(rel) ?? [];
    for (const plugin of plugins) if (!list.includes(plugin)) list.push(plugin);
    this.writers.set(rel, list);
  }
}
