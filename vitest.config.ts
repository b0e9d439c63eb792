import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Integration tests open real databases and HTTP servers; keep them apart but bounded.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
