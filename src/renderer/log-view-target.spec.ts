import { describe, expect, it } from 'vitest';
import { logViewTargetOf } from './log-view-target';

describe('logViewTargetOf', () => {
  it('reads the workspace, source and step of a #logs address', () => {
    expect(logViewTargetOf('#logs?name=demo&region=us-east-1&account=team+a&source=provision&step=3')).toEqual({
      name: 'demo',
      region: 'us-east-1',
      account: 'team a',
      source: 'provision',
      step: 3,
    });
    expect(logViewTargetOf('#logs?name=demo')).toEqual({ name: 'demo' });
  });

  it('leaves out what it does not know, and is undefined for other addresses', () => {
    expect(logViewTargetOf('#logs?name=demo&source=kernel&step=x')).toEqual({ name: 'demo' });
    expect(logViewTargetOf('#logs?source=provision')).toBeUndefined();
    expect(logViewTargetOf('#new-workspace')).toBeUndefined();
    expect(logViewTargetOf('')).toBeUndefined();
  });
});
