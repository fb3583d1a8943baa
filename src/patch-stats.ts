/**
 * Reading a patch back: which files it changes, and how many lines. Apart from diff.ts, which
 * writes patches, so that commands that only read them (`diff --stat`) never load the diff library.
 */
/** Lines added and removed per file of a patch diff.ts wrote. */
export interface FileStat {
  path: string;
  added: number;
  removed: number;
}

/** Reads a path as `git` writes it in a `diff --git` header: bare, or C-quoted. */
function unquotePath(text: string): string {
  if (!text.startsWith('"')) return text;
  const bytes: number[] = [];
  for (let i = 1; i < text.length - 1; i++) {
    const c = text[i]!;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = text[++i]!;
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(text.slice(i, i + 3), 8));
      i += 2;
    } else bytes.push(({ n: 10, t: 9, '"': 34, '\\': 92 } as Record<string, number>)[next] ?? next.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Each file of `patch` with the lines its hunks add and remove. */
export function patchStats(patch: string): FileStat[] {
  const stats: FileStat[] = [];
  let current: FileStat | undefined;
  let inHunk = false;
  for (const line of patch.split('\n')) {
    if (line.startsWith('diff --git ')) {
      const header = line.slice('diff --git '.length);
      const b = header.startsWith('"')
        ? header.slice(header.lastIndexOf(' "') + 1)
        : header.slice(header.indexOf(' b/') + 1);
      current = { path: unquotePath(b).replace(/^b\//, ''), added: 0, removed: 0 };
      stats.push(current);
      inHunk = false;
    } else if (line.startsWith('@@')) inHunk = true;
    else if (current && inHunk && line.startsWith('+')) current.added++;
    else if (current && inHunk && line.startsWith('-')) current.removed++;
  }
  return stats;
}
