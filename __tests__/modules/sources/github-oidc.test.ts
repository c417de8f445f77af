// src/sources/github-oidc.ts: the audience input, the job check, and tokens from the emulator's token endpoint.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../../emulator/server.js';
import type { Emulator } from '../../../emulator/types.js';
import { readConfig } from '../../../src/config.js';
import { InputError } from '../../../src/errors.js';
import { chooseGithubToken, fetchGithubToken } from '../../../src/sources/github-oidc.js';
import { actionError, inputs, sourceContext, thrownBy } from '../helpers.js';

const TIMEOUTS = { connectTimeoutMs: 2000, readTimeoutMs: 3000 };
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));

let em: Emulator;
beforeAll(async () => {
  em = await startEmulator();
});
afterAll(() => em.close());
beforeEach(async () => {
  await em.clearFaults();
  await em.resetRequests();
});

describe('chooseGithubToken (reading the inputs)', () => {
  it('defaults the audience to sts.aliyuncs.com and declares the two request variables', () => {
    const chosen = chooseGithubToken(inputs());
    expect(chosen.description).toBe('GitHub OIDC (audience sts.aliyuncs.com)');
    expect(chosen.input).toBe('oidc-provider-arn');
    expect(chosen.variables).toEqual({ ACTIONS_ID_TOKEN_REQUEST_URL: 'plain', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'secret' });
  });

  it('refuses an audience with white space, naming the input', () => {
    const error = thrownBy(() => chooseGithubToken(inputs({ audience: 'sts.aliyuncs.com other' })));
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('audience');
  });

  it('check() asks for id-token: write when the job cannot request a token, naming what is missing', () => {
    const chosen = chooseGithubToken(inputs());
    const config = readConfig(inputs(), {});
    const both = thrownBy(() => chosen.check(config, { idTokenRequest: { url: false, token: false } }));
    expect(both.kind).toBe('permission');
    expect(both.message).toBe('This job cannot request a GitHub OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set.');
    expect(both.hint).toContain('id-token: write');
    const one = thrownBy(() => chosen.check(config, { idTokenRequest: { url: true, token: false } }));
    expect(one.message).toBe('This job cannot request a GitHub OIDC token: ACTIONS_ID_TOKEN_REQUEST_TOKEN is not set.');
    expect(() => chosen.check(config, { idTokenRequest: { url: true, token: true } })).not.toThrow();
  });
});

describe('obtain (the emulator as GitHub token endpoint)', () => {
  const env = () => ({ ACTIONS_ID_TOKEN_REQUEST_URL: em.oidcRequestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: em.oidcRequestToken });

  it('fetches a JWT for the audience, appending it to the URL that already has a query', async () => {
    const token = await chooseGithubToken(inputs({ audience: 'my-client-id' })).obtain(sourceContext(env()));
    expect(claimsOf(token).aud).toBe('my-client-id');
    const [record] = await em.requests();
    expect(record).toMatchObject({ target: 'oidc-token', status: 200, params: { audience: 'my-client-id' } });
  });

  it('starts the query itself for a URL without one', async () => {
    const url = em.oidcRequestUrl.split('?')[0];
    const token = await fetchGithubToken({ url, bearer: em.oidcRequestToken }, 'sts.aliyuncs.com', TIMEOUTS);
    expect(claimsOf(token).aud).toBe('sts.aliyuncs.com');
  });

  it('gets a fresh token on every call', async () => {
    const chosen = chooseGithubToken(inputs());
    const first = await chosen.obtain(sourceContext(env()));
    expect(await chosen.obtain(sourceContext(env()))).not.toBe(first);
    expect(await em.requests()).toHaveLength(2);
  });

  it('a wrong bearer: 401, a permission error that names the endpoint and the permission', async () => {
    const error = await actionError(chooseGithubToken(inputs()).obtain(sourceContext({ ...env(), ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'wrong' })));
    expect(error.kind).toBe('permission');
    expect(error.message).toBe("GitHub's OIDC token endpoint answered HTTP 401.");
    expect(error.hint).toContain('id-token: write');
  });

  it('an answer without a JWT: a server error that does not quote it', async () => {
    await em.queueFault('oidc-token', { kind: 'answer', body: { value: 'not-a-jwt-at-all' } });
    const error = await actionError(chooseGithubToken(inputs()).obtain(sourceContext(env())));
    expect(error.kind).toBe('server');
    expect(error.message).toBe("GitHub's OIDC token endpoint answered without a token.");
  });

  it('a 503 or a throttle: retryable errors for the flow to retry', async () => {
    await em.queueFault('oidc-token', { kind: 'status', status: 503 });
    await em.queueFault('oidc-token', { kind: 'throttle' });
    const chosen = chooseGithubToken(inputs());
    expect((await actionError(chosen.obtain(sourceContext(env())))).kind).toBe('server');
    expect((await actionError(chosen.obtain(sourceContext(env())))).kind).toBe('throttled');
  });
});
