import { defineConfig } from 'vitest/config';

// Unit specs sit beside their source; integration, conformance and e2e suites
// live under test/ and talk to real services (emulator, keyring, sshd, Chromium).
export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts', 'src/**/*.spec.tsx', 'test/support/**/*.spec.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', './scripts/closing-line-reporter.ts'],
  },
});
