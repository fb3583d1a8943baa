/**
 * A generated YAML config for P11: experiment sections of the kind real configs hold
 * (nested maps, flow lists, quoted strings, comments), and twenty flags, dotted names of
 * leaves spread evenly through the file, for the pair to discover and apply.
 */
import { int, rng, words } from './seeded.mjs';

/** How many flags the pair applies. */
export const CONFIG_FLAGS = 20;

/** @param {() => number} next @param {number} i */
function section(next, i) {
  const name = words(next, 2).replace(' ', '_');
  return [
    `# ${words(next, 8)}`,
    `section_${i}:`,
    `  name: "${name}"`,
    '  model:',
    `    hidden: ${int(next, 16, 1024)}   # ${words(next, 3)}`,
    `    dropout: ${(int(next, 0, 90) / 100).toFixed(2)}`,
    `    layers: [${int(next, 8, 512)}, ${int(next, 8, 512)}, ${int(next, 8, 512)}]`,
    `    activation: '${words(next, 1)}'`,
    '  optim:',
    `    lr: ${(int(next, 1, 999) / 10000).toString()}`,
    `    momentum: 0.9`,
    `    nesterov: ${next() < 0.5 ? 'true' : 'false'}`,
    '  data:',
    `    path: data/${name}.csv`,
    `    shuffle: yes`,
    `    splits:`,
    `      - ${int(next, 50, 80)}`,
    `      - ${int(next, 10, 25)}`,
    '',
  ].join('\n');
}

/**
 * About `bytes` of YAML, and the values the pair writes: by dotted name, every
 * `count / CONFIG_FLAGS`-th section's `model.hidden` or `optim.lr`, alternately.
 * @param {number} bytes @param {number} seed
 * @returns {{ text: string, values: Record<string, number> }}
 */
export function generateYamlConfig(bytes, seed) {
  const next = rng(seed);
  const parts = ['# A generated experiment config\n'];
  let size = parts[0].length;
  for (let i = 0; size < bytes; i++) {
    const text = section(next, i);
    parts.push(text);
    size += text.length;
  }
  const sections = parts.length - 1;
  const values = {};
  for (let k = 0; k < CONFIG_FLAGS; k++) {
    const i = Math.floor(((k + 0.5) * sections) / CONFIG_FLAGS);
    if (k % 2) values[`section_${i}.optim.lr`] = 0.5;
    else values[`section_${i}.model.hidden`] = 2048;
  }
  return { text: parts.join(''), values };
}
