/**
 * Reading SVG and XHTML back with a real XML parser, Python's `xml.etree.ElementTree` (expat),
 * so a test sees the document as any other tool would: well-formed or an error, entities
 * resolved, text as text.
 */
import { runPython } from './python.js';

/** An element: its local name (namespace dropped), attributes, text before its first child, text after it. */
export interface XmlNode {
  tag: string;
  ns: string;
  attrib: Record<string, string>;
  text: string;
  tail: string;
  children: XmlNode[];
}

const SCRIPT = `
import json, sys
import xml.etree.ElementTree as ET

def local(name):
    return name.split('}', 1)[1] if name.startswith('{') else name

def node(e):
    ns = e.tag[1:].split('}', 1)[0] if e.tag.startswith('{') else ''
    return {
        'tag': local(e.tag),
        'ns': ns,
        'attrib': {local(k): v for k, v in e.attrib.items()},
        'text': e.text or '',
        'tail': e.tail or '',
        'children': [node(c) for c in e],
    }

out = []
for doc in json.load(sys.stdin):
    try:
        out.append({'ok': node(ET.fromstring(doc))})
    except ET.ParseError as err:
        out.append({'error': str(err)})
print(json.dumps(out))
`;

/** Parses each document in one Python process; throws on the first that is not well-formed XML. */
export async function parseXmlAll(docs: readonly string[]): Promise<XmlNode[]> {
  const results = await runPython<({ ok: XmlNode } | { error: string })[]>(SCRIPT, docs);
  return results.map((r, i) => {
    if ('error' in r) throw new Error(`document ${i} is not well-formed XML: ${r.error}`);
    return r.ok;
  });
}

export async function parseXml(doc: string): Promise<XmlNode> {
  return (await parseXmlAll([doc]))[0]!;
}

/** Every element under `root` (itself included), in document order. */
export function walk(root: XmlNode): XmlNode[] {
  const out: XmlNode[] = [root];
  for (const child of root.children) out.push(...walk(child));
  return out;
}

/** The elements under `root` with `tag` and, if given, the class `cls`. */
export function findAll(root: XmlNode, tag: string, cls?: string): XmlNode[] {
  return walk(root).filter((n) => n.tag === tag && (cls === undefined || hasClass(n, cls)));
}

export function hasClass(node: XmlNode, cls: string): boolean {
  return (node.attrib.class ?? '').split(/\s+/).includes(cls);
}

/** The element's text, its descendants' included, without that of `<title>` children (tooltips). */
export function textOf(node: XmlNode): string {
  let out = node.text;
  for (const child of node.children) out += (child.tag === 'title' ? '' : textOf(child)) + child.tail;
  return out;
}
