/**
 * The shared conformance cases (copied into fixtures/conformance), driven through the real
 * CLI as the reference runner in ../shared/conformance does: stage each case's script with
 * its flags (JS/TS cases in both modes), then check the staged file byte for byte, by value (with the language's own
 * interpreter), by changed lines, or for the expected error.
 */
import { copyFileSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { type CaseSpec, evaluateFile, expectValues, loadCases } from './helpers/conformance.js';
import { makeTempDir } from './helpers/fs.js';

/** The case's own mode first; JavaScript and TypeScript cases must pass in the other mode too. */
function modesOf(script: string, spec: CaseSpec): Array<'text' | 'ast' | undefined> {
  if (!/\.[cm]?[jt]sx?$/.test(script)) return [spec.mode];
  const named = spec.mode ?? 'text';
  return [named, named === 'text' ? 'ast' : 'text'];
}

function checkLines(before: string, after: string, spec: CaseSpec['expect']): void {
  const a = before.split('\n');
  const b = after.split('\n');
  const allowed = new Set(spec.changed_lines);
  if (spec.same_line_count !== false) {
    expect(b.length).toBe(a.length);
    a.forEach((line, i) => {
      if (!allowed.has(i + 1)) expect(b[i], `line ${i + 1} must not change`).toBe(line);
    });
    return;
  }
  const first = Math.min(...allowed);
  const last = Math.max(...allowed);
  for (let i = 0; i < first - 1; i++) expect(b[i], `line ${i + 1} must not change`).toBe(a[i]);
  for (let k = 1; k <= a.length - last; k++) expect(b[b.length - k]).toBe(a[a.length - k]);
}

const cases = loadCases(() => true);

describe.concurrent('conformance cases through the CLI', () => {
  for (const { name, dir, spec, script } of cases) {
    it(name, async () => {
      const tmp = await makeTempDir();
      const project = path.join(tmp, 'project');
      await mkdir(project);
      copyFileSync(path.join(dir, script), path.join(project, script));
      const original = await readFile(path.join(project, script), 'utf8');

      if (spec.expect.discover || spec.expect.not_flags) {
        const listed = await runCli(['flags', script, '--json'], { cwd: project });
        expect(listed.stderr).toBe('');
        const flags = JSON.parse(listed.stdout) as Array<Record<string, unknown>>;
        for (const want of spec.expect.discover ?? []) {
          const got = flags.find((flag) => flag.name === want.name);
          expect(got, `flag ${want.name} discovered`).toBeDefined();
          for (const key of ['type', 'default', 'description', 'choices', 'min', 'max'] as const) {
            if (key in want) expect(got![key], `${want.name}.${key}`).toEqual(want[key]);
          }
        }
        for (const notFlag of spec.expect.not_flags ?? [])
          expect(flags.map((flag) => flag.name)).not.toContain(notFlag);
      }
      if (!spec.flags) return;

      for (const mode of modesOf(script, spec)) {
        const runs = path.join(tmp, `runs-${mode ?? 'default'}`);
        const args = [
          'stage',
          script,
          '--runs-dir',
          runs,
          '--json',
          ...(mode ? ['--mode', mode] : []),
          '--flags',
          ...spec.flags,
        ];
        const result = await runCli(args, { cwd: project });
        expect(await readFile(path.join(project, script), 'utf8')).toBe(original);
        if (spec.expect.error) {
          expect(result.code).not.toBe(0);
          expect(result.stderr.toLowerCase()).toContain(spec.expect.error.toLowerCase());
          expect(result.stderr.trim().split('\n')).toHaveLength(1);
          expect(await readdir(runs).catch(() => [])).toEqual([]);
          continue;
        }
        expect(result.stderr, `mode ${mode}`).toBe('');
        expect(result.code).toBe(0);
        const staged = path.join((JSON.parse(result.stdout) as { runDir: string }).runDir, script);
        const text = await readFile(staged, 'utf8');
        if (spec.expect.exact)
          expect(text, `mode ${mode}`).toBe(await readFile(path.join(dir, spec.expect.exact), 'utf8'));
        if (spec.expect.changed_lines) checkLines(original, text, spec.expect);
        if (spec.expect.values) expectValues(await evaluateFile(staged), spec.expect.values);
      }
    });
  }
});
