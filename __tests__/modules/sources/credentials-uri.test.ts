// src/sources/credentials-uri.ts: which URIs the input accepts, and fetching credentials from the emulator's broker.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../../emulator/server.js';
import type { Emulator } from '../../../emulator/types.js';
import type { InputError } from '../../../src/errors.js';
import { credentialsUri, fetchFromCredentialsUri } from '../../../src/sources/credentials-uri.js';
import type { ChosenCredentialSource } from '../../../src/sources/source.js';
import { ACCOUNT, actionError, closedPort, inputs, sourceContext, thrownBy } from '../helpers.js';

const TIMEOUTS = { connectTimeoutMs: 2000, readTimeoutMs: 3000 };

function chosen(uri: string): ChosenCredentialSource {
  const source = credentialsUri.select(inputs({ 'credentials-uri': uri }));
  if (source?.gives !== 'credentials') throw new Error('expected a credential source');
  return source;
}

describe('select', () => {
  it('is selected by credentials-uri, renews, and is not verified by itself', () => {
    expect(credentialsUri.select(inputs())).toBeUndefined();
    expect(chosen('https://broker.example.com/credentials')).toMatchObject({
      input: 'credentials-uri',
      description: 'a credentials URI',
      renews: true,
      verifyUnassumed: false,
    });
  });

  it.each([
    'https://broker.example.com/c',
    'http://127.0.0.1:8080/c',
    'http://localhost/c',
    'http://[::1]:9/c',
    'http://10.0.0.5/c',
    'http://172.16.0.1/c',
    'http://192.168.1.1/c',
  ])('accepts %s', (uri) => {
    expect(chosen(uri)).toBeDefined();
  });

  it.each([
    ['http://broker.example.com/c', 'plain http to broker.example.com would send credentials in the clear.'],
    ['http://8.8.8.8/c', 'plain http to 8.8.8.8 would send credentials in the clear.'],
    ['http://172.32.0.1/c', 'plain http to 172.32.0.1 would send credentials in the clear.'],
    ['ftp://broker.example.com/c', 'is not an http(s) URL: its scheme is ftp.'],
    ['broker.example.com/c', 'is not a URL.'],
  ])('refuses %s', (uri, message) => {
    const error = thrownBy(() => credentialsUri.select(inputs({ 'credentials-uri': uri })));
    expect((error as InputError).input).toBe('credentials-uri');
    expect(error.message).toBe(`Input credentials-uri: ${message}`);
  });
});

describe('the URI is never quoted', () => {
  it.each([
    'ftp://ci:uri-password@broker.example.com/path-token?token=query-token',
    'broker.example.com/path-token?token=query-token',
    'https://ci:uri-password@[bad/path-token?token=query-token',
    'http://ci:uri-password@broker.example.com/path-token?token=query-token',
    'http://ci:uri-password@8.8.8.8/path-token?token=query-token',
  ])('refusing %s', (uri) => {
    const error = thrownBy(() => credentialsUri.select(inputs({ 'credentials-uri': uri })));
    expect(error.message).toMatch(/^Input credentials-uri: /);
    for (const part of ['uri-password', 'path-token', 'query-token']) expect(`${error.message} ${error.hint}`).not.toContain(part);
  });
});

describe('obtain (the emulator as broker)', () => {
  let em: Emulator;
  let uri: string;
  beforeAll(async () => {
    em = await startEmulator();
    uri = (await em.addCredentialsUri({ accountId: ACCOUNT, roleName: 'broker-role' })).url;
  });
  afterAll(() => em.close());
  beforeEach(async () => {
    await em.clearFaults();
    await em.resetRequests();
  });

  it('fetches STS credentials with their expiration', async () => {
    const credentials = await chosen(uri).obtain(sourceContext());
    expect(credentials.accessKeyId).toMatch(/^STS\./);
    expect(credentials.securityToken).toBeTruthy();
    expect(credentials.expiration!.getTime()).toBeGreaterThan(Date.now() + 3000_000);
  });

  it('tries again after a 503, through the retry the context gives', async () => {
    await em.queueFault('credentials-uri', { kind: 'status', status: 503 });
    const credentials = await chosen(uri).obtain(sourceContext());
    expect(credentials.accessKeyId).toMatch(/^STS\./);
    expect((await em.requests()).map((record) => record.status)).toEqual([503, 200]);
  });

  it('a 404: a credentials error, not retried', async () => {
    const error = await actionError(chosen(`${new URL(uri).origin}/no-such-path`).obtain(sourceContext()));
    expect(error.kind).toBe('credentials');
    expect(error.message).toBe('The credentials URI answered HTTP 404.');
    expect(await em.requests()).toHaveLength(1);
  });

  it('an HTML page: a server error, tried as often as the retry policy allows', async () => {
    await em.queueFault('credentials-uri', { kind: 'html502' }, 3);
    const error = await actionError(chosen(uri).obtain(sourceContext()));
    expect(error.kind).toBe('server');
    expect(await em.requests()).toHaveLength(3);
  });

  const valid = () => ({
    Code: 'Success',
    AccessKeyId: 'STS.BrokerKey1234',
    AccessKeySecret: 'BrokerSecret1234',
    SecurityToken: 'BrokerSecurityToken012345',
    Expiration: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  });

  it.each([
    ['Code "Failure"', { Code: 'Failure' }, 'The credentials URI answered Code Failure.'],
    ['no Code', { Code: undefined }, 'The credentials URI answered no Code "Success".'],
    ['a hostile Code', { Code: 'x\n::add-mask::y' }, 'The credentials URI answered no Code "Success".'],
    [
      'an Expiration with milliseconds',
      { Expiration: '2099-01-01T00:00:00.000Z' },
      'The credentials URI answered an Expiration that is not UTC to the second (2026-04-23T10:00:00Z).',
    ],
    [
      'an Expiration with an offset',
      { Expiration: '2099-01-01T08:00:00+08:00' },
      'The credentials URI answered an Expiration that is not UTC to the second (2026-04-23T10:00:00Z).',
    ],
    ['no SecurityToken', { SecurityToken: undefined }, 'The credentials URI answered credentials that lack SecurityToken.'],
  ])('refuses an answer with %s', async (_what, change, message) => {
    await em.queueFault('credentials-uri', { kind: 'answer', body: { ...valid(), ...change } });
    const error = await actionError(fetchFromCredentialsUri(uri, TIMEOUTS));
    expect(error.kind).toBe('credentials');
    expect(error.message).toBe(message);
    expect(error.hint).toContain('Code "Success"');
    expect(`${error.message} ${error.hint}`).not.toContain('BrokerSecret1234');
  });

  it('accepts the same answer with Code "Success" and an Expiration to the second', async () => {
    const body = valid();
    await em.queueFault('credentials-uri', { kind: 'answer', body });
    expect(await fetchFromCredentialsUri(uri, TIMEOUTS)).toEqual({
      accessKeyId: body.AccessKeyId,
      accessKeySecret: body.AccessKeySecret,
      securityToken: body.SecurityToken,
      expiration: new Date(body.Expiration),
    });
  });

  describe('user information in the URI: HTTP Basic auth', () => {
    // Characters a password must percent-encode in a URI: sent decoded, as Node's http.request(url) and curl do.
    const USER = 'ci broker';
    const PASSWORD = 'p@ss:w/rd 100%';
    let locked: URL;
    beforeAll(async () => {
      locked = new URL((await em.addCredentialsUri({ accountId: ACCOUNT, roleName: 'locked', basicAuth: { user: USER, password: PASSWORD } })).url);
    });
    const withUserinfo = (user: string, password: string) => {
      const url = new URL(locked);
      url.username = encodeURIComponent(user);
      url.password = encodeURIComponent(password);
      return url.href;
    };

    it('sends the decoded user and password as Basic auth, and the broker answers', async () => {
      const credentials = await chosen(withUserinfo(USER, PASSWORD)).obtain(sourceContext());
      expect(credentials.accessKeyId).toMatch(/^STS\./);
      expect((await em.requests()).map((r) => [r.status, r.auth])).toEqual([[200, 'Basic']]);
    });

    it('sends no Authorization without user information', async () => {
      await chosen(uri).obtain(sourceContext());
      expect((await em.requests()).map((r) => [r.status, r.auth])).toEqual([[200, undefined]]);
    });

    it('a wrong password: an error naming the input, not retried, quoting neither password', async () => {
      const error = await actionError(chosen(withUserinfo(USER, 'wrong-password-1234')).obtain(sourceContext()));
      expect(error.kind).toBe('permission');
      expect(error.message).toBe(
        'Input credentials-uri: the broker refused the user and password written in the URI (sent as HTTP Basic auth): it answered HTTP 401.',
      );
      expect(error.hint).toMatch(/^Check the user and password in `credentials-uri`/);
      expect((await em.requests()).map((r) => [r.status, r.auth])).toEqual([[401, 'Basic']]);
      for (const secret of ['wrong-password-1234', PASSWORD, encodeURIComponent(PASSWORD), locked.pathname])
        expect(`${error.message} ${error.hint}`).not.toContain(secret);
    });

    it('no user information where the broker wants it: an error naming the input and how to write it', async () => {
      const error = await actionError(chosen(locked.href).obtain(sourceContext()));
      expect(error.message).toBe('Input credentials-uri: the broker refused a request without credentials: it answered HTTP 401.');
      expect(error.hint).toContain('https://user:password@host/path');
      expect((await em.requests()).map((r) => [r.status, r.auth])).toEqual([[401, undefined]]);
    });
  });

  it('a URI nobody listens on: a network error naming the credentials URI', async () => {
    const error = await actionError(fetchFromCredentialsUri(`http://127.0.0.1:${await closedPort()}/credentials`, TIMEOUTS));
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/^The credentials URI did not answer: ECONNREFUSED/);
  });
});
