import { describe, expect, it } from 'vitest';
import { commandFor } from '../src/script-command.js';

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
    expect(commandFor('run.sh', [], {}).cmd).toEqual(['./run.sh']);
    expect(commandFor('bin/run', [], {}).cmd).toEqual(['bin/run']);
  });
});
