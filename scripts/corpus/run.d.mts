/**
 * Types of the corpus runner (`run.mjs`) for TypeScript callers: the test suite runs a
 * sample of the corpus against the transformers' TypeScript sources.
 */
import type { Transformer } from '../../transformers/types.js';

/** A corpus file: its path, its label in reports, and the name the transformer is given. */
export interface CorpusFile {
  path: string;
  label: string;
  name: string;
}

/** A file and what went wrong with it (or why it was skipped). */
export interface Failure {
  file: string;
  reason: string;
}

/** The totals of one language. */
export interface LanguageResult {
  lang: string;
  files: number;
  /** Of `files`, the JavaScript files read as TypeScript (TypeScript only). */
  readAsTypeScript: number;
  skipped: Failure[];
  flags: number;
  rewrites: number;
  /** Files with at least one flag, all rewritten. */
  rewrittenFiles: number;
  /** Of those, the files that writing the defaults back restored byte for byte. */
  restoredIdentical: number;
  failures: Failure[];
  /** Failures of files listed in `known`, kept apart from `failures`. */
  known: Failure[];
}

export interface CorpusOptions {
  langs: string[];
  limit?: number;
  sample?: number;
  maxBytes?: number;
  nodeModules: string;
  transformerFor: (file: string) => Promise<Transformer | undefined>;
  /** By language, the labels of files known to fail, with the reason. */
  known?: Record<string, Record<string, string>>;
}

export function runCorpus(opts: CorpusOptions): Promise<LanguageResult[]>;

export function selectFiles(lang: string, opts: CorpusOptions): CorpusFile[];
