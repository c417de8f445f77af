// src/http.ts in-process, over real sockets: the emulator (plain and TLS), emulator/proxy.js, and small servers of
// the test's own where a test counts connections.

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { startProxy } from '../../emulator/proxy.js';
import { startEmulator } from '../../emulator/server.js';
import type { Emulator } from '../../emulator/types.js';
import { ActionError } from '../../src/errors.js';
import { type HttpRequest, jsonObject, preconnect, request, statusError } from '../../src/http.js';
import { actionError, closedPort, inChild, NO_PROXY_VARIABLES, setEnv, thrownBy, until } from './helpers.js';

const TIMEOUTS = { connectTimeoutMs: 2000, readTimeoutMs: 3000 };
const SERVICE = 'The test service';
// A host name the emulator's certificate covers and that is no loopback name, so that proxy.ts sends it to the proxy.
const STS_HOST = 'sts.cn-hangzhou.aliyuncs.com';
// On Linux a connection to 0.0.0.0 reaches this machine's listeners, yet proxy.ts does not treat 0.0.0.0 as loopback:
// the one address that is reachable here and still subject to HTTP_PROXY and NO_PROXY.
const NOT_LOOPBACK = '0.0.0.0';

let em: Emulator;
let emPort: number;
let restoreEnv: () => void;

beforeAll(async () => {
  em = await startEmulator();
  emPort = Number(new URL(em.url).port);
});
afterAll(() => em.close());
beforeEach(async () => {
  restoreEnv = setEnv({ ...NO_PROXY_VARIABLES, NODE_EXTRA_CA_CERTS: undefined });
  await em.clearFaults();
  await em.resetRequests();
});
afterEach(() => restoreEnv());

function get(url: string, extra: Partial<HttpRequest> = {}) {
  return request({ url, service: SERVICE, ...TIMEOUTS, ...extra });
}

describe('request', () => {
  it('returns a JSON answer that jsonObject reads', async () => {
    const res = await get(`${em.url}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(jsonObject(res, SERVICE).issuer).toBe('https://token.actions.githubusercontent.com');
  });

  it('sends the headers it is given (the token endpoint checks the bearer)', async () => {
    const res = await get(em.oidcRequestUrl, { headers: { authorization: `Bearer ${em.oidcRequestToken}` } });
    expect(res.status).toBe(200);
    expect(typeof jsonObject(res, SERVICE).value).toBe('string');
    const wrong = await get(em.oidcRequestUrl, { headers: { authorization: 'Bearer wrong' } });
    expect(wrong.status).toBe(401);
  });

  it('refuses an answer larger than 1 MiB, and stops reading it', async () => {
    const bytes = 16 << 20;
    await em.queueFault('oidc-token', { kind: 'oversized', bytes });
    const error = await actionError(get(em.oidcRequestUrl));
    expect(error.kind).toBe('network');
    expect(error.message).toContain(SERVICE);
    expect(error.message).toContain('the answer is larger than 1048576 bytes');
    const [record] = await em.requests();
    expect(record.bytesSent).toBeLessThan(bytes);
  });

  it('gives up on a server that accepts but never answers, after the read timeout', async () => {
    await em.queueFault('oidc-token', { kind: 'stall', ms: 10_000 });
    // The stall lasts 10 s: only the client's own timeout can end the request with this message.
    const error = await actionError(get(em.oidcRequestUrl, { readTimeoutMs: 200 }));
    expect(error.kind).toBe('network');
    expect(error.message).toBe(`${SERVICE} did not answer: read timeout: no answer within 200 ms`);
  });

  it('turns a refused connection into a network error that names the service and the host', async () => {
    const port = await closedPort();
    const error = await actionError(get(`http://127.0.0.1:${port}/`));
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(new RegExp(`^${SERVICE} did not answer: ECONNREFUSED`));
    expect(error.hint).toContain(`127.0.0.1:${port}`);
  });

  it('turns a reset connection into a network error', async () => {
    await em.queueFault('oidc-token', { kind: 'reset' });
    const error = await actionError(get(em.oidcRequestUrl));
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/ECONNRESET|socket hang up/);
  });
});

describe('jsonObject and statusError', () => {
  it('call an HTML page from a proxy a retryable server error', async () => {
    await em.queueFault('oidc-token', { kind: 'html502' });
    const res = await get(em.oidcRequestUrl);
    expect(res.status).toBe(502);
    const error = thrownBy(() => jsonObject(res, SERVICE));
    expect(error.kind).toBe('server');
    expect(error.message).toBe(`${SERVICE} answered HTTP 502 with a body that is not a JSON object (text/html).`);
    expect(error.retryable).toBe(true);
  });

  it('call a cut body a server error, and a JSON array no object', async () => {
    await em.queueFault('oidc-token', { kind: 'truncated' });
    expect(thrownBy(() => jsonObject({ status: 200, headers: {}, body: '[1]' }, SERVICE)).kind).toBe('server');
    const res = await get(em.oidcRequestUrl);
    expect(thrownBy(() => jsonObject(res, SERVICE)).kind).toBe('server');
  });

  it('classify statuses: 5xx server, 429 throttled, 401/403 permission, other 4xx credentials', async () => {
    const kindOf = async (fault: Parameters<Emulator['queueFault']>[1]) => {
      await em.queueFault('oidc-token', fault);
      const res = await get(em.oidcRequestUrl);
      const error = statusError(res, SERVICE, 'the hint');
      expect(error.message).toBe(`${SERVICE} answered HTTP ${res.status}.`);
      expect(error.details.status).toBe(res.status);
      return error.kind;
    };
    expect(await kindOf({ kind: 'status', status: 503 })).toBe('server');
    expect(await kindOf({ kind: 'throttle' })).toBe('throttled');
    expect(await kindOf({ kind: 'answer', status: 401, body: {} })).toBe('permission');
    expect(await kindOf({ kind: 'answer', status: 403, body: {} })).toBe('permission');
    expect(await kindOf({ kind: 'answer', status: 404, body: {} })).toBe('credentials');
  });
});

describe('preconnect', () => {
  // A server that answers with the number of the connection each request came on (1 for the first).
  let server: Server;
  let sockets: Socket[];
  let url: string;
  beforeEach(async () => {
    sockets = [];
    server = createServer((req, res) => res.end(String(sockets.indexOf(req.socket) + 1)));
    server.on('connection', (socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('opens the connection before the request, and the request is sent on it', async () => {
    const connection = preconnect(url, TIMEOUTS, SERVICE);
    await until(() => sockets.length === 1, 5000, 'the preconnected socket');
    const res = await get(url, { connection });
    expect(res.body).toBe('1');
    expect(sockets).toHaveLength(1);
    // Taken once: a second request opens its own connection.
    expect(connection.take()).toBeUndefined();
    expect((await get(url, { connection })).body).toBe('2');
  });

  it('close() destroys a connection nobody took', async () => {
    const connection = preconnect(url, TIMEOUTS, SERVICE);
    await until(() => sockets.length === 1, 5000, 'the preconnected socket');
    const closed = new Promise<void>((resolve) => sockets[0].once('close', () => resolve()));
    connection.close();
    await closed;
    expect(sockets[0].destroyed).toBe(true);
    // Closed means gone: a request with it opens a new connection.
    expect((await get(url, { connection })).body).toBe('2');
  });

  it('reports a connection that failed before anyone took it to the request that takes it', async () => {
    const port = await closedPort();
    const connection = preconnect(`http://127.0.0.1:${port}/`, TIMEOUTS, SERVICE);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const error = await actionError(get(`http://127.0.0.1:${port}/`, { connection }));
    expect(error.kind).toBe('network');
    expect(error.message).toContain('ECONNREFUSED');
  });
});

describe('through a proxy (emulator/proxy.js)', () => {
  const PASSWORD = 'pa:ss@word';
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  let tlsEm: Emulator;
  let routes: Record<string, string>;
  beforeAll(async () => {
    tlsEm = await startEmulator({ tls: true });
    routes = {
      [`${STS_HOST}:443`]: `127.0.0.1:${new URL(tlsEm.url).port}`,
      'broker.internal:80': `127.0.0.1:${emPort}`,
      [`${NOT_LOOPBACK}:${emPort}`]: `127.0.0.1:${emPort}`,
    };
  });
  afterAll(() => tlsEm.close());

  async function withProxy<T>(credentials: string | undefined, run: (proxy: Awaited<ReturnType<typeof startProxy>>) => Promise<T>): Promise<T> {
    const proxy = await startProxy({ routes, credentials });
    try {
      return await run(proxy);
    } finally {
      await proxy.close();
    }
  }

  it('refuses plain http that HTTP_PROXY would send through the proxy, before connecting anywhere', () =>
    withProxy(undefined, async (proxy) => {
      setEnv({ http_proxy: `http://ci:${encodeURIComponent(PASSWORD)}@127.0.0.1:${proxy.port}` });
      const error = await actionError(get('http://broker.internal/.well-known/openid-configuration'));
      expect(error.kind).toBe('input');
      expect(error.message).toBe(`${SERVICE} cannot be reached: plain http to broker.internal would pass through the proxy of http_proxy in the clear.`);
      expect(error.hint).toBe('List the host in NO_PROXY (the runner then reaches it directly), or use https.');
      expect(`${error.message} ${error.hint}`).not.toContain(PASSWORD);
      expect(proxy.records()).toEqual([]);
    }));

  it('sends plain http to a host in NO_PROXY (by name, or an address in a CIDR range) directly', () =>
    withProxy(undefined, async (proxy) => {
      const url = `http://${NOT_LOOPBACK}:${emPort}/.well-known/openid-configuration`;
      for (const noProxy of [`example.com, ${NOT_LOOPBACK}`, '0.0.0.0/8']) {
        setEnv({ HTTP_PROXY: proxy.url, NO_PROXY: noProxy });
        expect((await get(url)).status).toBe(200);
      }
      expect(proxy.records()).toEqual([]);
    }));

  it('never sends loopback through the proxy', () =>
    withProxy(undefined, async (proxy) => {
      setEnv({ HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url });
      expect((await get(`${em.url}/.well-known/openid-configuration`)).status).toBe(200);
      expect(proxy.records()).toEqual([]);
    }));

  it('tunnels https with CONNECT; in this process the TLS handshake fails, as the emulator CA is not trusted here', () =>
    withProxy(undefined, async (proxy) => {
      // Setting NODE_EXTRA_CA_CERTS now changes nothing: Node read it when this process started.
      setEnv({ HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: tlsEm.caFile });
      const error = await actionError(get(`https://${STS_HOST}/.well-known/openid-configuration`));
      expect(proxy.records()).toEqual([{ method: 'CONNECT', target: `${STS_HOST}:443`, authorization: undefined }]);
      expect(error.kind).toBe('network');
      expect(error.message).toContain(`${SERVICE} did not answer through the proxy ${proxy.url} (HTTPS_PROXY)`);
      expect(error.message).toMatch(/certificate/i);
    }));

  it('asks the proxy for a tunnel to an IPv6 address in brackets ([fd00::9]:443)', () =>
    withProxy(undefined, async (proxy) => {
      setEnv({ HTTPS_PROXY: proxy.url });
      // No route: the proxy answers 502; what it was asked for is the point.
      const error = await actionError(get('https://[fd00::9]/creds'));
      expect(proxy.records()).toEqual([{ method: 'CONNECT', target: '[fd00::9]:443', authorization: undefined }]);
      expect(error.message).toContain('CONNECT [fd00::9]:443');
    }));

  it('sends the credentials of HTTPS_PROXY with CONNECT', () =>
    withProxy(`ci:${PASSWORD}`, async (proxy) => {
      setEnv({ HTTPS_PROXY: `http://ci:${encodeURIComponent(PASSWORD)}@127.0.0.1:${proxy.port}` });
      // The handshake after the tunnel fails here (see above); what the proxy was sent is the point.
      const error = await actionError(get(`https://${STS_HOST}/.well-known/openid-configuration`));
      expect(proxy.records()).toEqual([{ method: 'CONNECT', target: `${STS_HOST}:443`, authorization: basic('ci', PASSWORD) }]);
      expect(error.kind).not.toBe('credentials');
    }));

  it.each([
    ['no credentials', undefined],
    ['credentials', `ci:${PASSWORD}`],
  ])('completes an https request through the CONNECT tunnel with %s (in a child process that trusts the emulator CA)', (_what, credentials) =>
    withProxy(credentials, async (proxy) => {
      const userinfo = credentials ? `ci:${encodeURIComponent(PASSWORD)}@` : '';
      const req = { url: `https://${STS_HOST}/.well-known/openid-configuration`, service: SERVICE, ...TIMEOUTS };
      const outcome = await inChild(
        `const { request } = await load('http.js'); const res = await request(${JSON.stringify(req)}); return { status: res.status, body: res.body };`,
        {
          ...NO_PROXY_VARIABLES,
          HTTPS_PROXY: `http://${userinfo}127.0.0.1:${proxy.port}`,
          NODE_EXTRA_CA_CERTS: tlsEm.caFile,
        },
      );
      expect(outcome.error).toBeUndefined();
      expect(outcome.value.status).toBe(200);
      expect(JSON.parse(outcome.value.body).issuer).toBe('https://token.actions.githubusercontent.com');
      expect(proxy.records()).toEqual([{ method: 'CONNECT', target: `${STS_HOST}:443`, authorization: credentials && basic('ci', PASSWORD) }]);
    }),
  );

  it('names the proxy and its variable, never the password, when the proxy wants credentials (407)', () =>
    withProxy(`ci:${PASSWORD}`, async (proxy) => {
      setEnv({ https_proxy: `http://ci:wrong-password@127.0.0.1:${proxy.port}` });
      const error = await actionError(get(`https://${STS_HOST}/`));
      expect(error.kind).toBe('credentials');
      expect(error.message).toBe(`The proxy http://127.0.0.1:${proxy.port} (https_proxy) refused: it answered CONNECT ${STS_HOST}:443 with HTTP 407.`);
      expect(`${error.message} ${error.hint}`).not.toContain('wrong-password');
      expect(error.hint).toContain('https_proxy');
    }));

  it.each([['HTTPS_PROXY', `https://${STS_HOST}/`]])('names a proxy that is down and its variable %s in a network error', async (variable, url) => {
    const port = await closedPort();
    setEnv({ [variable]: `http://ci:secret-password@127.0.0.1:${port}` });
    const error = await actionError(get(url));
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(new RegExp(`^${SERVICE} did not answer through the proxy http://127\\.0\\.0\\.1:${port} \\(${variable}\\): ECONNREFUSED`));
    expect(`${error.message} ${error.hint}`).not.toContain('secret-password');
  });

  it('refuses a proxy variable that is no http:// URL before connecting anywhere', async () => {
    setEnv({ HTTPS_PROXY: 'socks5://127.0.0.1:1080' });
    const error = await actionError(get(`https://${STS_HOST}/`));
    expect(error).toBeInstanceOf(ActionError);
    expect(error.kind).toBe('input');
    expect(error.message).toContain(`${SERVICE} cannot be reached: HTTPS_PROXY is not an http:// proxy URL (socks5://127.0.0.1:1080)`);
  });
});
