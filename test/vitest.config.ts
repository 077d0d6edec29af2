import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // ical.js silently falls back to the process zone for unknown TZIDs: pin it so tests cannot pass by luck.
    env: { TZ: 'America/New_York' },
    pool: 'forks',
    // The bin runs the prebuilt CLI bundle: built fresh before any test runs it.
    globalSetup: ['./test/global-setup.ts'],
    reporters: ['default', './test/plain-summary-reporter.ts'],
  },
});
