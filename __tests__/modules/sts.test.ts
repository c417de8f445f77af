// src/sts.ts in-process against the emulator's STS: the three calls, and how every kind of failure maps to an
// ActionError. The signature itself is __tests__/unit/acs.test.ts.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { startEmulator } from '../../emulator/server.js';
import type { AccessKey, Emulator } from '../../emulator/types.js';
import { formatFailure } from '../../src/errors.js';
import { assumeRole, assumeRoleWithOidc, connectSts, getCallerIdentity, type StsSettings } from '../../src/sts.js';
import { ACCOUNT, actionError, closedPort, NO_PROXY_VARIABLES, OTHER_ACCOUNT, setEnv } from './helpers.js';

const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

describe('STS calls against the emulator', () => {
  let em: Emulator;
  let settings: StsSettings;
  let user: AccessKey;
  let roleArn: string;
  let providerArn: string;
  const TIMEOUTS = { connectTimeoutMs: 2000, readTimeoutMs: 3000 };
  const POLICY = '{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:GetObject","Resource":"*"}]}';
  const session = (name = 'module-test') => ({ roleArn, sessionName: name, durationSeconds: 3600 });

  beforeAll(async () => {
    em = await startEmulator();
    settings = { endpoint: { host: em.stsHost, protocol: 'http' }, ...TIMEOUTS };
    user = await em.addUser({ accountId: ACCOUNT, name: 'ci' });
    providerArn = (await em.addOidcProvider({ accountId: ACCOUNT, name: 'github' })).arn;
    roleArn = (await em.addRole({ accountId: ACCOUNT, name: 'deploy', oidc: { providerArn, sub: ['repo:octo-org/octo-repo:*'] } })).arn;
  });
  afterAll(() => em.close());
  beforeEach(async () => {
    await em.clearFaults();
    await em.resetRequests();
  });

  describe('assumeRole', () => {
    it('returns STS credentials and the assumed-role identity, signed with ACS3 by the source keys', async () => {
      const { credentials, identity } = await assumeRole(settings, user, { ...session(), policy: POLICY });
      expect(credentials.accessKeyId).toMatch(/^STS\./);
      expect(credentials.securityToken).toBeTruthy();
      expect(credentials.expiration!.getTime()).toBeGreaterThan(Date.now() + 3500_000);
      expect(identity).toEqual({ accountId: ACCOUNT, arn: `acs:ram::${ACCOUNT}:assumed-role/deploy/module-test` });
      const [record] = await em.requests();
      expect(record).toMatchObject({ target: 'AssumeRole', method: 'POST', status: 200, auth: 'ACS3-HMAC-SHA256', accessKeyId: user.accessKeyId });
      expect(record.params).toMatchObject({ RoleArn: roleArn, RoleSessionName: 'module-test', DurationSeconds: '3600', Policy: POLICY });
    });

    it('signs with STS credentials too (role chaining), sending their security token', async () => {
      const first = await assumeRole(settings, user, session('first'));
      const second = await assumeRole(settings, first.credentials, session('second'));
      expect(second.identity.arn).toBe(`acs:ram::${ACCOUNT}:assumed-role/deploy/second`);
      const records = await em.requests();
      expect(records[1]).toMatchObject({ status: 200, accessKeyId: first.credentials.accessKeyId });
    });

    it('sends ExternalId, and a role that wants one refuses the call without it as a trust failure', async () => {
      const guarded = (await em.addRole({ accountId: ACCOUNT, name: 'guarded', externalId: 'ext-1234' })).arn;
      const ok = await assumeRole(settings, user, { roleArn: guarded, sessionName: 'ext', durationSeconds: 900, externalId: 'ext-1234' });
      expect(ok.identity.arn).toBe(`acs:ram::${ACCOUNT}:assumed-role/guarded/ext`);
      const error = await actionError(assumeRole(settings, user, { roleArn: guarded, sessionName: 'ext', durationSeconds: 900 }));
      expect(error.kind).toBe('trust');
      expect(error.details.code).toBe('NoPermission');
    });

    it('uses a connection opened beforehand by connectSts', async () => {
      const connection = connectSts(settings);
      const { identity } = await assumeRole(settings, user, session(), connection);
      expect(identity.accountId).toBe(ACCOUNT);
      expect(connection.take()).toBeUndefined();
      connection.close();
    });
  });

  describe('getCallerIdentity', () => {
    it('names a RAM user, a role session and an account root', async () => {
      expect(await getCallerIdentity(settings, user)).toEqual({ accountId: ACCOUNT, arn: `acs:ram::${ACCOUNT}:user/ci` });
      const { credentials } = await assumeRole(settings, user, session('who'));
      expect(await getCallerIdentity(settings, credentials)).toEqual({ accountId: ACCOUNT, arn: `acs:ram::${ACCOUNT}:assumed-role/deploy/who` });
      const root = await em.addRootKey({ accountId: OTHER_ACCOUNT });
      expect(await getCallerIdentity(settings, root)).toEqual({ accountId: OTHER_ACCOUNT, arn: `acs:ram::${OTHER_ACCOUNT}:root` });
    });

    it('refuses an answer whose Arn is not of its AccountId', async () => {
      await em.queueFault('GetCallerIdentity', { kind: 'answer', body: { RequestId: 'R', AccountId: OTHER_ACCOUNT, Arn: `acs:ram::${ACCOUNT}:user/ci` } });
      const error = await actionError(getCallerIdentity(settings, user));
      expect(error.kind).toBe('server');
      expect(error.message).toBe('GetCallerIdentity answered with an AccountId and Arn that are not an account ID and a RAM ARN of that account.');
    });
  });

  describe('assumeRoleWithOidc', () => {
    it('exchanges a token in a form body, never in the URL, anonymously', async () => {
      const token = await em.mintToken();
      const { credentials, identity } = await assumeRoleWithOidc(settings, token, { ...session('oidc'), oidcProviderArn: providerArn });
      expect(credentials.securityToken).toBeTruthy();
      expect(identity).toEqual({ accountId: ACCOUNT, arn: `acs:ram::${ACCOUNT}:assumed-role/deploy/oidc` });
      const [record] = await em.requests();
      expect(record).toMatchObject({ target: 'AssumeRoleWithOIDC', method: 'POST', path: '/', status: 200, auth: 'anonymous' });
      expect(record.params).toMatchObject({ RoleArn: roleArn, OIDCProviderArn: providerArn, RoleSessionName: 'oidc' });
    });

    it('sends the session policy in the form too', async () => {
      await assumeRoleWithOidc(settings, await em.mintToken(), { ...session('oidc'), oidcProviderArn: providerArn, policy: POLICY });
      const [record] = await em.requests();
      expect(record).toMatchObject({ status: 200, params: { Policy: POLICY } });
    });

    it('calls a failed sub condition of the trust policy a trust failure', async () => {
      const token = await em.mintToken({ claims: { sub: 'repo:evil-org/repo:ref:refs/heads/main' } });
      const error = await actionError(assumeRoleWithOidc(settings, token, { ...session(), oidcProviderArn: providerArn }));
      expect(error.kind).toBe('trust');
      expect(error.details.code).toBe('NoPermission');
      expect(error.details.requestId).toMatch(/^[0-9A-F-]{36}$/);
      expect(error.message).not.toContain(token);
    });

    it('names oidc-provider-arn and the account in it, not the trust policy, for a provider ARN that names no provider', async () => {
      // A typo in the name, or the right name under another account: STS has no such provider in either case.
      for (const mistyped of [`acs:ram::${ACCOUNT}:oidc-provider/gihtub`, `acs:ram::${OTHER_ACCOUNT}:oidc-provider/github`]) {
        const error = await actionError(assumeRoleWithOidc(settings, await em.mintToken(), { ...session(), oidcProviderArn: mistyped }));
        expect(error.details).toMatchObject({ code: 'AuthenticationFail.NoPermission', status: 401 });
        expect(error.message).toContain('No such OIDC Provider registered.');
        expect(error.kind).toBe('input');
        expect(error.hint).toContain('`oidc-provider-arn`');
        expect(error.hint).toContain("the provider must exist in the role's account");
        expect(error.hint).not.toMatch(/trust policy/i);
      }
      // The same code for a provider the role does not trust keeps the trust-policy hint.
      const other = (await em.addOidcProvider({ accountId: ACCOUNT, name: 'untrusted' })).arn;
      const untrusted = await actionError(assumeRoleWithOidc(settings, await em.mintToken(), { ...session(), oidcProviderArn: other }));
      expect(untrusted.details.code).toBe('AuthenticationFail.NoPermission');
      expect(untrusted.kind).toBe('trust');
      expect(untrusted.hint).toMatch(/trust policy/);
    });

    it('marks an expired token retryable (a fresh one may work)', async () => {
      const token = await em.mintToken({ expiresInSeconds: -60 });
      const error = await actionError(assumeRoleWithOidc(settings, token, { ...session(), oidcProviderArn: providerArn }));
      expect(error.details.code).toBe('AuthenticationFail.OIDCToken.Expired');
      expect(error.retryable).toBe(true);
    });
  });

  describe("what goes over the wire (seen by a server of the test's own)", () => {
    let server: Server;
    let seen: { method?: string; url?: string; headers: IncomingHttpHeaders; body: string }[];
    let wire: StsSettings;
    beforeAll(async () => {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
          res.writeHead(400, { 'content-type': 'application/json' }).end('{"Code":"Seen","RequestId":"R"}');
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      wire = { ...settings, endpoint: { host: `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, protocol: 'http' } };
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));
    beforeEach(() => {
      seen = [];
    });

    it('AssumeRoleWithOIDC: the token in a form body, never in the URL', async () => {
      const token = await em.mintToken();
      await actionError(assumeRoleWithOidc(wire, token, { ...session(), oidcProviderArn: providerArn }));
      const [req] = seen;
      expect(req).toMatchObject({ method: 'POST', url: '/' });
      expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(new URLSearchParams(req.body).get('OIDCToken')).toBe(token);
      expect(new URLSearchParams(req.body).get('Action')).toBe('AssumeRoleWithOIDC');
      expect(req.headers.authorization).toBeUndefined();
    });

    it('AssumeRole: signed headers, the parameters in the query, an empty body', async () => {
      await actionError(assumeRole(wire, user, session()));
      const [req] = seen;
      expect(req.method).toBe('POST');
      expect(Object.fromEntries(new URL(req.url!, 'http://x').searchParams)).toEqual({
        RoleArn: roleArn,
        RoleSessionName: 'module-test',
        DurationSeconds: '3600',
      });
      expect(req.body).toBe('');
      expect(req.headers).toMatchObject({ 'x-acs-action': 'AssumeRole', 'x-acs-version': '2015-04-01', 'x-acs-content-sha256': EMPTY_SHA256 });
      expect(req.headers.authorization).toMatch(new RegExp(`^ACS3-HMAC-SHA256 Credential=${user.accessKeyId},`));
      expect(JSON.stringify(req)).not.toContain(user.accessKeySecret);
    });
  });

  describe('errors', () => {
    it('Throttling.User: throttled, retryable, with the RequestId', async () => {
      await em.queueFault('AssumeRole', { kind: 'throttle' });
      const error = await actionError(assumeRole(settings, user, session()));
      expect(error.kind).toBe('throttled');
      expect(error.retryable).toBe(true);
      expect(error.details).toMatchObject({ code: 'Throttling.User', status: 400 });
      expect(error.details.requestId).toMatch(/^[0-9A-F-]{36}$/);
      expect(error.message).toMatch(/^AssumeRole failed: Throttling\.User: /);
    });

    it.each([
      ['html502', { kind: 'html502' } as const, 502],
      ['truncated', { kind: 'truncated' } as const, 200],
      ['status 503', { kind: 'status', status: 503 } as const, 503],
    ])('%s: a retryable server error', async (_what, fault, status) => {
      await em.queueFault('sts', fault);
      const error = await actionError(getCallerIdentity(settings, user));
      expect(error.kind).toBe('server');
      expect(error.retryable).toBe(true);
      expect(error.details.status).toBe(status);
    });

    it('NoPermission from the trust policy (an untrusted account): trust', async () => {
      const foreign = (await em.addRole({ accountId: OTHER_ACCOUNT, name: 'foreign' })).arn;
      const error = await actionError(assumeRole(settings, user, { roleArn: foreign, sessionName: 'x1', durationSeconds: 900 }));
      expect(error.kind).toBe('trust');
      expect(error.details).toMatchObject({ code: 'NoPermission', status: 403 });
      expect(error.retryable).toBe(false);
    });

    it('NoPermission from the identity policy (a user who may not assume roles): permission', async () => {
      const limited = await em.addUser({ accountId: ACCOUNT, name: 'limited', canAssumeRole: false });
      const error = await actionError(assumeRole(settings, limited, session()));
      expect(error.kind).toBe('permission');
      expect(error.details.code).toBe('NoPermission');
    });

    it('InvalidAccessKeyId.NotFound and SignatureDoesNotMatch: credentials, and no key material in the message', async () => {
      const unknown = { accessKeyId: 'LTAI0000000000000000', accessKeySecret: 'NoSuchSecret000' };
      const notFound = await actionError(getCallerIdentity(settings, unknown));
      expect(notFound.kind).toBe('credentials');
      expect(notFound.details.code).toBe('InvalidAccessKeyId.NotFound');
      const wrongSecret = await actionError(getCallerIdentity(settings, { ...user, accessKeySecret: 'WrongSecret000' }));
      expect(wrongSecret.kind).toBe('credentials');
      expect(wrongSecret.details.code).toBe('SignatureDoesNotMatch');
      expect(`${wrongSecret.message} ${wrongSecret.hint}`).not.toContain('WrongSecret000');
    });

    it('a Code and RequestId that are no short tokens are not quoted', async () => {
      const hostile = '::stop-commands::x\nInjected';
      await em.queueFault('AssumeRole', { kind: 'answer', status: 400, body: { Code: hostile, RequestId: hostile, Message: 'm' } });
      const error = await actionError(assumeRole(settings, user, session()));
      expect(error.details.code).toBeUndefined();
      expect(error.details.requestId).toBeUndefined();
      expect(error.message).toBe('AssumeRole failed: HTTP 400: m');
    });

    it.each([
      ['256 KiB', 256 * 1024],
      ['just under the 1 MiB answer cap', (1 << 20) - 512],
    ])('a Message of %s is quoted cut to a few hundred characters, and what is quoted is redacted', async (_size, length) => {
      const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
      const message = `Token ${jwt} is invalid. ${'eyJ'.repeat(length / 3)}`;
      await em.queueFault('AssumeRole', { kind: 'answer', status: 400, body: { Code: 'InvalidParameter', RequestId: 'R1', Message: message } });
      const error = await actionError(assumeRole(settings, user, session()));
      expect(error.message.length).toBeLessThan(400);
      expect(error.message).toBe(`AssumeRole failed: InvalidParameter: Token ${jwt} is invalid. […]`);
      expect(formatFailure(error)).toMatch(/^AssumeRole failed: InvalidParameter: Token \*\*\* is invalid\. \[…\] \(RequestId: R1\)/);
    });

    it('an STS that cannot be reached: network, naming the action', async () => {
      const down = { ...settings, endpoint: { host: `127.0.0.1:${await closedPort()}`, protocol: 'http' as const } };
      const error = await actionError(assumeRole(down, user, session()));
      expect(error.kind).toBe('network');
      expect(error.message).toMatch(/^AssumeRole could not reach STS: ECONNREFUSED/);
      expect(error.hint).toContain('sts-endpoint');
    });

    it('an STS behind a proxy that is down: network, naming the proxy and its variable', async () => {
      const port = await closedPort();
      const restore = setEnv({ ...NO_PROXY_VARIABLES, HTTPS_PROXY: `http://127.0.0.1:${port}` });
      try {
        const remote = { ...settings, endpoint: { host: 'sts.cn-hangzhou.aliyuncs.com', protocol: 'https' as const } };
        const error = await actionError(getCallerIdentity(remote, user));
        expect(error.kind).toBe('network');
        expect(error.message).toMatch(
          new RegExp(`^GetCallerIdentity could not reach STS through the proxy http://127\\.0\\.0\\.1:${port} \\(HTTPS_PROXY\\): ECONNREFUSED`),
        );
        expect(error.hint).toContain('Check that the proxy is up');
      } finally {
        restore();
      }
    });

    it('an STS that never answers: network after the read timeout', async () => {
      await em.queueFault('GetCallerIdentity', { kind: 'stall', ms: 10_000 });
      const error = await actionError(getCallerIdentity({ ...settings, readTimeoutMs: 200 }, user));
      expect(error.kind).toBe('network');
      expect(error.message).toBe('GetCallerIdentity could not reach STS: read timeout: no answer within 200 ms');
    });
  });

  // The Expiration may be quoted: it is quoted only once it has passed the ISO 8601 check, and it is no secret.
  describe('malformed answers: server errors that quote no key, secret or token', () => {
    const good = () => ({
      AccessKeyId: 'STS.GoodKeyId1234',
      AccessKeySecret: 'GoodSecret12345678',
      SecurityToken: 'GoodSecurityToken0123456789',
      Expiration: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
    const answerWith = async (arn: string, credentials: Record<string, string>) => {
      await em.queueFault('AssumeRole', { kind: 'answer', body: { RequestId: 'R', AssumedRoleUser: { Arn: arn }, Credentials: credentials } });
      const error = await actionError(assumeRole(settings, user, session()));
      expect(error.kind).toBe('server');
      for (const name of ['AccessKeyId', 'AccessKeySecret', 'SecurityToken']) {
        if (credentials[name]?.length > 1) expect(`${error.message} ${error.hint}`).not.toContain(credentials[name]);
      }
      return error;
    };

    it('an AssumedRoleUser.Arn that is no role session', async () => {
      const error = await answerWith('acs:ram::123:user/evil\n::add-mask::x', good());
      expect(error.message).toBe('AssumeRole answered with an AssumedRoleUser.Arn that is not the ARN of a role session.');
      expect(error.message).not.toContain('evil');
    });

    it('an Expiration 30 s away', async () => {
      const soon = new Date(Date.now() + 30_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const error = await answerWith(`acs:ram::${ACCOUNT}:role/deploy/s`, { ...good(), Expiration: soon });
      expect(error.message).toMatch(/^AssumeRole answered with credentials that expire at .*, in less than a minute\.$/);
    });

    it("a secret ':' (it would mask every colon of the log)", async () => {
      const error = await answerWith(`acs:ram::${ACCOUNT}:role/deploy/s`, { ...good(), AccessKeySecret: ':' });
      expect(error.message).toBe('AssumeRole answered with credentials that have an AccessKeySecret that is not 8-256 printable characters without spaces.');
    });

    it('no security token', async () => {
      const { SecurityToken: _dropped, ...withoutToken } = good();
      const error = await answerWith(`acs:ram::${ACCOUNT}:role/deploy/s`, withoutToken);
      expect(error.message).toBe('AssumeRole answered with credentials that lack SecurityToken.');
    });
  });
});
