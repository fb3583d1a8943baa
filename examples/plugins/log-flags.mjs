// Adds a header listing the run's flags to the staged script, refuses to start when the
// runs disk is nearly full, and writes a summary with the last "loss:" value printed.
import { statfsSync, writeFileSync } from 'node:fs';
import path from 'node:path';

let lastLoss = null;

export default {
  name: 'log-flags',
  priority: 10,
  async onRunStaged(run, staged) {
    if (!run.opspec.endsWith('.py')) return;
    const text = await staged.read(run.opspec);
    await staged.write(run.opspec, `# flags: ${JSON.stringify(run.flags)}\n${text}`);
  },
  onRunBegin(run) {
    const fs = statfsSync(run.dir);
    if (fs.bavail * fs.bsize < 100e6) throw new Error('less than 100 MB free in the runs dir');
    run.env.LOG_LEVEL = 'info';
  },
  onRunOutput(run, line) {
    const match = /^loss: ([0-9.]+)/.exec(line.text);
    if (match) lastLoss = Number(match[1]);
  },
  onRunEnd: {
    priority: -1,
    handler(run, result) {
      writeFileSync(path.join(run.dir, 'summary.json'), JSON.stringify({ status: result.status, lastLoss }));
    },
  },
};
