import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { ensureRendererBuilt } from '../../src/cli/ui-server/renderer-bundle.js';
import { staticFile } from '../../src/cli/ui-server/static-files.js';
import { launchChromium } from '../../test/support/chromium.js';

/**
 * The contract's API inside the page, fed from the bench: calls answer from
 * memory (a log stream's name is kept in `__bench.stream`), events come from
 * `__bench.emit`.
 */
const IN_PAGE_API = `
  (() => {
    const listeners = new Map();
    const answers = {
      listWorkspaces: [], listPorts: [], getSettings: { activeAccount: 'sandbox', defaultRegion: 'us-east-1', defaultBundleId: 'small_3_0',
        defaultBlueprintId: 'ubuntu_24_04', notifications: {}, launchAtLogin: false },
      listAccounts: [{ name: 'sandbox', kind: 'sandbox', detail: 'lightsail-local on this computer', active: true, health: 'ok' }],
    };
    window.__bench = { emit: (event, payload) => { for (const l of listeners.get(event) ?? []) l(payload); } };
    // The preload's bridge: one call for every contract call, one subscription per event.
    window.porthole = {
      call: async (name, request) => {
        if (name === 'openLogStream') window.__bench.stream = request.stream;
        return { ok: true, response: answers[name] ?? (name === 'openLogStream' ? { stream: request.stream } : null) };
      },
      on: (event, listener) => { (listeners.get(event) ?? listeners.set(event, new Set()).get(event)).add(listener); return () => listeners.get(event).delete(listener); },
    };
  })();
`;

/** The built renderer served on loopback to a headless Chromium page that gets its contract from the bench, not the engine. */
export async function openRendererPage(viewport: { width: number; height: number }): Promise<{ page: Page; origin: string; rendererDir: string; close(): Promise<void> }> {
  const rendererDir = await ensureRendererBuilt((line) => console.log(line));
  const server = createServer((request, response) => {
    void staticFile(rendererDir, new URL(request.url ?? '/', 'http://127.0.0.1').pathname).then((file) => {
      if (!file) return void response.writeHead(404).end();
      response.writeHead(200, { 'Content-Type': file.type }).end(file.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser: Browser = await launchChromium();
  const page = await browser.newPage({ viewport });
  await page.addInitScript(IN_PAGE_API);
  return {
    page,
    origin,
    rendererDir,
    close: async () => {
      await browser.close();
      server.close();
    },
  };
}
