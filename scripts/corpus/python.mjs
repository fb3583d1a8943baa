/**
 * Python's own verdict on a batch of corpus files: one `python3` process parses every
 * original and rewritten source with `ast.parse` and reads every new literal with
 * `ast.literal_eval`.
 */
import { execFileSync } from 'node:child_process';

// Sources go in as UTF-8 bytes, so Python honours a BOM or coding cookie as it would
// reading the file. Values come back tagged by Python type; floats as repr, exact.
const JUDGE = `
import ast, json, sys, warnings
warnings.simplefilter("ignore")
def parse(text):
    if text is None: return None
    try:
        ast.parse(text.encode("utf-8", "surrogatepass"))
        return None
    except Exception as e:
        return f"{type(e).__name__}: {e}".splitlines()[0]
def tag(v):
    if v is None: return ["none"]
    if isinstance(v, bool): return ["bool", v]
    if isinstance(v, int): return ["int", str(v)]
    if isinstance(v, float): return ["float", repr(v)]
    if isinstance(v, str): return ["str", v]
    if isinstance(v, list): return ["list", [tag(x) for x in v]]
    return ["other", type(v).__name__]
def value(text):
    try:
        return tag(ast.literal_eval(text))
    except Exception as e:
        return ["error", f"{type(e).__name__}: {e}".splitlines()[0]]
items = json.load(sys.stdin)
print(json.dumps([{"source": parse(i["source"]), "rewritten": parse(i["rewritten"]), "literals": [value(t) for t in i["literals"]]} for i in items]))
`;

/** The Python type each flag type is written as; a `null` flag was given an int. */
const PYTHON_TYPE = { int: 'int', float: 'float', string: 'str', boolean: 'bool', null: 'int', list: 'list' };

/** A tagged Python value as a flag value. @param {[string, any?]} tagged @returns {unknown} */
function untag([type, value]) {
  switch (type) {
    case 'none':
      return null;
    case 'int':
      return Number(value);
    case 'float':
      return value === 'inf' ? Infinity : value === '-inf' ? -Infinity : Number(value);
    case 'list':
      return value.map(untag);
    default:
      return value;
  }
}

/**
 * Python's verdict on each item: why its source or its rewritten text does not parse
 * (null when it does), and what Python reads each new literal as.
 * @param {{ source: string, rewritten: string | null, literals: string[] }[]} items
 * @returns {{ source: string | null, rewritten: string | null, literals: { type: string, value: unknown, error?: string }[] }[]}
 */
export function judgePython(items) {
  const out = execFileSync('python3', ['-c', JUDGE], {
    input: JSON.stringify(items),
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  return JSON.parse(out).map((item) => ({
    ...item,
    literals: item.literals.map((tagged) =>
      tagged[0] === 'error'
        ? { type: 'error', value: undefined, error: tagged[1] }
        : { type: tagged[0], value: untag(tagged) },
    ),
  }));
}

/** The Python type a literal written for a flag of `flagType` must have. @param {string} flagType */
export function pythonTypeFor(flagType) {
  return PYTHON_TYPE[flagType];
}
