/**
 * Runs one engine operation in a process of its own, for the crash suite:
 * PORTHOLE_CRASH_AT makes it kill itself at the step under test, exactly as
 * a user's laptop dying there would.
 */
import { KeytarSecretStore } from '../../src/core/secrets/keytar-secret-store.js';
import { SettingsStore } from '../../src/core/settings/settings-store.js';
import { crashHookFromEnv } from '../../src/core/workspaces/crash-points.js';
import { buildEngine } from './engine-fixture.js';

const { CRASH_ENDPOINT, CRASH_DATA_DIR, CRASH_SERVICE, CRASH_OPERATION, CRASH_WORKSPACE } = process.env;
if (!CRASH_ENDPOINT || !CRASH_DATA_DIR || !CRASH_SERVICE || !CRASH_OPERATION || !CRASH_WORKSPACE) {
  throw new Error('crash-child needs CRASH_ENDPOINT, CRASH_DATA_DIR, CRASH_SERVICE, CRASH_OPERATION and CRASH_WORKSPACE');
}
const crashHook = crashHookFromEnv();
const { engine, gateway } = await buildEngine({
  endpoint: CRASH_ENDPOINT,
  dataDir: CRASH_DATA_DIR,
  settings: new SettingsStore(CRASH_DATA_DIR),
  secrets: new KeytarSecretStore(CRASH_SERVICE),
  ...(crashHook ? { crashHook } : {}),
});
const name = CRASH_WORKSPACE;
switch (CRASH_OPERATION) {
  case 'create':
    await engine.create({ name });
    break;
  case 'delete':
    await engine.delete(name);
    break;
  case 'hibernate':
    await engine.hibernate(name);
    break;
  case 'resume':
    await engine.resume(name);
    break;
  case 'restore':
    await engine.restore(name, process.env.CRASH_DATE ?? '', {});
    break;
  default:
    throw new Error(`crash-child cannot run "${CRASH_OPERATION}"`);
}
gateway.close();
