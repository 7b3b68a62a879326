import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, headless, reaching out to nothing: this machine's only network is loopback. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * Starts the Chromium every browser suite and benchmark drives; with
 * `home`, its profile and config live there instead of the user's.
 */
export function launchChromium(home?: { home: string; configHome?: string }): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    ...(home ? { env: { ...process.env, HOME: home.home, XDG_CONFIG_HOME: home.configHome ?? home.home } } : {}),
  });
}
