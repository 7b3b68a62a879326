import { join } from 'node:path';

/**
 * The HOME and XDG folders every code-server run of Porthole's gets, all
 * inside `dir`. On its first run code-server writes a config.yaml with a
 * random password to $XDG_CONFIG_HOME/code-server, even for `--version`, and
 * it keeps its heartbeat, logs and caches under the other folders: none of
 * that belongs in the user's own home.
 */
export function codeServerHome(dir: string): { HOME: string; XDG_CONFIG_HOME: string; XDG_DATA_HOME: string; XDG_CACHE_HOME: string; XDG_STATE_HOME: string } {
  return {
    HOME: dir,
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    XDG_STATE_HOME: join(dir, 'state'),
  };
}
