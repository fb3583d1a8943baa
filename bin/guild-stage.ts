#!/usr/bin/env node
import { main } from '../src/cli/index.js';

// Exits once the command is done and recorded: a plugin's timer or never-settling work must
// not hold the process (its hooks have already failed or timed out by then).
process.exit(await main(process.argv.slice(2)));
