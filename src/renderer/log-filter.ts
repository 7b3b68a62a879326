import type { LogLine, LogSource } from '../shared/workspace-log';

/** The lines the viewer shows: from the chosen logs, and containing the search text (any case) when there is one. */
export function filterLines<L extends LogLine>(lines: readonly L[], sources: ReadonlySet<LogSource>, search: string): L[] {
  const needle = search.toLowerCase();
  return lines.filter((line) => sources.has(line.source) && (needle === '' || line.text.toLowerCase().includes(needle)));
}

/** A line cut around each occurrence of the search text, so the matches can be marked. */
export function highlightParts(text: string, search: string): Array<{ text: string; match: boolean }> {
  if (search === '') return [{ text, match: false }];
  const lower = text.toLowerCase();
  const needle = search.toLowerCase();
  const parts: Array<{ text: string; match: boolean }> = [];
  let from = 0;
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) {
    if (at > from) parts.push({ text: text.slice(from, at), match: false });
    parts.push({ text: text.slice(at, at + needle.length), match: true });
    from = at + needle.length;
  }
  if (from < text.length) parts.push({ text: text.slice(from), match: false });
  return parts;
}

/** What copying lines puts on the clipboard: each line as written, one per line. */
export function copiedText(lines: readonly LogLine[]): string {
  return lines.map((line) => line.text).join('\n');
}
