/**
 * guild-stage's R flags against guildai-r's own: its infer_global_params(), run with
 * Rscript on the scripts of guildai-r's test suite, and `guild-stage flags --json` on the
 * same files. Where the two differ by design (README, "Differences from guildai-r"), the
 * differences are pinned here on small scripts, both sides, so the README stays true.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GUILDAI_R_READY, GUILDAI_R_RESOURCES, GUILDAI_R_SKIP } from '../../helpers/guildai-r.js';
import { runCli } from '../../helpers/cli.js';
import { makeTempDir } from '../../helpers/fs.js';

const REFERENCE = process.env.GUILD_STAGE_REFERENCE;
const HARNESS = path.join(import.meta.dirname, 'guildai_r_infer.R');

/** A flag as both sides are compared: name, guild-stage's type, default. */
type Found = [name: string, type: string, value: unknown];

/** guild-stage's type for the R type of guildai-r's default. */
const TYPES: Record<string, string> = {
  double: 'float',
  integer: 'int',
  character: 'string',
  logical: 'boolean',
  complex: 'complex',
};

type Inferred = [name: string, type: string, value: unknown, description?: string];

/** What guildai-r's infer_global_params() finds in each file, in order, descriptions included. */
function inferred(files: readonly string[]): (Inferred[] | { error: string })[] {
  const output = execFileSync('Rscript', [HARNESS, REFERENCE!, ...files], { encoding: 'utf8' });
  return output
    .trim()
    .split('\n')
    .map((line) => {
      const result = JSON.parse(line) as { flags?: Inferred[]; error?: string };
      return result.error !== undefined ? { error: result.error } : result.flags!;
    });
}

/** What guildai-r finds in each file, as the two sides are compared. */
function guildaiR(files: readonly string[]): (Found[] | { error: string })[] {
  return inferred(files).map((flags) =>
    'error' in flags ? flags : flags.map(([name, type, value]): Found => [name, TYPES[type] ?? `R ${type}`, value]),
  );
}

/** What `guild-stage flags --json` lists for `file`, in order. */
async function guildStage(file: string): Promise<Found[]> {
  const result = await runCli(['flags', '--json', path.basename(file)], { cwd: path.dirname(file) });
  expect(result.code, result.stderr).toBe(0);
  const sites = JSON.parse(result.stdout) as { name: string; type: string; default: unknown }[];
  return sites.map((site): Found => [site.name, site.type, site.default]);
}

describe.skipIf(!GUILDAI_R_READY)(
  `R flags against guildai-r's infer_global_params (${GUILDAI_R_READY ? 'guildai-r' : GUILDAI_R_SKIP})`,
  () => {
    it("finds every flag of guildai-r's test scripts with guildai-r's name, type and default", async () => {
      const scripts = readdirSync(GUILDAI_R_RESOURCES!)
        .filter((name) => name.endsWith('.R'))
        .sort();
      const files = scripts.map((script) => path.join(GUILDAI_R_RESOURCES!, script));
      const expected = guildaiR(files);
      // infer_global_params reads globals only; a script whose frontmatter names a config file
      // (`flags-dest: config:flags.yml`, or bare `flags.yml`) gets its flags from that file, in
      // guildai-r's run as here.
      for (const script of ['flags-from-config-yml.R', 'flags-from-yml.R']) {
        const i = scripts.indexOf(script);
        expect(expected[i], script).toEqual([]);
        expected[i] = [
          ['i', 'int', 123],
          ['f', 'float', 1.123],
          ['s', 'string', 'Howdy Guild'],
          ['b', 'boolean', false],
        ];
      }
      const found = await Promise.all(files.map(guildStage));
      scripts.forEach((script, i) => {
        expect(found[i], script).toEqual(expected[i]);
      });
      // The files that hold what this parity is about.
      const flat = Object.fromEntries(scripts.map((script, i) => [script, found[i]!]));
      expect(flat['flags-from-globals.R']).toEqual(
        expect.arrayContaining([
          ['cx', 'complex', '0+0i'],
          ['cx1', 'complex', '1+1i'],
          ['cx2', 'complex', '2+2i'],
          ['cx3', 'complex', '3+3i'],
          ['i2', 'int', -123],
          ['i3', 'int', 123],
        ]),
      );
      expect(flat['tricky-flag-names.R']!.map(([name]) => name)).toEqual([
        'n',
        'no',
        'y',
        'yes',
        '.n',
        '.no',
        '_x',
        '_y',
      ]);
    });

    it('differs from guildai-r only where the README says, and only as it says', async () => {
      // guildai-r's side of each case, then guild-stage's: README "Differences from guildai-r".
      const cases: Record<string, { source: string; guildaiR: Found[] | { error: string }; guildStage: Found[] }> = {
        // guildai-r evaluates any mix of +, - and constants; guild-stage takes literals only.
        'sum.R': { source: 'a <- 1 + 1\n', guildaiR: [['a', 'float', 2]], guildStage: [] },
        'double-minus.R': { source: 'a <- - -1\n', guildaiR: [['a', 'float', 1]], guildStage: [] },
        'minus-true.R': { source: 'a <- -TRUE\n', guildaiR: [['a', 'int', -1]], guildStage: [] },
        'imaginary-first.R': { source: 'a <- 1i + 2\n', guildaiR: [['a', 'complex', '2+1i']], guildStage: [] },
        'string-plus.R': {
          source: 'a <- "x" + 1\n',
          guildaiR: { error: 'non-numeric argument to binary operator' },
          guildStage: [],
        },
        // NA has no flag value; Inf and NaN are not literals in guild-stage.
        'constants.R': {
          source: 'a <- NA\nb <- Inf\nc <- 1\n',
          guildaiR: [
            ['a', 'boolean', null],
            ['b', 'float', 'Inf'],
            ['c', 'float', 1],
          ],
          guildStage: [['c', 'float', 1]],
        },
        // The first assignment decides in guild-stage; guildai-r skips assignments that are not literals.
        'first-assignment.R': { source: 'a <- f()\na <- 1\n', guildaiR: [['a', 'float', 1]], guildStage: [] },
      };
      const dir = await makeTempDir('gs-guildai-r-');
      const files = Object.keys(cases).map((name) => path.join(dir, name));
      await Promise.all(files.map((file) => writeFile(file, cases[path.basename(file)]!.source)));
      const fromGuildaiR = guildaiR(files);
      const fromGuildStage = await Promise.all(files.map(guildStage));
      files.forEach((file, i) => {
        const name = path.basename(file);
        expect(fromGuildaiR[i], `guildai-r on ${name}`).toEqual(cases[name]!.guildaiR);
        expect(fromGuildStage[i], `guild-stage on ${name}`).toEqual(cases[name]!.guildStage);
      });
      // A frontmatter block right above a flag: guildai-r leaves the flag unannotated,
      // guild-stage annotates it as in every language.
      const adjacent = 'flags-adjacent-to-frontmatter.R';
      expect(inferred([path.join(GUILDAI_R_RESOURCES!, adjacent)])[0]).toEqual([
        ['y', 'double', 0],
        ['n', 'double', 1],
      ]);
      const listed = await runCli(['flags', '--json', adjacent], { cwd: GUILDAI_R_RESOURCES! });
      const [y] = JSON.parse(listed.stdout) as { name: string; description?: string }[];
      expect(y).toMatchObject({ name: 'y', description: 'op desc, not flag desc' });
    });
  },
);
