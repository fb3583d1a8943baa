import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { GuildStageError } from '../src/errors.js';
import { makeTempDir } from './helpers/fs.js';

describe('loadConfig', () => {
  it('reads guild-stage.config.json', async () => {
    const dir = await makeTempDir();
    await writeFile(
      path.join(dir, 'guild-stage.config.json'),
      JSON.stringify({
        script: 'train.py',
        plugins: ['./p.mjs'],
        hooks: { on_run_staged: 'Rscript patch.R', on_run_end: ['echo a', 'echo b'] },
        source: { select: [{ include: 'data/*.csv' }, { exclude: 'data/big.csv' }], exclude: 'tmp/**', maxFiles: 50 },
        mode: 'ast',
      }),
    );
    expect(await loadConfig(dir)).toEqual({
      file: path.join(dir, 'guild-stage.config.json'),
      script: 'train.py',
      plugins: ['./p.mjs'],
      hooks: [
        { event: 'on_run_staged', command: 'Rscript patch.R' },
        { event: 'on_run_end', command: 'echo a' },
        { event: 'on_run_end', command: 'echo b' },
      ],
      source: {
        select: [
          { type: 'include', pattern: 'data/*.csv' },
          { type: 'exclude', pattern: 'data/big.csv' },
          { type: 'exclude', pattern: 'tmp/**' },
        ],
        maxFiles: 50,
      },
      mode: 'ast',
    });
  });

  it('reads the "guild-stage" key of package.json, and is empty without either', async () => {
    const dir = await makeTempDir();
    expect(await loadConfig(dir)).toEqual({ file: null, plugins: [], hooks: [], source: {} });
    await writeFile(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'x', 'guild-stage': { script: 'train.R' } }),
    );
    expect((await loadConfig(dir)).script).toBe('train.R');
    expect((await loadConfig(dir)).file).toBe(path.join(dir, 'package.json'));
  });

  it('names the file and the key in every error', async () => {
    const dir = await makeTempDir();
    await writeFile(path.join(dir, 'guild-stage.config.json'), '{ "script": ');
    await expect(loadConfig(dir)).rejects.toThrow(`${path.join(dir, 'guild-stage.config.json')} is not valid JSON`);
    const cases: Array<[unknown, string]> = [
      [
        { scripts: 'x' },
        "c.json: unknown key 'scripts' (keys: script, plugins, hooks, source, runsDir, mode, exec, git, link, outputScalars, minimize, maximize, flagsDest, requires, executor)",
      ],
      [
        { hooks: { on_run_start: 'x' } },
        "c.json hooks: unknown hook event 'on_run_start' (events: on_run_staged, on_run_begin, on_run_end)",
      ],
      [{ mode: 'fast' }, "c.json mode: expected 'text' or 'ast'"],
      [
        { source: { select: [{ inclde: 'x' }] } },
        'c.json source.select: bad rule {"inclde":"x"}: expected {"include": GLOB} or {"exclude": GLOB}',
      ],
      [{ source: { maxFiles: -1 } }, 'c.json source.maxFiles: expected a whole number'],
      [{ plugins: [1] }, 'c.json plugins: expected a string or a list of strings'],
      [[], 'c.json: expected a JSON object'],
      [{ flagsDest: '' }, 'c.json flagsDest: expected a non-empty string'],
    ];
    for (const [value, message] of cases) {
      const dir = await makeTempDir();
      const file = path.join(dir, 'guild-stage.config.json');
      await writeFile(file, JSON.stringify(value));
      const error = await loadConfig(dir).then(
        () => {
          throw new Error(`no error for ${JSON.stringify(value)}`);
        },
        (e: unknown) => e as GuildStageError,
      );
      expect(error.message).toBe(message.replace('c.json', file));
    }
  });
});
