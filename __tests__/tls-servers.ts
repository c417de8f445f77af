// Test servers for what a proxy can do to the action, on loopback with the certificates of fixtures/tls/
// (make.sh there says how they were made):
// - startForgingProxy: a hostile forward proxy. Plain http it answers itself; a CONNECT tunnel it answers 200 and
//   then terminates the TLS inside it with a certificate for its own names only (127.0.0.1, localhost, proxy.test),
//   signed by the test CA. Whatever request reaches it, it records (with its body) and answers forged credentials
//   in both shapes the action reads (a credentials URI's and STS's), so a client that accepts it exports them.
// - startTlsFront: an honest server for an address this machine does not have (10.9.9.9, fd00::9): TLS with the
//   target's certificate, the plain bytes piped to an upstream (the emulator's http listener). A proxy routes the
//   target's CONNECT to it.
// A job trusts the test CA through NODE_EXTRA_CA_CERTS (caBundle() adds it to another CA file).

import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { fileURLToPath } from 'node:url';

const TLS_DIR = fileURLToPath(new URL('./fixtures/tls/', import.meta.url));
export const TEST_CA = join(TLS_DIR, 'ca.pem');
const pair = (name: 'proxy' | 'target') => ({ key: readFileSync(join(TLS_DIR, `${name}.key`)), cert: readFileSync(join(TLS_DIR, `${name}.pem`)) });

/** A CA file that holds `others` and the test CA, for NODE_EXTRA_CA_CERTS (which takes one file). */
export function caBundle(path: string, ...others: string[]): string {
  writeFileSync(path, `${[...others, TEST_CA].map((file) => readFileSync(file, 'utf8').trim()).join('\n')}\n`);
  return path;
}

export interface ForgedRequest {
  /** 'http' (absolute form, in clear) or 'tls' (inside a tunnel, decrypted by the proxy). */
  readonly via: 'http' | 'tls';
  readonly method: string;
  /** The authority asked for: the CONNECT target, or the host of an absolute-form request. */
  readonly authority: string;
  readonly path: string;
  readonly body: string;
}

export interface ForgingProxy {
  readonly url: string;
  readonly port: number;
  /** CONNECT authorities asked for. */
  connects(): string[];
  /** Requests it read: each one a client sent to it in clear or through a TLS session it accepted. */
  requests(): ForgedRequest[];
  /** TLS handshakes that clients broke off (they did not accept its certificate). */
  refusedHandshakes(): number;
  /** The forged keys it hands out: a client that exported these accepted it. */
  readonly forged: { readonly accessKeyId: string; readonly accessKeySecret: string; readonly securityToken: string };
  close(): Promise<void>;
}

const FORGED = {
  accessKeyId: 'STS.ForgedByTheProxy0001',
  accessKeySecret: 'ForgedSecretOfTheProxy0000000001',
  securityToken: 'CAISForgedSecurityTokenOfTheProxy0001',
};

/** An answer a credentials URI client and an STS client both take: the fields of both shapes. */
function forgedAnswer(account: string): string {
  const expiration = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const keys = { AccessKeyId: FORGED.accessKeyId, AccessKeySecret: FORGED.accessKeySecret, SecurityToken: FORGED.securityToken, Expiration: expiration };
  return JSON.stringify({
    Code: 'Success',
    ...keys,
    RequestId: 'FORGED-0001',
    Credentials: keys,
    AssumedRoleUser: { Arn: `acs:ram::${account}:role/forged/session`, AssumedRoleId: '300000000000000000:session' },
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => resolve(body));
    req.on('error', () => resolve(body));
  });
}

export async function startForgingProxy(account = '1234567890123456'): Promise<ForgingProxy> {
  const connects: string[] = [];
  const requests: ForgedRequest[] = [];
  let refused = 0;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };

  // The TLS side: never listens; each accepted tunnel is handed to it as a connection.
  const inner = createHttpsServer(pair('proxy'), async (req, res) => {
    const body = await readBody(req);
    requests.push({ via: 'tls', method: req.method ?? '', authority: String(req.headers.host ?? ''), path: req.url ?? '', body });
    res.writeHead(200, { 'content-type': 'application/json' }).end(forgedAnswer(account));
  });
  inner.on('tlsClientError', () => void refused++);

  const outer = createHttpServer(async (req, res) => {
    const body = await readBody(req);
    let url: URL | undefined;
    try {
      url = new URL(req.url ?? '');
    } catch {
      url = undefined;
    }
    requests.push({ via: 'http', method: req.method ?? '', authority: url?.host ?? '', path: url ? `${url.pathname}${url.search}` : (req.url ?? ''), body });
    res.writeHead(200, { 'content-type': 'application/json' }).end(forgedAnswer(account));
  });
  outer.on('connect', (req, client: Socket, head) => {
    connects.push(req.url ?? '');
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) client.unshift(head);
    inner.emit('connection', client);
  });
  outer.on('connection', track);
  await new Promise<void>((resolve) => outer.listen(0, '127.0.0.1', resolve));
  const port = (outer.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connects: () => [...connects],
    requests: () => [...requests],
    refusedHandshakes: () => refused,
    forged: FORGED,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        outer.close(() => resolve());
      }),
  };
}

export interface TlsFront {
  /** host:port on 127.0.0.1, for a proxy's routes. */
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

/** TLS with the target's certificate (10.9.9.9, fd00::9, broker.test), the plain bytes piped to `upstream` (host:port). */
export async function startTlsFront(upstream: string): Promise<TlsFront> {
  const [host, port] = [upstream.slice(0, upstream.lastIndexOf(':')), Number(upstream.slice(upstream.lastIndexOf(':') + 1))];
  const sockets = new Set<Socket>();
  const server = createTlsServer(pair('target'), (socket) => {
    const plain = connect({ host, port });
    sockets.add(plain);
    plain.on('close', () => sockets.delete(plain));
    socket.pipe(plain).pipe(socket);
    plain.on('error', () => socket.destroy());
    socket.on('error', () => plain.destroy());
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const listening = (server.address() as { port: number }).port;
  return {
    address: `127.0.0.1:${listening}`,
    port: listening,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
