import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlugins } from '../../src/plugins/load.js';
import { makeTempDir, writeTree } from '../helpers/fs.js';

/** Loads `./x.mjs` holding `export default <source>`. */
async function loadExport(source: string) {
  const dir = await makeTempDir();
  await writeFile(path.join(dir, 'x.mjs'), `export default ${source};\n`);
  return loadPlugins(['./x.mjs'], dir);
}

describe('plugin checks', () => {
  it('accept functions and { handler, priority } hooks', async () => {
    const [plugin] = await loadExport(
      '{ name: "p", priority: 2, onRunBegin: () => {}, onRunEnd: { priority: 5, handler: () => {} } }',
    );
    expect(plugin).toMatchObject({ name: 'p', priority: 2, onRunEnd: { priority: 5 } });
  });

  it.each([
    ['null', './x.mjs exports no plugin: expected an object with a name and hooks'],
    ['{ onRunBegin() {} }', "./x.mjs: a plugin needs a non-empty string 'name'"],
    [
      '{ name: "p", onRunStart() {} }',
      "plugin p (./x.mjs): unknown hook name 'onRunStart' (hooks: onRunStaged, onRunBegin, onRunOutput, onRunEnd)",
    ],
    [
      '{ name: "p", onRunEnd: { priority: 1 } }',
      'plugin p (./x.mjs): onRunEnd must be a function or { handler, priority? }',
    ],
    ['{ name: "p", priority: "high" }', 'plugin p (./x.mjs): priority must be a number'],
  ])('reject %s', async (source, message) => {
    await expect(loadExport(source)).rejects.toThrow(message);
  });

  it('suggest the hook a typo meant, or the one a synonym means', async () => {
    await expect(loadExport('{ name: "p", onRunStagd() {} }')).rejects.toMatchObject({
      suggestion: 'did you mean onRunStaged?',
    });
    await expect(loadExport('{ name: "p", onRunStart() {} }')).rejects.toMatchObject({
      suggestion: 'did you mean onRunBegin?',
    });
    await expect(loadExport('{ name: "p", onRunFinish() {} }')).rejects.toMatchObject({
      suggestion: 'did you mean onRunEnd?',
    });
  });
});

describe('loadPlugins', () => {
  it('loads default exports of .mjs, .cjs and .ts files, plugins and lists of plugins, in order', async () => {
    const dir = await makeTempDir();
    await writeTree(dir, {
      'a.mjs': 'export default { name: "a" };',
      'b.cjs': 'module.exports = [{ name: "b1" }, { name: "b2" }];',
      'c.ts': 'const p: { name: string; priority: number } = { name: "c", priority: 1 };\nexport default p;',
    });
    const plugins = await loadPlugins(['./a.mjs', './b.cjs', path.join(dir, 'c.ts')], dir);
    expect(plugins.map((p) => p.name)).toEqual(['a', 'b1', 'b2', 'c']);
  });

  it('names the culprit when a plugin is missing, broken or exports nothing', async () => {
    const dir = await makeTempDir();
    await writeTree(dir, {
      'none.mjs': 'export const x = 1;',
      'broken.mjs': 'export default {',
      'empty.mjs': 'export default [];',
    });
    await expect(loadPlugins(['./nope.mjs'], dir)).rejects.toThrow(
      `plugin not found: ./nope.mjs (no file ${path.join(dir, 'nope.mjs')})`,
    );
    await expect(loadPlugins(['no-such-package-xyz'], dir)).rejects.toThrow(
      'plugin not found: no-such-package-xyz (not a file, and no package of that name is installed)',
    );
    await expect(loadPlugins(['./none.mjs'], dir)).rejects.toThrow('plugin ./none.mjs has no default export');
    await expect(loadPlugins(['./broken.mjs'], dir)).rejects.toThrow(/^plugin \.\/broken\.mjs failed to load: /);
    await expect(loadPlugins(['./empty.mjs'], dir)).rejects.toThrow('./empty.mjs exports an empty list of plugins');
  });

  it('resolves a package name from the base directory', async () => {
    const dir = await makeTempDir();
    await writeTree(dir, {
      'node_modules/gs-plugin-demo/package.json': JSON.stringify({ name: 'gs-plugin-demo', main: 'index.js' }),
      'node_modules/gs-plugin-demo/index.js': 'module.exports = { name: "demo" };',
    });
    await writeFile(path.join(dir, 'package.json'), '{}');
    expect((await loadPlugins(['gs-plugin-demo'], dir)).map((p) => p.name)).toEqual(['demo']);
  });
});
