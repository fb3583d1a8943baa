// Puts `console.log("flags:", ...)` first in a staged JavaScript or TypeScript script by
// editing its syntax tree: a recast File (babel nodes) for JavaScript, a ts-morph
// SourceFile for TypeScript. The engine prints the tree back after the hook; the rest of
// the file keeps every byte, and the change shows in the run's patch.
import recast from 'recast';

export default {
  name: 'log-flags-ast',
  async onRunStaged(run, staged) {
    const statement = `console.log("flags:", ${JSON.stringify(JSON.stringify(run.flags))});`;
    if (/\.[cm]?tsx?$/.test(run.opspec)) {
      const sourceFile = await staged.ast(run.opspec);
      sourceFile.insertStatements(0, statement);
    } else if (/\.[cm]?jsx?$/.test(run.opspec)) {
      const file = await staged.ast(run.opspec);
      file.program.body.unshift(recast.parse(statement).program.body[0]);
    }
  },
};
