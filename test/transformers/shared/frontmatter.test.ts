import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GUILDAI_R_READY, GUILDAI_R_RESOURCES, GUILDAI_R_SKIP } from '../../helpers/guildai-r.js';
import { compileOutputScalars } from '../../../src/results/patterns.js';
import {
  FrontmatterError,
  FrontmatterExpr,
  findFrontmatter,
  readFrontmatter,
} from '../../../transformers/shared/frontmatter.js';

const PY = { prefix: '#|', file: 'train.py' };
const JS = { prefix: '//|', file: 'train.js' };

function errorOf(text: string, options = PY): FrontmatterError {
  try {
    readFrontmatter(text, options);
  } catch (error) {
    expect(error).toBeInstanceOf(FrontmatterError);
    return error as FrontmatterError;
  }
  throw new Error('no error');
}

describe('readFrontmatter', () => {
  it('reads the leading #| block as YAML', () => {
    const text = [
      '#| output-scalars:',
      "#|   loss: 'loss: (\\value)'",
      '#| flags-dest: globals',
      '#| echo: no',
      '',
      'lr = 0.1',
    ].join('\n');
    expect(readFrontmatter(text, PY)).toEqual({
      start: 1,
      end: 4,
      yaml: "output-scalars:\n  loss: 'loss: (\\value)'\nflags-dest: globals\necho: no",
      data: { 'output-scalars': { loss: 'loss: (\\value)' }, 'flags-dest': 'globals', echo: false },
    });
  });

  it('takes the prefix of the language: //| in JavaScript and TypeScript', () => {
    const text = '#!/usr/bin/env node\n//| output-scalars: no\nconst lr = 0.1;\n';
    expect(readFrontmatter(text, JS)?.data).toEqual({ 'output-scalars': false });
    expect(readFrontmatter(text, PY)).toBeNull();
    expect(compileOutputScalars(readFrontmatter(text, JS)?.data['output-scalars']).enabled).toBe(false);
  });

  it('starts on line 1, or on line 2 after a shebang, and nowhere else', () => {
    expect(findFrontmatter('#!/usr/bin/env python3\n#| a: 1\n#| b: 2\nx = 1', '#|')).toMatchObject({
      start: 2,
      end: 3,
    });
    expect(findFrontmatter('\n#| a: 1', '#|')).toBeNull();
    expect(findFrontmatter('# -*- coding: utf-8 -*-\n#| a: 1', '#|')).toBeNull();
    expect(findFrontmatter('import os\n#| a: 1\nx = 1', '#|')).toBeNull();
    expect(findFrontmatter('', '#|')).toBeNull();
  });

  it('ends at the first line without the prefix, a blank line too', () => {
    const text = '#| a: 1\n#| b: 2\n\n#| c: 3\nx = 1';
    expect(readFrontmatter(text, PY)).toMatchObject({ end: 2, data: { a: 1, b: 2 } });
    // A flag annotation further down is not frontmatter.
    expect(readFrontmatter('#| a: 1\nimport os\n#| min: 0\nx = 1', PY)?.data).toEqual({ a: 1 });
  });

  it('takes one space after the prefix, allows indentation before it, CRLF and a BOM', () => {
    expect(readFrontmatter('\ufeff#|a: 1\r\n  #| b:\r\n\t#|   - x\r\n', PY)?.data).toEqual({ a: 1, b: ['x'] });
    expect(readFrontmatter('#| only: text\n#|', PY)?.data).toEqual({ only: 'text' });
    // A file that is nothing but frontmatter is all frontmatter.
    expect(readFrontmatter('#| a: 1\n#| b: 2', PY)?.data).toEqual({ a: 1, b: 2 });
  });

  it('gives an empty mapping for an empty block', () => {
    expect(readFrontmatter('#|\n#|   \nx = 1', PY)).toMatchObject({ start: 1, end: 2, data: {} });
  });

  it('resolves scalars as guildai-r (YAML 1.1 as R reads it)', () => {
    const text = [
      '#| yes_: yes',
      '#| off_: Off',
      '#| y_: y',
      '#| null_: ~',
      '#| exp: 1e-3',
      '#| exp_signed: 1.5e+3',
      '#| octal: 010',
      '#| hex: 0x1F',
      '#| time: 12:30',
      '#| date: 2001-12-14',
      '#| under: 1_000',
      '#| inf: -.inf',
      '#| list: [1, no, "no"]',
    ].join('\n');
    expect(readFrontmatter(text, PY)?.data).toEqual({
      yes_: true,
      off_: false,
      y_: true,
      null_: null,
      exp: '1e-3',
      exp_signed: 1500,
      octal: 8,
      hex: 31,
      time: '12:30',
      date: '2001-12-14',
      under: '1_000',
      inf: Number.NEGATIVE_INFINITY,
      list: [1, false, 'no'],
    });
  });

  it('keeps !expr (R code that guildai-r evaluates) for the caller', () => {
    const tags = readFrontmatter('#| tags: !expr c("tag1", "tag2")', PY)!.data.tags;
    expect(tags).toBeInstanceOf(FrontmatterExpr);
    expect((tags as FrontmatterExpr).code).toBe('c("tag1", "tag2")');
  });

  it('fails on bad YAML naming the file and the line of the script', () => {
    const error = errorOf('#!/usr/bin/env python3\n#| a: 1\n#| b: [1,\n#| c: 2\nx = 1');
    expect(error.file).toBe('train.py');
    expect(error.line).toBeGreaterThanOrEqual(3);
    expect(error.line).toBeLessThanOrEqual(4);
    expect(error.message).toMatch(new RegExp(`^train\\.py:${error.line}: malformed frontmatter: \\S`));
    expect(error.message).not.toContain('\n');
    expect(errorOf('#| a: 1\n#| a: 2').message).toBe('train.py:2: malformed frontmatter: Map keys must be unique');
    expect(errorOf('#| a: 1\n#|\tb: 2').line).toBe(2);
  });

  it('fails when the frontmatter is not a mapping', () => {
    expect(errorOf('#| just words').message).toBe(
      'train.py:1: malformed frontmatter: expected YAML "key: value" lines',
    );
    expect(errorOf('#!/bin/sh\n#| - a\n#| - b').line).toBe(2);
  });
});

const REFERENCE = process.env.GUILD_STAGE_REFERENCE;
const HARNESS = path.join(import.meta.dirname, 'guildai_r_frontmatter.R');

describe.skipIf(!GUILDAI_R_READY)(
  `frontmatter against guildai-r's own reading (${GUILDAI_R_READY ? 'guildai-r' : GUILDAI_R_SKIP})`,
  () => {
    it("reads guildai-r's test scripts as guildai-r does", () => {
      const scripts = readdirSync(GUILDAI_R_RESOURCES!)
        .filter((name) => name.endsWith('.R'))
        .sort();
      const output = execFileSync(
        'Rscript',
        [HARNESS, REFERENCE!, ...scripts.map((s) => path.join(GUILDAI_R_RESOURCES!, s))],
        {
          encoding: 'utf8',
        },
      );
      const expected = output
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { found?: boolean; data?: unknown });
      const withFrontmatter: string[] = [];
      scripts.forEach((script, i) => {
        const want = expected[i]!;
        const got = readFrontmatter(readFileSync(path.join(GUILDAI_R_RESOURCES!, script), 'utf8'), {
          prefix: '#|',
          file: script,
        });
        expect(got !== null, script).toBe(want.found);
        if (!got) return;
        withFrontmatter.push(script);
        // R evaluates !expr; here it stays code, and the R code is what gave R's value.
        const data = Object.fromEntries(
          Object.entries(got.data).map(([key, value]) => [key, value instanceof FrontmatterExpr ? value.code : value]),
        );
        if (script === 'expr.R') expect(data).toEqual({ tags: 'c("tag1", "tag2")' });
        else expect(data, script).toEqual(want.data);
      });
      expect(withFrontmatter).toEqual([
        'env.R',
        'expr.R',
        'flags-adjacent-to-frontmatter.R',
        'flags-from-config-yml.R',
        'flags-from-globals-pre-r40.R',
        'flags-from-globals.R',
        'flags-from-yml.R',
        'frontmatter.R',
        'hash-pipe-anno.R',
        'requires.R',
      ]);
    });

    it("resolves YAML scalars as guildai-r's parser does", () => {
      const values = [
        'no',
        'Off',
        'y',
        'N',
        '~',
        'Null',
        '',
        '010',
        '09',
        '0x1F',
        '1e-3',
        '1.5e+3',
        '.5',
        '1.',
        '12:30',
      ];
      const more = ['2001-12-14', '1_000', '0b101', '-.inf', '.nan', '-.nan', 'yES', "'1'", '[1, no]', '{a: 1}'];
      const texts = [...values, ...more].map((v) => `#| v: ${v}\n`);
      const dir = mkdtempSync(path.join(tmpdir(), 'frontmatter-'));
      const files = texts.map((text, i) => {
        const file = path.join(dir, `s${i}.R`);
        writeFileSync(file, text);
        return file;
      });
      const output = execFileSync('Rscript', [HARNESS, REFERENCE!, ...files], { encoding: 'utf8' });
      const expected = output
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { data?: { v: unknown } });
      texts.forEach((text, i) => {
        const got = readFrontmatter(text, { prefix: '#|', file: 's.R' })?.data.v;
        const want = expected[i]!.data!.v;
        // The R side writes NaN as null and infinities as strings.
        if (Number.isNaN(got)) expect(want, text).toBeNull();
        else if (got === Number.POSITIVE_INFINITY || got === Number.NEGATIVE_INFINITY) expect(String(got)).toBe(want);
        else expect(got, text).toEqual(want);
      });
    });
  },
);
