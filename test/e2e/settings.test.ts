import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoCloud } from '../../src/demo/demoCloud.ts';
import { type HandlerServer, serveHandlers } from '../../src/demo/serveHandlers.ts';
import { useBrowserApp } from './support/browserApp.ts';

const app = useBrowserApp();
/** Another cloud, on another origin (it answers CORS as a real one does). */
const otherCloud = createDemoCloud({ now: Date.now });
let other: HandlerServer;
beforeAll(async () => {
  other = await serveHandlers(otherCloud.handlers);
});
afterAll(() => other.close());

describe('settings', () => {
  it('signs in to another cloud and syncs it, signs out, and goes back to the demo cloud', async () => {
    const page = await app.openSynced('/#/settings');
    await page.getByText('Syncing from the built-in demo cloud (signed in).').waitFor();

    await page.getByLabel('Cloud API URL').fill(other.url);
    await page.getByLabel('Auth URL').fill(other.url);
    await page.getByLabel('Refresh token').fill('demo-token-of-a-real-user');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(/^Signed in\. Synced 4 accounts/).waitFor({ timeout: 30_000 });
    await page.getByText(`Syncing from ${other.url} (signed in).`).waitFor();
    expect(otherCloud.requests.filter((request) => request.path === '/api/v1/user/me')).toHaveLength(1);
    // The token went to the auth server in the body, never in a URL.
    expect(otherCloud.requests.every((request) => !request.path.includes('demo-token'))).toBe(true);
    await expect(page.getByLabel('Refresh token').inputValue()).resolves.toBe('');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText(`Syncing from ${other.url} (not signed in).`).waitFor();
    await page.getByRole('link', { name: /Connect/ }).click();
    await page.getByText('Not connected', { exact: true }).waitFor();

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Use the demo cloud' }).click();
    await page.getByText(/^Using the demo cloud\./).waitFor({ timeout: 30_000 });
    await page.getByText('Syncing from the built-in demo cloud (signed in).').waitFor();
  });

  it('refuses a URL that is not http(s), with a message', async () => {
    const page = await app.openSynced('/#/settings');
    await page.getByLabel('Cloud API URL').fill('ftp://cloud.example');
    await page.getByLabel('Auth URL').fill('https://auth.example');
    await page.getByLabel('Refresh token').fill('x');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('"ftp://cloud.example" is not an http or https URL').waitFor();
  });
});
