// The action's one HTTP client, for every request it makes (STS, GitHub's token endpoint, the metadata service, a
// credentials URI): node:http(s) with connect and read timeouts, HTTPS_PROXY and NO_PROXY (proxy.ts),
// a cap on answer sizes, one request per connection, and errors that are ActionErrors. A connection can be opened
// ahead of its request (preconnect), so that DNS, TCP and TLS overlap with other work.

import type { IncomingHttpHeaders } from 'node:http';
import { connect as tcp, isIP, type Socket } from 'node:net';
import { ActionError } from './errors.js';
import { bareHostname } from './inputs.js';
import { type ProxyServer, ProxySettingError, proxyFor } from './proxy.js';

export interface Timeouts {
  readonly connectTimeoutMs: number;
  readonly readTimeoutMs: number;
}

/** The timeouts of every STS and ResourceManager request (each attempt; retries have their own deadline, retry.ts). */
export const API_TIMEOUTS: Timeouts = { connectTimeoutMs: 3000, readTimeoutMs: 5000 };

export interface HttpRequest extends Timeouts {
  readonly url: string;
  readonly method?: 'GET' | 'PUT' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Names the service in error messages, e.g. "GitHub's OIDC token endpoint". */
  readonly service: string;
  /** A connection to the same origin opened beforehand; used if it is still unused. */
  readonly connection?: Connection;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A connection opened ahead of its request. Whoever opens one closes it when done, used or not. */
export interface Connection {
  /** The connection for one request; undefined once taken. */
  take(): Promise<Socket> | undefined;
  close(): void;
}

const MAX_BODY_BYTES = 1 << 20;

/** Opens a connection to the origin of `url` (through the proxy the environment names) without sending anything. */
export function preconnect(url: string, timeouts: Timeouts, service: string): Connection {
  const target = new URL(url);
  let pending: Promise<Socket> | undefined = open(target, proxyOf(target, service), timeouts.connectTimeoutMs, service);
  // A connection that fails while nobody waits for it is no crash: the request that takes it reports the error.
  pending.catch(() => {});
  return {
    take() {
      const taken = pending;
      pending = undefined;
      return taken;
    },
    /** An untaken connection is destroyed as soon as it exists, so it never holds the process open. */
    close() {
      const left = pending;
      pending = undefined;
      left?.then(
        (socket) => socket.destroy(),
        () => {},
      );
    },
  };
}

export async function request(req: HttpRequest): Promise<HttpResponse> {
  const target = new URL(req.url);
  const proxy = proxyOf(target, req.service);
  const socket = await (req.connection?.take() ?? open(target, proxy, req.connectTimeoutMs, req.service));
  const { request: send } = target.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise<HttpResponse>((resolve, reject) => {
    const fail = (reason: string) => reject(networkError(req.service, target, proxy, reason));
    const headers = {
      ...req.headers,
      host: target.host,
      connection: 'close',
      ...(req.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(req.body)) }),
    };
    // A proxy is only ever a CONNECT tunnel (proxy.ts refuses plain http through one): the request is the host's.
    const path = `${target.pathname}${target.search}`;
    const outgoing = send({ method: req.method ?? 'GET', path, headers, createConnection: () => socket });
    const readTimer = setTimeout(() => outgoing.destroy(new Error(`read timeout: no answer within ${req.readTimeoutMs} ms`)), req.readTimeoutMs);
    outgoing.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) outgoing.destroy(new Error(`the answer is larger than ${MAX_BODY_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.on('end', () => {
        clearTimeout(readTimer);
        socket.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (error) => fail(error.message));
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(readTimer);
      socket.destroy();
      fail(error.code ? `${error.code} ${error.message}` : error.message);
    });
    outgoing.end(req.body);
  });
}

function proxyOf(target: URL, service: string): ProxyServer | undefined {
  try {
    return proxyFor(target, process.env);
  } catch (error) {
    if (!(error instanceof ProxySettingError)) throw error;
    throw new ActionError('input', `${service} cannot be reached: ${error.message}`, error.hint);
  }
}

/** A connected socket to `target`: TCP (and TLS for https), through a CONNECT tunnel of `proxy` for https. */
async function open(target: URL, proxy: ProxyServer | undefined, connectTimeoutMs: number, service: string): Promise<Socket> {
  const https = target.protocol === 'https:';
  const host = bareHostname(target.hostname);
  const port = Number(target.port || (https ? 443 : 80));
  const deadline = Date.now() + connectTimeoutMs;
  const within = <T>(what: Promise<T>, cleanup: () => void) => withTimeout(what, deadline - Date.now(), connectTimeoutMs, cleanup);
  try {
    // Plain http: TCP to the host (never through a proxy: proxy.ts refuses that).
    if (!https) {
      const socket = tcp({ host, port });
      return await within(ready(socket, 'connect'), () => socket.destroy());
    }
    // https: TLS to the host, directly or inside a CONNECT tunnel through the proxy.
    let tunnel: Socket | undefined;
    if (proxy) {
      const socket = tcp({ host: proxy.host, port: proxy.port });
      tunnel = socket;
      await within(ready(socket, 'connect'), () => socket.destroy());
      await within(connectThrough(socket, proxy, `${isIP(host) === 6 ? `[${host}]` : host}:${port}`), () => socket.destroy());
    }
    const { checkServerIdentity, connect: tls } = await import('node:tls');
    // The certificate is checked against the target, a name or an IP address, never against the proxy: inside a
    // tunnel, Node would otherwise check it against the tunnel socket's host (the proxy's) when no servername is
    // set, and an IP address may not be one (SNI carries names only, RFC 6066).
    const socket = tls({
      ...(tunnel ? { socket: tunnel } : { port }),
      host,
      servername: isIP(host) ? undefined : host,
      checkServerIdentity: (_name, cert) => checkServerIdentity(host, cert),
    });
    return await within(ready(socket, 'secureConnect'), () => socket.destroy());
  } catch (error) {
    if (error instanceof ActionError) throw error;
    const e = error as NodeJS.ErrnoException;
    throw networkError(service, target, proxy, e.code ? `${e.code} ${e.message}` : e.message);
  }
}

/** The socket once it is connected (`connect`) or its TLS handshake is done (`secureConnect`). */
function ready(socket: Socket, event: 'connect' | 'secureConnect'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    socket.once(event, () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Asks the proxy for a tunnel and reads its answer; anything but 200 fails. */
function connectThrough(socket: Socket, proxy: ProxyServer, authority: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 16_384) finish(new Error('the proxy answered CONNECT with an over-long header'));
        return;
      }
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      if (status === 200) return finish();
      const refused = new Error(`the proxy answered CONNECT ${authority} with HTTP ${status || '(unreadable)'}`) as Error & { status: number };
      refused.status = status;
      finish(refused);
    };
    const finish = (error?: Error) => {
      socket.off('data', onData);
      socket.off('error', finish);
      socket.off('end', onEnd);
      if (error) reject(error);
      else resolve();
    };
    const onEnd = () => finish(new Error('the proxy closed the connection during CONNECT'));
    socket.on('data', onData);
    socket.once('error', finish);
    socket.once('end', onEnd);
    const auth = proxy.authorization ? `Proxy-Authorization: ${proxy.authorization}\r\n` : '';
    socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth}\r\n`);
  }).catch((error: Error & { status?: number }) => {
    // A proxy that refuses (407, 403) is a setting to fix; a proxy that fails (5xx) may work on the next try.
    if (error.status && error.status < 500) throw proxyRefused(proxy, `CONNECT ${authority}`, error.status);
    throw error;
  });
}

function proxyRefused(proxy: ProxyServer, what: string, status: number): ActionError {
  return new ActionError(
    status === 407 ? 'credentials' : 'permission',
    `The proxy ${proxy.display} (${proxy.variable}) refused: it answered ${what} with HTTP ${status}.`,
    status === 407
      ? `The proxy wants credentials: write them into ${proxy.variable} as http://user:password@host:port.`
      : 'Allow the runner to reach that host through the proxy, or list the host in NO_PROXY.',
  );
}

function withTimeout<T>(what: Promise<T>, leftMs: number, totalMs: number, cleanup: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => {
        cleanup();
        reject(new Error(`connect timeout: no connection within ${totalMs} ms`));
      },
      Math.max(0, leftMs),
    );
    what.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function networkError(service: string, target: URL, proxy: ProxyServer | undefined, reason: string): ActionError {
  if (!proxy) return new ActionError('network', `${service} did not answer: ${reason}`, `Check that the runner can reach ${target.host}.`);
  return new ActionError(
    'network',
    `${service} did not answer through the proxy ${proxy.display} (${proxy.variable}): ${reason}`,
    `Check that the proxy is up and lets the runner reach ${target.host}, or list the host in NO_PROXY.`,
  );
}

/** The body as a JSON object, or undefined when it is anything else (an HTML error page, a cut body, an array). */
export function parseJsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // not JSON
  }
  return undefined;
}

/** Parses a JSON object body; anything else is a retryable server error. */
export function jsonObject(res: HttpResponse, service: string): Record<string, unknown> {
  const value = parseJsonObject(res.body);
  if (value) return value;
  const type = String(res.headers['content-type'] ?? 'no content type');
  throw new ActionError(
    'server',
    `${service} answered HTTP ${res.status} with a body that is not a JSON object (${type}).`,
    'A proxy may have answered instead; the action retries.',
  );
}

/** A non-2xx answer: 5xx and 429 are worth another try, anything else is for the user to fix. */
export function statusError(res: HttpResponse, service: string, hint: string): ActionError {
  const retryable = res.status >= 500 || res.status === 429;
  const kind = retryable ? (res.status === 429 ? 'throttled' : 'server') : res.status === 401 || res.status === 403 ? 'permission' : 'credentials';
  return new ActionError(kind, `${service} answered HTTP ${res.status}.`, hint, { status: res.status });
}
