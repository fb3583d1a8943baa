/**
 * Hostile flag values through the real CLI, in every language: the staged file still parses
 * with the language's own parser and the flag is one string literal holding exactly the
 * value; nothing of the value runs as code.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { evaluateFile } from '../helpers/conformance.js';
import { LONG } from '../helpers/long.js';
import { makeProject } from './support.js';

const VALUES = [
  `it's "quoted"`,
  'back\\slash\\',
  'line one\nline two\r\nthree\ttab',
  '"""triple""" and \'\'\'single\'\'\'',
  '${process.exit(7)} `backticks` #{x} $(rm -rf /)',
  'unicode: é ñ 中文 🚀 \u2028\u2029',
  `'); import os; os.system("touch pwned"); x = ('`,
  'x'.repeat(100_000),
];

/**
 * Without the long tests, three values per language: quotes, line breaks and an injection
 * attempt, the classes a renderer gets wrong first. The long run tries all of them.
 */
const TRIED = LONG ? VALUES : [VALUES[0]!, VALUES[2]!, VALUES[6]!];

/** Each language's script: a string flag, then a statement that proves the script ran unharmed. */
const SCRIPTS: Record<string, string> = {
  'train.py': 'msg = "default"\nopen("done", "w").write(str(len(msg)))\n',
  'train.R': 'msg <- "default"\ncat(nchar(msg, type = "chars"), file = "done")\n',
  'train.js': 'const msg = "default";\nrequire("node:fs").writeFileSync("done", String([...msg].length));\n',
  'train.ts':
    'const msg: string = "default";\nimport { writeFileSync } from "node:fs";\nwriteFileSync("done", String([...msg].length));\n',
};

describe.concurrent(`hostile flag values${LONG ? '' : ' (a sample; GUILD_STAGE_LONG_TESTS=1 tries all)'}`, () => {
  for (const [script, source] of Object.entries(SCRIPTS)) {
    it(`stay one inert string literal in ${script}`, async ({ expect }) => {
      const project = await makeProject({ [script]: source });
      for (const value of TRIED) {
        // No NUL here: a command line cannot carry one (the transformers' property tests cover it).
        const hostile = value;
        const result = await project.gs(['run', script, '--flags', `msg=${hostile}`, '-q']);
        expect(result.code, result.stderr).toBe(0);
        const run = (await project.gs(['runs', '--json'])).stdout;
        const dir = (JSON.parse(run) as Array<{ runDir: string }>)[0]!.runDir;
        const read = await evaluateFile(path.join(dir, script));
        expect(read.msg).toEqual({ type: 'str', value: hostile });
        expect(await readFile(path.join(dir, 'done'), 'utf8')).toBe(String([...hostile].length));
      }
      expect(await project.snapshot()).toEqual(project.before);
    });
  }
});
