/**
 * Reads the `exp` claim of a JWT access token without verifying it (the cloud verifies;
 * we only want to know when to refresh). Written against plain ECMAScript so the engine
 * needs no `atob`: the payload is base64url, and `exp` is ASCII digits, so decoding bytes
 * as Latin-1 is enough to find it.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function decodeBase64Url(input: string): string | null {
  let bits = 0;
  let buffer = 0;
  let out = '';
  for (const char of input.replace(/=+$/, '')) {
    const value = ALPHABET.indexOf(char === '+' ? '-' : char === '/' ? '_' : char);
    if (value < 0) return null;
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((buffer >> bits) & 0xff);
    }
  }
  return out;
}

/** Expiry of a JWT in epoch milliseconds, or null when the token is not a JWT with a numeric `exp`. */
export function jwtExpiryMs(token: string): number | null {
  const payload = token.split('.')[1];
  if (payload === undefined) return null;
  const json = decodeBase64Url(payload);
  if (json === null) return null;
  try {
    const claims: unknown = JSON.parse(json);
    if (typeof claims === 'object' && claims !== null && 'exp' in claims && typeof claims.exp === 'number') {
      return claims.exp * 1000;
    }
  } catch {
    // Not JSON: an opaque token.
  }
  return null;
}
