// src/credentials.ts: how credentials from anywhere but the inputs are checked, and their serialised form. Pure.

import { describe, expect, it } from '@jest/globals';
import { deserializeCredentials, isoSeconds, MIN_VALIDITY_MS, parseCredentials, secretsOf, serializeCredentials } from '../../src/credentials.js';

const NOW = Date.parse('2026-04-23T10:00:00Z');
const SESSION = { accessKeyId: 'STS.Key123456', accessKeySecret: 'Secret123456', securityToken: 'Token0123456789abcdef', expiration: '2026-04-23T11:00:00Z' };

function problemOf(raw: Record<string, unknown>, session = true): string | undefined {
  return parseCredentials(raw, session, NOW).problem;
}

describe('parseCredentials', () => {
  it('accepts STS credentials and reads the expiration, with or without fractions of a second', () => {
    expect(parseCredentials(SESSION, true, NOW)).toEqual({ credentials: { ...SESSION, expiration: new Date('2026-04-23T11:00:00Z') } });
    expect(parseCredentials({ ...SESSION, expiration: '2026-04-23T11:00:00.123456Z' }, true, NOW).problem).toBeUndefined();
  });

  it('accepts permanent keys without token and expiration only when no session is required', () => {
    const keys = { accessKeyId: 'LTAI12345678', accessKeySecret: 'Secret123456' };
    expect(parseCredentials(keys, false, NOW)).toEqual({ credentials: { ...keys, securityToken: undefined, expiration: undefined } });
    expect(problemOf(keys)).toBe('lack SecurityToken, Expiration');
  });

  it.each([
    [{ accessKeyId: '' }, 'lack AccessKeyId'],
    [{ accessKeyId: null, accessKeySecret: undefined }, 'lack AccessKeyId, AccessKeySecret'],
    [{ accessKeyId: 'LTAI 1234' }, 'have an AccessKeyId that is not 8-128 letters, digits or dots'],
    [{ accessKeyId: ['LTAI12345678'] }, 'have an AccessKeyId that is not 8-128 letters, digits or dots'],
    [{ accessKeySecret: ':' }, 'have an AccessKeySecret that is not 8-256 printable characters without spaces'],
    [{ accessKeySecret: 'Secret\u0000123456' }, 'have an AccessKeySecret that is not 8-256 printable characters without spaces'],
    [{ securityToken: 'Token\n0123456789abcdef' }, 'have a SecurityToken that is not 16-16384 printable characters without spaces'],
    [{ expiration: '2026-04-23 11:00:00' }, 'have an Expiration that is not an ISO 8601 UTC time (2026-04-23T10:00:00Z)'],
    [{ expiration: '2026-13-01T11:00:00Z' }, 'have an Expiration that is not an ISO 8601 UTC time (2026-04-23T10:00:00Z)'],
    // No such day: V8's Date.parse rolls it over to May 1 instead of refusing it.
    [{ expiration: '2026-04-31T11:00:00Z' }, 'have an Expiration that is not an ISO 8601 UTC time (2026-04-23T10:00:00Z)'],
    [{ expiration: '2026-04-23T10:00:00Z' }, 'expired at 2026-04-23T10:00:00Z'],
    [{ expiration: '2026-04-23T10:00:30Z' }, 'expire at 2026-04-23T10:00:30Z, in less than a minute'],
  ])('refuses %j: %s', (change, problem) => {
    expect(problemOf({ ...SESSION, ...change })).toBe(problem);
  });

  it('accepts credentials valid for exactly a minute', () => {
    expect(problemOf({ ...SESSION, expiration: isoSeconds(new Date(NOW + MIN_VALIDITY_MS)) })).toBeUndefined();
  });
});

describe('serialised form and helpers', () => {
  it('round-trips through JSON', () => {
    const credentials = {
      accessKeyId: 'STS.Key123456',
      accessKeySecret: 'Secret123456',
      securityToken: 'Token0123456789abcdef',
      expiration: new Date('2026-04-23T11:00:00.500Z'),
    };
    expect(deserializeCredentials(JSON.parse(JSON.stringify(serializeCredentials(credentials))))).toEqual(credentials);
  });

  it('isoSeconds drops the milliseconds; secretsOf lists the values to mask', () => {
    expect(isoSeconds(new Date('2026-04-23T10:00:00.999Z'))).toBe('2026-04-23T10:00:00Z');
    expect(secretsOf({ accessKeyId: 'LTAI12345678', accessKeySecret: 'Secret123456' })).toEqual(['LTAI12345678', 'Secret123456']);
  });
});
