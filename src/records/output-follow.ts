/**
 * Following a run's output as another process (guild-stage on a Slurm node, or a local run)
 * appends it: `cat -f`, and the Slurm executor's wait.
 */
import { open } from 'node:fs/promises';
import { readAttr } from './attrs.js';
import { runFile } from './layout.js';
import { runStatus } from './read-run.js';

/** Reads what was appended to a run's `.guild/output` since the last read. */
export class OutputFollower {
  private offset = 0;

  constructor(private readonly dir: string) {}

  async read(): Promise<Buffer | null> {
    const handle = await open(runFile(this.dir, 'output'), 'r').catch(() => null);
    if (!handle) return null;
    try {
      const { size } = await handle.stat();
      if (size <= this.offset) return null;
      const buffer = Buffer.alloc(size - this.offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
      this.offset += bytesRead;
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }
}

/** Whether a run may still write output: it runs, or it was submitted to Slurm and has not ended. */
export async function mayStillWrite(dir: string): Promise<boolean> {
  const [stopped, remote, status] = await Promise.all([
    readAttr(dir, 'stopped'),
    readAttr(dir, 'remote'),
    runStatus(dir),
  ]);
  if (stopped !== undefined) return false;
  return status === 'running' || (remote !== undefined && status !== 'completed' && status !== 'terminated');
}

/** Calls `onChunk` with the run's output, then with what is appended until the run has ended (polling every `intervalMs`). */
export async function followOutput(dir: string, onChunk: (chunk: Buffer) => void, intervalMs = 200): Promise<void> {
  const follower = new OutputFollower(dir);
  for (;;) {
    const more = await mayStillWrite(dir);
    const chunk = await follower.read();
    if (chunk) onChunk(chunk);
    if (!more) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
