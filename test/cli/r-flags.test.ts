/**
 * R flags end to end: the kinds guildai-r finds that guild-stage now finds too (complex
 * literals, unary `+`), set on the command line and read back by Rscript from the staged
 * script; values R cannot hold refused before anything is staged; names `--flags` cannot
 * spell left out; guildai-r's `echo` frontmatter accepted; real Guild reading the records.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { guild, parseSimpleCsv, REFERENCE, REFERENCE_SKIP } from '../helpers/reference.js';
import { makeProject, onlyRun, readAttrs, readGuildFile, runsDirEntries, stderrLines } from './support.js';

const SCRIPT = `#| echo: false
cx <- 0 +
      0i   # phase
cx1 <- 1 + # comment
      1i
im <- -1i
i3 <- + 123L
f <- +1.5
i2 <- - 123L
big <-
  # later
  1L
\`_x\` <- 7L
\`batch size\` <- 32L
show <- function(x) paste(typeof(x), deparse(x))
cat(show(cx), show(cx1), show(im), show(i3), show(f), show(i2), show(big), show(\`_x\`), sep = "|")
cat("\\n")
`;

describe.concurrent('R flags guildai-r finds, end to end', () => {
  it('lists complex and unary-plus flags, a multi-line one at its assignment line, and no name --flags cannot spell', async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.R': SCRIPT });
    const result = await project.gs(['flags', '--json', 'train.R']);
    expect(result.code, result.stderr).toBe(0);
    const sites = JSON.parse(result.stdout) as { name: string; type: string; default: unknown; line: number }[];
    expect(sites.map((site) => [site.name, site.type, site.default, site.line])).toEqual([
      ['cx', 'complex', '0+0i', 2],
      ['cx1', 'complex', '1+1i', 4],
      ['im', 'complex', '0-1i', 6],
      ['i3', 'int', 123, 7],
      ['f', 'float', 1.5, 8],
      ['i2', 'int', -123, 9],
      ['big', 'int', 1, 10],
      ['_x', 'int', 7, 13],
    ]);
    const table = await project.gs(['flags', 'train.R']);
    expect(table.stdout).toMatch(/\ncx +complex +0\+0i +phase +train\.R:2\n/);
    const spaced = await project.gs(['stage', 'train.R', '--flags', 'batch size=64']);
    expect(spaced.code).toBe(2);
    expect(stderrLines(spaced)[0]).toMatch(/^guild-stage: malformed flag 'batch size=64': 'batch size' is not a valid/);
    expect(await runsDirEntries(project.runsDir)).toEqual([]);
  });

  it('runs the staged script under Rscript with each new kind set, comments and line breaks kept, echo ignored', async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.R': SCRIPT });
    const flags = ['cx=1.5-2i', 'cx1=-3', 'im=0+4i', 'i3=-7', 'f=2.5', 'i2=5', 'big=7', '_x=8'];
    const result = await project.gs(['train.R', '--flags', ...flags]);
    expect(result.code, result.stderr).toBe(0);
    // `#| echo: false` is guildai-r's and changes nothing: the output is the script's alone.
    expect(result.stdout).toBe(
      'complex 1.5-2i|complex -3+0i|complex 0+4i|integer -7L|double 2.5|integer 5L|integer 7L|integer 8L\n',
    );
    // One line per edit, at the assignment's line, however the literal is split.
    expect(stderrLines(result)).toEqual(
      expect.arrayContaining([
        '  train.R:2 cx 0 + 0i -> 1.5 - 2i',
        '  train.R:4 cx1 1 + # comment 1i -> -3 + # comment 0i',
        '  train.R:6 im -1i -> 4i',
        '  train.R:7 i3 + 123L -> - 7L',
        '  train.R:8 f +1.5 -> +2.5',
        '  train.R:9 i2 - 123L -> 5L',
        '  train.R:10 big 1L -> 7L',
      ]),
    );
    const run = await onlyRun(project.runsDir);
    const staged = await readFile(path.join(run, 'train.R'), 'utf8');
    expect(staged.split('\n').slice(1, 12)).toEqual([
      'cx <- 1.5 -',
      '      2i   # phase',
      'cx1 <- -3 + # comment',
      '      0i',
      'im <- 4i',
      'i3 <- - 7L',
      'f <- +2.5',
      'i2 <- 5L',
      'big <-',
      '  # later',
      '  7L',
    ]);
    // The records say what the script got: a complex in R's spelling, `-3` as `-3+0i`.
    const attrs = await readAttrs(run);
    expect(attrs.flags).toEqual({ cx: '1.5-2i', cx1: '-3+0i', im: '0+4i', i3: -7, f: 2.5, i2: 5, big: 7, _x: 8 });
    expect(await readGuildFile(run, 'staged.patch')).toContain('-cx1 <- 1 + # comment\n-      1i\n');
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('refuses values R cannot hold before any run directory exists: run, stage and a batch', async ({ expect }) => {
    const project = await makeProject({ 'train.R': SCRIPT });
    const cases: [string[], string][] = [
      [['run', 'train.R', '--flags', 'big=3000000000'], 'flag big: 3000000000 is outside the range of R integers'],
      [['stage', 'train.R', '--flags', 'i3=-2147483648'], 'flag i3: -2147483648 is outside the range of R integers'],
      [['run', 'train.R', '--flags', 'big=[1,3000000000]'], 'flag big: 3000000000 is outside the range of R integers'],
      [['run', 'train.R', '--flags', 'cx=two'], 'flag cx: cannot write "two" as an R complex (e.g. 2+2i, -1.5i, 3)'],
      [['run', 'train.R', '--flags', 'cx=[1i,1+NaNi]'], 'flag cx: R has no literal for a NaN imaginary part'],
    ];
    for (const [args, message] of cases) {
      const result = await project.gs(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(stderrLines(result)).toHaveLength(1);
      expect(stderrLines(result)[0]).toContain(`guild-stage: ${message}`);
      expect(result.stdout).toBe('');
    }
    expect(await runsDirEntries(project.runsDir)).toEqual([]);
    expect(await project.snapshot()).toEqual(project.before);
  });
});

describe.skipIf(!REFERENCE)(`R complex and backtick-named flags read by Guild AI${REFERENCE_SKIP}`, () => {
  it('Guild reads the attrs of a run with complex values and a backtick name', async ({ expect }) => {
    const project = await makeProject({ 'train.R': SCRIPT });
    const result = await project.gs(['train.R', '--flags', 'cx=1.5-2i', '_x=8', '-q']);
    expect(result.code, result.stderr).toBe(0);
    const info = await guild(project.home, 'runs', 'info');
    expect(info).toContain('\n  cx: 1.5-2i\n');
    expect(info).toContain('\n  _x: 8\n');
    expect(info).not.toContain('batch size');
    const [row] = parseSimpleCsv(await guild(project.home, 'compare', '--csv', '-'));
    expect(row).toMatchObject({ status: 'completed', cx: '1.5-2i', cx1: '1+1i', im: '0-1i', i3: '123', _x: '8' });
  });
});
