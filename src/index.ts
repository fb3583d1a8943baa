/**
 * guild-stage as a library: stage a run, start it, or do both, with plugins around it; run
 * batches; read runs back.
 */
export {
  applyFlags,
  compareRuns,
  deleteRuns,
  diffRuns,
  findRun,
  labelRun,
  listIndexedRuns,
  listRunFiles,
  listRuns,
  markRuns,
  modifiedRuns,
  purgeRuns,
  restartRun,
  restoreRuns,
  runFileOf,
  runsDirFor,
  tagRun,
  openRun,
  planBatch,
  plotRuns,
  protoRunOptions,
  pluginOrder,
  readRunPatch,
  runBatch,
  runScript,
  stageRun,
  startRun,
  trialObjectives,
  type AppliedFlags,
  type ApplyFlagsOptions,
  type HookOrder,
  type ListRunsOptions,
  type StartOptions,
  type TagChange,
} from './engine.js';
export type { ListedRun, RunFilter } from './records/run-listing.js';
export type { BatchOptions, BatchOutcome, BatchPlan, SkippedTrial, Trial, TrialOutcome } from './batch/types.js';
export type { PlotOptions, PlotResult } from './plot-runs.js';
export { DEFAULT_PLOT_LIMIT, type ScalarChoice } from './results/plot-data.js';
export type { CompareOptions, CompareResult, CompareRow, SummaryField } from './compare/types.js';
export type { TagSummary } from './records/scalar-summary.js';
export type {
  EngineOptions,
  StageOptions,
  StageOnlyOptions,
  StagedRun,
  RunOutcome,
  ChangedFile,
  FlagEdit,
} from './options.js';
export { Run, type RunInfo } from './run.js';
export type { RunStatus, BatchRole } from './run-status.js';
export { definePlugin, HOOK_NAMES } from './plugins/types.js';
export type {
  Plugin,
  Hook,
  HookArgs,
  HookContext,
  HookHandler,
  HookName,
  OutputLine,
  RunResult,
  StagedSource,
} from './plugins/types.js';
export {
  commandHookPlugin,
  parseHookSpec,
  type CommandHook,
  type CommandHookEvent,
} from './plugins/command-hooks.js';
export { loadPlugins } from './plugins/load.js';
export { GuildStageError, type ErrorCode } from './errors.js';
export { planRun, type RunPlan } from './plan.js';
export { discoverFlags, type Discovered, type FlagsConfig } from './flags/discover.js';
export { readRun, type RunRecord } from './records/read-run.js';
export type { SelectRule } from './stage/rules.js';
export type { SourceRules } from './stage/select.js';
export type { SourceExtent } from './stage/extent.js';
export type { SkippedFile, SkipReason } from './stage/skipped.js';
export { configFormatOf, transformerFor } from '../transformers/index.js';
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
