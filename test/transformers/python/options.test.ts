/**
 * argparse and click options as flags: what is found (checked against the names, types and
 * defaults the libraries themselves give, by running them in the real python3), and what
 * `apply` writes (the staged script, run with no arguments, sees the new values).
 */
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { python } from '../../../transformers/python/index.js';
import type { FlagSite, FlagValue } from '../../../transformers/types.js';
import { pythonHas } from '../../helpers/python.js';

function sites(source: string): FlagSite[] {
  return python.discover(source, 'train.py');
}

/** The option flags of `source` by name (its globals left out). */
function byName(source: string): Record<string, FlagSite> {
  return Object.fromEntries(sites(source).flatMap((site) => (site.kind ? [[site.name, site]] : [])));
}

function apply(source: string, values: Record<string, FlagValue>): string {
  return python.apply(source, values, { mode: 'text', file: 'train.py' }).text;
}

/** Runs `source` with python3 (no arguments) and parses the JSON line it prints last. */
async function run(source: string): Promise<Record<string, unknown>> {
  const { stdout } = await execa('python3', ['-c', source]);
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

const ARGPARSE = `import argparse
import json
import os

lr = 0.5  # a global of an option's name: the option is the flag

parser = argparse.ArgumentParser()
parser.add_argument('--lr', type=float, default=0.01, help='learning rate')
parser.add_argument(
    "--batch-size",  # the name is the dest: batch_size
    type=int,
    default=32,
    help="examples "
    "per step",
)
parser.add_argument('--no-cuda', action='store_true', help='disable CUDA')
parser.add_argument('--optimizer', choices=('sgd', 'adam'), default='sgd')
parser.add_argument('-s', '--seed', type=int, default=int(os.environ.get('SEED', '1')))
# parser.add_argument('--commented', default=1)
text = "parser.add_argument('--in-string', default=1)"
parser.add_argument('--layers', nargs='+', type=int, default=[64, 32])
parser.add_argument('--tag', dest='run_tag')
parser.add_argument('--keep', action='store_false', dest='keep_all')
parser.add_argument('--bn', action=argparse.BooleanOptionalAction, default=True)
parser.add_argument('--verbose', '-v', action='count', default=0)
parser.add_argument('data', nargs='?', default='x.csv')
args = parser.parse_args()
print(json.dumps(vars(args)))
`;

describe('argparse options', () => {
  it('are flags named by dest, typed by type= or the default, described by help=', () => {
    const found = byName(ARGPARSE);
    expect(Object.keys(found)).toEqual([
      'lr',
      'batch_size',
      'no_cuda',
      'optimizer',
      'seed',
      'layers',
      'run_tag',
      'keep_all',
      'bn',
    ]);
    expect(sites(ARGPARSE).filter((site) => site.name === 'lr')).toHaveLength(1);
    expect(found.lr).toEqual({
      name: 'lr',
      type: 'float',
      default: 0.01,
      defaultText: '0.01',
      file: 'train.py',
      line: 8,
      kind: 'argparse',
      option: { name: '--lr' },
      description: 'learning rate',
    });
    expect(found.batch_size).toMatchObject({ type: 'int', default: 32, line: 9, description: 'examples per step' });
    expect(found.no_cuda).toMatchObject({
      type: 'boolean',
      default: false,
      option: { name: '--no-cuda', switch: true },
    });
    expect(found.optimizer).toMatchObject({ type: 'string', default: 'sgd', choices: ['sgd', 'adam'] });
    expect(found.seed).toMatchObject({
      type: 'int',
      default: null,
      option: { name: '--seed', defaultCode: "int(os.environ.get('SEED', '1'))" },
    });
    expect(found.layers).toMatchObject({ type: 'list', default: [64, 32], option: { name: '--layers', list: true } });
    expect(found.run_tag).toMatchObject({ type: 'string', default: null, defaultText: 'None' });
    expect(found.seed!.defaultText).toBeUndefined();
    expect(found.keep_all).toMatchObject({ type: 'boolean', default: true, option: { switch: true, off: '--keep' } });
    expect(found.bn).toMatchObject({ type: 'boolean', default: true, option: { name: '--bn', off: '--no-bn' } });
  });

  it('give the names and defaults argparse itself gives', async () => {
    const parsed = await run(ARGPARSE);
    const found = byName(ARGPARSE);
    for (const [name, site] of Object.entries(found)) {
      if (site.option?.defaultCode === undefined) expect([name, parsed[name]]).toEqual([name, site.default]);
    }
  });

  it('take new values in their default= literals, or a default= added, and the script reads them', async () => {
    const values = {
      lr: 0.1,
      batch_size: 64,
      no_cuda: true,
      optimizer: 'adam',
      layers: [1, 2],
      run_tag: 'a"b',
      keep_all: false,
      bn: false,
    };
    const staged = apply(ARGPARSE, values);
    expect(await run(staged)).toMatchObject(values);
    expect(staged).toContain(
      "parser.add_argument('--no-cuda', default=True, action='store_true', help='disable CUDA')",
    );
    expect(staged).toContain(`parser.add_argument('--tag', default='a"b', dest='run_tag')`);
    // Only the defaults changed: every other line is as it was.
    const changed = ARGPARSE.split('\n').filter((line, i) => line !== staged.split('\n')[i]);
    expect(changed).toHaveLength(8);
    expect(changed.every((line) => line.includes('add_argument') || line.includes('default='))).toBe(true);
  });

  it('leave an option whose default is code to the command line: apply does not write it', () => {
    const result = python.apply(ARGPARSE, { seed: 7 }, { mode: 'text', file: 'train.py' });
    expect(result.text).toBe(ARGPARSE);
    expect(result.unused).toEqual(['seed']);
  });

  it('need a call the source spells out', () => {
    const source = [
      'import argparse',
      'p = argparse.ArgumentParser()',
      "names = ['--a']",
      'p.add_argument(*names, default=1)',
      "p.add_argument('--b', default=2, **extra)",
      "p.my_add_argument('--c', default=3)",
      'p.add_argument(NAME, default=4)',
      "p.add_argument('--d', action=MyAction, default=5)",
      "p.add_argument('--e', action='append', default=[])",
      "p.add_argument('--f', default=f'{x}')",
      '',
    ].join('\n');
    expect(sites(source).map((site) => [site.name, site.option?.defaultCode])).toEqual([
      ['names', undefined],
      ['f', "f'{x}'"],
    ]);
  });
});

const CLICK = `import json
import click


@click.command()
@click.option('--lr', default=0.01, type=float, help='Learning rate.')
@click.option('-b', '--Batch-Size', default=32, show_default=True)
@click.option('--cuda/--no-cuda', default=True)
@click.option('--debug', is_flag=True)
@click.option('--optimizer', type=click.Choice(['sgd', 'adam']), default='sgd')
@click.option('--name', 'run_name', default='base')
@click.option('--layer', multiple=True, type=int, default=[8])
@click.option('-v', count=True)
def main(**params):
    print(json.dumps({k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}))


main()
`;

describe.skipIf(!pythonHas('click'))('click options', () => {
  it('are flags named as click names its parameters', () => {
    const found = byName(CLICK);
    expect(Object.keys(found)).toEqual(['lr', 'batch_size', 'cuda', 'debug', 'optimizer', 'run_name', 'layer']);
    expect(found.lr).toMatchObject({
      type: 'float',
      default: 0.01,
      kind: 'click',
      line: 6,
      description: 'Learning rate.',
    });
    expect(found.batch_size).toMatchObject({ type: 'int', default: 32, option: { name: '--Batch-Size' } });
    expect(found.cuda).toMatchObject({ type: 'boolean', default: true, option: { name: '--cuda', off: '--no-cuda' } });
    expect(found.debug).toMatchObject({ type: 'boolean', default: false, option: { name: '--debug', switch: true } });
    expect(found.optimizer).toMatchObject({ type: 'string', choices: ['sgd', 'adam'] });
    expect(found.layer).toMatchObject({ type: 'list', default: [8], option: { list: true } });
  });

  it('give the names and defaults click itself gives', async () => {
    const parsed = await run(CLICK);
    for (const [name, site] of Object.entries(byName(CLICK)))
      expect([name, parsed[name]]).toEqual([name, site.default]);
  });

  it('take new values in their default= literals, and the command reads them', async () => {
    const values = {
      lr: 0.5,
      batch_size: 64,
      cuda: false,
      debug: true,
      optimizer: 'adam',
      run_name: 'x',
      layer: [1, 2],
    };
    expect(await run(apply(CLICK, values))).toMatchObject(values);
  });
});
