/**
 * Whether a Slurm cluster answers here (`sinfo` shows a node up), for the tests that submit
 * real jobs. `.ci/run` starts the local one (scripts/slurm-local.sh); elsewhere the tests skip
 * with {@link SLURM_SKIP} in their name when there is none.
 */
import { execFileSync } from 'node:child_process';

function nodeUp(): boolean {
  try {
    const states = execFileSync('sinfo', ['-h', '-o', '%T'], { encoding: 'utf8', timeout: 10_000, stdio: 'pipe' });
    return /\b(idle|mixed|allocated)\b/.test(states);
  } catch {
    return false;
  }
}

export const SLURM = nodeUp();

/** Appended to the name of a describe that needs Slurm, so a skip says why. */
export const SLURM_SKIP = SLURM ? '' : ' [skipped: no Slurm node up (sinfo); scripts/slurm-local.sh start makes one]';
