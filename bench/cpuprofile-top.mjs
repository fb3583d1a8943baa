/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): the functions and the packages
 * with the most self time, which is where an optimisation pays.
 *
 *   node bench/cpuprofile-top.mjs FILE.cpuprofile [--top N]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/**
 * Self time per profile node id, in ms: each sample's time delta belongs to the node it hit.
 * @param {{ samples: number[], timeDeltas: number[] }} profile
 */
function selfTimes(profile) {
  const times = new Map();
  profile.samples.forEach((id, i) => {
    times.set(id, (times.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return times;
}

/**
 * Where a script URL belongs: its npm package, a project file, or Node.js itself.
 * @param {string} url
 */
function ownerOf(url) {
  if (url === '') return '(native / vm)';
  if (url.startsWith('node:')) return '(node internals)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const project = /\/(dist\/[^?#]+)$/.exec(url);
  return project ? project[1] : url;
}

/** @param {Map<string, number>} totals @param {number} top @param {number} all */
function rows(totals, top, all) {
  return [...totals.entries()]
    .sort((x, y) => y[1] - x[1])
    .slice(0, top)
    .map(([name, ms]) => `${ms.toFixed(1).padStart(9)} ms ${((100 * ms) / all).toFixed(1).padStart(5)}%  ${name}`);
}

/** @param {{ functionName: string, url: string, lineNumber: number }} frame */
function functionKey(frame) {
  const where = frame.url ? `${ownerOf(frame.url)}:${frame.lineNumber + 1}` : '';
  return `${frame.functionName || '(anonymous)'} ${where}`.trim();
}

/**
 * Self time by function and by owner, and total time by function: a sample counts once
 * for every distinct function on its stack, so recursion is not counted twice.
 */
function tally(profile) {
  const times = selfTimes(profile);
  const parent = new Map();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map();
  const owners = new Map();
  const total = new Map();
  const add = (map, key, ms) => map.set(key, (map.get(key) ?? 0) + ms);
  let all = 0;
  for (const [id, ms] of times) {
    const frame = byId.get(id).callFrame;
    add(self, functionKey(frame), ms);
    add(owners, ownerOf(frame.url), ms);
    all += ms;
    const onStack = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) onStack.add(functionKey(byId.get(at).callFrame));
    for (const key of onStack) add(total, key, ms);
  }
  return { self, owners, total, all };
}

function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '25' } },
  });
  if (positionals.length !== 1) throw new Error('usage: node bench/cpuprofile-top.mjs FILE.cpuprofile [--top N]');
  const { self, owners, total, all } = tally(JSON.parse(readFileSync(positionals[0], 'utf8')));
  const top = Number(values.top);
  console.log(`sampled ${all.toFixed(1)} ms`);
  console.log('\nself time by function:');
  console.log(rows(self, top, all).join('\n'));
  console.log('\nself time by package or file:');
  console.log(rows(owners, top, all).join('\n'));
  console.log('\ntotal time (self + callees) by function:');
  console.log(rows(total, top, all).join('\n'));
}

main();
