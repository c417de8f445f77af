// src/sources/sts-json.ts: the JSON shape of credentials URIs and the metadata service. Pure.

import { describe, expect, it } from '@jest/globals';
import { credentialsFromJson } from '../../../src/sources/sts-json.js';
import { thrownBy } from '../helpers.js';

const SERVICE = 'The broker';
const HINT = 'Check the broker.';
const inAnHour = () => new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const body = () => ({
  Code: 'Success',
  AccessKeyId: 'STS.Key12345',
  AccessKeySecret: 'Secret12345',
  SecurityToken: 'Token0123456789abcdef',
  Expiration: inAnHour(),
});

describe('credentialsFromJson', () => {
  it('reads the five fields', () => {
    const answer = body();
    expect(credentialsFromJson(answer, SERVICE, HINT)).toEqual({
      accessKeyId: answer.AccessKeyId,
      accessKeySecret: answer.AccessKeySecret,
      securityToken: answer.SecurityToken,
      expiration: new Date(answer.Expiration),
    });
  });

  it.each([
    [{ Code: 'success' }, 'The broker answered Code success.'],
    [{ Code: 42 }, 'The broker answered no Code "Success".'],
    [{ Expiration: '2099-01-01 00:00:00' }, 'The broker answered an Expiration that is not UTC to the second (2026-04-23T10:00:00Z).'],
    [{ Expiration: undefined }, 'The broker answered credentials that lack Expiration.'],
    [{ Expiration: '2000-01-01T00:00:00Z' }, 'The broker answered credentials that expired at 2000-01-01T00:00:00Z.'],
    [{ AccessKeyId: { nested: true } }, 'The broker answered credentials that have an AccessKeyId that is not 8-128 letters, digits or dots.'],
    [{ SecurityToken: 'short' }, 'The broker answered credentials that have a SecurityToken that is not 16-16384 printable characters without spaces.'],
  ])('refuses %j as a credentials error', (change, message) => {
    const error = thrownBy(() => credentialsFromJson({ ...body(), ...change }, SERVICE, HINT));
    expect(error.kind).toBe('credentials');
    expect(error.message).toBe(message);
    expect(error.hint).toMatch(/^Check the broker\. The answer must be JSON with Code "Success"/);
    expect(error.message).not.toContain('Secret12345');
  });
});
