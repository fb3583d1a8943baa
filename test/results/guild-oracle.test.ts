/**
 * ScalarCapture against Guild AI 0.9.1 itself: the same output lines (as bytes) go to
 * Guild's own output-scalar code, driven by guild_output_scalars.py, and to ours (decoded as
 * guild-stage's LineSplitter decodes them). Needs GUILD_STAGE_REFERENCE, the directory that
 * holds guildai/ and guild-stubs/, and a Python with Guild's dependencies (the one guild.sh
 * uses, /usr/bin/python3, or GUILD_STAGE_PYTHON).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScalarCapture } from '../../src/results/capture.js';

const REFERENCE = process.env.GUILD_STAGE_REFERENCE;
const SKIP_REASON =
  'set GUILD_STAGE_REFERENCE to the reference directory (guildai/, guild-stubs/) to compare with Guild';
const PYTHON = process.env.GUILD_STAGE_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const HARNESS = path.join(import.meta.dirname, 'guild_output_scalars.py');

interface Sequence {
  /** `output-scalars` as a Guild file holds it; undefined for none (Guild's defaults). */
  config?: unknown;
  flags?: string[];
  lines: Array<string | Uint8Array>;
}

interface GuildResult {
  lines: Array<Array<[string, string, number]>>;
  error: string | null;
}

const bytesOf = (line: string | Uint8Array): Uint8Array => (typeof line === 'string' ? Buffer.from(line) : line);

async function runGuild(sequences: Sequence[]): Promise<GuildResult[]> {
  const input = sequences.map((s) => ({
    config: s.config ?? null,
    flags: s.flags ?? [],
    lines: s.lines.map((line) => Buffer.from(bytesOf(line)).toString('base64')),
  }));
  const { stdout } = await execa(PYTHON, [HARNESS, REFERENCE!], { input: JSON.stringify(input) });
  return JSON.parse(stdout) as GuildResult[];
}

/** Ours, as [tag, value, step] per line; a line is decoded as LineSplitter does (one trailing CR dropped). */
function runOurs(sequence: Sequence): Array<Array<[string, number, number]>> {
  const capture = ScalarCapture.fromConfig(sequence.config, { flagNames: sequence.flags });
  const decoder = new TextDecoder('utf-8');
  return sequence.lines.map((line) => {
    const text = decoder.decode(bytesOf(line));
    const scalars = capture.push(text.endsWith('\r') ? text.slice(0, -1) : text);
    return scalars.map((s) => [s.tag, s.value, s.step] as [string, number, number]);
  });
}

function fromRepr(repr: string): number {
  if (repr === 'nan') return Number.NaN;
  if (repr === 'inf') return Number.POSITIVE_INFINITY;
  if (repr === '-inf') return Number.NEGATIVE_INFINITY;
  return Number(repr);
}

/** Differences between Guild's scalars and ours, line by line, up to Guild's first error. */
function differences(sequence: Sequence, guild: GuildResult): string[] {
  const ours = runOurs(sequence);
  const problems: string[] = [];
  guild.lines.forEach((want, i) => {
    const got = ours[i]!;
    const same =
      got.length === want.length &&
      got.every(([tag, value, step], k) => {
        const [wTag, wValue, wStep] = want[k]!;
        return tag === wTag && Object.is(value, fromRepr(wValue)) && step === wStep;
      });
    if (!same) {
      const line = JSON.stringify(Buffer.from(bytesOf(sequence.lines[i]!)).toString('latin1'));
      problems.push(`line ${i + 1} ${line}: ours ${JSON.stringify(got)}, Guild ${JSON.stringify(want)}`);
    }
  });
  return problems;
}

const KERAS = [
  'Epoch (?P<step>[0-9]+)',
  ' - ([a-z_]+): (\\value)',
  'Test loss: (?P<test_loss>\\value)',
  'Test accuracy: (?P<test_accuracy>\\value)',
  '^\\key:\\s+\\value\\s+\\((?:step\\s+)?(?P<step>\\step)\\)$',
  '^(\\key):\\s+(\\value)(?:\\s+\\(.*\\))?$',
];

const CORPUS: Array<[name: string, Sequence]> = [
  [
    'numbers as Guild spells them',
    {
      lines: [
        'loss: 1e-3',
        'loss: -inf',
        'loss: +Inf',
        'loss: NaN',
        'acc: 90%',
        'acc: 0.9.1',
        'x: .5',
        'x: 5.',
        'x: -.5e+3',
        'x: 1e400',
        'x: 00012',
        'x: 1_000',
        'x: \u0663',
        'x: .',
        'x: e5',
        'x: +',
      ],
    },
  ],
  [
    'step lines and (step N)',
    {
      lines: [
        'loss: 1',
        'acc: 2',
        'loss: 3',
        'step: 3',
        'loss: 2',
        'loss: 0.5 (step 5)',
        'acc: 1',
        'loss: 0.5 (step   6)',
        'loss: 0.5 (7)',
        'loss: 0.5 ( step 8)',
        'loss: 0.5 (step 9 )',
        'loss: 0.5\t(step\t10)',
        'loss: 0.5 (Step 11)',
        'loss: 0.5 (step 12) done',
        'loss: 0.5 (epoch 13)',
        'step: 5 (step 14)',
        'a: 1',
        'loss:  (step 15)',
        'a: 2',
        'step: 16.9',
        'a: 3',
        'step: -2',
        'a: 4',
      ],
    },
  ],
  [
    'keys, spacing, trailing text',
    {
      lines: [
        'train/loss: 1',
        'val.loss: 2',
        'a:b: 3',
        '_x: 4',
        '1x: 5',
        'loss:6',
        'loss:   7   ',
        'loss:\t8',
        '  loss: 9',
        'loss: 10 extra',
        'loss: 11 (anything at all)',
        'loss: 12 (unclosed',
        'a: 1 b: 2',
        'loss: 13\r',
        'loss: 14\u3000',
        'loss: 15\u00a0',
        'lo ss: 16',
        'x: 17 (step 3) (step 4)',
      ],
    },
  ],
  [
    'bytes: ANSI, control bytes, invalid UTF-8',
    {
      lines: [
        '\u001b[32mloss: 1\u001b[0m',
        'loss: 2\u001b[0m',
        Uint8Array.from([...Buffer.from('loss: 3'), 0xff]),
        Uint8Array.from([...Buffer.from('lo'), 0xc3, ...Buffer.from('ss: 4')]),
        Uint8Array.from([...Buffer.from('loss: 5'), 0x00, 0x01, 0x08]),
        Uint8Array.from([0x07, ...Buffer.from('acc: 6')]),
        'loss: 7\u0085',
        'loss: 8\ufeff',
        'caf\u00e9: 9',
        '\u{1F680} loss: 10',
        'loss: 11 \u{1F680}',
      ],
    },
  ],
  [
    'flags are not scalars with the defaults',
    { flags: ['lr', 'epochs'], lines: ['lr: 0.1', 'epochs: 5', 'loss: 1', 'lr: 0.2', 'loss: 2'] },
  ],
  ['capture off', { config: false, lines: ['loss: 1', 'step: 2'] }],
  ['an empty list is off too', { config: [], lines: ['loss: 1'] }],
  [
    'a pattern with key and value groups, several matches per line',
    { config: '(\\key)=(\\value)', flags: ['a'], lines: ['a=1 b=2 a=3', 'step=4 c=5', 'c=x d=6', 'k=1e5,l=2'] },
  ],
  [
    'a mapping of names to one-group patterns (guildai-r frontmatter.R)',
    {
      config: { step: 'step: (\\value)', loss: 'loss: (\\value)', accuracy: 'accuracy: (\\value)' },
      lines: ['step: 1', 'loss: 0.5 accuracy: 0.7', 'step: 2', 'val loss: 0.4', 'accuracy: 90%'],
    },
  ],
  [
    "Guild's Keras patterns",
    {
      config: KERAS,
      lines: [
        'Epoch 1/2',
        '469/469 [==============================] - 3s 6ms/step - loss: 0.2912 - accuracy: 0.9163 - val_loss: 0.1409',
        'Epoch 2/2',
        '469/469 [==============================] - 3s 6ms/step - loss: 0.1183 - accuracy: 0.9655',
        'Test loss: 0.0944',
        'Test accuracy: 0.9712',
      ],
    },
  ],
  [
    'named groups, _key/_val, a later pattern overriding an earlier one',
    {
      config: [
        '(?P<_key>\\w+)=(?P<_val>\\S+)',
        { a: 'a=\\S+ \\((\\value)\\)' },
        'lr (?P<lr>\\S+) mom (?P<momentum>\\S+)?',
        '(?P<_key>x)(?P<_val>\\d)(?P<step>\\d)',
      ],
      lines: ['a=1 (2)', 'lr 0.1 mom 0.9', 'lr 1_0 mom ', 'b=1_000 c=inf d=-nan', 'x12 y=3'],
    },
  ],
  [
    'Python regex syntax and Unicode classes',
    {
      config: [
        '(?i)^LOSS\\s*=\\s*(?P<loss>\\S+)$',
        '(?x) acc \\s* : \\s* (?P<acc> \\d+ (?:\\.\\d+)? )',
        '(?P<k>\\w+)~(?P=k)~(?P<v>\\d+)',
        '(?<=val_)(\\w+)\\s(\\S+)',
      ],
      lines: [
        'Loss = 0.5',
        'loss=\u0663',
        'acc: 12.5',
        'acc : \u0663\u0664',
        'ab~ab~7',
        'val_metric 0.25',
        'loss = 1 2',
      ],
    },
  ],
];

describe.skipIf(!REFERENCE)(
  `ScalarCapture against Guild 0.9.1 (${REFERENCE ? 'GUILD_STAGE_REFERENCE' : SKIP_REASON})`,
  () => {
    it('gives the scalars Guild gives, line by line, for a corpus of tricky output', async () => {
      const results = await runGuild(CORPUS.map(([, sequence]) => sequence));
      const problems = CORPUS.flatMap(([name, sequence], i) => {
        const guild = results[i]!;
        const found = differences(sequence, guild).map((p) => `${name}: ${p}`);
        if (guild.error) found.push(`${name}: Guild failed at ${guild.error}`);
        return found;
      });
      expect(problems).toEqual([]);
    });

    it('agrees on random output lines, with the defaults and with configured patterns', async () => {
      const fragment = fc.constantFrom(
        ...['loss', 'acc', 'step', 'x/y', ':', ': ', ' ', '\t', '(', ')', '(step ', '=', '0', '1', '5', '.', '-', 'e'],
        ...['inf', 'nan', '%', '\u00e9', '\u3000', '\r', '\u001b[0m', '\u0663', '\ufffd', 'a'],
      );
      const line = fc.array(fragment, { maxLength: 10 }).map((parts) => parts.join(''));
      const lines = fc.sample(fc.array(line, { minLength: 20, maxLength: 20 }), { numRuns: 60, seed: 11 });
      const configs: unknown[] = [undefined, '(\\key)=(\\value)', { loss: 'loss[:=]\\s*(\\S+)' }, KERAS];
      const sequences = lines.flatMap((batch, i): Sequence[] => [
        { config: configs[i % configs.length], flags: ['acc'], lines: batch },
      ]);
      const results = await runGuild(sequences);
      const problems = sequences.flatMap((sequence, i) => differences(sequence, results[i]!));
      expect(problems).toEqual([]);
    });

    it('where Guild fails: a step that is not an integer stops its capture; ours ignores that step', async () => {
      const sequence: Sequence = { lines: ['loss: 1', 'step: nan', 'loss: 2', 'step: 3', 'loss: 4'] };
      const [guild] = await runGuild([sequence]);
      expect(guild!.error).toBe('line 3: ValueError: cannot convert float NaN to integer');
      expect(differences(sequence, guild!)).toEqual([]);
      expect(runOurs(sequence)).toEqual([[['loss', 1, 0]], [], [['loss', 2, 1]], [], [['loss', 4, 3]]]);
    });
  },
);
