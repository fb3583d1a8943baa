import { describe, expect, it } from 'vitest';
import { TransformError } from '../../../transformers/errors.js';
import {
  codecHandling,
  codingCookie,
  decodePython,
  pythonEncoding,
  sourceEncoding,
} from '../../../transformers/python/encoding.js';
import { runPython } from '../../helpers/python.js';

const HEADS = [
  '# -*- coding: latin-1 -*-\n',
  '#!/usr/bin/env python\n# vim: set fileencoding=utf-7 :\n',
  'x = 1\n# coding: utf-7\n',
  '\n# coding=cp1252\n',
  '\n\n# coding: utf-7\n',
  '\f# coding: utf-7\n',
  '  \\\n# coding: utf-7\n',
  '# a\r# coding: utf-7\r',
  '# coding:   koi8_r\n',
  'print(1) # coding: utf-7\n',
  '# no cookie\n# still none\n',
];

describe('codingCookie', () => {
  it('finds the cookie exactly where tokenize.detect_encoding does', async () => {
    const script = `import io, json, sys, tokenize
out = []
for head in json.load(sys.stdin):
    try: out.append(tokenize.detect_encoding(io.BytesIO(head.encode()).readline)[0])
    except SyntaxError as e: out.append("error")
print(json.dumps(out))`;
    const python = await runPython<string[]>(script, HEADS);
    const ours = HEADS.map((head) => codingCookie(head));
    // tokenize names the codec (utf-8 when there is none); compare by Python's lookup of ours.
    const named = await runPython<string[]>(
      'import codecs, json, sys\nprint(json.dumps([codecs.lookup(n or "utf-8").name for n in json.load(sys.stdin)]))',
      ours,
    );
    const normal = await runPython<string[]>(
      'import codecs, json, sys\nprint(json.dumps([codecs.lookup(n).name for n in json.load(sys.stdin)]))',
      python,
    );
    expect(named).toEqual(normal);
  });
});

describe('codecHandling', () => {
  const supported = [
    ...'utf-8 UTF8 utf_8 u8 utf-8-sig UTF-8-SIG cp65001'.split(' '),
    ...'ascii us-ascii 646 ANSI_X3.4-1968'.split(' '),
    ...'latin-1 latin1 Latin-1 iso-8859-1 ISO8859-1 l1 cp819 iso-latin-1'.split(' '),
    ...'iso-8859-2 iso8859_15 latin9 cp1250 windows-1252 cp1258 koi8-r koi8_u mac-roman macintosh cp437 cp850 cp866'.split(
      ' ',
    ),
  ];
  const refused = [
    ...'utf-7 UTF7 utf-16 utf_16_le utf-32 unicode_escape raw_unicode_escape'.split(' '),
    ...'shift_jis sjis cp932 euc-jp euc_kr gbk gb2312 gb18030 big5 big5hkscs cp949 hz johab'.split(' '),
    ...'iso-2022-jp iso2022_kr'.split(' '),
  ];

  it('supports only what Python reads as UTF-8, or byte for byte with ASCII as itself', async () => {
    const handling = supported.map(codecHandling);
    expect(
      handling.every((h) => h === 'utf-8' || h === 'ascii' || h === 'single-byte'),
      handling.join(),
    ).toBe(true);
    // tokenize's own spelling first (it names iso-latin-1 itself), then codecs, as Python's tokenizer does.
    const script = `import codecs, json, sys, tokenize
def check(name, handling):
    name = tokenize._get_normal_name(name)
    info = codecs.lookup(name)
    if handling == "utf-8": return info.name in ("utf-8", "utf-8-sig")
    if handling == "ascii": return info.name == "ascii"
    ascii_ok = all(bytes([b]).decode(name) == chr(b) for b in range(128))
    one_char = all(len(bytes([b]).decode(name, "replace")) == 1 for b in range(256))
    return ascii_ok and one_char
print(json.dumps([check(n, h) for n, h in json.load(sys.stdin)]))`;
    const checks = await runPython<boolean[]>(
      script,
      supported.map((name, i) => [name, handling[i]]),
    );
    expect(Object.fromEntries(supported.map((name, i) => [name, checks[i]]))).toEqual(
      Object.fromEntries(supported.map((name) => [name, true])),
    );
  });

  it('refuses real codecs that remap ASCII, are not ASCII-compatible or are multibyte', async () => {
    for (const name of refused) expect(['utf-8', 'ascii', 'single-byte']).not.toContain(codecHandling(name));
    const known = await runPython<string[]>(
      'import codecs, json, sys\nprint(json.dumps([codecs.lookup(n).name for n in json.load(sys.stdin)]))',
      refused,
    );
    expect(known).toHaveLength(refused.length);
  });

  it('refuses names it does not know', () => {
    expect(codecHandling('rot13')).toMatch(/writes only into/);
    expect(codecHandling('bogus')).toMatch(/writes only into/);
  });
});

describe('decodePython and pythonEncoding', () => {
  it('round-trip a latin-1 file byte for byte, with its bytes as latin-1 characters', () => {
    const bytes = Buffer.from('# -*- coding: latin-1 -*-\n# caf\xe9\nmsg = "\xe9\x80\xff"\n', 'latin1');
    const text = decodePython(bytes, 'train.py');
    expect(text).toContain('msg = "é\x80ÿ"');
    expect(Buffer.from(text, pythonEncoding(text, 'train.py')).equals(bytes)).toBe(true);
  });

  it('round-trip UTF-8 with and without a BOM', () => {
    for (const source of ['msg = "é😀"\n', '\ufeff# coding: utf-8\nmsg = "é"\n']) {
      const bytes = Buffer.from(source, 'utf8');
      const text = decodePython(bytes, 'a.py');
      expect(Buffer.from(text, pythonEncoding(text, 'a.py')).equals(bytes)).toBe(true);
    }
  });

  it('refuses a refused codec, a BOM before another codec, and bytes the codec cannot hold', () => {
    const cases: Array<[string | Buffer, string, TransformError['kind']]> = [
      ['# coding: utf-7\nx = 1\n', 'train.py declares source encoding utf-7, which guild-stage refuses', 'encoding'],
      ['# coding: shift_jis\nx = 1\n', 'multibyte', 'encoding'],
      ['\ufeff# coding: latin-1\nx = 1\n', 'after a UTF-8 BOM', 'encoding'],
      [Buffer.from('# coding: ascii\nx = "\xe9"\n', 'latin1'), 'non-ASCII bytes', 'source'],
      [Buffer.from('x = "\xe9"\n', 'latin1'), 'not valid UTF-8', 'source'],
    ];
    for (const [source, message, kind] of cases) {
      const bytes = typeof source === 'string' ? Buffer.from(source, 'utf8') : source;
      let caught: unknown;
      try {
        decodePython(bytes, 'train.py');
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(TransformError);
      expect((caught as TransformError).message).toContain(message);
      expect((caught as TransformError).kind).toBe(kind);
      expect((caught as TransformError).file).toBe('train.py');
    }
  });

  it('reports the declared name', () => {
    expect(sourceEncoding(Buffer.from('# coding: cp1252\n'), 'a.py')).toEqual({
      declared: 'cp1252',
      handling: 'single-byte',
    });
  });
});
