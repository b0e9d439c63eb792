/** What every client of the built-in demo cloud agrees on. Free of msw, so the service worker can import it. */

/** The refresh token the app and the CLI use for the demo cloud when none is configured. */
export const DEMO_REFRESH_TOKEN = 'demo-refresh-token';

/** Where `npm start` serves the demo cloud, on the app's own origin. */
export const DEMO_CLOUD_PATH = '/demo-cloud';
