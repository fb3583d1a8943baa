/**
 * guildai-r's test scripts, for tests that compare with guildai-r's own R code: where they
 * are, and whether Rscript can run that code here (it needs the yaml package).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { REFERENCE } from './reference.js';

/** guildai-r's test resources (`*.R` scripts), or undefined without the reference. */
export const GUILDAI_R_RESOURCES = REFERENCE && path.join(REFERENCE, 'guildai-r/tests/testthat/resources');

function rHasYaml(): boolean {
  try {
    execFileSync('Rscript', ['-e', 'stopifnot(requireNamespace("yaml", quietly = TRUE))'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Whether guildai-r's code can be run: the reference is there and Rscript has yaml. */
export const GUILDAI_R_READY = Boolean(REFERENCE) && rHasYaml();

/** Why a guildai-r comparison is skipped, for its describe's name. */
export const GUILDAI_R_SKIP = REFERENCE
  ? 'skipped: Rscript with the yaml package (r-cran-yaml) is needed'
  : 'skipped: set GUILD_STAGE_REFERENCE to the reference directory (guildai-r/) to compare with guildai-r';
