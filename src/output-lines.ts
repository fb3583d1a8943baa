/**
 * Splitting a stream's chunks into the lines `onRunOutput` receives. A chunk may end
 * mid-line (or mid-character); the rest waits for the next chunk or the end.
 */
import { StringDecoder } from 'node:string_decoder';
import type { OutputLine } from './plugins/types.js';

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private pendingTime: Date | null = null;

  constructor(private readonly stream: OutputLine['stream']) {}

  /** The lines this chunk completes, each stamped with the time its first byte arrived. */
  push(chunk: Buffer, time: Date): OutputLine[] {
    const text = this.decoder.write(chunk);
    const lines: OutputLine[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const piece = this.pending + text.slice(start, nl);
      lines.push({
        stream: this.stream,
        text: piece.endsWith('\r') ? piece.slice(0, -1) : piece,
        time: this.pendingTime ?? time,
      });
      this.pending = '';
      this.pendingTime = null;
      start = nl + 1;
    }
    if (start < text.length) {
      this.pending += text.slice(start);
      this.pendingTime ??= time;
    }
    return lines;
  }

  /** The last line when the stream ended without a newline. */
  end(time: Date): OutputLine[] {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    return rest ? [{ stream: this.stream, text: rest, time: this.pendingTime ?? time }] : [];
  }
}
