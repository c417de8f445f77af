// Which proxy, if any, a request goes through: HTTPS_PROXY / HTTP_PROXY / NO_PROXY (lower case first), read the way
// the runner's own HTTP client (@actions/http-client) reads them. The ECS metadata address and loopback never go
// through a proxy. Pure: the environment comes in as a value.

import { bareHostname, type Env, isLoopback, parseUrl } from './inputs.js';

/** The ECS metadata service: reachable only from the instance itself, never through a proxy. */
export const METADATA_HOST = '100.100.100.200';

export interface ProxyServer {
  readonly host: string;
  readonly port: number;
  /** `Basic …` for a proxy URL with credentials. */
  readonly authorization?: string;
  /** `http://host:port`: names the proxy in messages, never with its credentials. */
  readonly display: string;
  /** The variable it came from, for messages. */
  readonly variable: string;
}

export class ProxySettingError extends Error {}

export function proxyFor(target: URL, env: Env): ProxyServer | undefined {
  const host = bareHostname(target.hostname);
  if (isLoopback(host) || host === METADATA_HOST || bypassed(target, env.no_proxy || env.NO_PROXY)) return undefined;
  const [variable, value] =
    target.protocol === 'https:'
      ? env.https_proxy
        ? ['https_proxy', env.https_proxy]
        : ['HTTPS_PROXY', env.HTTPS_PROXY]
      : env.http_proxy
        ? ['http_proxy', env.http_proxy]
        : ['HTTP_PROXY', env.HTTP_PROXY];
  return value ? parseProxy(variable, value) : undefined;
}

/** The secrets a proxy URL holds (its password), to be masked before anything is printed. */
export function proxySecrets(env: Env): string[] {
  return ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'].flatMap((name) => {
    const url = parseUrl(env[name] ?? '', 'http');
    return url?.password ? [url.password, decoded(url.password)] : [];
  });
}

function parseProxy(variable: string, value: string): ProxyServer {
  const url = parseUrl(value, 'http');
  if (url?.protocol !== 'http:' || !url.hostname) {
    throw new ProxySettingError(
      `${variable} is not an http:// proxy URL (${url ? `${url.protocol}//${url.host}` : 'unreadable'}): write it as http://host:port, with user:password@ if the proxy needs them.`,
    );
  }
  const port = Number(url.port || 80);
  const authorization = url.username ? `Basic ${Buffer.from(`${decoded(url.username)}:${decoded(url.password)}`).toString('base64')}` : undefined;
  return { host: bareHostname(url.hostname), port, authorization, display: `http://${url.host}`, variable };
}

/** Percent-decoded, as a proxy URL's user and password are written; a lone '%' is taken as it is. */
function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** NO_PROXY: `*`, host names (a leading `.` or `*.` for the subdomains), optionally with `:port`. */
function bypassed(target: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  const host = target.hostname.toLowerCase();
  const names = [host, `${host}:${port}`];
  return noProxy
    .split(',')
    .map((entry) => entry.trim().toLowerCase().replace(/^\*\./, '.'))
    .filter(Boolean)
    .some((entry) => entry === '*' || names.some((name) => name === entry || name.endsWith(entry.startsWith('.') ? entry : `.${entry}`)));
}
