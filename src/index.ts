/**
 * guild-stage as a library: stage a run, start it, or do both, with plugins around it.
 */
export { stageRun, startRun, runScript, openRun } from './engine.js';
export type { EngineOptions, StageOptions, StagedRun, RunOutcome, ChangedFile } from './engine.js';
export { Run, type RunInfo, type RunStatus, type BatchRole } from './run.js';
export { definePlugin, HOOK_NAMES } from './plugins/types.js';
export type {
  Plugin,
  Hook,
  HookArgs,
  HookHandler,
  HookName,
  OutputLine,
  RunResult,
  StagedSource,
} from './plugins/types.js';
export { commandHookPlugin, parseHookSpec, type CommandHook, type CommandHookEvent } from './plugins/command-hooks.js';
export { loadPlugins } from './plugins/load.js';
export { GuildStageError, type ErrorCode } from './errors.js';
export { planRun, type RunPlan } from './plan.js';
export { discoverFlags, type Discovered } from './flags/discover.js';
export { listRuns, readRun, resolveRun, type RunRecord } from './records/read-run.js';
export type { SourceRules, SelectRule } from './stage/select.js';
export { transformerFor } from '../transformers/index.js';
export { TransformError, type TransformErrorKind } from '../transformers/errors.js';
export type {
  Transformer,
  FlagSite,
  FlagType,
  FlagValue,
  Edit,
  ApplyOptions,
  ApplyResult,
  TransformMode,
} from '../transformers/types.js';
