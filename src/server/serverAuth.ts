/**
 * The server's secret (FOLIO_SERVER_SECRET), asked of every API and event-stream request when it
 * is set: as a bearer token (scripts), or as the HttpOnly, SameSite=Strict cookie that the small
 * sign-in page at /signin sets for a browser (which cannot add a header to an EventSource). The
 * cookie holds its expiry and an HMAC of it under the secret, never the secret: the server
 * refuses it after 30 days whatever the browser keeps, and changing the secret ends every
 * session. Both are compared in constant time.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

const COOKIE = 'folio_session';
/** A browser signs in again after this long. */
const SESSION_SECONDS = 30 * 24 * 60 * 60;
const FORM_MAX_BYTES = 4 * 1024;

const digest = (text: string) => createHash('sha256').update(text).digest();
/** Equal-length digests, so the comparison's time says nothing of either text. */
const same = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

const page = (failed: boolean) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Folio Sync</title></head>
<body>
<main>
<h1>Folio Sync</h1>
<form method="post" action="/signin">
<label for="secret">Server secret</label>
<input id="secret" name="secret" type="password" autocomplete="current-password" required autofocus${failed ? ' aria-invalid="true" aria-describedby="error"' : ''}>
${failed ? '<p id="error" role="alert">That is not this server\'s secret.</p>' : ''}
<button type="submit">Sign in</button>
</form>
</main>
</body>
</html>`;

export interface ServerAuth {
  /** In front of the API: lets a request through only with the secret (or when there is none). */
  requireSecret: MiddlewareHandler;
  /** /signin: the form, and the cookie it sets. */
  routes: Hono;
}

export function createServerAuth(
  secret: string | null,
  now: () => number,
  /** Browsers reach the server over HTTPS through a proxy: the cookie is then `Secure`. */
  publicOrigin: string | null = null,
): ServerAuth {
  const seal = (key: string, expires: string) =>
    createHmac('sha256', key).update(`folio-sync session until ${expires}`).digest('hex');
  /** A cookie this server made, not yet expired. */
  const validSession = (key: string, cookie: string) => {
    const [expires = '', mac = ''] = cookie.split('.');
    return /^\d+$/.test(expires) && same(mac, seal(key, expires)) && Number(expires) * 1000 > now();
  };

  const requireSecret: MiddlewareHandler = async (c, next) => {
    if (secret === null) return next();
    const bearer = c.req.header('authorization')?.match(/^Bearer (.+)$/)?.[1];
    const cookie = getCookie(c, COOKIE);
    if ((bearer !== undefined && same(bearer, secret)) || (cookie !== undefined && validSession(secret, cookie)))
      return next();
    return c.json(
      {
        error: 'unauthorized',
        message: 'This server needs its secret: sign in at /signin, or send Authorization: Bearer …',
      },
      401,
    );
  };

  const routes = new Hono();
  routes.get('/', (c) => (secret === null ? c.redirect('/', 303) : c.html(page(c.req.query('failed') !== undefined))));
  routes.post('/', bodyLimit({ maxSize: FORM_MAX_BYTES, onError: (c) => c.text('Too large', 413) }), async (c) => {
    if (secret === null) return c.redirect('/', 303);
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const given = typeof form.secret === 'string' ? form.secret : '';
    if (!same(given, secret)) return c.redirect('/signin?failed', 303);
    const expires = String(Math.floor(now() / 1000) + SESSION_SECONDS);
    setCookie(c, COOKIE, `${expires}.${seal(secret, expires)}`, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      maxAge: SESSION_SECONDS,
      secure:
        new URL(c.req.url).protocol === 'https:' ||
        publicOrigin?.startsWith('https:') === true ||
        c.req.header('x-forwarded-proto') === 'https',
    });
    return c.redirect('/', 303);
  });
  routes.post('/out', (c) => {
    deleteCookie(c, COOKIE, { path: '/' });
    return c.redirect('/signin', 303);
  });
  return { requireSecret, routes };
}
