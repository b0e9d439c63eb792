/**
 * Builds the app once for the end-to-end tests, into a temporary folder, exactly as
 * `npm start` would build it (vite.config.ts, the real service worker).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    appDir: string;
  }
}

/** `vite build` into `outDir`, with `buildId` baked into the service worker. */
export async function buildApp(outDir: string, buildId: string): Promise<void> {
  const { build } = await import('vite');
  process.env.FOLIO_OUT_DIR = outDir;
  process.env.FOLIO_BUILD_ID = buildId;
  try {
    await build({ configFile: join(import.meta.dirname, '../../../vite.config.ts'), logLevel: 'error' });
  } finally {
    delete process.env.FOLIO_OUT_DIR;
    delete process.env.FOLIO_BUILD_ID;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'folio-e2e-app-'));
  await buildApp(dir, 'e2e-build-1');
  project.provide('appDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
