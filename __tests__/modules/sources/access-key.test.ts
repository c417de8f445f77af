// src/sources/access-key.ts: the three inputs, and keys that the emulator's STS accepts as they are.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../../emulator/server.js';
import type { Emulator } from '../../../emulator/types.js';
import { InputError } from '../../../src/errors.js';
import { accessKey } from '../../../src/sources/access-key.js';
import { getCallerIdentity } from '../../../src/sts.js';
import { ACCOUNT, inputs, sourceContext, thrownBy } from '../helpers.js';

function refusedInput(values: Record<string, string>): string {
  const error = thrownBy(() => accessKey.select(inputs(values)));
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).input;
}

describe('select', () => {
  it('is not selected without keys', () => {
    expect(accessKey.select(inputs())).toBeUndefined();
  });

  it.each([
    [{ 'security-token': 'token-without-keys-0123' }, 'security-token'],
    [{ 'access-key-secret': 'secret123' }, 'access-key-id'],
    [{ 'access-key-id': 'LTAI12345678' }, 'access-key-secret'],
    [{ 'access-key-id': 'acs:ram::1:user/x', 'access-key-secret': 'secret123' }, 'access-key-id'],
    [{ 'access-key-id': 'LTAI12345678', 'access-key-secret': 'sec ret123' }, 'access-key-secret'],
    [{ 'access-key-id': 'STS.12345678', 'access-key-secret': 'secret123' }, 'security-token'],
  ])('refuses %j, naming %s', (values, input) => {
    expect(refusedInput(values)).toBe(input);
  });

  it('does not quote a secret it refuses', () => {
    const error = thrownBy(() => accessKey.select(inputs({ 'access-key-id': 'LTAI12345678', 'access-key-secret': 'hunter2 hunter2' })));
    expect(`${error.message} ${error.hint}`).not.toContain('hunter2');
  });

  it('describes permanent keys and STS credentials apart; neither renews, both are verified', () => {
    const permanent = accessKey.select(inputs({ 'access-key-id': 'LTAI12345678', 'access-key-secret': 'secret123' }));
    const session = accessKey.select(inputs({ 'access-key-id': 'STS.12345678', 'access-key-secret': 'secret123', 'security-token': 'token0123456789abcdef' }));
    expect(permanent).toMatchObject({ gives: 'credentials', input: 'access-key-id', description: 'AccessKey (inputs)', renews: false, verifyUnassumed: true });
    expect(session).toMatchObject({ description: 'STS credentials (inputs)', renews: false, verifyUnassumed: true });
  });
});

describe('obtain', () => {
  let em: Emulator;
  beforeAll(async () => {
    em = await startEmulator();
  });
  afterAll(() => em.close());

  it('gives the keys as they are, and STS accepts them', async () => {
    const user = await em.addUser({ accountId: ACCOUNT, name: 'ci' });
    const chosen = accessKey.select(inputs({ 'access-key-id': user.accessKeyId, 'access-key-secret': user.accessKeySecret }));
    if (chosen?.gives !== 'credentials') throw new Error('expected a credential source');
    const credentials = await chosen.obtain(sourceContext());
    expect(credentials).toEqual({ accessKeyId: user.accessKeyId, accessKeySecret: user.accessKeySecret, securityToken: undefined });
    const settings = { endpoint: { host: em.stsHost, protocol: 'http' as const }, connectTimeoutMs: 2000, readTimeoutMs: 3000 };
    expect(await getCallerIdentity(settings, credentials)).toEqual({ accountId: ACCOUNT, arn: `acs:ram::${ACCOUNT}:user/ci` });
  });
});
