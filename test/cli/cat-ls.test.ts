/**
 * `guild-stage cat` and `ls`: a run's output and files, read back as `guild cat` and
 * `guild ls` show them.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { listRunsJson, makeProject } from './support.js';

const SCRIPT = `import { mkdirSync, writeFileSync } from 'node:fs';
mkdirSync('out/10', { recursive: true });
writeFileSync('out/model.txt', 'weights\\n');
writeFileSync('out/10/b.txt', '');
mkdirSync('out/9');
writeFileSync('.hidden', 'x');
console.log('to stdout');
console.error('to stderr');
`;

describe.concurrent('cat and ls', () => {
  it("cat prints a run's output or a file of it; ls lists its files", async ({ expect }) => {
    const project = await makeProject({ 'make.mjs': SCRIPT });
    expect((await project.gs(['run', 'make.mjs', '-q'])).code).toBe(0);
    const [run] = await listRunsJson(project);
    const runDir = run!.runDir as string;

    const output = await project.gs(['cat', '1']);
    expect(output.code, output.stderr).toBe(0);
    expect(output.stdout).toBe(await readFile(path.join(runDir, '.guild', 'output'), 'utf8'));
    expect(output.stdout).toBe('to stdout\nto stderr\n');
    expect(await project.gs(['cat', (run!.id as string).slice(0, 8), '--path', 'out/model.txt'])).toMatchObject({
      code: 0,
      stdout: 'weights\n',
    });

    const ls = await project.gs(['ls', '1']);
    expect(ls.code, ls.stderr).toBe(0);
    // Natural order: out/9 before out/10.
    expect(ls.stdout).toBe('make.mjs\nout/\nout/9/\nout/10/\nout/10/b.txt\nout/model.txt\n');
    const all = (await project.gs(['ls', '1', '--all'])).stdout.split('\n');
    expect(all).toEqual(
      expect.arrayContaining(['.hidden', '.guild/', '.guild/output', '.guild/attrs/flags', 'make.mjs']),
    );
    expect(await project.snapshot()).toEqual(project.before);
  });

  it('refuses paths outside the run, missing files, directories, and output of a run that has not run', async ({
    expect,
  }) => {
    const project = await makeProject({ 'make.mjs': SCRIPT });
    expect((await project.gs(['stage', 'make.mjs', '-q'])).code).toBe(0);
    const [run] = await listRunsJson(project);
    const short = (run!.id as string).slice(0, 8);
    const cases: Array<[string[], string]> = [
      [['cat', '1'], `guild-stage: run ${short} has no output (it has not run)\n`],
      [['cat', '1', '--path', '../x'], 'guild-stage: --path ../x: give a file of the run, relative to its directory\n'],
      [
        ['cat', '1', '--path', '/etc/passwd'],
        'guild-stage: --path /etc/passwd: give a file of the run, relative to its directory\n',
      ],
      [['cat', '1', '--path', 'nope.txt'], `guild-stage: run ${short} has no file nope.txt\n`],
      [['cat', '1', '--path', '.guild'], `guild-stage: --path .guild: not a regular file in run ${short}\n`],
    ];
    for (const [args, stderr] of cases) {
      expect(await project.gs(args), args.join(' ')).toMatchObject({ code: 2, stdout: '', stderr });
    }
    expect((await project.gs(['ls', '1'])).stdout).toBe('make.mjs\n');
  });
});
