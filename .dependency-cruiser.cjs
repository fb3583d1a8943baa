/**
 * The layering rules of docs/architecture.md, checked in .ci/run (`npm run lint`).
 * Type-only imports count: a circle through types still ties two modules together.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import circles in the engine or the transformers, type-only ones included.',
      from: { path: '^(bin|src|transformers)/' },
      to: { circular: true },
    },
    {
      name: 'transformers-know-no-runs',
      severity: 'error',
      comment: 'A transformer is pure: source and values in, text and edits out. It imports nothing from the engine.',
      from: { path: '^transformers/' },
      to: { path: '^(src|bin)/' },
    },
    {
      name: 'thin-cli',
      severity: 'error',
      comment: 'The CLI is a client of the library: records, plugins and staging are reached through the engine.',
      from: { path: '^src/cli/' },
      to: { path: '^src/(records|plugins|stage)/' },
    },
    {
      name: 'library-never-reaches-the-cli',
      severity: 'error',
      comment: 'Data flows one way: CLI -> engine.',
      from: { path: '^(src|transformers)/', pathNot: '^src/cli/' },
      to: { path: '^(src/cli|bin)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|test|fixtures|bench|scripts)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.build.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
