import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { cspProblems, editorWindowTitle, metaCsp, workspacePartition } from './window-policy.js';

describe('editorWindowTitle', () => {
  it('names the workspace, its state and the app', () => {
    expect(editorWindowTitle('demo', 'ready')).toBe('demo — ready — Porthole');
    expect(editorWindowTitle('demo', 'tunnel lost')).toBe('demo — tunnel lost — Porthole');
  });
});

describe('workspacePartition', () => {
  it('is persistent and names account, region and workspace', () => {
    expect(workspacePartition({ account: 'sandbox', region: 'us-east-1', name: 'demo' })).toBe('persist:workspace-sandbox-us-east-1-demo');
  });

  it('differs for the same name in another region or account', () => {
    const a = workspacePartition({ account: 'sandbox', region: 'us-east-1', name: 'demo' });
    expect(workspacePartition({ account: 'sandbox', region: 'eu-west-3', name: 'demo' })).not.toBe(a);
    expect(workspacePartition({ account: 'work', region: 'us-east-1', name: 'demo' })).not.toBe(a);
  });

  it('keeps only safe characters from a profile name', () => {
    expect(workspacePartition({ account: 'Work/Admin:Prod', region: 'us-east-1', name: 'demo' })).toBe('persist:workspace-work_admin_prod-us-east-1-demo');
  });
});

describe('cspProblems', () => {
  it('finds the dashboard page strict', async () => {
    const html = await readFile(fileURLToPath(new URL('../renderer/index.html', import.meta.url)), 'utf8');
    const policy = metaCsp(html);
    expect(policy).toBeDefined();
    expect(cspProblems(policy!)).toEqual([]);
  });

  it.each([
    ["default-src 'self'; script-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'none'", ['default-src', 'unsafe-inline']],
    ["default-src 'none'; script-src 'self' https://cdn.example.com; base-uri 'none'; form-action 'none'", ['https://cdn']],
    ["default-src 'none'; script-src 'self'", ['base-uri', 'form-action']],
    ["default-src 'none'; script-src 'self'; base-uri 'none'; form-action 'none'; connect-src *", ['connect-src allows *']],
  ])('names what is loose in %s', (policy, mentions) => {
    const problems = cspProblems(policy).join('\n');
    for (const mention of mentions) expect(problems).toContain(mention);
  });
});
