/**
 * What a run is at a moment, as its records and its Run object both say it. A leaf, so the
 * record format and the Run object can share these without importing each other.
 */

/**
 * `staged`: copied and ready, not started. `pending`: submitted to Slurm, waiting in its queue.
 * `running`: the script is executing.
 * `completed`: it exited 0. `error`: it exited non-zero, could not start, or a hook stopped it.
 * `terminated`: it was stopped by a signal (Ctrl-C, SIGTERM, a kill).
 */
export type RunStatus = 'staged' | 'pending' | 'running' | 'completed' | 'error' | 'terminated';

/** How a run relates to a batch: a batch run lists its trials, a trial names its batch. */
export type BatchRole = null | { role: 'batch'; trials: string[] } | { role: 'trial'; batchId: string; index: number };
