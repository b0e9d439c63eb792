/**
 * `npm run server`'s settings, from the environment: where it listens, where its SQLite file
 * lives, which cloud it syncs, and the secret its API asks for. Bad values are refused with one
 * sentence (the process exits 2), and a server reachable from other machines must have a secret.
 */
import { checkCloudUrl } from '../platform/cloudUrl.ts';

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  /** Both null: the built-in demo cloud, served in-process. */
  apiUrl: string | null;
  authUrl: string | null;
  /** Stored when given and new (the session endpoint sets one too). */
  refreshToken: string | null;
  /** Asked of every API and event-stream request; required off loopback. */
  secret: string | null;
  /**
   * The origin browsers use when a reverse proxy stands in front (`https://folio.example.com`):
   * its host is answered and its pages may post, even with the server bound to loopback.
   */
  publicOrigin: string | null;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);
/** Long enough not to be guessed in any number of tries a home server would notice. */
const MIN_SECRET_LENGTH = 16;

const isLoopbackHost = (host: string): boolean => LOOPBACK_HOSTS.has(host);

function url(name: string, value: string): string {
  const checked = checkCloudUrl(value);
  if ('problem' in checked) throw new ConfigError(`${name}: ${checked.problem}`);
  return checked.url;
}

/** An origin alone: scheme, host and port, nothing after. */
function origin(name: string, value: string): string {
  const parsed = new URL(url(name, value));
  if (parsed.pathname !== '/' || parsed.search || parsed.hash || parsed.username) {
    throw new ConfigError(`${name} must be an origin such as https://folio.example.com, not "${value}"`);
  }
  return parsed.origin;
}

export function readServerConfig(env: Readonly<Record<string, string | undefined>>): ServerConfig {
  const text = (name: string): string | null => {
    const value = env[name]?.trim();
    return value ? value : null;
  };
  const portText = text('PORT') ?? '8080';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535)
    throw new ConfigError(`PORT must be a port number (0-65535), not "${portText}"`);
  const host = text('HOST') ?? '127.0.0.1';
  const apiUrl = text('FOLIO_API_URL');
  const authUrl = text('FOLIO_AUTH_URL');
  if ((apiUrl === null) !== (authUrl === null)) {
    throw new ConfigError('Set FOLIO_API_URL and FOLIO_AUTH_URL together (neither: the built-in demo cloud)');
  }
  const secret = text('FOLIO_SERVER_SECRET');
  if (secret !== null && secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(`FOLIO_SERVER_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  if (secret === null && !isLoopbackHost(host)) {
    throw new ConfigError(`HOST=${host} lets other machines reach the server: set FOLIO_SERVER_SECRET too`);
  }
  const publicOrigin = text('FOLIO_PUBLIC_ORIGIN');
  return {
    port,
    host,
    publicOrigin: publicOrigin && origin('FOLIO_PUBLIC_ORIGIN', publicOrigin),
    dataDir: text('DATA_DIR') ?? './data',
    apiUrl: apiUrl && url('FOLIO_API_URL', apiUrl),
    authUrl: authUrl && url('FOLIO_AUTH_URL', authUrl),
    refreshToken: text('FOLIO_REFRESH_TOKEN'),
    secret,
  };
}
