// src/acs.ts: the ACS3-HMAC-SHA256 signature next to the one Alibaba's SDK (@alicloud/openapi-core, what
// @alicloud/sts20150401 and @alicloud/resourcemanager20200331 run on) computes for the same request, for both
// products that the action calls, and the fields of an error answer.

import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import OpenApiUtils from '@alicloud/openapi-core/dist/utils.js';
import { errorFields, signRequest } from '../../src/acs.js';
import type { Endpoint } from '../../src/config.js';
import type { Credentials } from '../../src/credentials.js';

const SdkUtils = OpenApiUtils.default;
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');
const NOW = new Date('2026-04-23T10:00:00.123Z');
const NONCE = '3f2b9c4e-6a1d-4e8f-9b7a-0c5d2e1f4a6b';
const PERMANENT: Credentials = { accessKeyId: 'LTAI5tExampleKeyId01', accessKeySecret: 'ExampleSecret/With+Symbols=' };
const SESSION: Credentials = { ...PERMANENT, accessKeyId: 'STS.NTExampleSessionKey', securityToken: 'CAIS-example-security-token/+=' };
const STS = '2015-04-01';
const RESOURCE_MANAGER = '2020-03-31';
const QUERY = {
  RoleArn: 'acs:ram::1234567890123456:role/deploy',
  RoleSessionName: 'gha-42-octo-org-repo',
  DurationSeconds: '3600',
  // Characters that encodeURIComponent leaves alone and RFC 3986 does not: ! ' ( ) *, and a space.
  Policy: '{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:Get*","Resource":"acs:oss:*:*:bucket/(a) it\'s!~"}]}',
  ExternalId: 'a=b,c.d@e:f/g_h-i',
  SourceIdentity: 'octocat+ci=1,a.b@c-d_e',
};
const endpoint = (host: string, protocol: Endpoint['protocol'] = 'https'): Endpoint => ({ host, protocol });

/**
 * The Authorization header @alicloud/openapi-core computes for the same request, built the way its doRequest builds
 * an RPC request: these headers, the API parameters in the query, an empty body. (Its credential client also adds
 * an x-acs-credentials-provider header; static keys name none.)
 */
function sdkAuthorization(credentials: Credentials, query: Record<string, string>, version: string, action: string, host: string): string {
  const headers: Record<string, string> = {
    host,
    'x-acs-version': version,
    'x-acs-action': action,
    'user-agent': 'AlibabaCloud (linux; x64) Node.js/v20 Core/1.0.8 TeaDSL/2',
    'x-acs-date': '2026-04-23T10:00:00Z',
    'x-acs-signature-nonce': NONCE,
    accept: 'application/json',
    'x-acs-content-sha256': EMPTY_SHA256,
  };
  if (credentials.securityToken) {
    headers['x-acs-accesskey-id'] = credentials.accessKeyId;
    headers['x-acs-security-token'] = credentials.securityToken;
  }
  const request = { pathname: '/', method: 'POST', query, headers };
  return SdkUtils.getAuthorization(request as never, 'ACS3-HMAC-SHA256', EMPTY_SHA256, credentials.accessKeyId, credentials.accessKeySecret);
}

describe('signRequest', () => {
  it.each([
    ['STS AssumeRole', 'permanent keys', PERMANENT, STS, 'AssumeRole', QUERY, 'sts.cn-hangzhou.aliyuncs.com'],
    ['STS AssumeRole', 'STS credentials', SESSION, STS, 'AssumeRole', QUERY, 'sts.cn-hangzhou.aliyuncs.com'],
    ['STS GetCallerIdentity (no parameters)', 'STS credentials', SESSION, STS, 'GetCallerIdentity', {}, '127.0.0.1:8443'],
    [
      'ResourceManager ListAccounts',
      'STS credentials',
      SESSION,
      RESOURCE_MANAGER,
      'ListAccounts',
      { PageSize: '100', PageNumber: '3' },
      'resourcemanager.aliyuncs.com',
    ],
    [
      'ResourceManager ListAccountsForParent',
      'permanent keys',
      PERMANENT,
      RESOURCE_MANAGER,
      'ListAccountsForParent',
      { ParentFolderId: 'fd-AbC123xyz', PageSize: '100', PageNumber: '1' },
      'resourcemanager.aliyuncs.com',
    ],
  ])('signs %s with %s exactly as the SDK does', (_call, _keys, credentials, version, action, query, host) => {
    const signed = signRequest({ version, action, query }, endpoint(host), credentials, NOW, NONCE);
    expect(signed.headers.authorization).toBe(sdkAuthorization(credentials, query, version, action, host));
    expect(signed.headers.authorization).toMatch(
      new RegExp(`^ACS3-HMAC-SHA256 Credential=${credentials.accessKeyId},SignedHeaders=host;\\S+,Signature=[0-9a-f]{64}$`),
    );
    expect(signed.headers.authorization.includes('x-acs-security-token')).toBe(Boolean(credentials.securityToken));
    expect(signed.headers).toMatchObject({ 'x-acs-action': action, 'x-acs-version': version });
  });

  it('sends the query it signed, RFC 3986-encoded, and the security token only in a header', () => {
    const signed = signRequest({ version: STS, action: 'AssumeRole', query: QUERY }, endpoint('sts.aliyuncs.com'), SESSION, NOW, NONCE);
    const url = new URL(signed.url);
    expect(Object.fromEntries(url.searchParams)).toEqual(QUERY);
    expect(url.search).toContain('%28a%29%20it%27s%21~');
    expect(signed.url).not.toContain(SESSION.securityToken);
    expect(signed.headers).toMatchObject({
      'x-acs-date': '2026-04-23T10:00:00Z',
      'x-acs-signature-nonce': NONCE,
      'x-acs-security-token': SESSION.securityToken,
    });
    expect(
      signRequest({ version: STS, action: 'AssumeRole', query: QUERY }, endpoint('sts.aliyuncs.com'), PERMANENT, NOW, NONCE).headers['x-acs-security-token'],
    ).toBeUndefined();
    expect(signRequest({ version: STS, action: 'GetCallerIdentity', query: {} }, endpoint('127.0.0.1:8443', 'http'), SESSION, NOW, NONCE).url).toBe(
      'http://127.0.0.1:8443/',
    );
  });

  it('changes the signature with the secret, the date, the nonce and the version', () => {
    const call = { version: STS, action: 'AssumeRole', query: QUERY };
    const sts = endpoint('sts.aliyuncs.com');
    const base = signRequest(call, sts, PERMANENT, NOW, NONCE).headers.authorization;
    const signatures = [
      signRequest(call, sts, { ...PERMANENT, accessKeySecret: 'AnotherSecret1' }, NOW, NONCE),
      signRequest(call, sts, PERMANENT, new Date('2026-04-23T10:00:01Z'), NONCE),
      signRequest(call, sts, PERMANENT, NOW, `${NONCE.slice(0, -1)}c`),
      signRequest({ ...call, version: RESOURCE_MANAGER }, sts, PERMANENT, NOW, NONCE),
    ].map((signed) => signed.headers.authorization);
    for (const signature of signatures) expect(signature).not.toBe(base);
  });
});

describe('errorFields', () => {
  it('quotes a Code and a RequestId only when they are short tokens', () => {
    expect(errorFields({ Code: 'Throttling.User', RequestId: 'ABCD-1234', Message: 'Request was denied.' })).toEqual({
      code: 'Throttling.User',
      requestId: 'ABCD-1234',
      message: 'Request was denied.',
    });
    expect(errorFields({ Code: '::error::x', RequestId: 'a b', Message: 42 })).toEqual({ code: undefined, requestId: undefined, message: '' });
    expect(errorFields({ Code: 'x'.repeat(129) }).code).toBeUndefined();
  });
});
