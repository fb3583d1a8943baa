/**
 * `guild-stage plot` through the real CLI, on real runs of a real script that prints
 * `loss: ... (step N)` lines: the SVG and HTML files read back with a real XML parser, the
 * default runs and scalar, a corrupt event file, and bad input (exit 2, one line, no file).
 */
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { findAll, hasClass, parseXml, textOf, walk, type XmlNode } from '../helpers/xml.js';
import { listRunsJson, makeProject, type Project, stderrLines } from './support.js';

const SCRIPT = `import math

lr = 0.01
epochs = 5
silent = False

if not silent:
    for step in range(1, epochs + 1):
        loss = 2.0 * math.exp(-lr * 20 * step) + 0.05
        print(f"loss: {loss:.6f} (step {step})")
        print(f"acc: {1 - loss / 2.2:.6f} (step {step})")
`;

const LABELS = ['lr=0.1', 'lr=0.01', 'lr=0.001'];

const QUICKSTART = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples/quickstart/train.py');

/** Every number in the attributes that place things (path data, coordinates) is finite. */
function expectFiniteCoordinates(root: XmlNode): void {
  for (const node of walk(root)) {
    for (const name of ['d', 'x', 'y', 'cx', 'cy', 'x1', 'x2', 'y1', 'y2', 'transform']) {
      const value = node.attrib[name];
      if (value === undefined) continue;
      expect(value, `${node.tag} ${name}`).not.toMatch(/nan|infinity/i);
      for (const token of value.match(/-?[\d.]+(e[-+]?\d+)?/gi) ?? [])
        expect(Number.isFinite(Number(token))).toBe(true);
    }
  }
}

/** The `(x, y)` pairs of a path's `d`. */
function pathPoints(d: string): number[][] {
  return [...d.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

async function readSvg(file: string): Promise<XmlNode> {
  return parseXml(await readFile(file, 'utf8'));
}

const seriesLabels = (svg: XmlNode) => findAll(svg, 'g', 'series').map((g) => g.attrib['data-label']);
const legendLabels = (svg: XmlNode) => findAll(svg, 'g', 'legend-item').map((g) => g.attrib['data-label']);

describe.concurrent('plot', () => {
  // One batch of three trials, read by every test that only plots.
  let project: Project;
  let batchId: string;
  beforeAll(async () => {
    project = await makeProject({ 'train.py': SCRIPT });
    const result = await project.gs(['train.py', '--flags', 'lr=[0.1,0.01,0.001]', '--maximize', 'acc', '-q']);
    expect(result.code, result.stderr).toBe(0);
    const runs = await listRunsJson(project);
    batchId = runs.find((run) => (run.batch as { role?: string } | null)?.role === 'batch')!.id as string;
  });

  it("plots a batch's trials: a curve per trial labelled by its flags, and its objective against lr", async () => {
    const out = path.join(project.scratch, 'named');
    await mkdir(out);
    const result = await project.gs(['plot', batchId.slice(0, 8), '-o', path.join(out, 'plot.svg')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const short = batchId.slice(0, 8);
    expect(result.stdout.split('\n')).toEqual([
      `Wrote ${out}/plot.svg: acc (the batch's objective) by step, 3 trials of batch ${short}`,
      `Wrote ${out}/plot-flags.svg: last acc against lr`,
      '',
    ]);
    expect((await readdir(out)).sort()).toEqual(['plot-flags.svg', 'plot.svg']);

    const curves = await readSvg(path.join(out, 'plot.svg'));
    expect(hasClass(curves, 'curves')).toBe(true);
    expect(curves.attrib['data-scalar']).toBe('acc');
    expect(seriesLabels(curves)).toEqual(LABELS);
    expect(legendLabels(curves)).toEqual(LABELS);
    for (const series of findAll(curves, 'g', 'series')) {
      const [line] = findAll(series, 'path', 'line');
      expect(pathPoints(line!.attrib.d!)).toHaveLength(5);
    }
    expectFiniteCoordinates(curves);

    const flags = await readSvg(path.join(out, 'plot-flags.svg'));
    expect(hasClass(flags, 'scatter')).toBe(true);
    const panels = findAll(flags, 'g', 'panel');
    expect(panels.map((p) => p.attrib['data-flag'])).toEqual(['lr']);
    const points = findAll(panels[0]!, 'circle', 'point');
    expect(points.map((p) => p.attrib['data-label'])).toEqual(LABELS);
    // The higher the learning rate, the higher the last acc: the point sits higher (smaller cy).
    const cy = points.map((p) => Number(p.attrib.cy));
    expect(cy[0]).toBeLessThan(cy[1]!);
    expect(cy[1]).toBeLessThan(cy[2]!);
    expectFiniteCoordinates(flags);
  });

  it('without runs named plots the newest runs; all trials of one batch plot as that batch', async () => {
    const result = await project.gs(['plot', '--scalar', 'loss', '-o', 'loss.svg'], { cwd: project.scratch });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      `Wrote loss.svg: loss by step, 3 trials of batch ${batchId.slice(0, 8)}\nWrote loss-flags.svg: last loss against lr\n`,
    );
    const curves = await readSvg(path.join(project.scratch, 'loss.svg'));
    expect(curves.attrib['data-scalar']).toBe('loss');
    expect(seriesLabels(curves)).toEqual(LABELS);
    const flags = await readSvg(path.join(project.scratch, 'loss-flags.svg'));
    expect(findAll(flags, 'text', 'axis-label').map(textOf)).toEqual(['lr', 'loss']);
  });

  it('-o FILE.html writes one page holding the curves and the flag plot', async () => {
    const result = await project.gs(['plot', batchId, '-o', 'plot.html'], { cwd: project.scratch });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      `Wrote plot.html: acc (the batch's objective) by step, 3 trials of batch ${batchId.slice(0, 8)}; last acc against lr\n`,
    );
    const text = await readFile(path.join(project.scratch, 'plot.html'), 'utf8');
    expect(text).not.toMatch(/<script|src=|href=/);
    const page = await parseXml(text);
    const svgs = findAll(page, 'svg');
    expect(svgs.map((svg) => svg.attrib.class)).toEqual(['guild-stage-plot curves', 'guild-stage-plot scatter']);
    expect(seriesLabels(svgs[0]!)).toEqual(LABELS);
    expect(findAll(svgs[1]!, 'g', 'panel').map((p) => p.attrib['data-flag'])).toEqual(['lr']);
    expectFiniteCoordinates(page);
  });

  it('plots single runs by their labels, loss by default, and leaves out runs without scalars', async () => {
    const own = await makeProject({ 'train.py': SCRIPT });
    for (const args of [
      ['--flags', 'lr=0.05'],
      ['--flags', 'silent=True'],
      ['--flags', 'lr=0.5', '--label', 'fast'],
    ]) {
      expect((await own.gs(['train.py', ...args, '-q'])).code).toBe(0);
    }
    const result = await own.gs(['plot', '-o', 'runs.svg'], { cwd: own.scratch });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('Wrote runs.svg: loss by step, 2 runs\n');
    expect(await readdir(own.scratch)).toEqual(['runs.svg']);
    const curves = await readSvg(path.join(own.scratch, 'runs.svg'));
    expect(seriesLabels(curves)).toEqual(['fast', 'lr=0.05']);

    // Named, the run without scalars is said to be left out; a run directory works as a ref.
    const runs = await listRunsJson(own);
    const silent = runs.find((run) => (run.flags as { silent: boolean }).silent)!;
    const fast = runs.find((run) => run.label === 'fast')!;
    const named = await own.gs(['plot', fast.runDir as string, (silent.id as string).slice(0, 8), '-o', 'two.svg'], {
      cwd: own.scratch,
    });
    expect(named.code, named.stderr).toBe(0);
    expect(stderrLines(named)).toEqual([
      `guild-stage: warning: 1 run without scalar 'loss' left out: ${(silent.id as string).slice(0, 8)}`,
    ]);
    expect(seriesLabels(await readSvg(path.join(own.scratch, 'two.svg')))).toEqual(['fast']);

    const none = await own.gs(['plot', silent.id as string, '-o', 'none.svg'], { cwd: own.scratch });
    expect(none.code).toBe(2);
    expect(stderrLines(none)).toEqual(['guild-stage: the run has no scalars']);
  });

  it('leaves out a run whose event file is corrupt, naming the file, and still writes the plot', async () => {
    const runsDir = path.join(project.scratch, 'corrupt-runs');
    await cp(project.runsDir, runsDir, { recursive: true });
    const runs = await listRunsJson(project, runsDir);
    const bad = runs.find((run) => run.label === 'lr=0.01')!;
    const guild = path.join(bad.runDir as string, '.guild');
    const [events] = (await readdir(guild)).filter((name) => name.includes('.tfevents.'));
    const file = path.join(guild, events!);
    const data = await readFile(file);
    data[data.length - 10] ^= 0xff;
    await writeFile(file, data);

    const out = path.join(project.scratch, 'corrupt.svg');
    const result = await project.gs(['plot', batchId.slice(0, 8), '--runs-dir', runsDir, '-o', out]);
    expect(result.code, result.stderr).toBe(0);
    const lines = stderrLines(result);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^guild-stage: warning: run ${(bad.id as string).slice(0, 8)} left out: .*`));
    expect(lines[0]).toContain(file);
    expect(seriesLabels(await readSvg(out))).toEqual(['lr=0.1', 'lr=0.001']);
    const flags = await readSvg(path.join(project.scratch, 'corrupt-flags.svg'));
    expect(findAll(flags, 'circle', 'point').map((p) => p.attrib['data-label'])).toEqual(['lr=0.1', 'lr=0.001']);
  });

  it("the README's picture: a batch of the quick start plots six curves and its objective against two flags", async () => {
    const own = await makeProject({ 'train.py': await readFile(QUICKSTART, 'utf8') });
    const flags = ['lr=[0.1,0.03,0.01]', 'optimizer=[sgd,adam]', 'epochs=15'];
    expect((await own.gs(['train.py', '--flags', ...flags, '--minimize', 'loss', '-q'])).code).toBe(0);
    const result = await own.gs(['plot', '-o', 'plot.svg'], { cwd: own.scratch });
    expect(result.code, result.stderr).toBe(0);
    const curves = await readSvg(path.join(own.scratch, 'plot.svg'));
    expect(seriesLabels(curves)).toHaveLength(6);
    for (const line of findAll(curves, 'path', 'line')) expect(pathPoints(line.attrib.d!)).toHaveLength(15);
    const panels = findAll(await readSvg(path.join(own.scratch, 'plot-flags.svg')), 'g', 'panel');
    expect(panels.map((p) => p.attrib['data-flag'])).toEqual(['lr', 'optimizer']);
  });

  it('refuses bad input with one line and exit 2, writing nothing', async () => {
    const empty = await makeProject({ 'train.py': SCRIPT });
    const cases: Array<[string[], string, Project?]> = [
      [['-o', 'plot.png'], "-o plot.png: unknown extension '.png'; write FILE.svg or FILE.html"],
      [['-o', 'plot'], '-o plot: no extension; write FILE.svg or FILE.html'],
      [
        ['--scalar', 'los', '-o', 'p.svg'],
        "no scalar 'los' in the 3 runs (their scalars: acc, loss); did you mean loss?",
      ],
      [
        [batchId, '--scalar', 'accuracy', '-o', 'p.svg'],
        "no scalar 'accuracy' in the 3 runs (their scalars: acc, loss)",
      ],
      [['zzzz', '-o', 'p.svg'], `no run matches 'zzzz' in ${project.runsDir}; check the id, or give the run directory`],
      [['-o', 'no/such/p.svg'], 'NO_SUCH_DIR'],
      [['--scalar', 'loss'], "required option '-o, --output <file>' not specified"],
      [
        ['-o', 'p.html'],
        `no run in ${empty.runsDir} has scalars; a script's output lines like \`loss: 0.5 (step 1)\` are recorded as scalars`,
        empty,
      ],
    ];
    for (const [args, message, where = project] of cases) {
      const cwd = path.join(where.scratch, 'bad');
      await cp(path.join(where.dir, 'train.py'), path.join(cwd, 'keep.py'));
      const result = await where.gs(['plot', ...args], { cwd });
      const expected = message === 'NO_SUCH_DIR' ? `-o no/such/p.svg: no such directory ${cwd}/no/such` : message;
      expect(result.code, args.join(' ')).toBe(2);
      expect(stderrLines(result)).toEqual([`guild-stage: ${expected}`]);
      expect(result.stdout).toBe('');
      expect(await readdir(cwd)).toEqual(['keep.py']);
    }
  });
});
