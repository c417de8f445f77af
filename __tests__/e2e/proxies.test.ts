// Self-hosted runners behind a proxy: every request of the built action to STS (signed or not), to GitHub's token
// endpoint and to a credentials URI goes through HTTPS_PROXY (a CONNECT tunnel, TLS end to end), NO_PROXY bypasses
// it, a proxy's credentials are masked, and a proxy that is down or refuses gives an error that names it. A proxy
// that terminates TLS with a certificate for its own name is refused, for hosts named by IP address too, and plain
// http never goes through a proxy.
// Real parts: the action (a child process), the proxies (emulator/proxy.js, a forward proxy on loopback, and
// ../tls-servers.ts, a forging one with its own certificate), the emulator behind them (TLS, with a certificate for
// the public host names; or plain, behind a TLS front with a certificate for 10.9.9.9 and fd00::9). Replaced: where
// a connection goes, only where a test sends a request past the proxy (NO_PROXY) — this sandbox resolves no public
// name and has no 10.x address, so a preload answers that one name with 127.0.0.1, or sends that one address there.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startProxy } from '../../emulator/proxy.js';
import { startEmulator } from '../../emulator/server.js';
import type { AccessKey, Emulator } from '../../emulator/types.js';
import { caBundle, type ForgingProxy, startForgingProxy, startTlsFront, type TlsFront } from '../tls-servers.js';
import { findLeaks, newJob, oidcJobEnv, type StepResult } from './runner.js';

const ACCOUNT = '1234567890123456';
const STS_HOST = 'sts.cn-hangzhou.aliyuncs.com';
const GITHUB_HOST = 'pipelines.actions.githubusercontent.com';
const BROKER_HOST = 'broker.example.com';

let em: Emulator;
let port: number;
let user: AccessKey;
let providerArn: string;
let oidcRoleArn: string;
let deployRoleArn: string;
let brokerPath: string;
let proxy: Awaited<ReturnType<typeof startProxy>>;
let lockedProxy: Awaited<ReturnType<typeof startProxy>>;

beforeAll(async () => {
  em = await startEmulator({ tls: true });
  port = Number(new URL(em.url).port);
  user = await em.addUser({ accountId: ACCOUNT, name: 'ci' });
  providerArn = (await em.addOidcProvider({ accountId: ACCOUNT, name: 'github' })).arn;
  oidcRoleArn = (await em.addRole({ accountId: ACCOUNT, name: 'oidc', oidc: { providerArn } })).arn;
  deployRoleArn = (await em.addRole({ accountId: ACCOUNT, name: 'deploy' })).arn;
  brokerPath = new URL((await em.addCredentialsUri({ accountId: ACCOUNT, roleName: 'broker' })).url).pathname;
  // The public names, as a runner would ask for them (explicit port: the emulator's), routed to the emulator.
  const routes = Object.fromEntries([STS_HOST, GITHUB_HOST, BROKER_HOST].map((host) => [`${host}:${port}`, `127.0.0.1:${port}`]));
  proxy = await startProxy({ routes });
  lockedProxy = await startProxy({ routes, credentials: 'ci-user:p@ss w0rd%' });
});

afterAll(async () => {
  await proxy?.close();
  await lockedProxy?.close();
  await em?.close();
});

/** The job of a runner behind `proxyUrl`: it trusts the emulator's CA and asks GitHub for its token by name. */
function jobBehind(proxyUrl: string, extra: Record<string, string> = {}) {
  const request = new URL(em.oidcRequestUrl);
  request.hostname = GITHUB_HOST;
  return newJob({
    NODE_EXTRA_CA_CERTS: em.caFile ?? '',
    HTTPS_PROXY: proxyUrl,
    ACTIONS_ID_TOKEN_REQUEST_URL: request.href,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: em.oidcRequestToken,
    ...extra,
  });
}

const stsEndpoint = () => `https://${STS_HOST}:${port}`;

/** The requests a proxy was asked for, sorted: tunnels open concurrently, so their order is not fixed. */
const tunnels = (through: typeof proxy) =>
  through
    .records()
    .map((r) => `${r.method} ${r.target}`)
    .sort();

async function expectWorks(main: StepResult): Promise<void> {
  expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
  expect(findLeaks(main, await em.secrets())).toEqual([]);
}

describe('HTTPS_PROXY: every request goes through the proxy', () => {
  it('GitHub OIDC: the token request and AssumeRoleWithOIDC, each through a CONNECT tunnel', async () => {
    proxy.reset();
    await em.resetRequests();
    const main = await jobBehind(proxy.url).main({ 'role-to-assume': oidcRoleArn, 'oidc-provider-arn': providerArn, 'sts-endpoint': stsEndpoint() });
    await expectWorks(main);
    // The STS connection opens while the token is fetched: the order of the two tunnels is not fixed.
    expect(tunnels(proxy)).toEqual([`CONNECT ${GITHUB_HOST}:${port}`, `CONNECT ${STS_HOST}:${port}`].sort());
    expect((await em.requests()).map((r) => `${r.target} ${r.status}`)).toEqual(['oidc-token 200', 'AssumeRoleWithOIDC 200']);
  });

  it('AccessKey -> AssumeRole: the signed request through the tunnel', async () => {
    proxy.reset();
    const main = await jobBehind(proxy.url).main({
      'access-key-id': user.accessKeyId,
      'access-key-secret': user.accessKeySecret,
      'role-to-assume': deployRoleArn,
      'sts-endpoint': stsEndpoint(),
    });
    await expectWorks(main);
    expect(tunnels(proxy)).toEqual([`CONNECT ${STS_HOST}:${port}`]);
    expect(main.outputs['assumed-role-arn']).toMatch(/:assumed-role\/deploy\//);
  });

  it('a credentials URI on another host, then AssumeRole: both through the proxy', async () => {
    proxy.reset();
    const main = await jobBehind(proxy.url).main({
      'credentials-uri': `https://${BROKER_HOST}:${port}${brokerPath}`,
      'role-to-assume': deployRoleArn,
      'sts-endpoint': stsEndpoint(),
    });
    await expectWorks(main);
    expect(tunnels(proxy)).toEqual([`CONNECT ${BROKER_HOST}:${port}`, `CONNECT ${STS_HOST}:${port}`].sort());
  });

  it('a credentials URI with a user and password: Basic auth inside the tunnel, never on the CONNECT', async () => {
    const password = 'br0ker-proxied-pass';
    const locked = new URL((await em.addCredentialsUri({ accountId: ACCOUNT, roleName: 'broker', basicAuth: { user: 'ci', password } })).url);
    proxy.reset();
    await em.resetRequests();
    const uri = `https://ci:${password}@${BROKER_HOST}:${port}${locked.pathname}`;
    const main = await jobBehind(proxy.url).main({ 'credentials-uri': uri, 'sts-endpoint': stsEndpoint() });
    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    // The URI counts as a secret: its own mask line is no leak of the password in it.
    expect(findLeaks(main, [...(await em.secrets()), uri])).toEqual([]);
    expect((await em.requests()).filter((r) => r.target === 'credentials-uri').map((r) => `${r.status} ${r.auth}`)).toEqual(['200 Basic']);
    expect(proxy.records().filter((r) => r.target === `${BROKER_HOST}:${port}`)).toEqual([
      { method: 'CONNECT', target: `${BROKER_HOST}:${port}`, authorization: undefined },
    ]);
  });

  it('a proxy that wants credentials gets them from the URL; the password is masked and never printed', async () => {
    lockedProxy.reset();
    const password = 'p@ss w0rd%';
    const proxyUrl = `http://ci-user:${encodeURIComponent(password)}@127.0.0.1:${lockedProxy.port}`;
    const main = await jobBehind(proxyUrl).main({ 'role-to-assume': oidcRoleArn, 'oidc-provider-arn': providerArn, 'sts-endpoint': stsEndpoint() });
    await expectWorks(main);
    expect(lockedProxy.records().every((r) => r.authorization === `Basic ${Buffer.from(`ci-user:${password}`).toString('base64')}`)).toBe(true);
    expect(main.masks).toEqual(expect.arrayContaining([password, encodeURIComponent(password)]));
    expect(findLeaks(main, [password, encodeURIComponent(password)])).toEqual([]);
  });
});

describe('NO_PROXY, and proxies that fail', () => {
  it('NO_PROXY bypasses the proxy for the hosts it lists', async () => {
    proxy.reset();
    const j = jobBehind(proxy.url, { NO_PROXY: `.aliyuncs.com,${GITHUB_HOST}` });
    // The one thing replaced: DNS for the two names that now go out directly (see the header).
    const preload = join(j.dir, 'dns.mjs');
    writeFileSync(
      preload,
      [
        "import dns from 'node:dns';",
        `const names = new Set(${JSON.stringify([STS_HOST, GITHUB_HOST])});`,
        'const lookup = dns.lookup;',
        "dns.lookup = (host, options, callback) => { if (!names.has(host)) return lookup(host, options, callback); const cb = typeof options === 'function' ? options : callback; const all = typeof options === 'object' && options?.all; process.nextTick(() => (all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4))); };",
      ].join('\n'),
    );
    const main = await j.main(
      { 'role-to-assume': oidcRoleArn, 'oidc-provider-arn': providerArn, 'sts-endpoint': stsEndpoint() },
      { NODE_OPTIONS: `--import ${preload}` },
    );
    await expectWorks(main);
    expect(proxy.records()).toEqual([]);
  });

  it('a proxy that is down: a network error that names it (without its password), after the usual retries', async () => {
    const closed = await startProxy({ routes: {} });
    const deadPort = closed.port;
    await closed.close();
    const main = await jobBehind(`http://ci-user:secret-proxy-pass@127.0.0.1:${deadPort}`).main({
      'access-key-id': user.accessKeyId,
      'access-key-secret': user.accessKeySecret,
      'role-to-assume': deployRoleArn,
      'sts-endpoint': stsEndpoint(),
      'retry-max-attempts': '2',
    });
    expect(main.code).toBe(1);
    expect(main.error).toMatch(
      new RegExp(`^AssumeRole could not reach STS through the proxy http://127\\.0\\.0\\.1:${deadPort} \\(HTTPS_PROXY\\): ECONNREFUSED`),
    );
    expect(main.error).toMatch(/Check that the proxy is up/);
    expect(main.stdout).toMatch(/^AssumeRole: attempt 1\/2 failed \(network\); retrying in \d+ ms\.$/m);
    expect(main.masks).toContain('secret-proxy-pass');
    expect(findLeaks(main, ['secret-proxy-pass', user.accessKeySecret])).toEqual([]);
    expect(main.exported).toEqual({});
  });

  it('a proxy that refuses the tunnel for want of credentials (407): not retried, and the error says where to put them', async () => {
    lockedProxy.reset();
    const main = await jobBehind(`http://127.0.0.1:${lockedProxy.port}`).main({
      'access-key-id': user.accessKeyId,
      'access-key-secret': user.accessKeySecret,
      'role-to-assume': deployRoleArn,
      'sts-endpoint': stsEndpoint(),
    });
    expect(main.code).toBe(1);
    expect(main.error).toMatch(/^The proxy http:\/\/127\.0\.0\.1:\d+ \(HTTPS_PROXY\) refused: it answered CONNECT .* with HTTP 407\./);
    expect(main.error).toMatch(/http:\/\/user:password@host:port/);
    expect(lockedProxy.records()).toHaveLength(1);
  });

  it('a proxy URL that is not http:// is an error that names the variable', async () => {
    const main = await jobBehind('socks5://127.0.0.1:1080').main({
      'access-key-id': user.accessKeyId,
      'access-key-secret': user.accessKeySecret,
      'sts-endpoint': stsEndpoint(),
    });
    expect(main.code).toBe(1);
    expect(main.error).toMatch(/HTTPS_PROXY is not an http:\/\/ proxy URL/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Hosts named by IP address, and plain http. A second emulator, plain http, sits behind a TLS front whose
// certificate names 10.9.9.9 and fd00::9 (signed by the test CA); the job trusts the test CA and the TLS emulator's.
describe('TLS through a proxy is checked against the target, an IP address too, never against the proxy', () => {
  let plain: Emulator;
  let front: TlsFront;
  let forging: ForgingProxy;
  let honest: Awaited<ReturnType<typeof startProxy>>;
  let ca: string;
  let plainBroker: string;
  let plainProvider: string;
  let plainOidcRole: string;

  beforeAll(async () => {
    plain = await startEmulator();
    plainProvider = (await plain.addOidcProvider({ accountId: ACCOUNT, name: 'github' })).arn;
    plainOidcRole = (await plain.addRole({ accountId: ACCOUNT, name: 'oidc', oidc: { providerArn: plainProvider } })).arn;
    plainBroker = new URL((await plain.addCredentialsUri({ accountId: ACCOUNT, roleName: 'broker' })).url).pathname;
    front = await startTlsFront(`127.0.0.1:${new URL(plain.url).port}`);
    forging = await startForgingProxy(ACCOUNT);
    honest = await startProxy({ routes: { '10.9.9.9:443': front.address, '[fd00::9]:443': front.address } });
    ca = caBundle(join(newJob().dir, 'ca.pem'), em.caFile ?? '');
  });
  afterAll(async () => {
    await forging?.close();
    await honest?.close();
    await front?.close();
    await plain?.close();
  });

  const jobThrough = (proxyUrl: string) => newJob({ ...oidcJobEnv(plain), NODE_EXTRA_CA_CERTS: ca, HTTPS_PROXY: proxyUrl });

  it.each(['10.9.9.9', '[fd00::9]'])(
    'credentials-uri https://%s/…: a proxy with a certificate for its own name gets no request, and nothing is exported',
    async (ip) => {
      const before = forging.requests().length;
      const main = await jobThrough(forging.url).main({
        'credentials-uri': `https://${ip}${plainBroker}`,
        'sts-endpoint': plain.url,
        'retry-max-attempts': '1',
      });
      expect(main.exported).toEqual({});
      expect(main.stdout).not.toContain(forging.forged.accessKeyId);
      expect(forging.requests().slice(before)).toEqual([]);
      expect(forging.connects()).toContain(`${ip}:443`);
      expect(main.code).toBe(1);
      expect(main.error).toMatch(
        new RegExp(`^The credentials URI did not answer through the proxy .*(altnames|certificate).*${ip.replace(/[[\]]/g, '').replace(/\./g, '\\.')}`, 'i'),
      );
    },
  );

  it('sts-endpoint https://10.9.9.9: the GitHub OIDC token never reaches a proxy with a certificate for its own name', async () => {
    const before = forging.requests().length;
    const main = await jobThrough(forging.url).main({
      'role-to-assume': plainOidcRole,
      'oidc-provider-arn': plainProvider,
      'sts-endpoint': 'https://10.9.9.9',
      'retry-max-attempts': '1',
    });
    const seen = forging.requests().slice(before);
    expect(seen.filter((r) => r.body.includes('eyJ') || r.path.includes('eyJ')).map((r) => `${r.method} ${r.authority}${r.path}`)).toEqual([]);
    expect(seen).toEqual([]);
    expect(main.exported).toEqual({});
    expect(main.code).toBe(1);
    expect(main.error).toMatch(/^AssumeRoleWithOIDC could not reach STS through the proxy .*(altnames|certificate)/i);
    expect(findLeaks(main, await plain.secrets())).toEqual([]);
  });

  it('a host name through that proxy is refused the same way', async () => {
    const main = await jobThrough(forging.url).main({
      'credentials-uri': `https://broker.test${plainBroker}`,
      'sts-endpoint': plain.url,
      'retry-max-attempts': '1',
    });
    expect(main.code).toBe(1);
    expect(main.error).toMatch(/(altnames|certificate).*broker\.test/i);
    expect(main.exported).toEqual({});
  });

  it.each(['10.9.9.9', '[fd00::9]'])('through an honest proxy, credentials-uri https://%s/… works: TLS end to end, checked against the address', async (ip) => {
    honest.reset();
    const main = await jobThrough(honest.url).main({ 'credentials-uri': `https://${ip}${plainBroker}`, 'sts-endpoint': plain.url });
    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    expect(main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID).toMatch(/^STS\./);
    expect(main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID).not.toBe(forging.forged.accessKeyId);
    expect(tunnels(honest)).toEqual([`CONNECT ${ip}:443`]);
    expect(findLeaks(main, await plain.secrets())).toEqual([]);
  });

  it('through an honest proxy, AssumeRoleWithOIDC at https://10.9.9.9 works', async () => {
    honest.reset();
    await plain.resetRequests();
    const main = await jobThrough(honest.url).main({ 'role-to-assume': plainOidcRole, 'oidc-provider-arn': plainProvider, 'sts-endpoint': 'https://10.9.9.9' });
    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    expect(tunnels(honest)).toEqual(['CONNECT 10.9.9.9:443']);
    expect((await plain.requests()).map((r) => `${r.target} ${r.status}`)).toEqual(['oidc-token 200', 'AssumeRoleWithOIDC 200']);
  });
});

describe('plain http never goes through a proxy', () => {
  let plain: Emulator;
  let forging: ForgingProxy;
  let broker: string;

  beforeAll(async () => {
    plain = await startEmulator();
    broker = new URL((await plain.addCredentialsUri({ accountId: ACCOUNT, roleName: 'broker' })).url).pathname;
    forging = await startForgingProxy(ACCOUNT);
  });
  afterAll(async () => {
    await forging?.close();
    await plain?.close();
  });

  it('credentials-uri http://10.1.2.3/… with NO_PROXY=10.0.0.0/8 goes direct: the proxy sees nothing', async () => {
    const j = newJob({ HTTP_PROXY: forging.url, NO_PROXY: 'example.com, 10.0.0.0/8' });
    // The one thing replaced: this sandbox has no 10.1.2.3, so a preload sends connections for it to the emulator.
    const preload = join(j.dir, 'route.mjs');
    writeFileSync(
      preload,
      [
        "import net from 'node:net';",
        "import { syncBuiltinESMExports } from 'node:module';",
        'const connect = net.connect;',
        "net.connect = net.createConnection = (options, ...rest) => connect(options && options.host === '10.1.2.3' ? { ...options, host: '127.0.0.1' } : options, ...rest);",
        'syncBuiltinESMExports();',
      ].join('\n'),
    );
    const main = await j.main(
      { 'credentials-uri': `http://10.1.2.3:${new URL(plain.url).port}${broker}`, 'sts-endpoint': plain.url },
      { NODE_OPTIONS: `--import ${preload}` },
    );
    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    expect(main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID).toMatch(/^STS\./);
    expect(main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID).not.toBe(forging.forged.accessKeyId);
    expect(forging.requests()).toEqual([]);
  });

  it('credentials-uri http://10.1.2.3/… that HTTP_PROXY would send through the proxy: refused before it is sent, naming the fix', async () => {
    const main = await newJob({ HTTP_PROXY: forging.url }).main({ 'credentials-uri': `http://10.1.2.3${broker}`, 'sts-endpoint': plain.url });
    expect(main.code).toBe(1);
    expect(main.error).toMatch(/^The credentials URI cannot be reached: plain http to 10\.1\.2\.3 would pass through the proxy of HTTP_PROXY in the clear\./);
    expect(main.error).toMatch(/List the host in NO_PROXY/);
    expect(main.exported).toEqual({});
    expect(forging.requests()).toEqual([]);
  });
});
