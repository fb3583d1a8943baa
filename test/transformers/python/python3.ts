/**
 * Runs the real `python3` over many files in one process, so property tests check
 * hundreds of generated scripts per spawn.
 */
import { runPython } from '../../helpers/python.js';

/** A value as Python sees it: its type name (eval_py.py's names) and value as JSON. */
export interface PyValue {
  type: 'int' | 'float' | 'str' | 'bool' | 'none' | 'list';
  value: unknown;
}

/** What Python makes of one file: its statement count and first literal assignment of each name. */
export interface PyFile {
  statements: number;
  names: Record<string, PyValue>;
}

// The same reading as fixtures/conformance/eval_py.py, for a list of files.
const EVAL_FILES = `
import ast, json, sys
def kind(v):
    if v is None: return "none"
    if isinstance(v, bool): return "bool"
    if isinstance(v, int): return "int"
    if isinstance(v, float): return "float"
    if isinstance(v, str): return "str"
    if isinstance(v, list): return "list"
    return type(v).__name__
def read(path):
    tree = ast.parse(open(path, encoding="utf-8-sig").read())
    names = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name, value = node.targets[0].id, node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            name, value = node.target.id, node.value
        else:
            continue
        if name in names: continue
        try:
            v = ast.literal_eval(value)
        except Exception:
            continue
        names[name] = {"type": kind(v), "value": v}
    return {"statements": len(tree.body), "names": names}
print(json.dumps([read(p) for p in json.load(sys.stdin)]))
`;

/** Parses each file with Python's own `ast`; a file that does not parse fails the call. */
export function pythonReadFiles(paths: readonly string[]): Promise<PyFile[]> {
  return runPython<PyFile[]>(EVAL_FILES, paths);
}

/** Evaluates each expression with Python's `eval` (no builtins but `float`), as `repr` strings. */
export function pythonReprs(expressions: readonly string[]): Promise<string[]> {
  const script =
    'import json, sys\nprint(json.dumps([repr(eval(e, {"__builtins__": {"float": float}})) for e in json.load(sys.stdin)]))';
  return runPython<string[]>(script, expressions);
}
