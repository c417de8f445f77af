import { accountIdOf, assumedRoleArn, parseOidcProviderArn, parseRoleArn } from '../../src/arn.js';
import { ActionError, formatFailure } from '../../src/errors.js';
import { redact } from '../../src/redact.js';
import { describeStsCode, STS_ERROR_CODES } from '../../src/sts-codes.js';
import { printableClaims } from '../../src/jwt.js';
import { withRetry } from '../../src/retry.js';
import { codes } from '../emulator/codes.js';

describe('arn', () => {
  it('parses role and IdP ARNs, with paths, and rejects other shapes', () => {
    expect(parseRoleArn('acs:ram::123:role/a/b/Name')).toEqual({ arn: 'acs:ram::123:role/a/b/Name', accountId: '123', roleName: 'Name' });
    expect(parseRoleArn('acs:ram::123:user/x')).toBeUndefined();
    expect(parseRoleArn('acs:ram::12x:role/x')).toBeUndefined();
    expect(parseOidcProviderArn('acs:ram::5:oidc-provider/github')).toEqual({ arn: 'acs:ram::5:oidc-provider/github', accountId: '5' });
    expect(parseOidcProviderArn('acs:ram::5:saml-provider/x')).toBeUndefined();
  });
  it('finds the account of any RAM ARN and rewrites assumed-role ARNs', () => {
    expect(accountIdOf('acs:ram::987:role/r/s')).toBe('987');
    expect(accountIdOf('arn:aws:iam::1:role/x')).toBeUndefined();
    expect(assumedRoleArn('acs:ram::987:role/r/s')).toBe('acs:ram::987:assumed-role/r/s');
  });
});

describe('errors', () => {
  it('classifies codes, families and statuses', () => {
    expect(describeStsCode('Throttling.User', 400).kind).toBe('throttled');
    expect(describeStsCode('Throttling.Whatever', 400).kind).toBe('throttled');
    expect(describeStsCode('AuthenticationFail.OIDCToken.Something', 400).kind).toBe('trust');
    expect(describeStsCode('SignatureDoesNotMatch', 400).kind).toBe('credentials');
    expect(describeStsCode(undefined, 503).kind).toBe('server');
    expect(describeStsCode('Unknown', 403).kind).toBe('permission');
    for (const info of Object.values(STS_ERROR_CODES)) expect(info.hint.length).toBeGreaterThan(20);
  });
  it('retries only throttling, server and network errors, and an expired OIDC token', () => {
    expect(new ActionError('throttled', 'x').retryable).toBe(true);
    expect(new ActionError('network', 'x').retryable).toBe(true);
    expect(new ActionError('permission', 'x').retryable).toBe(false);
    expect(new ActionError('trust', 'x', undefined, { code: 'AuthenticationFail.OIDCToken.Expired' }).retryable).toBe(true);
    expect(new ActionError('trust', 'x', undefined, { code: 'AuthenticationFail.NoPermission' }).retryable).toBe(false);
  });
  it('redacts secrets in plain and URL-encoded form, and anything shaped like one', () => {
    const secret = 'a+b/c=d';
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const text = `POST http://h/?OIDCToken=${encodeURIComponent('tok+en')}&x=1 secret ${secret} ${encodeURIComponent(secret)} ${jwt} {"AccessKeySecret":"zzz"}`;
    const out = redact(text, [secret]);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(encodeURIComponent(secret));
    expect(out).not.toContain('tok');
    expect(out).not.toContain(jwt);
    expect(out).not.toContain('zzz');
    expect(out).toContain('&x=1');
  });
  it('formats the failure line with RequestId and hint', () => {
    const line = formatFailure(new ActionError('permission', 'AssumeRole failed: NoPermission: no', 'Grant it.', { requestId: 'REQ-1' }));
    expect(line).toBe('AssumeRole failed: NoPermission: no (RequestId: REQ-1)\nGrant it.');
  });
});

describe('printableClaims', () => {
  it('shows only the non-secret claims', () => {
    const payload = Buffer.from(JSON.stringify({ sub: 'repo:o/r:ref:refs/heads/main', aud: ['a', 'b'], iss: 'https://i', secret: 'no' })).toString('base64url');
    expect(printableClaims(`x.${payload}.y`)).toEqual({ sub: 'repo:o/r:ref:refs/heads/main', aud: 'a,b', iss: 'https://i' });
    expect(printableClaims('garbage')).toEqual({});
  });
});

describe('withRetry', () => {
  const policy = { maxAttempts: 4, deadlineMs: 60_000, baseDelayMs: 100, maxDelayMs: 1000 };
  const noSleep = { sleep: async () => {}, random: () => 1 };

  it('retries retryable errors with exponential backoff until success', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetry(
      policy,
      async (n) => {
        calls++;
        if (n < 3) throw new ActionError('server', 'boom');
        return 'ok';
      },
      { ...noSleep, onRetry: (e) => waits.push(e.waitMs) },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(waits).toEqual([100, 200]);
  });
  it('stops at once on a non-retryable error and after the last attempt', async () => {
    let calls = 0;
    await expect(
      withRetry(
        policy,
        async () => {
          calls++;
          throw new ActionError('permission', 'no');
        },
        noSleep,
      ),
    ).rejects.toThrow('no');
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      withRetry(
        policy,
        async () => {
          calls++;
          throw new ActionError('throttled', 'slow');
        },
        noSleep,
      ),
    ).rejects.toThrow('slow');
    expect(calls).toBe(4);
  });
  it('starts no attempt past the deadline', async () => {
    let clock = 0;
    let calls = 0;
    await expect(
      withRetry(
        { ...policy, deadlineMs: 250 },
        async () => {
          calls++;
          clock += 200;
          throw new ActionError('network', 'down');
        },
        { ...noSleep, now: () => clock },
      ),
    ).rejects.toThrow('down');
    expect(calls).toBe(1);
  });
});

describe('the STS error table', () => {
  it('has an entry with a hint for every code the emulator (modelled on STS) answers', async () => {
    const missing = codes.map(({ code }) => code).filter((code) => !STS_ERROR_CODES[code]);
    expect(missing).toEqual([]);
  });
  it('is documented code by code in docs/TROUBLESHOOTING.md', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../docs/TROUBLESHOOTING.md', import.meta.url), 'utf8');
    const undocumented = Object.keys(STS_ERROR_CODES).filter((code) => !doc.includes(`\`${code}\``));
    expect(undocumented).toEqual([]);
  });
});
