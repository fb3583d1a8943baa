import { main } from '../src/cli/index.js';

// Exits once the command is done and recorded: a plugin's timer or never-settling work must
// not hold the process. What is still queued for a pipe (asynchronous on macOS) is flushed first.
void main(process.argv.slice(2)).then(async (code) => {
  for (const stream of [process.stdout, process.stderr]) await new Promise((resolve) => stream.write('', resolve));
  process.exit(code);
});
