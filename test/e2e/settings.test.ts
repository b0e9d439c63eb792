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
    // The version is the app's, with its build beside it.
    await page.getByText(/^Folio Sync \d+\.\d+\.\d+ \(build e2e-build-1\)$/).waitFor();

    await page.getByLabel('Cloud API URL').fill(other.url);
    await page.getByLabel('Auth URL').fill(other.url);
    await page.getByLabel('Refresh token').fill('demo-token-of-a-real-user');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(/^Signed in\. Synced 4 accounts/).waitFor({ timeout: 30_000 });
    await page.getByText(`Syncing from ${other.url} (signed in).`).waitFor();
    // The token was checked with the auth server before it was kept; the profile was asked by the sync.
    expect(otherCloud.requests.filter((request) => request.path === '/api/v1/user/me')).toHaveLength(1);
    // The token went to the auth server in the body, never in a URL.
    expect(otherCloud.requests.every((request) => !request.path.includes('demo-token'))).toBe(true);
    await expect(page.getByLabel('Refresh token').inputValue()).resolves.toBe('');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText(`Syncing from ${other.url}: not connected. Sign in below to sync.`).waitFor();
    await page.getByRole('link', { name: /Connect/ }).click();
    await page.locator('.status-line', { hasText: 'Not connected' }).waitFor();
    await page.getByText('Next auto-sync: after you sign in').waitFor();
    await expect(page.getByRole('button', { name: 'Sync Now' }).isDisabled()).resolves.toBe(true);
    // Connect leads to the form.
    await page.locator('.status-line').getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Use the demo cloud' }).click();
    await page.getByText(/^Using the demo cloud\./).waitFor({ timeout: 30_000 });
    await page.getByText('Syncing from the built-in demo cloud (signed in).').waitFor();
  });

  it('a refused or unreachable sign-in changes nothing, and says why at the field', async () => {
    const page = await app.openSynced('/#/settings');
    otherCloud.setScenario({ refreshRefused: true });
    await page.getByLabel('Cloud API URL').fill(other.url);
    await page.getByLabel('Auth URL').fill(other.url);
    await page.getByLabel('Refresh token').fill('a-revoked-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const token = page.getByLabel('Refresh token');
    await expect.poll(() => token.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await token.getAttribute('aria-describedby')) ?? '';
    await expect(page.locator(`#${describedBy}`).innerText()).resolves.toMatch(/refused this refresh token/);
    await page.getByText('Syncing from the built-in demo cloud (signed in).').waitFor();
    // Even after a reload: the refused cloud was never kept.
    await page.reload();
    await page.getByText('Syncing from the built-in demo cloud (signed in).').waitFor();

    // An auth server nobody answers at (the discard port refuses connections).
    await page.getByLabel('Cloud API URL').fill(other.url);
    await page.getByLabel('Auth URL').fill('http://127.0.0.1:9');
    await page.getByLabel('Refresh token').fill('demo-token-of-another-user');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const auth = page.getByLabel('Auth URL');
    await expect.poll(() => auth.getAttribute('aria-invalid')).toBe('true');
    const authError = (await auth.getAttribute('aria-describedby')) ?? '';
    await expect(page.locator(`#${authError}`).innerText()).resolves.toMatch(/can't be reached/);
    // The refresh token's old error is gone: one field is wrong now.
    await expect(token.getAttribute('aria-invalid')).resolves.toBeNull();
    await page.getByText('Syncing from the built-in demo cloud (signed in).').waitFor();
  });

  it('a first visit whose refresh token is refused says Not connected, not Not synced yet', async () => {
    app.server.demo.setScenario({ refreshRefused: true });
    const page = await app.open();
    await page.locator('.status-line', { hasText: 'Not connected' }).waitFor({ timeout: 30_000 });
    await expect(page.locator('.status-line.tone-ok').count()).resolves.toBe(0);
    await expect(page.getByText('Not synced yet').count()).resolves.toBe(0);
    // The demo cloud signs in again with its public token.
    app.server.demo.setScenario({});
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Use the demo cloud' }).click();
    await page.getByText('Syncing from the built-in demo cloud (signed in).').waitFor({ timeout: 30_000 });
  });

  it('refuses a URL that is not http(s), with a message', async () => {
    const page = await app.openSynced('/#/settings');
    await page.getByLabel('Cloud API URL').fill('ftp://cloud.example');
    await page.getByLabel('Auth URL').fill('https://auth.example');
    await page.getByLabel('Refresh token').fill('x');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('"ftp://cloud.example" is not an http or https URL').waitFor();
    await expect(page.getByLabel('Cloud API URL').getAttribute('aria-invalid')).resolves.toBe('true');
  });
});
