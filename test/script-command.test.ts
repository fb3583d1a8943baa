import { describe, expect, it, vi } from 'vitest';
import { commandFor } from '../src/script-command.js';

// How a script runs is registry data: finding it must load no language's transformer (nor its parser).
vi.mock('../transformers/python/index.js', () => failToLoad('python'));
vi.mock('../transformers/r/index.js', () => failToLoad('r'));
vi.mock('../transformers/javascript/index.js', () => failToLoad('javascript'));
vi.mock('../transformers/typescript/index.js', () => failToLoad('typescript'));

function failToLoad(language: string): never {
  throw new Error(`loaded the ${language} transformer`);
}

describe('commandFor', () => {
  it('runs each script type plainly', () => {
    expect(commandFor('train.py', ['--x'], {}).cmd).toEqual(['python3', 'train.py', '--x']);
    expect(commandFor('train.py', [], { PYTHON: '/opt/py' }).cmd).toEqual(['/opt/py', 'train.py']);
    expect(commandFor('train.py', [], {}).env).toEqual({ PYTHONUNBUFFERED: '1' });
    expect(commandFor('model/train.R', [], {}).cmd).toEqual(['Rscript', 'model/train.R']);
    expect(commandFor('a.mjs', [], {}).cmd).toEqual([process.execPath, 'a.mjs']);
    const ts = commandFor('a.ts', ['1'], {}).cmd;
    expect(ts[0]).toBe(process.execPath);
    expect(ts[1]).toMatch(/tsx[\\/]dist[\\/]cli\.mjs$/);
    expect(ts.slice(2)).toEqual(['a.ts', '1']);
    // Node.js cannot run JSX; tsx runs both kinds.
    for (const script of ['view.jsx', 'view.tsx', 'a.mts'])
      expect(commandFor(script, [], {}).cmd.slice(1)).toEqual([ts[1], script]);
    expect(commandFor('TRAIN.PY', [], {}).cmd).toEqual(['python3', 'TRAIN.PY']);
    expect(commandFor('train.r', [], {}).env).toEqual({});
    expect(commandFor('run.sh', [], {}).cmd).toEqual(['./run.sh']);
    expect(commandFor('bin/run', [], {}).cmd).toEqual(['bin/run']);
  });
});
