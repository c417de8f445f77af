// STS and ResourceManager through the one RPC caller (src/rpc.ts): the same failure, answered by a server of the
// test's own, is the same kind for both (retried or not alike), and both give a hint. Every answer here is one
// a gateway, a proxy or a WAF in front of either service could give.

import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ErrorKind } from '../../src/errors.js';
import { listAccounts } from '../../src/resource-manager.js';
import { getCallerIdentity } from '../../src/sts.js';
import { actionError, NO_PROXY_VARIABLES, setEnv } from './helpers.js';

const credentials = { accessKeyId: 'LTAI5tModuleTestKey00000', accessKeySecret: 'module-test-secret' };
let server: Server;
let answer: { status: number; type: string; body: string };
let settings: { endpoint: { host: string; protocol: 'http' }; connectTimeoutMs: number; readTimeoutMs: number };
let restoreEnv: () => void;

beforeAll(async () => {
  restoreEnv = setEnv(NO_PROXY_VARIABLES);
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  settings = {
    endpoint: { host: `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, protocol: 'http' },
    connectTimeoutMs: 2000,
    readTimeoutMs: 2000,
  };
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  restoreEnv();
});

const page = (status: number) => ({ status, type: 'text/html', body: `<html><body><h1>${status}</h1></body></html>` });
const code = (status: number, c: string) => ({ status, type: 'application/json', body: JSON.stringify({ Code: c, RequestId: 'R-1', Message: `${c} (test)` }) });

describe('the same answer is the same kind for STS and ResourceManager', () => {
  it.each([
    ['an HTML 403 of a WAF', 'permission', page(403)],
    ['an HTML 404 page', 'server', page(404)],
    ['an HTML 503 page', 'server', page(503)],
    ['InvalidParameter.PageSize (a parameter the service refused)', 'input', code(400, 'InvalidParameter.PageSize')],
    ['MissingParameter', 'input', code(400, 'MissingParameter')],
    ['InvalidTimeStamp.Expired (the runner clock)', 'credentials', code(400, 'InvalidTimeStamp.Expired')],
    ['SignatureNonceUsed (a replayed nonce: a new attempt sends a new one)', 'server', code(400, 'SignatureNonceUsed')],
    ['Throttling.Api', 'throttled', code(400, 'Throttling.Api')],
    ['an unknown code at HTTP 403', 'permission', code(403, 'Forbidden.Something')],
  ] as const)('%s: %s', async (_name, kind: ErrorKind, given) => {
    answer = given;
    const sts = await actionError(getCallerIdentity(settings, credentials));
    const rm = await actionError(listAccounts(settings, credentials, 1));
    expect([sts.kind, rm.kind]).toEqual([kind, kind]);
    expect([sts.retryable, rm.retryable]).toEqual([['throttled', 'server'].includes(kind), ['throttled', 'server'].includes(kind)]);
    expect(rm.hint).toBeTruthy();
    expect(sts.hint).toBeTruthy();
    expect(rm.hint).not.toMatch(/\bSTS\b|sts-endpoint/);
    expect(sts.hint).not.toMatch(/ResourceManager/);
  });
});
