/**
 * What gets staged into a run, end to end through the real CLI: which directory is the
 * project (issue 14 item 5, issue 15 item 9), runs directories inside it (issue 15 item 11),
 * files that can hold secrets and the recorded environment (issue 15 item 9), and scripts
 * whose names look like options (issue 15, minor).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, realpath, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runCli, type CliResult } from '../helpers/cli.js';
import { makeTempDir, snapshotTree, writeTree } from '../helpers/fs.js';
import { initAndCommit } from '../stage/git.js';
import { makeProject, manifestPaths, onlyRun, readGuildFile, runsDirEntries, stderrLines } from './support.js';

const TRAIN = 'lr = 0.1\nprint("lr", lr)\n';

/** Run directories (32 hex digits) in `dir`. */
async function runIds(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => /^[0-9a-f]{32}$/.test(name)).sort();
}

/** A fake home directory with unrelated files, and a Guild home beside it. */
async function makeHome(files: Record<string, string>): Promise<{ home: string; guildHome: string }> {
  const home = await realpath(await makeTempDir('gs-home-'));
  const guildHome = await realpath(await makeTempDir('gs-guild-home-'));
  const junk = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`notes/n${i}.txt`, `note ${i}\n`]));
  await writeTree(home, { ...junk, '.bashrc': 'export A=1\n', ...files });
  return { home, guildHome };
}

/** Runs in `home`, whose files must not change: the CLI's code cache goes elsewhere (bin/guild-stage.cts). */
function gsIn(home: string, guildHome: string, cwd: string, args: readonly string[]): Promise<CliResult> {
  return runCli(args, {
    cwd,
    env: { HOME: home, GUILD_HOME: guildHome, XDG_CACHE_HOME: path.join(guildHome, 'cache') },
  });
}

describe.concurrent('the project a run stages', () => {
  it('an absolute script path run from the home directory stages the script’s directory, not the home', async ({
    expect,
  }) => {
    const { home, guildHome } = await makeHome({ 'proj/train.py': TRAIN, 'proj/data.txt': 'd\n' });
    const before = await snapshotTree(home);
    const result = await gsIn(home, guildHome, home, [path.join(home, 'proj/train.py'), '--flags', 'lr=0.5']);

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('lr 0.5');
    const runDir = await onlyRun(path.join(guildHome, 'runs'));
    expect(await manifestPaths(runDir)).toEqual(['data.txt', 'train.py']);
    expect(await readGuildFile(runDir, 'opref')).toBe(`script:${path.join(home, 'proj')} '' '' train.py\n`);
    expect(await snapshotTree(home)).toEqual(before);
  });

  it('in git: the work tree when run from outside it, the current directory when run from inside it', async ({
    expect,
  }) => {
    const { home, guildHome } = await makeHome({ 'repo/sub/train.py': TRAIN, 'repo/README.md': '# r\n' });
    const repo = path.join(home, 'repo');
    initAndCommit(repo);
    const before = await snapshotTree(home);

    const outside = await gsIn(home, guildHome, home, ['stage', path.join(repo, 'sub/train.py'), '-q']);
    expect(outside.code, outside.stderr).toBe(0);
    const outsideRun = path.join(guildHome, 'runs', outside.stdout.trim());
    expect(await manifestPaths(outsideRun)).toEqual(['README.md', 'sub/train.py']);
    expect(await readGuildFile(outsideRun, 'opref')).toBe(`script:${repo} '' '' sub/train.py\n`);

    const inside = await gsIn(home, guildHome, path.join(repo, 'sub'), ['stage', 'train.py', '-q']);
    expect(inside.code, inside.stderr).toBe(0);
    expect(await manifestPaths(path.join(guildHome, 'runs', inside.stdout.trim()))).toEqual(['train.py']);
    expect(await snapshotTree(home)).toEqual(before);
  });

  it('a script directly in the home directory is refused unless -C names the home', async ({ expect }) => {
    const { home, guildHome } = await makeHome({ 'top.py': TRAIN });
    const refused = await gsIn(home, guildHome, home, ['top.py']);

    expect(refused.code).toBe(2);
    expect(stderrLines(refused)).toEqual([
      `guild-stage: ${path.join(home, 'top.py')} is directly in your home directory ${home}: guild-stage will not stage all of it; move the script into a directory of its own, or name the project with -C ${home}`,
    ]);
    expect(existsSync(path.join(guildHome, 'runs'))).toBe(false);

    const named = await gsIn(home, guildHome, home, ['-C', home, 'stage', 'top.py', '-q']);
    expect(named.code, named.stderr).toBe(0);
    expect(await manifestPaths(path.join(guildHome, 'runs', named.stdout.trim()))).toContain('notes/n0.txt');
  });

  it('the config file’s directory is the project of a script below it; without one, the script’s directory is', async ({
    expect,
  }) => {
    const project = await makeProject({
      'guild-stage.config.json': '{}\n',
      'sub/train.py': TRAIN,
      'lib.py': 'x = 1\n',
    });
    const configured = await project.gs(['stage', 'sub/train.py', '-q']);
    expect(configured.code, configured.stderr).toBe(0);
    const runDir = path.join(project.runsDir, configured.stdout.trim());
    expect(await manifestPaths(runDir)).toEqual(['guild-stage.config.json', 'lib.py', 'sub/train.py']);

    const bare = await makeProject({ 'sub/train.py': TRAIN, 'lib.py': 'x = 1\n' });
    const unconfigured = await bare.gs(['stage', 'sub/train.py', '-q']);
    expect(unconfigured.code, unconfigured.stderr).toBe(0);
    expect(await manifestPaths(path.join(bare.runsDir, unconfigured.stdout.trim()))).toEqual(['train.py']);
    const withC = await bare.gs(['-C', '.', 'stage', 'sub/train.py', '-q']);
    expect(await manifestPaths(path.join(bare.runsDir, withC.stdout.trim()))).toEqual(['lib.py', 'sub/train.py']);
    expect(await project.snapshot()).toEqual(project.before);
    expect(await bare.snapshot()).toEqual(bare.before);
  });
});

describe.concurrent('how much a run stages', () => {
  const many = Object.fromEntries(
    Array.from({ length: 1001 }, (_, i) => [`data/f${String(i).padStart(4, '0')}.txt`, 'x\n']),
  );

  it('over 1,000 files: a warning with the count and size, also under -q; --dry-run shows them', async ({ expect }) => {
    const project = await makeProject({ ...many, 'sub/train.py': TRAIN });
    const quiet = await project.gs(['-C', '.', 'run', 'sub/train.py', '--dry-run', '-q']);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(stderrLines(quiet)).toEqual([
      `guild-stage: warning: staging 1,002 files (2.0 KB) from ${project.dir}; the script's directory sub/ holds 1 file (${TRAIN.length} B) of it; name a smaller project with -C DIR, or exclude what the script does not need in "source"`,
    ]);

    const shown = await project.gs(['-C', '.', 'run', 'sub/train.py', '--dry-run']);
    expect(shown.stderr).toContain(`Would stage 1,002 files (2.0 KB) from ${project.dir}\n`);
    const json = await project.gs(['-C', '.', 'run', 'sub/train.py', '--dry-run', '--json']);
    expect(JSON.parse(json.stdout).source).toEqual({
      projectDir: project.dir,
      files: 1002,
      bytes: 2002 + TRAIN.length,
    });

    const small = await project.gs(['run', 'sub/train.py', '--dry-run']);
    expect(small.stderr).not.toContain('warning');
    expect(small.stderr).toContain(`Would stage 1 file (${TRAIN.length} B) from ${path.join(project.dir, 'sub')}\n`);
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('the file limit cutting the source is one warning with the counts, also under -q', async ({ expect }) => {
    const project = await makeProject({
      'guild-stage.config.json': JSON.stringify({ source: { maxFiles: 3 } }),
      'a.py': TRAIN,
      'b.txt': 'b\n',
      'c.txt': 'c\n',
      'd.txt': 'd\n',
      'e.txt': 'e\n',
      'z.py': TRAIN,
    });
    const result = await project.gs(['run', 'a.py', '-q']);

    expect(result.code, result.stderr).toBe(0);
    expect(stderrLines(result)).toEqual([
      `guild-stage: warning: the file limit left 4 of 7 files of ${project.dir} out of the run (3 staged, in path order); raise "maxFiles" in "source", or exclude what the script does not need`,
    ]);
    expect(await manifestPaths(await onlyRun(project.runsDir))).toEqual(['a.py', 'b.txt', 'c.txt']);

    const cut = await project.gs(['run', 'z.py', '-q']);
    expect(cut.code).toBe(2);
    expect(stderrLines(cut)).toEqual([
      'guild-stage: the script z.py is not part of the staged source (too many files: over the limit of 3 files)',
    ]);
    expect(await project.snapshot()).toEqual(project.before);
  });
});

describe.concurrent('runs directories inside the project', () => {
  it('--runs-dir . and --runs-dir runs: no run copies an earlier one', async ({ expect }) => {
    for (const runsDir of ['.', 'runs']) {
      const project = await makeProject({ 'train.py': TRAIN, 'lib.py': 'x = 1\n' });
      for (let i = 0; i < 2; i++) {
        const result = await project.gs(['train.py', '--runs-dir', runsDir, '-q']);
        expect(result.code, result.stderr).toBe(0);
      }
      const where = path.join(project.dir, runsDir);
      const ids = await runIds(where);
      expect(ids).toHaveLength(2);
      for (const id of ids) expect(await manifestPaths(path.join(where, id))).toEqual(['lib.py', 'train.py']);
      const after = await snapshotTree(project.dir);
      for (const [file, entry] of Object.entries(project.before)) expect(after[file]).toBe(entry);
    }
  });

  it('other runs directories, their trash and the compare index are not copied, in git or not', async ({ expect }) => {
    for (const withGit of [false, true]) {
      const project = await makeProject({ 'train.py': TRAIN, '.gitignore': '.guild/\n' });
      if (withGit) initAndCommit(project.dir);
      // An earlier Guild home inside the project: its runs, its trash, the compare index.
      const env = { GUILD_HOME: path.join(project.dir, 'old-home') };
      for (let i = 0; i < 2; i++) await project.gs(['train.py', '-q'], { env });
      const [first] = await runIds(path.join(project.dir, 'old-home', 'runs'));
      const removed = await project.gs(['runs', 'rm', first!.slice(0, 8)], { env });
      expect(removed.code, removed.stderr).toBe(0);
      expect(await runIds(path.join(project.dir, 'old-home', 'trash', 'runs'))).toEqual([first]);
      await writeFile(path.join(project.dir, 'old-home', 'runs', '.guild-stage-index.json'), '{}\n');

      const result = await project.gs(['train.py', '--dry-run', '--json']);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout).source.files, `git: ${withGit}`).toBe(2);
      const staged = await project.gs(['stage', 'train.py', '-q']);
      expect(await manifestPaths(path.join(project.runsDir, staged.stdout.trim()))).toEqual(['.gitignore', 'train.py']);
    }
  });
});

describe.concurrent('secrets', () => {
  const SECRETS = {
    '.env': 'DB_PASSWORD=hunter2\n',
    '.env.local': 'X=1\n',
    '.envrc': 'export X=1\n',
    '.netrc': 'machine h login u password p\n',
    '.git-credentials': 'https://u:p@github.com\n',
    '.bash_history': 'ls\n',
    id_rsa: '-----BEGIN OPENSSH PRIVATE KEY-----\n',
    'keys/id_ed25519.pub': 'ssh-ed25519 AAAA\n',
    'certs/server.pem': '-----BEGIN CERTIFICATE-----\n',
    'certs/tls.key': '-----BEGIN PRIVATE KEY-----\n',
    '.aws/credentials': '[default]\naws_secret_access_key = x\n',
  };
  const SOURCE = {
    'train.py': TRAIN,
    'id_utils.py': 'x = 1\n',
    'keys.py': 'x = 1\n',
    'environment.yml': 'name: x\n',
  };

  it('files that can hold secrets are skipped and reported, in a git checkout or not', async ({ expect }) => {
    for (const withGit of [false, true]) {
      const project = await makeProject({ ...SOURCE, ...SECRETS });
      if (withGit) initAndCommit(project.dir);
      const before = await project.snapshot();
      const result = await project.gs(['stage', 'train.py', '--json']);

      expect(result.code, result.stderr).toBe(0);
      const out = JSON.parse(result.stdout);
      expect(await manifestPaths(out.runDir)).toEqual(['environment.yml', 'id_utils.py', 'keys.py', 'train.py']);
      // Outside git the hidden .aws/ is not even walked into; git lists it, and it is a secret.
      const secret = Object.keys(SECRETS).filter((file) => withGit || !file.startsWith('.aws/'));
      expect(
        out.skipped
          .filter((file: { reason: string }) => file.reason === 'secret')
          .map((file: { path: string }) => file.path)
          .sort(),
      ).toEqual(secret.sort());
      for (const file of secret) {
        expect(result.stderr).toContain(
          `guild-stage: warning: skipped ${file}: can hold secrets: staged only when an include rule names it\n`,
        );
      }
      expect(await project.snapshot()).toEqual(before);
    }
  });

  it('an include rule naming a secret file stages it; a broad one or a symlink to it does not', async ({ expect }) => {
    const project = await makeProject(
      {
        ...SOURCE,
        '.env': 'A=1\n',
        '.env.local': 'B=1\n',
        'certs/server.pem': 'pem\n',
        'guild-stage.config.json': JSON.stringify({ source: { include: ['.env', '**', 'certs'] } }),
      },
      async ({ dir }) => symlink('.env.local', path.join(dir, 'settings.txt')),
    );
    const result = await project.gs(['stage', 'train.py', '--json']);

    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(await manifestPaths(out.runDir)).toEqual([
      '.env',
      'environment.yml',
      'guild-stage.config.json',
      'id_utils.py',
      'keys.py',
      'train.py',
    ]);
    expect(await readFile(path.join(out.runDir, '.env'), 'utf8')).toBe('A=1\n');
    expect(result.stderr).toContain(
      'skipped settings.txt: can hold secrets: points to .env.local; staged only when an include rule names it',
    );
    expect(result.stderr).toContain('skipped certs/server.pem: can hold secrets');
  });

  it('the recorded environment drops secret names, masks URL credentials and is readable by the owner only', async ({
    expect,
  }) => {
    const project = await makeProject({
      'train.py': `import os
print("pwd seen:", os.environ.get("DB_PWD") == "hunter2")
print("url seen:", os.environ.get("DATABASE_URL") == "postgres://app:hunter2@db:5432/x")
`,
    });
    const result = await project.gs(['run', 'train.py'], {
      env: {
        DB_PWD: 'hunter2',
        API_SESSION: 'hunter2',
        SENTRY_DSN: 'hunter2',
        DATABASE_URL: 'postgres://app:hunter2@db:5432/x',
        PWD: project.dir,
      },
    });

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('pwd seen: True\nurl seen: True\n');
    const runDir = await onlyRun(project.runsDir);
    const attrs = path.join(runDir, '.guild', 'attrs');
    const env = parseYaml(await readFile(path.join(attrs, 'env'), 'utf8'));
    expect(env).not.toHaveProperty('DB_PWD');
    expect(env).not.toHaveProperty('API_SESSION');
    expect(env).not.toHaveProperty('SENTRY_DSN');
    expect(env.DATABASE_URL).toBe('postgres://app:***@db:5432/x');
    expect(env.PWD).toBe(project.dir);
    for (const name of await readdir(attrs)) {
      const text = await readFile(path.join(attrs, name), 'utf8');
      expect(text, name).not.toContain('hunter2');
    }
    for (const name of ['env', 'op', 'guild_stage']) {
      expect((await stat(path.join(attrs, name))).mode & 0o777, name).toBe(0o600);
    }
    expect((await stat(path.join(attrs, 'flags'))).mode & 0o077).not.toBe(0);
  });
});

describe.concurrent('script names', () => {
  for (const [script, text] of [
    ['-c.py', 'print("dash script ran")\n'],
    ['-c.mjs', 'console.log("dash script ran");\n'],
  ] as const) {
    it(`${script} runs as a file, never as the interpreter’s option`, async ({ expect }) => {
      const project = await makeProject({ [script]: text });
      const result = await project.gs([`./${script}`]);

      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe('dash script ran\n');
      const runDir = await onlyRun(project.runsDir);
      expect(await readGuildFile(runDir, 'opref')).toBe(`script:${project.dir} '' '' ${script}\n`);
      expect(parseYaml(await readFile(path.join(runDir, '.guild', 'attrs', 'cmd'), 'utf8')).at(-1)).toBe(`./${script}`);
    });
  }

  it('`..foo.py` is inside the project', async ({ expect }) => {
    const project = await makeProject({ '..foo.py': 'print("dots ran")\n' });
    const result = await project.gs(['..foo.py']);

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('dots ran\n');
    expect(await runsDirEntries(project.runsDir)).toHaveLength(1);
  });
});
