// @ts-check
// A forward proxy on loopback, like the ones self-hosted runners sit behind: CONNECT tunnels for https, absolute-form
// requests for plain http. It reaches only the hosts it is given a route for (so no request leaves the machine),
// records what it was asked, and can demand credentials (407) like a corporate proxy. Node built-ins only.

import { createServer, request as httpRequest } from 'node:http';
import { connect } from 'node:net';

/**
 * @typedef {{ method: string, target: string, authorization?: string, originAuthorization?: string }} ProxyRecord
 * @typedef {{ url: string, port: number, records(): ProxyRecord[], reset(): void, close(): Promise<void> }} Proxy
 */

/**
 * @param {{ routes: Record<string, string>, credentials?: string }} options
 *   routes: "host:port" as the client asks for it -> "host:port" to connect to (e.g. sts.cn-hangzhou.aliyuncs.com:443 ->
 *   127.0.0.1:<emulator port>); credentials: "user:password" the proxy demands.
 * @returns {Promise<Proxy>}
 */
export async function startProxy({ routes, credentials }) {
  /** @type {ProxyRecord[]} */
  let records = [];
  const expected = credentials ? `Basic ${Buffer.from(credentials).toString('base64')}` : undefined;
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();

  /** @param {import('node:http').IncomingMessage} req @returns {boolean} */
  const authorized = (req) => !expected || req.headers['proxy-authorization'] === expected;
  /** @param {string} authority */
  const routeOf = (authority) => routes[authority.toLowerCase()];

  const server = createServer((req, res) => {
    // Plain http through a proxy: the request line holds the absolute URL.
    /** @type {URL | undefined} */
    let url;
    try {
      url = new URL(req.url ?? '');
    } catch {
      url = undefined;
    }
    const authority = url ? `${url.hostname}:${url.port || 80}` : '';
    records.push({ method: req.method ?? '', target: authority, authorization: req.headers['proxy-authorization'] });
    if (!authorized(req)) return void res.writeHead(407, { 'proxy-authenticate': 'Basic realm="emulator"' }).end();
    const route = url && routeOf(authority);
    if (!url || !route) return void res.writeHead(502).end(`no route to ${authority}\n`);
    const [host, port] = route.split(':');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const upstream = httpRequest({ host, port: Number(port), method: req.method, path: `${url.pathname}${url.search}`, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });

  server.on('connect', (req, client, head) => {
    const authority = (req.url ?? '').toLowerCase();
    // An origin's Authorization has no business on a CONNECT (it belongs inside the tunnel): recorded when it is there.
    const origin = req.headers.authorization;
    records.push({
      method: 'CONNECT',
      target: authority,
      authorization: req.headers['proxy-authorization'],
      ...(origin ? { originAuthorization: origin } : {}),
    });
    if (!authorized(req)) return void client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="emulator"\r\n\r\n');
    const route = routeOf(authority);
    if (!route) return void client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    const [host, port] = route.split(':');
    const upstream = connect({ host, port: Number(port) }, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    records: () => [...records],
    reset: () => {
      records = [];
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
