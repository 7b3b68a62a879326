import { describe, expect, it } from 'vitest';
import { CONNECTION_LOST } from '../api/socket-api';
import { reopensByItself } from './use-log-stream';

describe('reopensByItself', () => {
  it("reopens after the page's own lost connection, and not after a workspace that cannot be reached or a stop", () => {
    expect(reopensByItself({ kind: CONNECTION_LOST })).toBe(true);
    expect(reopensByItself({ kind: 'network' })).toBe(false);
    expect(reopensByItself({ kind: 'wrong-state' })).toBe(false);
    expect(reopensByItself({})).toBe(false);
  });
});
