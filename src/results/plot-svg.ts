/**
 * The SVG text layer of the plots: escaping user text, writing coordinates, estimating how
 * wide a label will be, and the colour palette. Pure: strings and numbers in, strings out.
 */

/**
 * Characters XML 1.0 forbids even as character references (most C0 controls, lone
 * surrogates, U+FFFE and U+FFFF); a label holding one would make the whole file unreadable.
 */
const NOT_XML =
  /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/**
 * `text` safe as XML text or as a quoted attribute value: markup characters and quotes become
 * references, tabs and newlines survive attribute normalisation, characters XML cannot hold
 * become U+FFFD. Anything that is not a string is first made one.
 */
export function esc(text: unknown): string {
  return String(text ?? '')
    .replace(NOT_XML, '\ufffd')
    .replace(/[&<>"'\t\n\r]/g, (c) => ENTITIES[c]!);
}

/**
 * A coordinate or length as written in an attribute: rounded to one decimal, `-0` as `0`.
 * Throws on NaN or an infinity: the layout must never produce one.
 */
export function num(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`plot: non-finite coordinate ${n}`);
  const r = Math.round(n * 10) / 10;
  return r === 0 ? '0' : String(r);
}

/** Attributes as ` name="value"`, in the order given; numbers through {@link num}, undefined left out. */
export function attrs(list: Record<string, string | number | undefined>): string {
  let out = '';
  for (const [name, value] of Object.entries(list)) {
    if (value === undefined) continue;
    out += ` ${name}="${typeof value === 'number' ? num(value) : esc(value)}"`;
  }
  return out;
}

/** An element; `children` is markup (already escaped), an empty one makes the element self-closing. */
export function el(tag: string, list: Record<string, string | number | undefined>, children = ''): string {
  return children === '' ? `<${tag}${attrs(list)}/>` : `<${tag}${attrs(list)}>${children}</${tag}>`;
}

/** A `<text>` element holding `content` (plain text, escaped here). */
export function text(list: Record<string, string | number | undefined>, content: string): string {
  return `<text${attrs(list)}>${esc(content)}</text>`;
}

/**
 * About how wide `s` is in a sans-serif font of `fontSize` px, by classes of characters with
 * widths a little above DejaVu Sans's (the widest common default): digits 0.64 em, narrow
 * letters and punctuation 0.34, m and w 0.9, other capitals 0.72, other letters 0.58, wide
 * (CJK) characters 1.1. An estimate: layouts leave some slack around it.
 */
export function textWidth(s: string, fontSize: number): number {
  let em = 0;
  for (const ch of s) {
    if (ch.codePointAt(0)! >= 0x2e80) em += 1.1;
    else if (/[0-9]/.test(ch)) em += 0.64;
    else if (/[ijlftrI.,:;'!|()[\] ]/.test(ch)) em += 0.34;
    else if (/[mwMW]/.test(ch)) em += 0.9;
    else if (/[A-Z]/.test(ch)) em += 0.72;
    else em += 0.58;
  }
  return em * fontSize;
}

/** `s` cut to at most `maxWidth` px (by {@link textWidth}), ending in an ellipsis when cut. */
export function truncate(s: string, maxWidth: number, fontSize: number): string {
  if (textWidth(s, fontSize) <= maxWidth) return s;
  const chars = [...s];
  let out = '';
  for (const ch of chars) {
    if (textWidth(`${out + ch}…`, fontSize) > maxWidth) break;
    out += ch;
  }
  return `${out}…`;
}

/** `s` cut in the middle to at most `maxWidth` px, keeping its start and its end (`architec…ant_13`). */
export function truncateMiddle(s: string, maxWidth: number, fontSize: number): string {
  if (textWidth(s, fontSize) <= maxWidth) return s;
  const chars = [...s];
  let head = '';
  let tail = '';
  let i = 0;
  let j = chars.length - 1;
  while (i <= j) {
    const next = (i + chars.length - 1 - j) % 2 === 0 ? `${head}${chars[i]}…${tail}` : `${head}…${chars[j]}${tail}`;
    if (textWidth(next, fontSize) > maxWidth) break;
    if ((i + chars.length - 1 - j) % 2 === 0) head += chars[i++];
    else tail = chars[j--] + tail;
  }
  return `${head}…${tail}`;
}

/**
 * Paul Tol's "muted" qualitative palette, in his order: nine colours told apart with the
 * common colour-vision deficiencies. Past nine series the colours repeat with a dash pattern.
 */
export const PALETTE = [
  '#CC6677',
  '#332288',
  '#DDCC77',
  '#117733',
  '#88CCEE',
  '#882255',
  '#44AA99',
  '#999933',
  '#AA4499',
] as const;

/** The colour of scatter points (Okabe and Ito's blue). */
export const POINT_COLOR = '#0072B2';

/** Dash patterns for the second, third... round of the palette. */
const DASHES = [undefined, '6 3', '2 2', '8 3 2 3'] as const;

/** The stroke of series `index`: a colour and, from the tenth series on, a dash pattern. */
export function seriesStyle(index: number): { color: string; dash: string | undefined } {
  const round = Math.floor(index / PALETTE.length);
  return { color: PALETTE[index % PALETTE.length]!, dash: DASHES[round % DASHES.length] };
}

/** A value for a tooltip: up to six significant digits, no exponent noise for ordinary numbers. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1e-4 && abs < 1e15) return String(Number(v.toPrecision(6)));
  const [mantissa, exponent] = v.toExponential(5).split('e') as [string, string];
  return `${mantissa.replace(/\.?0+$/, '')}e${exponent.replace('+', '')}`;
}

/** The root element of a plot: a fixed size, a viewBox, a white background (for dark pages), no ids. */
export function svgDocument(kind: string, width: number, height: number, data: Record<string, string>, body: string) {
  const root = attrs({
    xmlns: 'http://www.w3.org/2000/svg',
    width,
    height,
    viewBox: `0 0 ${num(width)} ${num(height)}`,
    class: `guild-stage-plot ${kind}`,
    'font-family': 'sans-serif',
    ...data,
  });
  return `<svg${root}>${el('rect', { class: 'background', width, height, fill: '#ffffff' })}${body}</svg>\n`;
}

/** A size option: the default unless a finite number, then kept within 200..4000. */
export function dimension(value: number | undefined, fallback: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(4000, Math.max(200, Math.round(value)));
}

/** The note a plot area shows when it has nothing to draw. */
export function noData(rect: { left: number; top: number; width: number; height: number }, fontSize: number): string {
  return text(
    {
      class: 'no-data',
      x: rect.left + rect.width / 2,
      y: rect.top + rect.height / 2,
      'text-anchor': 'middle',
      'font-size': fontSize,
      fill: '#777777',
    },
    'no finite values',
  );
}
