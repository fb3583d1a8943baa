/**
 * `run.setAttr`: a plugin records its own attrs in Guild's YAML form; names that are Guild's
 * own attrs or not plain file names, and values YAML cannot hold, are refused.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { listRunsJson, makeProject, pluginFixture } from './support.js';

const PLUGIN = pluginFixture('set-attr.mjs');

/** An attr file as PyYAML (what Guild reads attrs with) loads it. */
function pyYamlLoad(file: string): unknown {
  const code = 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))';
  return JSON.parse(execFileSync('python3', ['-c', code, file], { encoding: 'utf8' }));
}

describe.concurrent('run.setAttr', () => {
  it('writes .guild/attrs/NAME as Guild writes attrs, readable by PyYAML', async ({ expect }) => {
    const project = await makeProject({ 'train.mjs': 'console.log("ok");\n' });
    const result = await project.gs(['run', 'train.mjs', '--plugin', PLUGIN, '-q']);
    expect(result.code, result.stderr).toBe(0);
    const [run] = await listRunsJson(project);
    const attrs = path.join(run!.runDir as string, '.guild', 'attrs');
    expect(await readFile(path.join(attrs, 'train_meta'), 'utf8')).toBe(
      "gpus: 2\nnote: 'yes'\nrate: 0.5\nseen:\n- x\n- 'y'\n",
    );
    expect(pyYamlLoad(path.join(attrs, 'train_meta'))).toEqual({ gpus: 2, note: 'yes', rate: 0.5, seen: ['x', 'y'] });
    expect(pyYamlLoad(path.join(attrs, 'outcome'))).toBe('completed');
  });

  it("refuses Guild's own attr names, names that are not plain file names, and values YAML cannot hold", async ({
    expect,
  }) => {
    const project = await makeProject({ 'train.mjs': 'console.log("ok");\n' });
    const cases: Array<[string, string]> = [
      ['label', "attr name 'label' is one of Guild's own attrs: choose another name"],
      ['../escape', 'attr name "../escape": use a plain file name'],
      ['.hidden', 'attr name ".hidden": use a plain file name'],
      ['date', 'attr when: cannot record a Date (give YAML data)'],
    ];
    for (const [mode, message] of cases) {
      const result = await project.gs(['run', 'train.mjs', '--plugin', PLUGIN, '--label', 'mine'], {
        env: { GS_SET_ATTR: mode },
      });
      expect(result.code, mode).toBe(1);
      expect(result.stderr, mode).toContain(`[plugin set-attr] onRunBegin: ${message}`);
    }
    for (const run of await listRunsJson(project)) {
      expect(run).toMatchObject({ status: 'error', label: 'mine' });
      const dir = run.runDir as string;
      expect(existsSync(path.join(dir, '.guild', 'escape'))).toBe(false);
      expect(existsSync(path.join(dir, '.guild', 'attrs', 'when'))).toBe(false);
    }
  });
});
