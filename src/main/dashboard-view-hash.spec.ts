import { describe, expect, it } from 'vitest';
import { dashboardViewHash } from './dashboard-view-hash.js';

describe('dashboardViewHash', () => {
  it('names the wizard, or the log viewer with its workspace, source and step', () => {
    expect(dashboardViewHash('createWizard')).toBe('new-workspace');
    expect(dashboardViewHash('logs', { name: 'demo', region: 'us-east-1', account: 'team a', source: 'provision', step: 3 })).toBe(
      'logs?name=demo&region=us-east-1&account=team+a&source=provision&step=3',
    );
    expect(dashboardViewHash('logs', { name: 'demo' })).toBe('logs?name=demo');
  });
});
