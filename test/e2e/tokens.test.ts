/**
 * Where a refresh token goes in the browser: signed in to a cloud on another origin and synced,
 * the token (the one typed, and the one the cloud rotated to) is in the worker's credential store
 * and nowhere else this origin keeps data (localStorage, the other IndexedDB stores, the saved
 * database's bytes), in no URL and in no console line; it is sent only to the auth server's
 * token endpoint, in a request body. What protects the credential store: README, "Reliability and
 * security".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoCloud } from '../../src/demo/demoCloud.ts';
import { type HandlerServer, serveHandlers } from '../../src/demo/serveHandlers.ts';
import { useBrowserApp } from './support/browserApp.ts';

const app = useBrowserApp();
const otherCloud = createDemoCloud({ now: Date.now, size: 'small' });
let other: HandlerServer;
beforeAll(async () => {
  other = await serveHandlers(otherCloud.handlers);
});
afterAll(() => other.close());

const TYPED = 'demo-secret-token-7Q2xv';

/** Every value this origin keeps in IndexedDB, by database and store, as text (bytes read as Latin-1). */
function dumpIndexedDb(): Promise<Record<string, string>> {
  const asText = (value: unknown): string => {
    if (value instanceof Uint8Array) return new TextDecoder('latin1').decode(value);
    if (value instanceof ArrayBuffer) return new TextDecoder('latin1').decode(new Uint8Array(value));
    if (value && typeof value === 'object') return Object.values(value).map(asText).join('\n');
    return String(value);
  };
  const request = <T>(req: IDBRequest<T>) =>
    new Promise<T>((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  return (async () => {
    const dump: Record<string, string> = {};
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue;
      const db = await request(indexedDB.open(name));
      for (const store of Array.from(db.objectStoreNames)) {
        const values = await request(db.transaction(store).objectStore(store).getAll());
        dump[`${name}/${store}`] = values.map(asText).join('\n');
      }
      db.close();
    }
    return dump;
  })();
}

describe('refresh tokens in the browser', () => {
  it('stay in the credential store, and go only to the auth server, in a body', async () => {
    const sent: { url: string; body: string }[] = [];
    app.context.on('request', (request) => sent.push({ url: request.url(), body: request.postData() ?? '' }));
    const page = await app.openSynced('/#/settings');
    const logged: string[] = [];
    page.on('console', (message) => logged.push(message.text()));
    await page.getByLabel('Cloud API URL').fill(other.url);
    await page.getByLabel('Auth URL').fill(other.url);
    await page.getByLabel('Refresh token').fill(TYPED);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(/^Signed in\. Synced 4 accounts/).waitFor({ timeout: 30_000 });

    const stores = await page.evaluate(dumpIndexedDb);
    const credentials = stores['folio-sync-credentials/tokens'] ?? '';
    // The token kept is the one the cloud rotated to; the typed one is dead and forgotten.
    const kept = credentials.trim();
    expect(kept).not.toBe('');
    const secrets = [TYPED, kept];
    for (const [where, text] of Object.entries(stores)) {
      if (where === 'folio-sync-credentials/tokens') continue;
      for (const secret of secrets) expect(text.includes(secret), `${secret} in ${where}`).toBe(false);
    }
    const local = await page.evaluate(() => JSON.stringify({ ...localStorage }));
    for (const secret of secrets) {
      expect(local.includes(secret), 'localStorage').toBe(false);
      expect(
        logged.some((line) => line.includes(secret)),
        'console',
      ).toBe(false);
      expect(
        sent.filter((request) => request.url.includes(secret)),
        'URLs',
      ).toEqual([]);
    }
    // Sent in a body to the auth server's token endpoint, and nowhere else.
    const carrying = sent.filter((request) => secrets.some((secret) => request.body.includes(secret)));
    expect(carrying.length).toBeGreaterThan(0);
    expect(new Set(carrying.map((request) => request.url))).toEqual(
      new Set([`${other.url}/auth/v1/token?grant_type=refresh_token`]),
    );
  });
});
