/**
 * The run directory format, in the layout Guild AI 0.9 reads: attrs, opref, output and its
 * index, markers, manifest, and reading runs back.
 */
export {
  attrsDir,
  fromMicros,
  GUILD_STAGE_ATTR,
  nowMicros,
  readAttr,
  readAttrs,
  toMicros,
  writeAttr,
  type GuildStageAttr,
} from './attrs.js';
export { isSecretName, withoutSecrets } from './env.js';
export { guildDir } from './files.js';
export {
  formatManifestLine,
  manifestPath,
  readManifest,
  sourcecodeDigest,
  writeManifest,
  type ManifestEntry,
} from './manifest.js';
export { clearMarker, lockPid, lockRun, pidExists, readMarker, setMarker, type MarkerName } from './markers.js';
export { formatOpref, parseOpref, type OpRef } from './opref.js';
export { OutputWriter, readOutputIndex, type OutputIndexRecord, type OutputStream } from './output.js';
export { decodeYaml, encodeYaml } from './py-yaml.js';
export { isRunDir, listRuns, readRun, resolveRun, runStatus, type RunRecord } from './read-run.js';
export { isRunId, newRunId } from './run-id.js';
export { findGuildHome, resolveRunsDir } from './runs-home.js';
export { systemAttrs, type SystemAttrs } from './system.js';
export { vcsCommit } from './vcs.js';
