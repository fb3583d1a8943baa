/**
 * Asking before something that cannot be undone. Only a person at a terminal can answer:
 * without one the command refuses, so a script never deletes by accident (it passes `-y`).
 */
import { createInterface } from 'node:readline/promises';
import { GuildStageError } from '../errors.js';
import type { CliIO } from './io.js';

/**
 * Shows `lines` and asks `question` on stderr, and reads the answer from the terminal: yes
 * for `y` or `yes`. Without a terminal it refuses, naming `yesFlag`, before showing anything.
 */
export async function confirm(
  io: CliIO,
  lines: readonly string[],
  question: string,
  yesFlag: string,
): Promise<boolean> {
  if (!io.stdin?.isTTY) {
    throw new GuildStageError('USAGE', `stdin is not a terminal, so nobody can confirm: give ${yesFlag} to go ahead`);
  }
  for (const line of lines) io.stderr.write(`${line}\n`);
  const reader = createInterface({ input: io.stdin, output: io.stderr });
  // End of input (Ctrl-D) is no.
  const closed = new Promise<string>((resolve) => reader.once('close', () => resolve('')));
  try {
    const answer = await Promise.race([reader.question(`${question} [y/N] `), closed]);
    return /^(y|yes)$/i.test(answer.trim());
  } finally {
    reader.close();
  }
}
