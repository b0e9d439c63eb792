/**
 * Which addresses a cloud may have: HTTPS, or plain HTTP on this machine only (the demo cloud, a
 * test server). Anywhere else, plain HTTP would send the refresh token across a network in clear.
 * One rule for every place a user names a cloud: the browser's Settings, the CLI, server mode.
 */
const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The URL without trailing slashes, or why it cannot be a cloud's. */
export function checkCloudUrl(text: string): { url: string } | { problem: string } {
  const value = text.trim();
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return { problem: `"${value}" is not an http or https URL` };
  }
  if (parsed.protocol === 'https:') return { url: value.replace(/\/+$/, '') };
  if (parsed.protocol !== 'http:') return { problem: `"${value}" is not an http or https URL` };
  if (!LOOPBACK_HOSTNAMES.has(parsed.hostname)) {
    return { problem: `"${value}" must use https: plain http is only for a cloud on this machine` };
  }
  return { url: value.replace(/\/+$/, '') };
}
