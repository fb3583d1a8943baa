/**
 * Flags that live in a config file (`#| flags-dest: config:FILE`): the real CLI stages and
 * runs scripts whose YAML, JSON or TOML config holds the flags, and Python's own readers
 * check what the staged copy says.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'vitest';
import { pythonHas, runPython } from '../helpers/python.js';
import { guild, parseSimpleCsv, REFERENCE_SKIP } from '../helpers/reference.js';
import {
  makeProject,
  onlyRun,
  readAttrs,
  readGuildFile,
  runsDirEntries,
  stderrLines,
  type Project,
} from './support.js';

const YAML = `# Training config: comments, nesting and styles stay as written
model:
  hidden: 128   # units per layer
  activation: "relu"
  layers: [64, 32]
optim:
  # the step size
  lr: 0.01
  momentum: 0.9
data:
  path: 'data/train.csv'
  shuffle: yes
`;

const JSON_CONFIG = `{
  "model": {"hidden": 128, "activation": "relu"},
  "optim": {
    "lr": 0.01,
    "momentum": 0.9
  },
  "epochs": 10
}
`;

const TOML = `# Training config
title = 'baseline'

[model]
hidden = 128  # units per layer
activation = "relu"

[optim]
lr = 0.01
momentum = 0.9
warmup-steps = 100
`;

/** How Python reads each format: the module and the call that loads a file into data. */
const READERS = {
  yaml: { module: 'yaml', load: 'yaml.safe_load(open(p))' },
  json: { module: 'json', load: 'json.load(open(p))' },
  toml: { module: 'tomllib', load: "tomllib.load(open(p, 'rb'))" },
} as const;

interface Format {
  ext: keyof typeof READERS;
  text: string;
  /** The config with model.hidden=256 and optim.lr=0.001, as it must read byte for byte. */
  expected: string;
}

const FORMATS: Format[] = [
  { ext: 'yaml', text: YAML, expected: YAML.replace('hidden: 128', 'hidden: 256').replace('lr: 0.01', 'lr: 0.001') },
  {
    ext: 'json',
    text: JSON_CONFIG,
    expected: JSON_CONFIG.replace('"hidden": 128', '"hidden": 256').replace('"lr": 0.01', '"lr": 0.001'),
  },
  {
    ext: 'toml',
    text: TOML,
    expected: TOML.replace('hidden = 128', 'hidden = 256').replace('lr = 0.01', 'lr = 0.001'),
  },
];

/** Loads config files with Python's reader for the format: data by path, dates as text. */
async function pythonLoad(ext: Format['ext'], files: string[]): Promise<unknown[]> {
  const { module, load } = READERS[ext];
  return runPython<unknown[]>(
    `import json, sys, ${module}\nprint(json.dumps([${load} for p in json.load(sys.stdin)], default=str))`,
    files,
  );
}

function script(configFile: string): string {
  return `#| flags-dest: config:${configFile}\nprint("reads ${configFile}")\n`;
}

function configProject(format: Format, extra: Record<string, string> = {}): Promise<Project> {
  const file = `config.${format.ext}`;
  return makeProject({ 'train.py': script(file), [file]: format.text, ...extra });
}

describe.concurrent('flags in a config file', () => {
  for (const format of FORMATS) {
    const file = `config.${format.ext}`;
    const skip = pythonHas(READERS[format.ext].module)
      ? ''
      : ` [skipped: python3 cannot import ${READERS[format.ext].module}]`;
    it.skipIf(skip !== '')(
      `stage --flags model.hidden=256 optim.lr=0.001 changes exactly those values of a ${format.ext} config${skip}`,
      async ({ expect }) => {
        const project = await configProject(format);
        const result = await project.gs([
          'stage',
          'train.py',
          '--runs-dir',
          project.runsDir,
          '--flags',
          'model.hidden=256',
          'optim.lr=0.001',
        ]);
        expect(result.code, result.stderr).toBe(0);
        const run = await onlyRun(project.runsDir);
        const staged = path.join(run, file);
        expect(await readFile(staged, 'utf8')).toBe(format.expected);
        // Python's own reader sees the new values, and every other value as the project's copy has it.
        const [before, after] = (await pythonLoad(format.ext, [path.join(project.dir, file), staged])) as Array<
          Record<string, Record<string, unknown>>
        >;
        expect(after).toEqual({
          ...before,
          model: { ...before!.model, hidden: 256 },
          optim: { ...before!.optim, lr: 0.001 },
        });
        // stage prints the run id on stdout and what it changed on stderr.
        expect(result.stderr).toMatch(new RegExp(`${file.replace('.', '\\.')}:\\d+ model\\.hidden 128 -> 256`));
        // The patch is the config's change, it applies to the project, and the script is untouched.
        const patch = await readGuildFile(run, 'staged.patch');
        expect(patch).toContain(`+++ b/${file}`);
        expect(patch).not.toContain('train.py');
        await promisify(execFile)('git', ['apply', '--check', path.join(run, '.guild', 'staged.patch')], {
          cwd: project.dir,
        });
        expect(await readFile(path.join(run, 'train.py'), 'utf8')).toBe(script(file));
        expect(await project.snapshot()).toEqual(project.before);
        const attrs = await readAttrs(run);
        expect(attrs.user_flags).toEqual({ 'model.hidden': 256, 'optim.lr': 0.001 });
        expect((attrs.flags as Record<string, unknown>)['optim.momentum']).toBe(0.9);
        expect((attrs.op as Record<string, unknown>)['flags-dest']).toBe(`config:${file}`);
      },
    );
  }

  it('flags lists a config file leaves with where each lives, and run writes the values the script reads', async ({
    expect,
  }) => {
    const project = await makeProject({
      'train.py': [
        '#| flags-dest: config:conf/train.yml',
        'import yaml',
        'cfg = yaml.safe_load(open("conf/train.yml"))',
        'print("hidden", cfg["model"]["hidden"], "layers", cfg["model"]["layers"], "shuffle", cfg["data"]["shuffle"])',
        '',
      ].join('\n'),
      'conf/train.yml': YAML,
    });
    const flags = await project.gs(['flags', 'train.py', '--json']);
    expect(flags.code, flags.stderr).toBe(0);
    const sites = JSON.parse(flags.stdout) as Array<Record<string, unknown>>;
    expect(sites.map((site) => [site.name, site.type, site.default, `${site.file}:${site.line}`])).toEqual([
      ['model.hidden', 'int', 128, 'conf/train.yml:3'],
      ['model.activation', 'string', 'relu', 'conf/train.yml:4'],
      ['model.layers.0', 'int', 64, 'conf/train.yml:5'],
      ['model.layers.1', 'int', 32, 'conf/train.yml:5'],
      ['optim.lr', 'float', 0.01, 'conf/train.yml:8'],
      ['optim.momentum', 'float', 0.9, 'conf/train.yml:9'],
      ['data.path', 'string', 'data/train.csv', 'conf/train.yml:11'],
      ['data.shuffle', 'boolean', true, 'conf/train.yml:12'],
    ]);
    const table = await project.gs(['flags', 'train.py']);
    expect(table.stdout).toMatch(/model\.hidden\s+int\s+128\s+conf\/train\.yml:3/);

    const skip = pythonHas('yaml') ? '' : 'no PyYAML';
    if (skip) return;
    const run = await project.gs([
      'run',
      'train.py',
      '--flags',
      'model.hidden=256',
      'model.layers.1=8',
      'data.shuffle=no',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('hidden 256 layers [64, 8] shuffle False');
    const staged = await readFile(path.join(await onlyRun(project.runsDir), 'conf/train.yml'), 'utf8');
    expect(staged).toBe(
      YAML.replace('hidden: 128', 'hidden: 256')
        .replace('[64, 32]', '[64, 8]')
        .replace('shuffle: yes', 'shuffle: false'),
    );
  });

  it('a batch grids a dotted flag, each trial gets its value, and compare has a column for it', async ({ expect }) => {
    const project = await configProject(FORMATS[0]!);
    const batch = await project.gs(['run', 'train.py', '--flags', 'model.hidden=[128,256]', 'optim.lr=0.001', '-q']);
    expect(batch.code, batch.stderr).toBe(0);
    const compare = await project.gs(['compare', '--csv', '--sort', '=model.hidden']);
    expect(compare.code, compare.stderr).toBe(0);
    const rows = parseSimpleCsv(compare.stdout);
    expect(rows.map((row) => [row['model.hidden'], row['optim.lr'], row['model.activation']])).toEqual([
      ['128', '0.001', 'relu'],
      ['256', '0.001', 'relu'],
    ]);
    for (const row of rows) {
      const text = await readFile(path.join(project.runsDir, row.run!, 'config.yaml'), 'utf8');
      expect(text).toBe(YAML.replace('hidden: 128', `hidden: ${row['model.hidden']}`).replace('lr: 0.01', 'lr: 0.001'));
    }
  });

  it('a JavaScript script names its config with //| and a bare flags-dest, and reads the values run wrote', async ({
    expect,
  }) => {
    const project = await makeProject({
      'train.mjs': [
        '//| flags-dest: params.json',
        "import { readFileSync } from 'node:fs';",
        "const { model, optim } = JSON.parse(readFileSync('params.json', 'utf8'));",
        'console.log(`hidden=${model.hidden} lr=${optim.lr} activation=${model.activation}`);',
        '',
      ].join('\n'),
      'params.json': JSON_CONFIG,
    });
    const result = await project.gs(['run', 'train.mjs', '--flags', 'model.hidden=64', 'model.activation=gelu']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('hidden=64 lr=0.01 activation=gelu');
    expect(await readFile(path.join(await onlyRun(project.runsDir), 'params.json'), 'utf8')).toBe(
      JSON_CONFIG.replace('"hidden": 128', '"hidden": 64').replace('"relu"', '"gelu"'),
    );
  });

  it('flagsDest in guild-stage.config.json names the config file of scripts without frontmatter', async ({
    expect,
  }) => {
    const project = await makeProject({
      'guild-stage.config.json': '{"flagsDest": "params.toml"}',
      'train.py': 'lr = 0.5\nprint("no frontmatter")\n',
      'params.toml': TOML,
    });
    const result = await project.gs([
      'stage',
      'train.py',
      '--flags',
      'optim.momentum=0.5',
      'title=tuned',
      'optim.warmup-steps=10',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const run = await onlyRun(project.runsDir);
    expect(await readFile(path.join(run, 'params.toml'), 'utf8')).toBe(
      TOML.replace('momentum = 0.9', 'momentum = 0.5')
        .replace("title = 'baseline'", "title = 'tuned'")
        .replace('warmup-steps = 100', 'warmup-steps = 10'),
    );
    // The script's own globals are not flags when its flags live in a config file, as in Guild.
    const lr = await project.gs(['stage', 'train.py', '--flags', 'lr=0.1']);
    expect(stderrLines(lr)).toEqual([
      "guild-stage: unknown flag 'lr' (top-level keys of params.toml: model, optim, title); did you mean optim.lr?",
    ]);
  });
});

describe.concurrent('a config file changed before the flags are written', () => {
  it('ends the run in error, naming the flags it could not write, and runs nothing', async ({ expect }) => {
    const project = await makeProject({
      'train.py': `${script('config.yaml')}open("ran", "w").close()\n`,
      'config.yaml': YAML,
      // Runs before the built-in flags plugin (priority 0) and takes the optim section away.
      'drop.mjs': [
        'export default {',
        "  name: 'drop-optim',",
        '  priority: 10,',
        '  async onRunStaged(_run, staged) {',
        "    const text = await staged.read('config.yaml');",
        "    await staged.write('config.yaml', text.replace(/^optim:\\n(  .*\\n)+/m, ''));",
        '  },',
        '};',
        '',
      ].join('\n'),
    });
    const result = await project.gs(['run', 'train.py', '--plugin', './drop.mjs', '--flags', 'optim.lr=0.5', '--json']);
    expect(result.code).not.toBe(0);
    const run = JSON.parse(result.stdout) as { status: string; error: string; runDir: string };
    expect(run.status).toBe('error');
    expect(run.error).toContain('flags optim.lr are no longer in the staged config.yaml');
    expect(existsSync(path.join(run.runDir, 'ran'))).toBe(false);
  });
});

interface BadCase {
  name: string;
  files: Record<string, string>;
  flags: string[];
  code: number;
  says: string;
}

const BAD: BadCase[] = [
  {
    name: 'an unknown dotted name lists the keys under its known part',
    files: { 'train.py': script('config.yaml'), 'config.yaml': YAML },
    flags: ['optim.lrr=0.1'],
    code: 2,
    says: "unknown flag 'optim.lrr' (keys under optim in config.yaml: lr, momentum); did you mean optim.lr?",
  },
  {
    name: 'a name missing its section says where it is',
    files: { 'train.py': script('config.yaml'), 'config.yaml': YAML },
    flags: ['hidden=256'],
    code: 2,
    says: "unknown flag 'hidden' (top-level keys of config.yaml: data, model, optim); did you mean model.hidden?",
  },
  {
    name: 'a string for a number leaf',
    files: { 'train.py': script('config.json'), 'config.json': JSON_CONFIG },
    flags: ['model.hidden=wide'],
    code: 2,
    says: "invalid value 'wide' for flag model.hidden: expected an integer",
  },
  {
    name: 'a YAML config that does not parse',
    files: { 'train.py': script('config.yaml'), 'config.yaml': 'model:\n  hidden: 128\n layers: 3\n' },
    flags: ['model.hidden=256'],
    code: 2,
    says: 'config.yaml:3: ',
  },
  {
    name: 'a JSON config that does not parse',
    files: { 'train.py': script('config.json'), 'config.json': '{\n  "a": 1\n  "b": 2\n}\n' },
    flags: ['a=2'],
    code: 2,
    says: 'config.json:3: comma expected',
  },
  {
    name: 'a TOML config that does not parse',
    files: { 'train.py': script('config.toml'), 'config.toml': '[model]\nhidden = 128\nhidden = 3\n' },
    flags: ['model.hidden=2'],
    code: 2,
    says: 'config.toml:3: ',
  },
  {
    name: 'a config file that does not exist',
    files: { 'train.py': script('missing.yml') },
    flags: ['a=1'],
    code: 2,
    says: 'cannot read config file (flags-dest of train.py) missing.yml',
  },
  {
    name: 'a config format no transformer reads',
    files: { 'train.py': script('params.ini'), 'params.ini': '[a]\nb = 1\n' },
    flags: ['a.b=2'],
    code: 2,
    says: 'train.py frontmatter: flags-dest config:params.ini: no flag transformer reads this kind of file',
  },
  {
    name: '--mode ast, which config files do not have',
    files: { 'train.py': script('config.yaml'), 'config.yaml': YAML },
    flags: ['model.hidden=256', '--mode', 'ast'],
    code: 2,
    says: 'AST mode is not available for YAML config files; use --mode text',
  },
  {
    name: 'a config file outside the project',
    files: { 'train.py': script('../outside.yml') },
    flags: ['a=1'],
    code: 2,
    says: 'flags-dest of train.py: ../outside.yml is outside the project',
  },
];

describe.concurrent('bad config flags', () => {
  it.for(BAD)('$name', async (bad, { expect }) => {
    const project = await makeProject(bad.files);
    const result = await project.gs(['stage', 'train.py', '--runs-dir', project.runsDir, '--flags', ...bad.flags]);
    expect(result.code, result.stderr).toBe(bad.code);
    const lines = stderrLines(result);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(bad.says);
    expect(await runsDirEntries(project.runsDir)).toEqual([]);
    expect(await project.snapshot()).toEqual(project.before);
  });
});

describe.concurrent(`Guild AI reads dotted config flags${REFERENCE_SKIP}`, () => {
  it.skipIf(REFERENCE_SKIP !== '')('runs info and compare show the flags by their dotted names', async ({ expect }) => {
    const project = await configProject(FORMATS[0]!);
    const result = await project.gs(['run', 'train.py', '--flags', 'model.hidden=256', 'optim.lr=0.001']);
    expect(result.code, result.stderr).toBe(0);
    const info = await guild(project.home, 'runs', 'info');
    expect(info).toContain('  model.hidden: 256\n');
    expect(info).toContain('  optim.lr: 0.001\n');
    const [row] = parseSimpleCsv(await guild(project.home, 'compare', '--csv', '-'));
    expect(row).toMatchObject({
      'model.hidden': '256',
      'optim.lr': '0.001',
      'model.layers.1': '32',
      status: 'completed',
    });
  });
});
