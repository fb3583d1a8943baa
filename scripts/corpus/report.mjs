/**
 * The corpus report as text: a table of counts per language, then every skipped file and
 * every failure, each with its file and reason.
 */

const NAMES = { py: 'Python', r: 'R', js: 'JavaScript', ts: 'TypeScript' };
const COLUMNS = ['language', 'files', 'skipped', 'flags', 'rewrites', 'restored identical', 'failures'];

/** @param {import('./run.mjs').LanguageResult} result */
function row(result) {
  const failing = new Set(result.failures.map((failure) => failure.file)).size;
  return [
    NAMES[result.lang],
    result.files,
    result.skipped.length,
    result.flags,
    result.rewrites,
    `${result.restoredIdentical}/${result.rewrittenFiles}`,
    `${result.failures.length} in ${failing} files`,
  ];
}

/** @param {(string | number)[][]} rows */
function table(rows) {
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((cells) => String(cells[i]).length)));
  return rows
    .map((cells) => cells.map((cell, i) => String(cell)[i === 0 ? 'padEnd' : 'padStart'](widths[i])).join('  '))
    .join('\n');
}

/** @param {string} title @param {{ file: string, reason: string }[]} list @param {string} [suffix] */
function section(title, list, suffix = '') {
  return list.length === 0 ? [] : [`${title}:`, ...list.map(({ file, reason }) => `  ${file}: ${reason}${suffix}`)];
}

/** @param {import('./run.mjs').LanguageResult} result */
function details(result) {
  const name = NAMES[result.lang];
  return [
    ...section(`${name} skipped`, result.skipped),
    ...section(`${name} failures`, result.failures),
    ...section(`${name} known failures (left out of the count)`, result.known),
  ];
}

/** @param {import('./run.mjs').LanguageResult[]} results */
function notes(results) {
  const ts = results.find((result) => result.lang === 'ts' && result.readAsTypeScript > 0);
  const lines = [
    'restored identical: of the files with flags, those that writing the defaults back into the rewritten',
    "text turned into the original byte for byte (the rest got some literal back in the renderer's spelling).",
  ];
  if (ts) lines.push(`TypeScript files include ${ts.readAsTypeScript} JavaScript files read as TypeScript.`);
  return lines;
}

/**
 * The report for `results`: counts, notes on what they mean, skipped files and failures.
 * @param {import('./run.mjs').LanguageResult[]} results @returns {string}
 */
export function formatReport(results) {
  const counts = table([COLUMNS, ...results.map(row)]);
  return `${[counts, '', ...notes(results), ...results.flatMap(details)].join('\n')}\n`;
}
