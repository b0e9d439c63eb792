import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Both cores: the end-to-end files (one at a time) run beside the Node ones.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**'],
          environment: 'node',
          pool: 'forks',
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          // One build of the app for every end-to-end file.
          globalSetup: ['test/e2e/support/buildApp.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
