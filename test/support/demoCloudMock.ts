/**
 * The demo cloud behind msw/node for one test file: requests to API_URL and AUTH_URL are
 * answered in-process, and any other request fails the test. Scenario and request log are
 * reset after each test.
 */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createDemoCloud, type DemoCloud } from '../../src/demo/demoCloud.ts';
import type { DemoSize } from '../../src/demo/demoDataset.ts';
import type { FakeTime } from './fakeTime.ts';

export const API_URL = 'https://api.folio.test';
export const AUTH_URL = 'https://auth.folio.test';

/** `size`: 'small' for tests that need a sync but not the full history (see DemoCloudOptions). */
export function useDemoCloud(time: FakeTime, size: DemoSize = 'full'): DemoCloud {
  const demo = createDemoCloud({ now: () => time.clock.now(), size });
  const server = setupServer(...demo.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    demo.setScenario({});
    demo.requests.length = 0;
  });
  afterAll(() => server.close());
  return demo;
}

/** Paths the cloud was asked for, without the query, e.g. `POST /auth/v1/token`. */
export const requestLog = (demo: DemoCloud): string[] =>
  demo.requests.map((request) => `${request.method} ${request.path.split('?')[0]} ${request.status}`);
