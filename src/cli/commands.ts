/**
 * The top-level commands, as `--help` lists them (test/cli/launcher.test.ts checks). Kept
 * apart from their registration so the launcher (bin/guild-stage.cts) can know them without
 * loading the CLI: it keeps one code cache per command.
 */
export const COMMANDS: readonly string[] = [
  'run',
  'stage',
  'start',
  'restart',
  'runs',
  'compare',
  'flags',
  'diff',
  'cat',
  'ls',
  'plugins',
  'plot',
  'apply',
];

/**
 * Which command `argv` (without node and script) runs, for naming its code cache: `help` for
 * `--help` and `--version` anywhere before `--`, `run` (the default command) for a script or
 * anything else.
 */
export function commandOf(argv: readonly string[]): string {
  const end = argv.indexOf('--');
  const own = end === -1 ? argv : argv.slice(0, end);
  if (own.some((arg) => arg === '-h' || arg === '--help' || arg === '-V' || arg === '--version')) return 'help';
  for (let i = 0; i < own.length; i++) {
    const arg = own[i] as string;
    if (arg === '-C' || arg === '--cwd') i++;
    else if (!arg.startsWith('-')) return COMMANDS.includes(arg) ? arg : 'run';
  }
  return 'run';
}
