/**
 * A first visit to `npm start`, in Chromium, throttled as Lighthouse's mobile run is (4× slower
 * CPU, 150 ms round trips, 1.6 Mbit/s down): the first and the largest contentful paint, and the
 * bytes the app itself cost over the wire (the page's and the service worker's requests, the
 * demo cloud's answers apart), until the first sync has filled the page.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { DEMO_CLOUD_PATH } from '../../src/demo/demoDefaults.ts';
import { startAppServer } from '../../src/server/appServer.ts';
import { buildApp } from '../e2e/support/buildApp.ts';
import { CHROMIUM, CHROMIUM_FLAGS } from '../e2e/support/chromium.ts';
import { type Figure, median } from './figures.ts';

interface Visit {
  fcp: number;
  lcp: number;
  appBytes: number;
  cloudBytes: number;
}

async function visit(dir: string, appDir: string, run: number): Promise<Visit> {
  const server = await startAppServer({ distDir: appDir, host: '127.0.0.1', port: 0 });
  const context = await chromium.launchPersistentContext(join(dir, `profile-${run}`), {
    executablePath: CHROMIUM,
    args: CHROMIUM_FLAGS,
  });
  const sized: Promise<{ cloud: boolean; bytes: number }>[] = [];
  context.on('requestfinished', (request) => {
    sized.push(
      request.sizes().then((sizes) => ({
        cloud: new URL(request.url()).pathname.startsWith(DEMO_CLOUD_PATH),
        bytes: sizes.responseBodySize + sizes.responseHeadersSize,
      })),
    );
  });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6 * 1024 * 1024) / 8,
      uploadThroughput: (750 * 1024) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.goto(server.url);
    await page.getByText('Last synced: just now').first().waitFor({ timeout: 120_000 });
    const paints = await page.evaluate(
      () =>
        new Promise<{ fcp: number; lcp: number }>((resolve) => {
          const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0;
          new PerformanceObserver((list) => {
            resolve({ fcp, lcp: list.getEntries().at(-1)?.startTime ?? 0 });
          }).observe({ type: 'largest-contentful-paint', buffered: true });
        }),
    );
    const sizes = await Promise.all(sized);
    const sum = (cloud: boolean) => sizes.filter((size) => size.cloud === cloud).reduce((n, size) => n + size.bytes, 0);
    return { ...paints, appBytes: sum(false), cloudBytes: sum(true) };
  } finally {
    await context.close();
    await server.close();
  }
}

export async function firstVisitFigures(runs: number): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'folio-bench-visit-'));
  try {
    const appDir = join(dir, 'app');
    await buildApp(appDir, 'bench');
    const visits: Visit[] = [];
    for (let i = 0; i < runs; i++) visits.push(await visit(dir, appDir, i));
    const of = (pick: (visit: Visit) => number) => median(visits.map(pick));
    const kb = (bytes: number) => `${(bytes / 1000).toFixed(0)} KB`;
    return [
      {
        name: 'first visit (throttled): first contentful paint',
        value: `${of((v) => v.fcp).toFixed(0)} ms`,
      },
      {
        name: 'first visit (throttled): largest contentful paint',
        value: `${of((v) => v.lcp).toFixed(0)} ms`,
        target: '≤ 2,500 ms (Lighthouse: good)',
        pass: of((v) => v.lcp) <= 2500,
      },
      {
        name: 'first visit: the app over the wire',
        value: `${kb(of((v) => v.appBytes))}, and ${kb(of((v) => v.cloudBytes))} of demo cloud answers`,
        target: '≤ 450 KB',
        pass: of((v) => v.appBytes) <= 450_000,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
