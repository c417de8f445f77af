// Tests of the loopback emulator itself, over real HTTP with the real Alibaba Cloud SDKs: no mocks.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import crypto from 'node:crypto';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import StsModule from '@alicloud/sts20150401';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import CredentialsModule from '@alicloud/credentials';
import { startEmulator } from '../../emulator/server.js';
import { connectEmulator } from '../../emulator/client.js';
import { failure, startCliEmulator } from './helpers.js';
import { codes } from '../../emulator/codes.js';
import type { Emulator, RequestRecord } from '../../emulator/types.js';

const StsClient = StsModule.default;
const Credential = CredentialsModule.default;
const here = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../emulator');

const ACCOUNT = '1234567890123456';
const OTHER_ACCOUNT = '6543210987654321';
const PROVIDER = `acs:ram::${ACCOUNT}:oidc-provider/github`;

type Keys = { accessKeyId: string; accessKeySecret: string; securityToken?: string };

function sts(em: Emulator, keys: Partial<Keys> = {}, extra: Record<string, unknown> = {}) {
  return new StsClient(new $OpenApiUtil.Config({ ...keys, endpoint: em.stsHost, protocol: 'http', readTimeout: 3000, connectTimeout: 3000, ...extra }));
}

type Raw = { status: number; headers: http.IncomingHttpHeaders; text: string; json: () => any };
function raw(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** The documented RPC signature: HMAC-SHA1 over METHOD&%2F&percent(sorted canonical query), key secret + '&'. */
function rpcSignature(params: Record<string, string>, method: string, secret: string) {
  const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const canonical = Object.keys(params)
    .sort()
    .map((k) => `${enc(k)}=${enc(params[k])}`)
    .join('&');
  return crypto
    .createHmac('sha1', `${secret}&`)
    .update(`${method}&${enc('/')}&${enc(canonical)}`)
    .digest('base64');
}
function rpcParams(action: string, accessKeyId: string, extra: Record<string, string> = {}) {
  return {
    Action: action,
    Version: '2015-04-01',
    Format: 'JSON',
    AccessKeyId: accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: crypto.randomUUID(),
    Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ...extra,
  };
}

async function githubToken(em: Emulator, audience = 'sts.aliyuncs.com') {
  // The way @actions/core asks: ACTIONS_ID_TOKEN_REQUEST_URL + '&audience=' + encoded audience, bearer token.
  const res = await raw(`${em.oidcRequestUrl}&audience=${encodeURIComponent(audience)}`, {
    headers: { authorization: `Bearer ${em.oidcRequestToken}`, accept: 'application/json' },
  });
  expect(res.status).toBe(200);
  return res.json().value as string;
}

const seen: RequestRecord[] = [];

describe('emulator', () => {
  let em: Emulator;
  let user: Keys & { arn: string; userId: string };
  let roleArn: string;

  beforeAll(async () => {
    em = await startEmulator();
    user = await em.addUser({ accountId: ACCOUNT, name: 'alice' });
    await em.addOidcProvider({ accountId: ACCOUNT, name: 'github' });
    ({ arn: roleArn } = await em.addRole({
      accountId: ACCOUNT,
      name: 'deployer',
      oidc: { providerArn: PROVIDER, sub: ['repo:octo-org/octo-repo:*'] },
    }));
  });
  afterAll(async () => {
    seen.push(...(await em.requests()));
    await em.close();
  });

  const oidcRequest = (token: string, over: Record<string, unknown> = {}) =>
    new StsModule.AssumeRoleWithOIDCRequest({ roleArn, OIDCProviderArn: PROVIDER, OIDCToken: token, roleSessionName: 'gh-run', ...over });

  describe('@alicloud/sts20150401 (ACS3-HMAC-SHA256)', () => {
    it('GetCallerIdentity with a RAM user key and a root key', async () => {
      const res = await sts(em, user).getCallerIdentity();
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatchObject({
        accountId: ACCOUNT,
        arn: `acs:ram::${ACCOUNT}:user/alice`,
        identityType: 'RAMUser',
        userId: user.userId,
        principalId: user.userId,
      });
      expect(res.body?.requestId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
      const root = await em.addRootKey({ accountId: ACCOUNT });
      const r = await sts(em, root).getCallerIdentity();
      expect(r.body).toMatchObject({ arn: `acs:ram::${ACCOUNT}:root`, identityType: 'Account', accountId: ACCOUNT });
    });

    it('AssumeRole with a user key, then GetCallerIdentity and chained AssumeRole with the STS credentials', async () => {
      const before = Date.now();
      const res = await sts(em, user).assumeRole(new StsModule.AssumeRoleRequest({ roleArn, roleSessionName: 'build-1', durationSeconds: 900 }));
      const body = res.body!;
      expect(body.assumedRoleUser?.arn).toBe(`${roleArn}/build-1`);
      expect(body.assumedRoleUser?.assumedRoleId).toMatch(/^\d+:build-1$/);
      const creds = body.credentials!;
      expect(creds.accessKeyId).toMatch(/^STS\./);
      expect(creds.expiration).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      const exp = Date.parse(creds.expiration!);
      expect(exp).toBeGreaterThanOrEqual(before + 899_000);
      expect(exp).toBeLessThanOrEqual(Date.now() + 901_000);

      const session = { accessKeyId: creds.accessKeyId!, accessKeySecret: creds.accessKeySecret!, securityToken: creds.securityToken! };
      const who = await sts(em, session).getCallerIdentity();
      expect(who.body).toMatchObject({
        accountId: ACCOUNT,
        arn: `acs:ram::${ACCOUNT}:assumed-role/deployer/build-1`,
        identityType: 'AssumedRoleUser',
      });
      expect(who.body?.principalId).toBe(`${who.body?.roleId}:build-1`);

      const { arn: second } = await em.addRole({ accountId: ACCOUNT, name: 'reader' });
      const chained = await sts(em, session).assumeRole(new StsModule.AssumeRoleRequest({ roleArn: second, roleSessionName: 'chained' }));
      expect(chained.body?.assumedRoleUser?.arn).toBe(`${second}/chained`);
      // Default duration 3600 s.
      expect(Date.parse(chained.body!.credentials!.expiration!)).toBeGreaterThan(Date.now() + 3590_000);
    });

    it('AssumeRoleWithOIDC with a token from the GitHub token endpoint', async () => {
      const token = await githubToken(em);
      const res = await sts(em).assumeRoleWithOIDC(oidcRequest(token));
      const body = res.body!;
      expect(body.assumedRoleUser?.arn).toBe(`${roleArn}/gh-run`);
      expect(body.credentials?.accessKeyId).toMatch(/^STS\./);
      expect(body.OIDCTokenInfo).toMatchObject({
        subject: 'repo:octo-org/octo-repo:ref:refs/heads/main',
        issuer: 'https://token.actions.githubusercontent.com',
        clientIds: 'sts.aliyuncs.com',
        verificationInfo: 'Success',
      });
      const reqs = (await em.requests()).filter((r) => r.target === 'AssumeRoleWithOIDC' && r.status === 200);
      expect(reqs.at(-1)).toMatchObject({ auth: 'anonymous', params: { RoleSessionName: 'gh-run', RoleArn: roleArn } });
      expect(reqs.at(-1)?.params).not.toHaveProperty('OIDCToken');
    });

    it('errors surface as ClientError with code, statusCode, data (the JSON body) and the RequestId', async () => {
      const e = await failure(sts(em, { ...user, accessKeySecret: 'wrong-secret' }).getCallerIdentity());
      expect(e.name).toBe('ClientError');
      expect(e.code).toBe('SignatureDoesNotMatch');
      expect(e.statusCode).toBe(400);
      expect(e.data).toMatchObject({ Code: 'SignatureDoesNotMatch', HostId: 'sts.aliyuncs.com' });
      expect(e.data.Message).toContain('server string to sign is:ACS3-HMAC-SHA256\n');
      expect(e.data.Recommend).toContain(e.data.RequestId);
      expect(e.requestId).toBe(e.data.RequestId);
      expect(e.message).toBe(`SignatureDoesNotMatch: code: 400, ${e.data.Message} request id: ${e.data.RequestId}`);

      const unknown = await failure(sts(em, { accessKeyId: 'LTAInotakey', accessKeySecret: 'x' }).getCallerIdentity());
      expect([unknown.code, unknown.statusCode]).toEqual(['InvalidAccessKeyId.NotFound', 404]);
    });

    it('STS keys need their own, unexpired security token; disabled keys are refused', async () => {
      const a = (await sts(em, user).assumeRole(new StsModule.AssumeRoleRequest({ roleArn, roleSessionName: 'sa' }))).body!.credentials!;
      const b = (await sts(em, user).assumeRole(new StsModule.AssumeRoleRequest({ roleArn, roleSessionName: 'sb' }))).body!.credentials!;
      const codeOf = async (keys: Partial<Keys>) => (await failure(sts(em, keys).getCallerIdentity())).code;
      expect(await codeOf({ accessKeyId: a.accessKeyId, accessKeySecret: a.accessKeySecret })).toBe('MissingSecurityToken');
      expect(await codeOf({ accessKeyId: a.accessKeyId, accessKeySecret: a.accessKeySecret, securityToken: b.securityToken })).toBe(
        'InvalidSecurityToken.MismatchWithAccessKey',
      );
      expect(await codeOf({ accessKeyId: a.accessKeyId, accessKeySecret: a.accessKeySecret, securityToken: 'CAISgarbage' })).toBe(
        'InvalidSecurityToken.Malformed',
      );
      expect(await codeOf({ ...user, securityToken: a.securityToken })).toBe('InvalidSecurityToken.MismatchWithAccessKey');

      const k = await em.addUser({ accountId: ACCOUNT, name: 'disabled' });
      await em.setKeyActive({ accessKeyId: k.accessKeyId, active: false });
      const e = await failure(sts(em, k).getCallerIdentity());
      expect([e.code, e.statusCode]).toEqual(['InvalidAccessKeyId.Inactive', 400]);
    });

    it('refuses OIDC tokens with the real AuthenticationFail codes', async () => {
      const cases: [string, Promise<string> | string, string, number, Record<string, unknown>?][] = [
        ['wrong audience', githubToken(em, 'api://other'), 'AuthenticationFail.OIDCToken.AudienceNotMatch', 401],
        ['expired', em.mintToken({ expiresInSeconds: -10 }), 'AuthenticationFail.OIDCToken.Expired', 401],
        ['unknown signing key', em.mintToken({ signWithUnknownKey: true }), 'AuthenticationFail.OIDCToken.InvalidSignature', 401],
        ['other issuer', em.mintToken({ claims: { iss: 'https://evil.example' } }), 'AuthenticationFail.OIDCToken.IssuerNotMatch', 401],
        ['HS256 header', em.mintToken({ header: { alg: 'HS256' } }), 'AuthenticationFail.OIDCToken.Invalid', 401],
        ['not a JWT', 'not-a-jwt', 'AuthenticationFail.OIDCToken.Invalid', 401],
        ['empty', '', 'AuthenticationFail.OIDCToken.Invalid', 401],
        ['untrusted sub', em.mintToken({ claims: { sub: 'repo:evil-org/octo-repo:ref:refs/heads/main' } }), 'NoPermission', 403],
        ['unknown provider', em.mintToken(), 'AuthenticationFail.NoPermission', 401, { OIDCProviderArn: `acs:ram::${ACCOUNT}:oidc-provider/nope` }],
        ['unknown role', em.mintToken(), 'EntityNotExist.Role', 404, { roleArn: `acs:ram::${ACCOUNT}:role/nope` }],
      ];
      const { arn: keyOnlyRole } = await em.addRole({ accountId: ACCOUNT, name: 'no-oidc' });
      cases.push(['role does not trust the provider', em.mintToken(), 'AuthenticationFail.NoPermission', 401, { roleArn: keyOnlyRole }]);
      for (const [what, token, code, status, over] of cases) {
        const e = await failure(sts(em).assumeRoleWithOIDC(oidcRequest(await token, over)));
        expect({ what, code: e.code, status: e.statusCode }).toEqual({ what, code, status });
      }
      const e = await failure(sts(em).assumeRoleWithOIDC(oidcRequest(await em.mintToken({ claims: { sub: 'repo:evil/x:ref:refs/heads/main' } }))));
      expect(e.data.AccessDeniedDetail).toMatchObject({ PolicyType: 'AssumeRolePolicy', NoPermissionType: 'ImplicitDeny' });
      expect(e.accessDeniedDetail).toEqual(e.data.AccessDeniedDetail);
    });

    it('honours aud and iss conditions of the role trust and several providers client IDs', async () => {
      await em.addOidcProvider({ accountId: ACCOUNT, name: 'multi', clientIds: ['sts.aliyuncs.com', 'custom-aud'] });
      const { arn } = await em.addRole({
        accountId: ACCOUNT,
        name: 'aud-bound',
        oidc: { providerArn: `acs:ram::${ACCOUNT}:oidc-provider/multi`, aud: ['custom-aud'], sub: ['repo:octo-org/*'] },
      });
      const req = (token: string) => oidcRequest(token, { roleArn: arn, OIDCProviderArn: `acs:ram::${ACCOUNT}:oidc-provider/multi` });
      expect((await sts(em).assumeRoleWithOIDC(req(await githubToken(em, 'custom-aud')))).body?.OIDCTokenInfo?.clientIds).toBe('custom-aud');
      expect((await failure(sts(em).assumeRoleWithOIDC(req(await githubToken(em, 'sts.aliyuncs.com'))))).code).toBe('NoPermission');
    });

    it('enforces the parameter rules', async () => {
      const { arn: longRole } = await em.addRole({ accountId: ACCOUNT, name: 'long', maxSessionDuration: 43200 });
      const policy = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:GetObject'], Resource: ['*'] }] });
      const cases: [Record<string, unknown>, string | null][] = [
        [{ roleSessionName: 'a' }, 'InvalidParameter.RoleSessionName'],
        [{ roleSessionName: 'x'.repeat(65) }, 'InvalidParameter.RoleSessionName'],
        [{ roleSessionName: 'has space' }, 'InvalidParameter.RoleSessionName'],
        [{ roleSessionName: 'ok.name@x_y-z' }, null],
        [{ roleSessionName: 'x'.repeat(64) }, null],
        [{ roleSessionName: undefined }, 'MissingParameter.RoleSessionName'],
        [{ durationSeconds: 899 }, 'InvalidParameter.DurationSeconds'],
        [{ durationSeconds: 3601 }, 'InvalidParameter.DurationSeconds'],
        [{ durationSeconds: 43200, roleArn: longRole }, null],
        [{ durationSeconds: 43201, roleArn: longRole }, 'InvalidParameter.DurationSeconds'],
        [{ policy: 'not json' }, 'InvalidParameter.PolicyGrammar'],
        [{ policy: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Maybe', Action: '*', Resource: '*' }] }) }, 'InvalidParameter.PolicyGrammar'],
        [{ policy }, null],
        [
          { policy: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'x'.repeat(2100), Resource: '*' }] }) },
          'InvalidParameter.PolicySize',
        ],
        [{ roleArn: 'arn:aws:iam::123:role/x' }, 'InvalidParameter.RoleArn'],
        [{ roleArn: undefined }, 'MissingParameter.RoleArn'],
        [{ roleArn: `acs:ram::${ACCOUNT}:role/DEPLOYER` }, null],
        [{ externalId: 'bad id!' }, 'InvalidParameter.ExternalId'],
      ];
      for (const [over, code] of cases) {
        const p = sts(em, user).assumeRole(new StsModule.AssumeRoleRequest({ roleArn, roleSessionName: 'params', ...over }));
        if (code === null) await expect(p).resolves.toMatchObject({ statusCode: 200 });
        else expect({ over, code: (await failure(p)).code }).toEqual({ over, code });
      }
      // The same rules hold for AssumeRoleWithOIDC.
      const e = await failure(sts(em).assumeRoleWithOIDC(oidcRequest(await em.mintToken(), { durationSeconds: 100 })));
      expect([e.code, e.statusCode]).toEqual(['InvalidParameter.DurationSeconds', 400]);
      expect((await failure(sts(em).assumeRoleWithOIDC(oidcRequest(await em.mintToken(), { OIDCProviderArn: 'nope' })))).code).toBe(
        'InvalidParameter.OIDCProviderArn',
      );
    });

    it('enforces who may assume: trusted accounts, ExternalId, sts:AssumeRole, no root', async () => {
      const { arn: guarded } = await em.addRole({ accountId: ACCOUNT, name: 'guarded', externalId: 'ext-123', trustedAccounts: [ACCOUNT, OTHER_ACCOUNT] });
      const outsider = await em.addUser({ accountId: '1111111111111111', name: 'mallory' });
      const partner = await em.addUser({ accountId: OTHER_ACCOUNT, name: 'bob' });
      const noPerm = await em.addUser({ accountId: ACCOUNT, name: 'limited', canAssumeRole: false });
      const root = await em.addRootKey({ accountId: ACCOUNT });
      const assume = (keys: Keys, over: Record<string, unknown> = {}) =>
        sts(em, keys).assumeRole(new StsModule.AssumeRoleRequest({ roleArn: guarded, roleSessionName: 'x1', externalId: 'ext-123', ...over }));
      expect((await assume(partner)).body?.assumedRoleUser?.arn).toBe(`${guarded}/x1`);
      for (const [keys, over] of [
        [partner, { externalId: 'wrong-ext' }],
        [partner, { externalId: undefined }],
        [outsider, {}],
        [noPerm, {}],
        [root, {}],
      ] as const) {
        const e = await failure(assume(keys, over));
        expect([e.code, e.statusCode]).toEqual(['NoPermission', 403]);
      }
      expect((await failure(assume(root))).data.Message).toBe('Roles may not be assumed by root accounts.');
      expect((await failure(assume(outsider))).accessDeniedDetail).toMatchObject({ PolicyType: 'AssumeRolePolicy', AuthAction: 'sts:AssumeRole' });
    });

    it('verifies the HMAC-SHA1 RPC signature of signatureAlgorithm v2', async () => {
      const res = await sts(em, user, { signatureAlgorithm: 'v2' }).assumeRole(new StsModule.AssumeRoleRequest({ roleArn, roleSessionName: 'rpc-v2' }));
      expect(res.body?.assumedRoleUser?.arn).toBe(`${roleArn}/rpc-v2`);
      const e = await failure(sts(em, { ...user, accessKeySecret: 'nope' }, { signatureAlgorithm: 'v2' }).getCallerIdentity());
      expect(e.code).toBe('SignatureDoesNotMatch');
      expect((await em.requests()).filter((r) => r.params?.RoleSessionName === 'rpc-v2')[0]?.auth).toBe('HMAC-SHA1');
    });
  });

  describe('hand-signed HMAC-SHA1 RPC requests (aliyun CLI, @alicloud/credentials)', () => {
    it('accepts a correctly signed GET and a POST with a form body', async () => {
      const q = rpcParams('GetCallerIdentity', user.accessKeyId);
      const query = new URLSearchParams({ ...q, Signature: rpcSignature(q, 'GET', user.accessKeySecret) });
      const res = await raw(`${em.url}/?${query}`);
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({ Arn: `acs:ram::${ACCOUNT}:user/alice`, IdentityType: 'RAMUser' });

      // As @alicloud/credentials' RAM role provider sends it: common parameters in the query, API ones in the form.
      const common = rpcParams('AssumeRole', user.accessKeyId);
      const form = { RoleArn: roleArn, RoleSessionName: 'rpc-post', DurationSeconds: '900' };
      const signature = rpcSignature({ ...common, ...form }, 'POST', user.accessKeySecret);
      const post = await raw(`${em.url}/?${new URLSearchParams({ ...common, Signature: signature })}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
      expect(post.status).toBe(200);
      expect(post.json().AssumedRoleUser.Arn).toBe(`${roleArn}/rpc-post`);
      expect(post.json().Credentials.AccessKeyId).toMatch(/^STS\./);
    });

    it('refuses a tampered request, a replayed nonce and a stale timestamp', async () => {
      const q = rpcParams('AssumeRole', user.accessKeyId, { RoleArn: roleArn, RoleSessionName: 'signed' });
      const signature = rpcSignature(q, 'GET', user.accessKeySecret);
      const tampered = await raw(`${em.url}/?${new URLSearchParams({ ...q, RoleSessionName: 'tampered', Signature: signature })}`);
      expect(tampered.status).toBe(400);
      expect(tampered.json().Code).toBe('SignatureDoesNotMatch');
      // The message is the one @alicloud/credentials parses.
      expect(tampered.json().Message).toMatch(/^Specified signature is not matched with our calculation\. server string to sign is:GET&%2F&/);

      const ok = await raw(`${em.url}/?${new URLSearchParams({ ...q, Signature: signature })}`);
      expect(ok.status).toBe(200);
      const replay = await raw(`${em.url}/?${new URLSearchParams({ ...q, Signature: signature })}`);
      expect(replay.json().Code).toBe('SignatureNonceUsed');

      const old = rpcParams('GetCallerIdentity', user.accessKeyId, { Timestamp: '2020-01-01T00:00:00Z' });
      const stale = await raw(`${em.url}/?${new URLSearchParams({ ...old, Signature: rpcSignature(old, 'GET', user.accessKeySecret) })}`);
      expect([stale.status, stale.json().Code]).toEqual([400, 'InvalidTimeStamp.Expired']);

      const anon = await raw(`${em.url}/?Action=GetCallerIdentity&Version=2015-04-01&Format=JSON`);
      expect([anon.status, anon.json().Code]).toEqual([400, 'MissingParameter']);
      const unknown = await raw(`${em.url}/?Action=GetFederationToken&Version=2015-04-01`);
      expect([unknown.status, unknown.json().Code]).toEqual([404, 'InvalidAction.NotFound']);
      expect(unknown.headers['x-acs-request-id']).toBe(unknown.json().RequestId);
    });
  });

  describe('GitHub OIDC issuer', () => {
    it('needs the request token, reads audience, defaults it to the owner URL, and publishes its JWKS', async () => {
      expect(em.oidcRequestUrl).toContain('?');
      expect((await raw(`${em.oidcRequestUrl}&audience=x`)).status).toBe(401);
      expect((await raw(`${em.oidcRequestUrl}&audience=x`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      const res = await raw(em.oidcRequestUrl, { headers: { authorization: `Bearer ${em.oidcRequestToken}` } });
      const [h, p, s] = res.json().value.split('.');
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
      expect(claims).toMatchObject({
        aud: 'https://github.com/octo-org',
        repository: 'octo-org/octo-repo',
        iss: 'https://token.actions.githubusercontent.com',
      });
      expect(claims.exp - claims.iat).toBe(300);

      const jwks = (await raw(`${em.url}/oidc/.well-known/jwks`)).json();
      const header = JSON.parse(Buffer.from(h, 'base64url').toString());
      const jwk = jwks.keys.find((k: { kid: string }) => k.kid === header.kid);
      const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
      expect(crypto.verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))).toBe(true);
      expect((await raw(`${em.url}/.well-known/openid-configuration`)).json().jwks_uri).toBe(`${em.url}/oidc/.well-known/jwks`);

      await em.setTokenClaims({ sub: 'repo:octo-org/octo-repo:environment:prod', environment: 'prod' });
      const t = await githubToken(em);
      expect(JSON.parse(Buffer.from(t.split('.')[1], 'base64url').toString())).toMatchObject({
        environment: 'prod',
        sub: 'repo:octo-org/octo-repo:environment:prod',
      });
      await em.setTokenClaims({ sub: 'repo:octo-org/octo-repo:ref:refs/heads/main', environment: null });
      expect(JSON.parse(Buffer.from((await githubToken(em)).split('.')[1], 'base64url').toString())).not.toHaveProperty('environment');
    });

    it('takes setTokenDelay ms to mint a token; refusals answer at once', async () => {
      await em.setTokenDelay(120);
      try {
        let started = performance.now();
        await githubToken(em);
        expect(performance.now() - started).toBeGreaterThanOrEqual(115);
        started = performance.now();
        expect((await raw(em.oidcRequestUrl, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
        expect(performance.now() - started).toBeLessThan(100);
      } finally {
        await em.setTokenDelay(0);
      }
      const started = performance.now();
      await githubToken(em);
      expect(performance.now() - started).toBeLessThan(100);
      await expect(em.setTokenDelay(-1)).rejects.toThrow(/milliseconds/);
      await expect(startEmulator({ tokenDelayMs: Number.NaN })).rejects.toThrow(/tokenDelayMs/);
    });
  });

  describe('credentials URI and ECS metadata service', () => {
    it('serves the credentials-URI shape that @alicloud/credentials reads', async () => {
      const { url } = await em.addCredentialsUri({ accountId: ACCOUNT, roleName: 'prowler' });
      const body = (await raw(url)).json();
      expect(Object.keys(body).sort()).toEqual(['AccessKeyId', 'AccessKeySecret', 'Code', 'Expiration', 'SecurityToken']);
      expect(body.Code).toBe('Success');

      const credential = new Credential(new CredentialsModule.Config({ type: 'credentials_uri', credentialsURI: url }));
      const model = await credential.getCredential();
      expect(model.accessKeyId).toMatch(/^STS\./);
      // The same provider as the STS client's credential: the session works against STS.
      const who = await sts(em, {}, { credential }).getCallerIdentity();
      expect(who.body?.arn).toMatch(new RegExp(`^acs:ram::${ACCOUNT}:assumed-role/prowler/`));
    });

    it('answers the metadata paths on the main listener with IMDSv2 tokens', async () => {
      await em.addInstanceRole({ accountId: ACCOUNT, name: 'EcsRole' });
      const base = `${em.url}/latest`;
      const tok = await raw(`${base}/api/token`, { method: 'PUT', headers: { 'X-aliyun-ecs-metadata-token-ttl-seconds': '21600' } });
      expect(tok.status).toBe(200);
      const h = { 'X-aliyun-ecs-metadata-token': tok.text };
      expect((await raw(`${base}/meta-data/ram/security-credentials/`, { headers: h })).text).toBe('EcsRole');
      const c = (await raw(`${base}/meta-data/ram/security-credentials/EcsRole`, { headers: h })).json();
      expect(c).toMatchObject({ Code: 'Success', AccessKeyId: expect.stringMatching(/^STS\./) });
      expect(c.LastUpdated).toMatch(/Z$/);
      const again = (await raw(`${base}/meta-data/ram/security-credentials/EcsRole`)).json();
      expect(again.AccessKeyId).toBe(c.AccessKeyId);
      const who = await sts(em, { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, securityToken: c.SecurityToken }).getCallerIdentity();
      expect(who.body?.arn).toMatch(/assumed-role\/EcsRole\//);
      expect((await raw(`${base}/meta-data/ram/security-credentials/Nope`, { headers: h })).status).toBe(404);
      expect((await raw(`${base}/meta-data/ram/security-credentials/`, { headers: { 'X-aliyun-ecs-metadata-token': 'forged' } })).status).toBe(401);

      await em.setImds({ mode: 'v2-required' });
      expect((await raw(`${base}/meta-data/ram/security-credentials/`)).status).toBe(403);
      expect((await raw(`${base}/meta-data/ram/security-credentials/`, { headers: h })).status).toBe(200);
      await em.setImds({ mode: 'v1-only' });
      expect((await raw(`${base}/api/token`, { method: 'PUT', headers: { 'X-aliyun-ecs-metadata-token-ttl-seconds': '60' } })).status).toBe(404);
      expect((await raw(`${base}/meta-data/ram/security-credentials/`)).status).toBe(200);
      await em.setImds({ mode: 'v2' });
      const last = (await em.requests()).filter((r) => r.target === 'metadata').at(-1);
      expect(last).toMatchObject({ imdsToken: false, status: 200 });
    });
  });

  describe('faults', () => {
    const gci = () => sts(em, user, { readTimeout: 400 }).getCallerIdentity();

    it('status, throttle, error: Alibaba JSON errors as the SDK classifies them', async () => {
      await em.queueFault('GetCallerIdentity', { kind: 'status', status: 500 });
      await em.queueFault('GetCallerIdentity', { kind: 'status', status: 503 });
      await em.queueFault('sts', { kind: 'throttle' });
      await em.queueFault('GetCallerIdentity', {
        kind: 'error',
        code: 'AuthenticationFail.OIDCToken.PublicKeyFingerprintMismatch',
        status: 401,
        message: 'fingerprint',
      });
      const got = [];
      for (let i = 0; i < 4; i++) {
        const e = await failure(gci());
        got.push([e.name, e.code, e.statusCode]);
      }
      expect(got).toEqual([
        ['ServerError', 'InternalError', 500],
        ['ServerError', 'ServiceUnavailable', 503],
        ['ClientError', 'AuthenticationFail.OIDCToken.PublicKeyFingerprintMismatch', 401],
        // The catch-all 'sts' queue is consulted after the action's own.
        ['ThrottlingError', 'Throttling.User', 400],
      ]);
      await expect(gci()).resolves.toMatchObject({ statusCode: 200 });
    });

    it('html502, truncated, reset and stall fail below the SDK error classes', async () => {
      await em.queueFault('GetCallerIdentity', { kind: 'html502' });
      const html = await failure(gci());
      expect(html).toBeInstanceOf(SyntaxError); // the SDK parses every 4xx/5xx body as JSON
      await em.queueFault('GetCallerIdentity', { kind: 'truncated' });
      expect(await failure(gci())).toBeInstanceOf(SyntaxError);
      await em.queueFault('GetCallerIdentity', { kind: 'reset' });
      expect((await failure(gci())).code).toBe('ECONNRESET');
      await em.queueFault('GetCallerIdentity', { kind: 'stall', ms: 5000 });
      // The stall lasts 5 s: only the SDK's own read timeout ends it with this error.
      const stalled = await failure(gci());
      expect(stalled.name).toBe('RequestTimeoutError');
      await expect(gci()).resolves.toMatchObject({ statusCode: 200 });
      const faulted = (await em.requests()).filter((r) => r.fault).slice(-4);
      expect(faulted.map((r) => [r.fault, r.status])).toEqual([
        ['html502', 502],
        ['truncated', 200],
        ['reset', 0],
        ['stall', 0],
      ]);
    });

    it('a network error of AssumeRoleWithOIDC repeats the OIDC token in the SDK message (redact it)', async () => {
      const token = await em.mintToken();
      await em.queueFault('AssumeRoleWithOIDC', { kind: 'reset' });
      const e = await failure(sts(em).assumeRoleWithOIDC(oidcRequest(token)));
      expect(e.message).toContain(encodeURIComponent(token).slice(0, 40));
    });

    it('apply to the token endpoint, the metadata service and credentials URIs, in order and count', async () => {
      await em.queueFault('oidc-token', { kind: 'status', status: 502 }, 2);
      await em.queueFault('oidc-token', { kind: 'truncated' });
      const auth = { authorization: `Bearer ${em.oidcRequestToken}` };
      expect((await raw(em.oidcRequestUrl, { headers: auth })).status).toBe(502);
      expect((await raw(em.oidcRequestUrl, { headers: auth })).status).toBe(502);
      const cut = await raw(em.oidcRequestUrl, { headers: auth });
      expect(cut.status).toBe(200);
      expect(() => cut.json()).toThrow(SyntaxError);
      expect((await raw(em.oidcRequestUrl, { headers: auth })).status).toBe(200);

      await em.queueFault('metadata', { kind: 'throttle' });
      expect((await raw(`${em.url}/latest/meta-data/ram/security-credentials/`)).status).toBe(429);
      await em.queueFault('metadata', { kind: 'reset' });
      await expect(raw(`${em.url}/latest/meta-data/ram/security-credentials/`)).rejects.toMatchObject({ code: 'ECONNRESET' });

      const { url } = await em.addCredentialsUri({ accountId: ACCOUNT, roleName: 'prowler', path: '/creds/fixed' });
      expect(url).toBe(`${em.url}/creds/fixed`);
      await em.queueFault('credentials-uri', { kind: 'html502' });
      const page = await raw(url);
      expect([page.status, page.headers['content-type']]).toEqual([502, 'text/html']);
      expect((await raw(url)).json().Code).toBe('Success');
      await expect(em.queueFault('nope' as never, { kind: 'reset' })).rejects.toThrow(/target/);
    });
  });

  it('keeps a request log and knows every secret it issued', async () => {
    const all = await em.requests();
    expect(all.every((r) => typeof r.time === 'number' && r.target !== undefined)).toBe(true);
    expect(all.some((r) => r.path.startsWith('/__emulator'))).toBe(false);
    const secrets = await em.secrets();
    expect(secrets).toContain(user.accessKeySecret);
    expect(secrets).toContain(em.oidcRequestToken);
    expect(secrets).not.toContain(user.accessKeyId);
    const token = await githubToken(em);
    expect(await em.secrets()).toContain(token);
    seen.push(...all);
    await em.resetRequests();
    expect(await em.requests()).toEqual([]);
  });
});

describe('timeScale', () => {
  it('compresses session and token lifetimes, and Expiration says so', async () => {
    const em = await startEmulator({ timeScale: 1 / 900 });
    try {
      const u = await em.addUser({ accountId: ACCOUNT, name: 'u' });
      await em.addOidcProvider({ accountId: ACCOUNT, name: 'github' });
      const { arn } = await em.addRole({ accountId: ACCOUNT, name: 'r', oidc: { providerArn: PROVIDER } });
      const before = Date.now();
      const c = (await sts(em, u).assumeRole(new StsModule.AssumeRoleRequest({ roleArn: arn, roleSessionName: 'short', durationSeconds: 900 }))).body!
        .credentials!;
      const exp = Date.parse(c.expiration!);
      expect(exp).toBeGreaterThanOrEqual(before + 1000);
      expect(exp).toBeLessThanOrEqual(Date.now() + 2000);
      const token = await githubToken(em); // 300 s * 1/900 -> 1 s
      const session = { accessKeyId: c.accessKeyId!, accessKeySecret: c.accessKeySecret!, securityToken: c.securityToken! };
      await new Promise((r) => setTimeout(r, Math.max(0, exp - Date.now()) + 50));
      const e = await failure(sts(em, session).getCallerIdentity());
      expect([e.code, e.statusCode]).toEqual(['InvalidSecurityToken.Expired', 400]);
      const o = await failure(
        sts(em).assumeRoleWithOIDC(
          new StsModule.AssumeRoleWithOIDCRequest({ roleArn: arn, OIDCProviderArn: PROVIDER, OIDCToken: token, roleSessionName: 'late' }),
        ),
      );
      expect(o.code).toBe('AuthenticationFail.OIDCToken.Expired');
      seen.push(...(await em.requests()));
    } finally {
      await em.close();
    }
  });

  it('close() ends keep-alive connections at once', async () => {
    const em = await startEmulator({ keepAliveTimeoutMs: 60_000 });
    const u = await em.addUser({ accountId: ACCOUNT, name: 'u' });
    await sts(em, u).getCallerIdentity(); // leaves an idle keep-alive socket in the SDK's agent
    const started = Date.now();
    await em.close();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('tls', () => {
  it("serves @alicloud/credentials' https-only STS providers (their HMAC-SHA1 requests) and the SDK over HTTPS", async () => {
    const em = await startEmulator({ tls: true });
    try {
      expect(em.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const u = await em.addUser({ accountId: ACCOUNT, name: 'u' });
      await em.addOidcProvider({ accountId: ACCOUNT, name: 'github' });
      const { arn } = await em.addRole({ accountId: ACCOUNT, name: 'r', oidc: { providerArn: PROVIDER } });
      const ca = readFileSync(em.caFile!, 'utf8');
      const who = await sts(em, u, { protocol: 'https', ca }).getCallerIdentity();
      expect(who.body?.arn).toBe(`acs:ram::${ACCOUNT}:user/u`);

      const dir = mkdtempSync(path.join(tmpdir(), 'emulator-'));
      const tokenFile = path.join(dir, 'token');
      writeFileSync(tokenFile, await em.mintToken());
      const script = `
        import C from '@alicloud/credentials';
        const [host, ak, secret, roleArn, providerArn, tokenFile] = process.argv.slice(1);
        const viaKeys = new C.default(new C.Config({ type: 'ram_role_arn', accessKeyId: ak, accessKeySecret: secret, roleArn, roleSessionName: 'cred-lib', stsEndpoint: host }));
        const viaOidc = new C.default(new C.Config({ type: 'oidc_role_arn', roleArn, oidcProviderArn: providerArn, oidcTokenFilePath: tokenFile, roleSessionName: 'cred-oidc', stsEndpoint: host }));
        const a = await viaKeys.getCredential();
        const b = await viaOidc.getCredential();
        console.log(JSON.stringify([a.accessKeyId, b.accessKeyId]));`;
      const out = await new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script, em.stsHost, u.accessKeyId, u.accessKeySecret, arn, PROVIDER, tokenFile], {
          cwd: path.resolve(here, '..'),
          env: { ...process.env, NODE_EXTRA_CA_CERTS: em.caFile },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c));
        child.stderr.on('data', (c: Buffer) => (stderr += c));
        child.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`exit ${code}: ${stderr}`))));
      });
      const [a, b] = JSON.parse(out);
      expect(a).toMatch(/^STS\./);
      expect(b).toMatch(/^STS\./);
      const reqs = (await em.requests()).filter((r) => r.target === 'AssumeRole' || r.target === 'AssumeRoleWithOIDC');
      expect(reqs.map((r) => [r.target, r.auth, r.status, r.params?.RoleSessionName])).toEqual([
        ['AssumeRole', 'HMAC-SHA1', 200, 'cred-lib'],
        ['AssumeRoleWithOIDC', 'anonymous', 200, 'cred-oidc'],
      ]);
      seen.push(...(await em.requests()));
    } finally {
      await em.close();
    }
  });
});

describe('cli.js and client.js', () => {
  it('runs the emulator in a child process that client.js controls', async () => {
    const { child, started } = await startCliEmulator(
      {
        users: [{ accountId: ACCOUNT, name: 'ci' }],
        oidcProviders: [{ accountId: ACCOUNT, name: 'github' }],
        roles: [{ accountId: ACCOUNT, name: 'deployer', oidc: { providerArn: PROVIDER, sub: ['repo:octo-org/*'] } }],
        credentialsUris: [{ accountId: ACCOUNT, roleName: 'deployer' }],
        instanceRoles: [{ accountId: ACCOUNT, name: 'EcsRole' }],
      },
      ['--time-scale', '1/2'],
    );
    try {
      expect(started).toMatchObject({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), oidcRequestUrl: expect.stringContaining('?') });
      expect(started.created.roles[0].arn).toBe(`acs:ram::${ACCOUNT}:role/deployer`);
      const [ci] = started.created.users;

      const remote = await connectEmulator(started.url);
      expect(remote.stsHost).toBe(started.stsHost);
      const who = await sts(remote, ci).getCallerIdentity();
      expect(who.body?.arn).toBe(`acs:ram::${ACCOUNT}:user/ci`);
      const c = (
        await sts(remote, ci).assumeRole(
          new StsModule.AssumeRoleRequest({ roleArn: started.created.roles[0].arn, roleSessionName: 'x1', durationSeconds: 1000 }),
        )
      ).body!.credentials!;
      // --time-scale 1/2: 1000 s last 500 s.
      expect(Math.abs(Date.parse(c.expiration!) - Date.now() - 500_000)).toBeLessThan(2000);

      const extra = await remote.addUser({ accountId: OTHER_ACCOUNT, name: 'remote' });
      expect((await sts(remote, extra).getCallerIdentity()).body?.accountId).toBe(OTHER_ACCOUNT);
      await remote.queueFault('GetCallerIdentity', { kind: 'throttle' });
      expect((await failure(sts(remote, extra).getCallerIdentity())).code).toBe('Throttling.User');
      const token = await githubToken(remote);
      expect(await remote.secrets()).toContain(token);
      expect((await raw(started.created.credentialsUris[0].url)).json().Code).toBe('Success');
      const reqs = await remote.requests();
      expect(reqs.map((r) => r.target)).toEqual(['GetCallerIdentity', 'AssumeRole', 'GetCallerIdentity', 'GetCallerIdentity', 'oidc-token', 'credentials-uri']);
      await expect(remote.addUser({ accountId: 'abc', name: 'x' } as never)).rejects.toThrow(/accountId/);
      seen.push(...reqs);

      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('stops when close() is called through the admin API', async () => {
    const child = spawn(process.execPath, [path.join(here, 'cli.js'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await new Promise<string>((resolve) => child.stdout.once('data', (c: Buffer) => resolve(c.toString())));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await (await connectEmulator(JSON.parse(line).url)).close();
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

describe('codes.js', () => {
  it('lists every code the suite saw, once, with its status', () => {
    const listed = new Map(codes.map((c) => [c.code, c.status]));
    expect(listed.size).toBe(codes.length);
    const stsTargets = new Set(['AssumeRole', 'AssumeRoleWithOIDC', 'GetCallerIdentity', 'sts']);
    const answered = seen.filter((r) => stsTargets.has(r.target) && r.code && r.status >= 400 && r.fault !== 'html502');
    expect(answered.length).toBeGreaterThan(30);
    for (const r of answered) expect({ code: r.code, status: listed.get(r.code!) }).toEqual({ code: r.code, status: r.status });
  });
});
