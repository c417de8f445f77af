// src/refresh/helper.ts: answer() behind a real loopback server of the test's own (the helper's process, IPC and
// timers are the e2e suite's), and the renewal schedule.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { Credentials } from '../../src/credentials.js';
import { answer, renewalDelay, retryDelay } from '../../src/refresh/helper.js';
import { STOP_HEADER } from '../../src/refresh/protocol.js';
import { fetchFromCredentialsUri } from '../../src/sources/credentials-uri.js';

const PATH = `/${'ab12'.repeat(16)}`;
const STOP_TOKEN = 'cd34'.repeat(16);
const SESSION: Credentials = {
  accessKeyId: 'STS.HelperKey12345',
  accessKeySecret: 'HelperSecret12345',
  securityToken: 'HelperToken0123456789',
  expiration: new Date(Date.now() + 3600_000),
};

let server: Server;
let port: number;
let current: Credentials;
let stops: number;

beforeAll(async () => {
  server = createServer((req, res) =>
    answer(req, res, {
      path: PATH,
      port,
      stopToken: STOP_TOKEN,
      current: () => current,
      stop: () => {
        stops++;
      },
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  current = SESSION;
  stops = 0;
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function send(options: { method?: string; path?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path ?? PATH, headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('answer', () => {
  it('serves the current credentials: Code "Success" and an Expiration to the second, never cached', async () => {
    const res = await send();
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['cache-control']).toBe('no-store');
    const body = JSON.parse(res.body);
    expect(body).toEqual({
      Code: 'Success',
      AccessKeyId: SESSION.accessKeyId,
      AccessKeySecret: SESSION.accessKeySecret,
      SecurityToken: SESSION.securityToken,
      Expiration: SESSION.expiration!.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
    expect(body.Expiration).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('serves what the credentials URI source of the action reads back', async () => {
    const read = await fetchFromCredentialsUri(`http://127.0.0.1:${port}${PATH}`, { connectTimeoutMs: 2000, readTimeoutMs: 3000 });
    expect(read).toEqual({ ...SESSION, expiration: new Date(Math.floor(SESSION.expiration!.getTime() / 1000) * 1000) });
  });

  it('serves whatever current() says now (a renewal replaces it)', async () => {
    current = { ...SESSION, accessKeyId: 'STS.RenewedKey1234' };
    expect(JSON.parse((await send()).body).AccessKeyId).toBe('STS.RenewedKey1234');
  });

  it('answers 503 once the credentials expired', async () => {
    current = { ...SESSION, expiration: new Date(Date.now() - 1000) };
    const res = await send();
    expect(res.status).toBe(503);
    const body = JSON.parse(res.body);
    expect(body.Code).toBe('Expired');
    expect(res.body).not.toContain(SESSION.accessKeySecret);
  });

  it('answers 404 on any other path', async () => {
    for (const path of ['/', `${PATH}/`, `${PATH}x`, `${PATH}?x=1`, PATH.toUpperCase()]) {
      const res = await send({ path });
      expect(res.status).toBe(404);
      expect(res.body).not.toContain(SESSION.accessKeyId);
    }
  });

  it('answers 403 to a foreign Host (DNS rebinding) and to any Origin (a browser)', async () => {
    expect((await send({ headers: { host: `evil.example.com:${port}` } })).status).toBe(403);
    expect((await send({ headers: { host: `127.0.0.1:${port + 1}` } })).status).toBe(403);
    expect((await send({ headers: { host: 'evil.example.com' } })).status).toBe(403);
    expect((await send({ headers: { host: '127.0.0.1.evil.example.com' } })).status).toBe(403);
    expect((await send({ headers: { origin: `http://127.0.0.1:${port}` } })).status).toBe(403);
    expect((await send({ headers: { origin: 'null' } })).status).toBe(403);
    expect((await send({ headers: { host: `LOCALHOST:${port}` } })).status).toBe(200);
  });

  // Alibaba's Python SDK (and so Prowler) names the host without the port: alibabacloud_credentials/provider/uri.py
  // sets the request's host header to urlparse(uri).hostname.
  it('answers a loopback name without the port, as the Python SDK sends it', async () => {
    for (const host of ['127.0.0.1', 'localhost']) expect([host, (await send({ headers: { host } })).status]).toEqual([host, 200]);
  });

  it('answers 405 to other methods', async () => {
    for (const method of ['POST', 'PUT', 'HEAD', 'OPTIONS']) {
      const res = await send({ method });
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET');
    }
    expect(stops).toBe(0);
  });

  it('stops on DELETE with the stop token, and only then', async () => {
    expect((await send({ method: 'DELETE' })).status).toBe(405);
    expect((await send({ method: 'DELETE', headers: { [STOP_HEADER]: `${STOP_TOKEN.slice(1)}0` } })).status).toBe(405);
    expect((await send({ method: 'DELETE', path: '/', headers: { [STOP_HEADER]: STOP_TOKEN } })).status).toBe(404);
    expect((await send({ method: 'DELETE', headers: { [STOP_HEADER]: STOP_TOKEN, host: `evil.example.com:${port}` } })).status).toBe(403);
    expect(stops).toBe(0);
    const res = await send({ method: 'DELETE', headers: { [STOP_HEADER]: STOP_TOKEN } });
    expect(res.status).toBe(202);
    expect(stops).toBe(1);
  });

  it('serves permanent keys without SecurityToken and Expiration', async () => {
    current = { accessKeyId: 'LTAI5tPermanent1', accessKeySecret: 'PermanentSecret1' };
    expect(JSON.parse((await send()).body)).toEqual({ Code: 'Success', AccessKeyId: 'LTAI5tPermanent1', AccessKeySecret: 'PermanentSecret1' });
  });
});

describe('renewalDelay', () => {
  const NOW = Date.parse('2026-04-23T10:00:00Z');
  const expiringIn = (ms: number): Credentials => ({ ...SESSION, expiration: new Date(NOW + ms) });

  it('renews once 70% of the remaining life has passed', () => {
    expect(renewalDelay(expiringIn(1000_000), NOW)).toBe(700_000);
    expect(renewalDelay(expiringIn(900_000), NOW)).toBe(630_000);
  });

  it('waits at least 1 s, even for credentials about to expire or expired', () => {
    expect(renewalDelay(expiringIn(1000), NOW)).toBe(1000);
    expect(renewalDelay(expiringIn(-60_000), NOW)).toBe(1000);
  });

  it('looks again within the hour for far-off expirations (setTimeout fires at once past 2^31-1 ms)', () => {
    expect(renewalDelay(expiringIn(12 * 3600_000), NOW)).toBe(3600_000);
    expect(renewalDelay(expiringIn(60 * 24 * 3600_000), NOW)).toBe(3600_000);
  });

  it('fetches every 5 minutes credentials with a token and no known expiry; an hour for permanent keys', () => {
    expect(renewalDelay({ ...SESSION, expiration: undefined }, NOW)).toBe(300_000);
    expect(renewalDelay({ accessKeyId: 'LTAI5tPermanent1', accessKeySecret: 'PermanentSecret1' }, NOW)).toBe(3600_000);
  });
});

describe('retryDelay', () => {
  it('backs off 1, 2, 4 … s up to a minute', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map(retryDelay)).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  });
});
