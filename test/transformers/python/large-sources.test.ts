/**
 * The lexer is single pass: 10 MB sources of three kinds (realistic code, one huge list
 * literal, huge strings and comments) are discovered and rewritten correctly. How fast is
 * measured by the benchmark, not asserted here.
 */
import { describe, expect, it } from 'vitest';
import { python } from '../../../transformers/python/index.js';
import type { FlagValue } from '../../../transformers/types.js';

const TEN_MB = 10_000_000;

/** A block of typical training-script code; `{i}` makes its names unique. */
const BLOCK = `
# ---- section {i} ----------------------------------------------------------
#| description: learning rate
lr_{i} = 0.001  # learning rate
batch_size_{i}: int = 32
layers_{i} = [64, 128, 256]

class Model{i}(nn.Module):
    """A model.

    lr = 0.5 is not a flag here; neither is 'quoted' or "double".
    """

    def __init__(self, hidden: int = 128, dropout: float = 0.1) -> None:
        super().__init__()
        self.fc1 = nn.Linear(784, hidden)
        self.dropout = nn.Dropout(p=dropout)  # regularise
        self.names = {"a": 1, 'b': 2, r"c\\d": 3, b"bytes": 4}

    def forward(self, x):
        x = F.relu(self.fc1(torch.flatten(x, 1)))
        return F.log_softmax(self.dropout(x), dim=1)


def train_{i}(model, loader, optimizer, epoch):
    for batch_idx, (data, target) in enumerate(loader):
        loss = F.nll_loss(model(data), target)
        if batch_idx % 10 == 0:
            print(f"epoch {epoch} [{batch_idx * len(data)}/{len(loader.dataset)}] loss={loss.item():.6f} {d['k']}")
    return {
        "loss": loss.item(),
        "lr": lr_{i},
    }

if __name__ == "__main__":
    main(lr=lr_{i}, batch_size=batch_size_{i}, \\
         layers=layers_{i})
`;

function realistic(): { source: string; blocks: number } {
  const parts: string[] = [];
  let length = 0;
  while (length < TEN_MB) {
    const block = BLOCK.replaceAll('{i}', String(parts.length));
    parts.push(block);
    length += block.length;
  }
  return { source: parts.join(''), blocks: parts.length };
}

function run(source: string, values: Record<string, FlagValue>) {
  const sites = python.discover(source, 'big.py');
  const last = sites.at(-1)!;
  const result = python.apply(source, values, { mode: 'text', file: 'train.py' });
  return {
    names: sites.map((site) => site.name),
    last: { ...last, default: ([] as FlagValue[]).concat(last.default).slice(0, 3) },
    edits: result.edits.map((edit) => edit.after),
    length: result.text.length,
  };
}

describe('python transformer on 10 MB sources', () => {
  it('discovers and applies on each', () => {
    const { source, blocks } = realistic();
    const count = 1_500_000;
    const list = `data = [${Array.from({ length: count }, (_, i) => String(i)).join(', ')}]\n`;
    const body = "lr = 1 \"\\\" '''\n".repeat(TEN_MB / 16);
    const brackets = `${'['.repeat(199)}${']'.repeat(199)}, `.repeat(5_000);
    const strings = `doc = """${body}"""\n# ${'x = 1 '.repeat(TEN_MB / 12)}\nz = (${brackets})\nlr = 0.1\n`;

    const real = run(source, { lr_7: 0.5, [`layers_${blocks - 1}`]: [1] });
    const data = run(list, { data: [] });
    const text = run(strings, { lr: 0.2 });

    expect(list.length).toBeGreaterThan(TEN_MB);
    expect(strings.length).toBeGreaterThan(TEN_MB);
    expect(real.names).toHaveLength(blocks * 3);
    expect(real.last).toMatchObject({ name: `layers_${blocks - 1}`, type: 'list', default: [64, 128, 256] });
    expect(real.edits).toEqual(['0.5', '[1]']);
    expect(real.length).toBe(source.length - '0.001'.length + '0.5'.length - '[64, 128, 256]'.length + '[1]'.length);
    expect(data.last).toMatchObject({ name: 'data', type: 'list', default: [0, 1, 2] });
    expect(data.edits).toEqual(['[]']);
    expect(text.names).toEqual(['doc', 'lr']);
  });
});
