/**
 * `guild-stage apply [script] --flags ...`: the flags and onRunStaged plugins applied in
 * place to a directory another tool prepared, for tools that run the script themselves.
 */
import path from 'node:path';
import { type Command, Option } from 'commander';
import { applyFlags, loadConfig, loadPlugins, parseHookSpec } from '../engine.js';
import { GuildStageError } from '../errors.js';
import { colorPatch, formatChanges } from './format.js';
import { println, useColor, type CliIO } from './io.js';
import { addPluginOptions, seconds, splitOperands } from './options.js';
import { warn } from './report.js';

interface ApplyCliOptions {
  dir?: string;
  flags?: string[];
  patch?: string;
  check?: boolean;
  force?: boolean;
  mode?: 'text' | 'ast';
  plugin?: string[];
  hook?: string[];
  hookTimeout?: number;
  json?: boolean;
  quiet?: boolean;
}

export function registerApply(program: Command, io: CliIO): void {
  const command = program
    .command('apply')
    .description(
      'apply flags and onRunStaged plugins in place to a directory another tool prepared (no run, no records); print the patch',
    )
    .argument('[script]', 'the script, a path inside --dir (default: "script" in the config file there)')
    .argument('[flags...]', 'flags as NAME=VALUE, like --flags')
    .option('--dir <dir>', 'the directory to edit in place (default: the current one)')
    .option('--flags <name=value...>', 'flag values (several after one --flags; repeatable)')
    .option('--patch <file>', 'write the patch to <file> instead of printing it')
    .option('--check', 'only check the flags and print what would change; write nothing (exit 2 on a bad flag)')
    .option('--force', 'edit a git checkout itself, or files with uncommitted changes, too')
    .addOption(new Option('--mode <mode>', 'how transformers rewrite flags (default: text)').choices(['text', 'ast']));
  addPluginOptions(command)
    .option(
      '--hook-timeout <seconds>',
      'fail a plugin hook or command hook that runs longer (a command is stopped)',
      seconds,
    )
    .option('--json', 'print one JSON object: {changes, patch, flags, edits, applied, dir, script}')
    .option('-q, --quiet', "don't list the changes on stderr")
    .action(async (script: string | undefined, operands: string[], options: ApplyCliOptions) => {
      const dir = path.resolve(io.cwd, options.dir ?? '.');
      // The directory holds the project's copy, and with it the project's config file.
      const config = await loadConfig(dir);
      const chosen = script ?? config.script;
      if (!chosen) {
        throw new GuildStageError('USAGE', 'no script given', {
          suggestion: 'name one: guild-stage apply train.py --flags lr=0.1',
        });
      }
      const hooks = (options.hook ?? []).map(parseHookSpec);
      const late = hooks.find((hook) => hook.event !== 'on_run_staged');
      if (late) {
        throw new GuildStageError('USAGE', `--hook ${late.event}: apply runs no script, only on_run_staged hooks`);
      }
      const configDir = config.file ? path.dirname(config.file) : dir;
      const result = await applyFlags({
        cwd: io.cwd,
        dir,
        script: chosen,
        flags: [...(options.flags ?? []), ...splitOperands(chosen, operands, 0).flags],
        mode: options.mode ?? config.mode,
        flagsDest: config.flagsDest,
        source: config.source,
        check: options.check,
        force: options.force,
        patchFile: options.check ? undefined : options.patch,
        plugins: [
          ...(await loadPlugins(config.plugins, configDir)),
          ...(await loadPlugins(options.plugin ?? [], io.cwd)),
        ],
        hooks: [...config.hooks.filter((hook) => hook.event === 'on_run_staged'), ...hooks],
        hookTimeoutMs: options.hookTimeout === undefined ? undefined : Math.round(options.hookTimeout * 1000),
        forwardSignals: true,
        guardProcess: true,
        onOutput: (_stream, chunk) => io.stderr.write(chunk),
        onWarning: (warning) => warn(io, warning, options.quiet),
      });
      if (options.json) {
        const { changes, patch, flags, edits, applied, opspec } = result;
        println(io.stdout, JSON.stringify({ changes, patch, flags, edits, applied, dir: result.dir, script: opspec }));
        return;
      }
      if (options.check || options.patch === undefined) {
        io.stdout.write(useColor(io, undefined) ? colorPatch(result.patch) : result.patch);
      }
      if (options.quiet) return;
      const lines = formatChanges({ edits: result.edits, flagArgs: {}, changed: result.changes });
      const what = options.check ? 'would change' : 'changed';
      println(io.stderr, lines.length ? `apply ${what} in ${result.dir}:` : `apply ${what} nothing in ${result.dir}`);
      for (const line of lines) println(io.stderr, line);
    });
}
