import { startCli } from './start.js';

// The app's launcher (resources/porthole) runs this file with the app's own
// runtime and points NODE_PATH at the app's modules; what Porthole starts in
// turn (ssh, code-server, a browser) must not inherit either setting.
delete process.env.NODE_PATH;
delete process.env.ELECTRON_RUN_AS_NODE;
void startCli();
