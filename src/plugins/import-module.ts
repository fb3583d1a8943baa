/**
 * `import()`, for the code the CLI loads but does not bundle: plugin files and packages, and
 * tsx, which loads TypeScript plugins. scripts/bundle.mjs keeps this module out of the CLI's
 * bundle and ships it as its own file, which Node's loader compiles: code that
 * bin/guild-stage.cts compiles from V8's code cache cannot call `import()` in Node 20.
 */
export function importModule<T = Record<string, unknown>>(specifier: string): Promise<T> {
  return import(specifier);
}
