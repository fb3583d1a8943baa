/**
 * The contract between the engine and a language's flag transformer.
 *
 * A transformer is pure: source text in, flag sites or new text out. It knows nothing
 * about runs, run directories or plugins, so it can be tested, benchmarked and reused
 * on its own (as jscodeshift keeps transforms apart from file walking).
 */

/**
 * The type of a flag, taken from its default value or its `type` annotation. `complex` is
 * R's complex number, held as text in R's own spelling (`2+2i`): YAML and Guild have no
 * complex type, and guildai-r records it as a string too.
 */
export type FlagType = 'int' | 'float' | 'string' | 'boolean' | 'null' | 'list' | 'complex';

/** A flag value as data. Numbers carry no int/float distinction; the flag's type does. */
export type FlagValue = string | number | boolean | null | FlagValue[];

/** A flag found in a script: a top-level assignment of a literal. */
export interface FlagSite {
  name: string;
  type: FlagType;
  default: FlagValue;
  /**
   * The default as the script's language spells it (`1e-3`, `True`, `'a'`: the literal as
   * written, where it is on one line), for a language whose spelling differs from the
   * data's; `flags` shows it in place of `default`.
   */
  defaultText?: string;
  /** The path of the file as given to `discover`: the script, or the config file that holds its flags. */
  file: string;
  /** 1-based line of the assignment. */
  line: number;
  description?: string;
  choices?: FlagValue[];
  min?: number;
  max?: number;
  /**
   * What declares the flag when it is not a top-level assignment: `argparse`, `click`.
   * `flags` shows it after `file:line`.
   */
  kind?: string;
  /** The command-line option that sets the flag, for flags a script declares as options (argparse, click). */
  option?: FlagOption;
}

/**
 * A command-line option that sets a flag. Its default is rewritten in the source like any
 * flag's, except when it cannot be (`defaultCode` or `required`): then a run passes the value
 * as command-line arguments, and the flag's `default` (null) is unknown, so no run records it.
 */
export interface FlagOption {
  /** The option a value follows (`--lr`); for a boolean switch, the option that sets true (`--cuda`), if any. */
  name?: string;
  /** Whether `name` is a switch: it takes no value. */
  switch?: boolean;
  /** For a boolean switch, the option that sets false (`--no-cuda`), if any. */
  off?: string;
  /** Whether the option takes several values: a list flag's items follow `name`. */
  list?: boolean;
  /** The default as written, when it is not a literal (`os.environ.get("LR")`). */
  defaultCode?: string;
  /** Whether the script requires the option on its command line, whatever the default. */
  required?: boolean;
}

/** One literal the transformer replaced. Offsets index the original source (UTF-16). */
export interface Edit {
  name: string;
  line: number;
  start: number;
  end: number;
  before: string;
  after: string;
}

export interface ApplyResult {
  /** The whole new source. Equal to the input when nothing changed. */
  text: string;
  edits: Edit[];
  /** Names in `values` that are not flags of this source. */
  unused: string[];
}

export type TransformMode = 'text' | 'ast';

export interface ApplyOptions {
  mode: TransformMode;
  /** The script's path as errors name it, e.g. `train.py` in `train.py:3: ...`. */
  file: string;
}

/**
 * A language's syntax tree, for plugins that edit code structurally (`staged.ast(file)`).
 * The tree is whatever the language's well-known library gives (a ts-morph `SourceFile`,
 * a recast/babel `File`), so plugin authors use that library's documented API on it.
 */
export interface AstSupport<Tree = unknown> {
  /** Parses a file; throws a `source` `TransformError` with `file` and `line` when it does not parse. */
  parse(source: string, file: string): Tree;
  /** Prints a tree back to text; code nobody changed prints byte-identical. */
  print(tree: Tree): string;
}

/** The encodings a transformer's `decode` reads and its `encoding` names for writing. */
export type TextEncoding = 'utf8' | 'latin1';

export interface Transformer {
  /** Lower-case language name, e.g. `python`. */
  language: string;
  /** File extensions this transformer handles, with the dot, e.g. `['.py']`. */
  extensions: string[];
  /** The modes `apply` supports; the engine refuses any other before it stages anything. */
  modes: readonly TransformMode[];
  /**
   * Finds the flags of a script. Throws a `source` `TransformError` with `file` and `line`
   * when it does not parse or an annotation is malformed.
   */
  discover(source: string, file: string): FlagSite[];
  /**
   * Rewrites the flags named in `values` to those values. Values arrive decoded and
   * validated against the sites `discover` returned; the transformer renders each as a
   * literal of its language (by the site's type), so no value can become code; one the
   * language cannot write (NaN in JavaScript, NUL in an R string) is a `value`
   * `TransformError`. `opts.mode` is one of `modes`.
   */
  apply(source: string, values: Record<string, FlagValue>, opts: ApplyOptions): ApplyResult;
  /**
   * The text of a script's bytes, for languages whose files declare their own encoding
   * (Python's coding cookie); without it the engine reads UTF-8. Throws an `encoding`
   * `TransformError` for an encoding the transformer will not write values into, and a
   * `source` one for bytes that are not text in it.
   */
  decode?(bytes: Uint8Array, file: string): string;
  /**
   * How a script's text is written back, the inverse of `decode`: the Node.js encoding of the
   * one the text declares, once the text is checked to fit it (a `TransformError` otherwise).
   * An encoding name rather than the bytes, so a large file is written a slice at a time.
   */
  encoding?(text: string, file: string): TextEncoding;
  /** Present for languages whose trees plugins can edit. */
  ast?: AstSupport;
  /**
   * The value a flag of `site` will hold, given a value already decoded by the site's type.
   * Called before anything is staged, so that a value the language cannot write (an R
   * integer beyond 32 bits, NUL in an R string) fails there, as a `value` `TransformError`
   * naming the flag; a value with several spellings comes back in the one `apply` writes
   * (an R complex `3` is `3+0i`), so that the records say what the script got.
   */
  normalizeValue?(site: FlagSite, value: FlagValue): FlagValue;
  /** Whether `name` can be a variable of this language, checked for names `--force-flags` lets through. */
  isIdentifier?(name: string): boolean;
}
