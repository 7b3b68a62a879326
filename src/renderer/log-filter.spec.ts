import { describe, expect, it } from 'vitest';
import type { LogLine } from '../shared/workspace-log';
import { copiedText, filterLines, highlightParts } from './log-filter';

const LINES: LogLine[] = [
  { source: 'provision', text: 'step 1 of 3: base' },
  { source: 'code-server', text: 'HTTP server listening' },
  { source: 'provision', text: 'E: Unable to locate package nope' },
  { source: 'system', text: 'sshd: Accepted publickey' },
];

describe('filterLines', () => {
  it('keeps the chosen sources, then the lines holding the search text in any case', () => {
    expect(filterLines(LINES, new Set(['provision']), '').map((l) => l.text)).toEqual(['step 1 of 3: base', 'E: Unable to locate package nope']);
    expect(filterLines(LINES, new Set(['provision', 'code-server', 'idle', 'system']), 'server').map((l) => l.source)).toEqual(['code-server']);
    expect(filterLines(LINES, new Set(['provision', 'system']), 'UNABLE').map((l) => l.text)).toEqual(['E: Unable to locate package nope']);
    expect(filterLines(LINES, new Set(), '')).toEqual([]);
  });
});

describe('highlightParts', () => {
  it('marks every occurrence, keeping the line as written', () => {
    expect(highlightParts('Error: error again', 'error')).toEqual([
      { text: 'Error', match: true },
      { text: ': ', match: false },
      { text: 'error', match: true },
      { text: ' again', match: false },
    ]);
    expect(highlightParts('plain', '')).toEqual([{ text: 'plain', match: false }]);
    expect(highlightParts('plain', 'zz')).toEqual([{ text: 'plain', match: false }]);
  });
});

describe('copiedText', () => {
  it('puts one line of the log per line', () => {
    expect(copiedText(LINES.slice(0, 2))).toBe('step 1 of 3: base\nHTTP server listening');
  });
});
