// Which proxy, if any, a request goes through: HTTPS_PROXY / NO_PROXY (lower case first), NO_PROXY matched the way
// curl matches it. The ECS metadata address and loopback never go through a proxy, and plain http never does:
// every plain-http request of the action carries a secret or fetches credentials, so one that HTTP_PROXY would
// send through a proxy is refused (NO_PROXY sends it direct). Pure: the environment comes in as a value.

import { BlockList, isIP } from 'node:net';
import { bareHostname, type Env, isLoopback } from './inputs.js';
import { basicAuthorization, parseUrl, userInfoSecrets } from './url.js';

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

/** A proxy setting the action cannot use; `hint` says what to change. */
export class ProxySettingError extends Error {
  constructor(
    message: string,
    readonly hint = 'Fix the proxy variable of the runner or the job, or list the host in NO_PROXY.',
  ) {
    super(message);
  }
}

export function proxyFor(target: URL, env: Env): ProxyServer | undefined {
  const host = bareHostname(target.hostname);
  if (isLoopback(host) || host === METADATA_HOST || bypassed(target, env.no_proxy || env.NO_PROXY)) return undefined;
  if (target.protocol !== 'https:') {
    const [variable, value] = env.http_proxy ? ['http_proxy', env.http_proxy] : ['HTTP_PROXY', env.HTTP_PROXY];
    if (!value) return undefined;
    throw new ProxySettingError(
      `plain http to ${target.hostname} would pass through the proxy of ${variable} in the clear.`,
      'List the host in NO_PROXY (the runner then reaches it directly), or use https.',
    );
  }
  const [variable, value] = env.https_proxy ? ['https_proxy', env.https_proxy] : ['HTTPS_PROXY', env.HTTPS_PROXY];
  return value ? parseProxy(variable, value) : undefined;
}

/** The secrets a proxy URL holds (its password), to be masked before anything is printed. */
export function proxySecrets(env: Env): string[] {
  return ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'].flatMap((name) => {
    const url = parseUrl(env[name] ?? '', 'http');
    return url ? userInfoSecrets(url) : [];
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
  const authorization = url.username ? basicAuthorization(url) : undefined;
  return { host: bareHostname(url.hostname), port, authorization, display: `http://${url.host}`, variable };
}

/**
 * NO_PROXY as curl reads it (lib/noproxy.c, Curl_check_noproxy): entries separated by commas or blanks; a name
 * matches itself and its subdomains, a leading dot and trailing dots ignored on both sides; an IP address matches
 * an entry that is the same address or a CIDR range holding it (IPv6 with or without brackets), never the tail of a
 * name. Beyond curl, as the runner's own @actions/http-client reads it: `*` as any entry, `*.` as a leading dot,
 * and `:port` after an entry (`[v6]:port` for IPv6), which then matches that port only.
 */
function bypassed(target: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  const host = bareHostname(target.hostname).toLowerCase();
  const ip = isIP(host) ? host : undefined;
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((raw) => {
      if (raw === '*') return true;
      const entry = withoutPort(raw.toLowerCase(), port);
      if (entry === undefined) return false;
      if (ip) return ipMatches(ip, entry);
      const name = entry.replace(/^\*?\./, '').replace(/\.+$/, '');
      const bare = host.replace(/\.+$/, '');
      return name !== '' && (bare === name || bare.endsWith(`.${name}`));
    });
}

/** The entry without its `:port`, or undefined when its port is another one. A bare IPv6 address has no port. */
function withoutPort(entry: string, port: string): string | undefined {
  const bracketed = /^\[([^\]]*)\](\/\d+)?(?::(\d+))?$/.exec(entry);
  if (bracketed) return bracketed[3] === undefined || bracketed[3] === port ? bracketed[1] + (bracketed[2] ?? '') : undefined;
  const named = /^([^:]*):(\d+)$/.exec(entry);
  if (named) return named[2] === port ? named[1] : undefined;
  return entry;
}

/** Whether `ip` is the address of `entry` or in its CIDR range (`address/bits`); both of one family. */
function ipMatches(ip: string, entry: string): boolean {
  const [address, bitsText, ...rest] = entry.split('/');
  if (rest.length > 0 || isIP(address) !== isIP(ip)) return false;
  const family = isIP(ip) === 4 ? 'ipv4' : 'ipv6';
  const size = family === 'ipv4' ? 32 : 128;
  const bits = bitsText === undefined ? size : /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : -1;
  if (bits < 0 || bits > size) return false;
  const range = new BlockList();
  range.addSubnet(address, bits, family);
  return range.check(ip, family);
}
