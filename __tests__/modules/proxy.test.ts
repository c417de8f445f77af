// src/proxy.ts: which proxy a request goes through. Pure: the environment is a value here.

import { describe, expect, it } from '@jest/globals';
import { METADATA_HOST, ProxySettingError, proxyFor, proxySecrets } from '../../src/proxy.js';

const HTTPS = new URL('https://sts.cn-hangzhou.aliyuncs.com/');
const HTTP = new URL('http://broker.internal:8080/credentials');

describe('proxyFor', () => {
  it('takes HTTPS_PROXY for https, and refuses plain http that HTTP_PROXY would send through a proxy', () => {
    const env = { HTTPS_PROXY: 'http://secure-proxy:3128', HTTP_PROXY: 'http://plain-proxy:8080' };
    expect(proxyFor(HTTPS, env)).toEqual({
      host: 'secure-proxy',
      port: 3128,
      authorization: undefined,
      display: 'http://secure-proxy:3128',
      variable: 'HTTPS_PROXY',
    });
    expect(proxyFor(HTTPS, { HTTP_PROXY: 'http://plain-proxy:8080' })).toBeUndefined();
    expect(proxyFor(HTTP, { HTTPS_PROXY: 'http://secure-proxy:3128' })).toBeUndefined();
    expect(proxyFor(HTTPS, {})).toBeUndefined();
    // Every plain-http request of the action carries a secret (a credentials URI's answer, a bearer token): a proxy
    // would read it, and could answer in its place. Refused before anything is sent; NO_PROXY sends it direct.
    let error: unknown;
    try {
      proxyFor(HTTP, env);
    } catch (e) {
      error = e;
    }
    if (!(error instanceof ProxySettingError)) throw new Error('expected a ProxySettingError');
    expect(error.message).toBe('plain http to broker.internal would pass through the proxy of HTTP_PROXY in the clear.');
    expect(error.hint).toBe('List the host in NO_PROXY (the runner then reaches it directly), or use https.');
    expect(() => proxyFor(HTTP, { http_proxy: 'http://plain-proxy:8080' })).toThrow(/of http_proxy in the clear/);
    expect(proxyFor(HTTP, { ...env, NO_PROXY: 'broker.internal' })).toBeUndefined();
  });

  it('prefers the lower-case variable, and falls back to the upper-case one when it is empty', () => {
    expect(proxyFor(HTTPS, { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' })).toMatchObject({ host: 'lower', variable: 'https_proxy' });
    expect(proxyFor(HTTPS, { https_proxy: '', HTTPS_PROXY: 'http://upper:2' })).toMatchObject({ host: 'upper', variable: 'HTTPS_PROXY' });
  });

  it('reads a proxy without a scheme as http://, port 80 by default', () => {
    expect(proxyFor(HTTPS, { HTTPS_PROXY: 'proxy.corp:3128' })).toMatchObject({ host: 'proxy.corp', port: 3128, display: 'http://proxy.corp:3128' });
    expect(proxyFor(HTTPS, { HTTPS_PROXY: 'http://proxy.corp' })).toMatchObject({ port: 80, display: 'http://proxy.corp' });
    expect(proxyFor(HTTPS, { HTTPS_PROXY: 'http://[fd00::1]:3128' })).toMatchObject({ host: 'fd00::1', port: 3128 });
  });

  it('builds Basic credentials from the URL, percent-decoded, and never shows them in display', () => {
    const proxy = proxyFor(HTTPS, { HTTPS_PROXY: 'http://ci%40corp:p%3Ass%40rd@proxy.corp:3128' });
    expect(proxy?.authorization).toBe(`Basic ${Buffer.from('ci@corp:p:ss@rd').toString('base64')}`);
    expect(proxy?.display).toBe('http://proxy.corp:3128');
  });

  it.each([
    ['*', true],
    ['sts.cn-hangzhou.aliyuncs.com', true],
    ['aliyuncs.com', true],
    ['.aliyuncs.com', true],
    ['*.aliyuncs.com', true],
    ['STS.CN-HANGZHOU.ALIYUNCS.COM', true],
    ['sts.cn-hangzhou.aliyuncs.com:443', true],
    ['sts.cn-hangzhou.aliyuncs.com:8443', false],
    ['example.com, aliyuncs.com', true],
    ['cs.com', false],
    ['hangzhou.aliyuncs', false],
    ['', false],
    [' , ', false],
  ])('NO_PROXY=%j bypasses https://sts.cn-hangzhou.aliyuncs.com: %s', (noProxy, bypassed) => {
    const env = { HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: noProxy };
    expect(proxyFor(HTTPS, env) === undefined).toBe(bypassed);
  });

  it('matches NO_PROXY host:port against the default port of the scheme, and reads no_proxy first', () => {
    const https = (url: string, noProxy: Record<string, string>) => proxyFor(new URL(url), { HTTPS_PROXY: 'http://p:1', ...noProxy });
    expect(https('https://broker.internal/', { NO_PROXY: 'broker.internal:443' })).toBeUndefined();
    expect(https('https://broker.internal:8443/', { NO_PROXY: 'broker.internal:443' })).toBeDefined();
    expect(https('https://broker.internal/', { no_proxy: 'broker.internal', NO_PROXY: 'other' })).toBeUndefined();
  });

  // What curl does (lib/noproxy.c, Curl_check_noproxy; the NO_PROXY section of curl's manual page): names match
  // themselves and their subdomains, with a leading dot and trailing dots ignored; an IP address matches an address
  // or a CIDR range, IPv6 written with or without brackets, and never a name's tail; entries are separated by
  // commas or blanks. Beyond curl (as the runner's own @actions/http-client): `*` among other entries, `*.` for a
  // leading dot, and an entry's `:port`.
  it.each([
    // names
    ['https://aliyuncs.com/', '.aliyuncs.com', true],
    ['https://sts.aliyuncs.com./', 'aliyuncs.com', true],
    ['https://sts.aliyuncs.com/', 'aliyuncs.com.', true],
    ['https://sts.aliyuncs.com./', '.aliyuncs.com.', true],
    ['https://notaliyuncs.com/', 'aliyuncs.com', false],
    ['https://sts.aliyuncs.com/', 'example.com aliyuncs.com', true],
    ['https://sts.aliyuncs.com/', 'example.com,,\taliyuncs.com', true],
    // IPv4
    ['https://10.1.2.3/', '10.1.2.3', true],
    ['https://10.1.2.3/', '10.0.0.0/8', true],
    ['https://10.1.2.3/', '10.1.2.0/24', true],
    ['https://10.1.2.3/', '10.1.2.3/32', true],
    ['https://10.1.3.3/', '10.1.2.0/24', false],
    ['https://11.1.2.3/', '10.0.0.0/8', false],
    ['https://10.1.2.3/', '1.2.3', false],
    ['https://10.1.2.3/', '.1.2.3', false],
    ['https://10.1.2.3/', '10.1.2.3:443', true],
    ['https://10.1.2.3/', '10.1.2.3:8443', false],
    ['https://10.1.2.3/', '10.0.0.0/33', false],
    ['https://10.1.2.3/', 'fd00::/8', false],
    // IPv6
    ['https://[fd00::9]/', 'fd00::9', true],
    ['https://[fd00::9]/', '[fd00::9]', true],
    ['https://[fd00::9]/', 'fd00::/16', true],
    ['https://[fd00::9]/', '[fd00::]/16', true],
    ['https://[fd00::9]/', 'fd00:0:0:0:0:0:0:9/128', true],
    ['https://[fd00::9]/', 'fd00::/7', true],
    ['https://[fd00::9]/', 'fc00::/8', false],
    ['https://[fd00::9]/', 'fd01::/16', false],
    ['https://[fd00::9]/', '[fd00::9]:443', true],
    ['https://[fd00::9]/', '10.0.0.0/8', false],
    ['https://[::ffff:10.1.2.3]/', '10.0.0.0/8', false],
  ])('%s with NO_PROXY=%j: bypassed %s', (url, noProxy, bypassed) => {
    const env = { HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: noProxy };
    expect(proxyFor(new URL(url), env) === undefined).toBe(bypassed);
  });

  it('a plain-http address in a NO_PROXY range goes direct; outside it, it is refused', () => {
    const env = { HTTP_PROXY: 'http://proxy.corp:3128', NO_PROXY: '10.0.0.0/8' };
    expect(proxyFor(new URL('http://10.1.2.3/creds'), env)).toBeUndefined();
    expect(() => proxyFor(new URL('http://192.168.1.2/creds'), env)).toThrow(ProxySettingError);
  });

  it.each(['http://127.0.0.1:8080/', 'http://127.1.2.3/', 'http://localhost/', 'http://[::1]:9/', `http://${METADATA_HOST}/latest/`, 'https://localhost/'])(
    'never proxies %s',
    (url) => {
      const env = { HTTPS_PROXY: 'http://proxy.corp:3128', HTTP_PROXY: 'http://proxy.corp:3128' };
      expect(proxyFor(new URL(url), env)).toBeUndefined();
    },
  );

  it.each([
    ['socks5://proxy.corp:1080', 'socks5://proxy.corp:1080'],
    ['https://proxy.corp:3128', 'https://proxy.corp:3128'],
    ['http://', 'unreadable'],
    ['http://[bad', 'unreadable'],
  ])('refuses the proxy URL %j with a ProxySettingError naming the variable', (value, shown) => {
    let error: unknown;
    try {
      proxyFor(HTTPS, { HTTPS_PROXY: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProxySettingError);
    expect((error as Error).message).toBe(
      `HTTPS_PROXY is not an http:// proxy URL (${shown}): write it as http://host:port, with user:password@ if the proxy needs them.`,
    );
  });

  it('shows no credentials when it refuses a proxy URL', () => {
    expect(() => proxyFor(HTTPS, { HTTPS_PROXY: 'https://ci:hunter22@proxy.corp:3128' })).toThrow(ProxySettingError);
    expect(() => proxyFor(HTTPS, { HTTPS_PROXY: 'https://ci:hunter22@proxy.corp:3128' })).not.toThrow(/hunter22/);
  });

  it('answers a password with a bare % (no percent-escape) with a proxy or a ProxySettingError, never a raw URIError', () => {
    // http.ts turns only ProxySettingError into an ActionError that names the variable; anything else fails the step bare.
    expect(() => proxyFor(HTTPS, { HTTPS_PROXY: 'http://ci:50%off@proxy.corp:3128' })).not.toThrow(URIError);
  });
});

describe('proxySecrets', () => {
  it('returns the password of every proxy variable, as written and decoded, or a user name given without one', () => {
    const env = {
      https_proxy: 'http://ci:p%40ss@proxy:1',
      HTTPS_PROXY: 'http://ci:plain@proxy:1',
      http_proxy: 'proxy:1',
      HTTP_PROXY: 'http://user-only@proxy:1',
      NO_PROXY: 'http://x:not-a-proxy@y',
    };
    // A user name without a password is the secret itself (http://<token>@proxy).
    expect(proxySecrets(env)).toEqual(['p%40ss', 'p@ss', 'plain', 'plain', 'user-only', 'user-only']);
  });

  it('returns a password with a bare % (no percent-escape) as written, without throwing', () => {
    // main.ts masks these before anything else runs: a throw here fails the step before the password is masked.
    expect(() => proxySecrets({ HTTPS_PROXY: 'http://ci:50%off@proxy.corp:3128' })).not.toThrow();
    expect(proxySecrets({ HTTPS_PROXY: 'http://ci:50%off@proxy.corp:3128' })).toContain('50%off');
  });

  it('returns nothing for unreadable or missing values', () => {
    expect(proxySecrets({ HTTPS_PROXY: 'http://[bad', HTTP_PROXY: '' })).toEqual([]);
  });
});
