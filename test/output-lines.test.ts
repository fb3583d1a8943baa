import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../src/output-lines.js';

describe('LineSplitter', () => {
  it('joins lines split across chunks and stamps each with the time its first byte came', () => {
    const s = new LineSplitter('stdout');
    const t1 = new Date(1000);
    const t2 = new Date(2000);
    expect(s.push(Buffer.from('hel'), t1)).toEqual([]);
    expect(s.push(Buffer.from('lo\nwor'), t2)).toEqual([{ stream: 'stdout', text: 'hello', time: t1 }]);
    expect(s.push(Buffer.from('ld\r\n\nlast'), new Date(3000))).toEqual([
      { stream: 'stdout', text: 'world', time: t2 },
      { stream: 'stdout', text: '', time: new Date(3000) },
    ]);
    expect(s.end(new Date(4000))).toEqual([{ stream: 'stdout', text: 'last', time: new Date(3000) }]);
    expect(s.end(new Date(5000))).toEqual([]);
  });

  it('does not split a UTF-8 character across chunks', () => {
    const s = new LineSplitter('stderr');
    const bytes = Buffer.from('é\n');
    expect(s.push(bytes.subarray(0, 1), new Date(0))).toEqual([]);
    expect(s.push(bytes.subarray(1), new Date(0)).map((l) => l.text)).toEqual(['é']);
  });
});
