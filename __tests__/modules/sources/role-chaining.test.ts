// src/sources/role-chaining.ts: selection, the role check, and the ALIBABA_CLOUD_* credentials of an earlier step,
// which then sign AssumeRole at the emulator.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../../emulator/server.js';
import type { Emulator } from '../../../emulator/types.js';
import { readConfig } from '../../../src/config.js';
import type { InputError } from '../../../src/errors.js';
import type { ChosenCredentialSource } from '../../../src/sources/source.js';
import { roleChaining } from '../../../src/sources/role-chaining.js';
import { assumeRole } from '../../../src/sts.js';
import { ACCOUNT, actionError, inputs, sourceContext, thrownBy } from '../helpers.js';

const ROLE = `acs:ram::${ACCOUNT}:role/next`;
const JOB = { idTokenRequest: { url: false, token: false } };

function chosen(): ChosenCredentialSource {
  const source = roleChaining.select(inputs({ 'role-chaining': 'true' }));
  if (source?.gives !== 'credentials') throw new Error('expected a credential source');
  return source;
}

describe('select and check', () => {
  it('is selected by role-chaining: true only, and declares the three variables it reads as secrets', () => {
    expect(roleChaining.select(inputs())).toBeUndefined();
    expect(roleChaining.select(inputs({ 'role-chaining': 'false' }))).toBeUndefined();
    expect(chosen()).toMatchObject({ input: 'role-chaining', renews: false, verifyUnassumed: true });
    expect(chosen().variables).toEqual({
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'secret',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret',
      ALIBABA_CLOUD_SECURITY_TOKEN: 'secret',
    });
  });

  it('refuses a value that is no boolean, naming the input', () => {
    const error = thrownBy(() => roleChaining.select(inputs({ 'role-chaining': 'yes' })));
    expect((error as InputError).input).toBe('role-chaining');
  });

  it('needs role-to-assume', () => {
    const error = thrownBy(() => chosen().check(readConfig(inputs(), {}), JOB));
    expect((error as InputError).input).toBe('role-chaining');
    expect(error.message).toContain('needs `role-to-assume`');
    expect(() => chosen().check(readConfig(inputs({ 'role-to-assume': ROLE }), {}), JOB)).not.toThrow();
  });
});

describe('obtain', () => {
  let em: Emulator;
  beforeAll(async () => {
    em = await startEmulator();
  });
  afterAll(() => em.close());

  it("takes an earlier step's STS credentials from the environment, and they sign AssumeRole", async () => {
    const user = await em.addUser({ accountId: ACCOUNT, name: 'ci' });
    const first = (await em.addRole({ accountId: ACCOUNT, name: 'first' })).arn;
    await em.addRole({ accountId: ACCOUNT, name: 'next' });
    const settings = { endpoint: { host: em.stsHost, protocol: 'http' as const }, connectTimeoutMs: 2000, readTimeoutMs: 3000 };
    const earlier = await assumeRole(settings, user, { roleArn: first, sessionName: 'earlier', durationSeconds: 3600 });
    const env = {
      ALIBABA_CLOUD_ACCESS_KEY_ID: earlier.credentials.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: earlier.credentials.accessKeySecret,
      ALIBABA_CLOUD_SECURITY_TOKEN: earlier.credentials.securityToken,
    };
    const credentials = await chosen().obtain(sourceContext(env));
    expect(credentials).toEqual({ ...earlier.credentials, expiration: undefined });
    const next = await assumeRole(settings, credentials, { roleArn: ROLE, sessionName: 'chained', durationSeconds: 900 });
    expect(next.identity.arn).toBe(`acs:ram::${ACCOUNT}:assumed-role/next/chained`);
  });

  it('refuses an environment without keys, naming the input', async () => {
    const error = await actionError(chosen().obtain(sourceContext({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI12345678' })));
    expect((error as InputError).input).toBe('role-chaining');
    expect(error.message).toContain('found no ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET');
  });

  it('refuses malformed keys without quoting them', async () => {
    const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI12345678', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'has a space inside' };
    const error = await actionError(chosen().obtain(sourceContext(env)));
    expect((error as InputError).input).toBe('role-chaining');
    expect(error.message).toContain('an AccessKeySecret that is not 8-256 printable characters without spaces');
    expect(`${error.message} ${error.hint}`).not.toContain('has a space');
  });
});
