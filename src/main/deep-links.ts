import { resolve } from 'node:path';
import { app } from 'electron';
import { DEEP_LINK_SCHEME, deepLinkInArgs, parseDeepLink, type DeepLink } from './deep-link-policy.js';

/**
 * Makes Porthole the handler of porthole:// links, and hands every valid
 * one to `open`: on macOS through open-url, elsewhere on the command line of
 * the first instance or of a second one (which then quits, see index.ts).
 */
export function listenForDeepLinks(open: (link: DeepLink) => void): { fromArgs(argv: readonly string[]): boolean } {
  // Started as `electron out/main/index.js`, the OS must be told to pass the script too.
  if (process.defaultApp && process.argv[1]) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [resolve(process.argv[1])]);
  else app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
  app.on('open-url', (event, url) => {
    event.preventDefault();
    const link = parseDeepLink(url);
    if (link) open(link);
  });
  return {
    fromArgs(argv) {
      const link = deepLinkInArgs(argv);
      if (link) open(link);
      return link !== undefined;
    },
  };
}
