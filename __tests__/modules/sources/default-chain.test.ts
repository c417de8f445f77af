// src/sources/default-chain.ts: Alibaba's default credential chain (@alicloud/credentials) as the source walks it,
// in-process (but for the CLI profile: see there), with a temporary HOME. obtain() copies its variables into process.env (the SDK reads only that), so
// every test clears the chain's variables first and puts process.env back afterwards. The ECS metadata provider is
// switched off (ALIBABA_CLOUD_ECS_METADATA_DISABLED) so that the chain never reaches for 100.100.100.200 from here.

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../../../emulator/server.js';
import type { Emulator } from '../../../emulator/types.js';
import { defaultChain, homeDirectory } from '../../../src/sources/default-chain.js';
import type { ChosenCredentialSource } from '../../../src/sources/source.js';
import { ACCOUNT, actionError, inChild, inputs, setEnv, sourceContext, tempDir } from '../helpers.js';

function chosen(): ChosenCredentialSource {
  const source = defaultChain.select(inputs({ 'default-chain': 'true' }));
  if (source?.gives !== 'credentials') throw new Error('expected a credential source');
  return source;
}

let em: Emulator;
let home: string;
let restoreEnv: () => void;
beforeAll(async () => {
  em = await startEmulator();
});
afterAll(() => em.close());
beforeEach(() => {
  home = tempDir('default-chain-home');
  restoreEnv = setEnv(Object.fromEntries(Object.keys(chosen().variables).map((name) => [name, undefined])));
});
afterEach(() => {
  restoreEnv();
  rmSync(home, { recursive: true, force: true });
});

/** Runs the chain with only `env` (and the metadata provider off); returns the credentials and what it logged. */
async function walk(env: Record<string, string>) {
  const logs: string[] = [];
  const credentials = await chosen().obtain(sourceContext({ HOME: home, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true', ...env }, logs));
  return { credentials, logs };
}

describe('select', () => {
  it('is selected by default-chain: true, renews, and declares every variable the SDK reads', () => {
    expect(defaultChain.select(inputs())).toBeUndefined();
    expect(defaultChain.select(inputs({ 'default-chain': 'false' }))).toBeUndefined();
    expect(chosen()).toMatchObject({ input: 'default-chain', renews: true, verifyUnassumed: false });
    expect(chosen().variables).toMatchObject({ ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret', ALIBABA_CLOUD_CREDENTIALS_URI: 'secret', HOME: 'plain' });
    expect(() => defaultChain.select(inputs({ 'default-chain': 'maybe' }))).toThrow('Input default-chain: "maybe" is not a boolean.');
  });
});

describe('obtain', () => {
  it("takes keys from the environment through the 'env' provider", async () => {
    const user = await em.addUser({ accountId: ACCOUNT, name: 'env-user' });
    const { credentials, logs } = await walk({ ALIBABA_CLOUD_ACCESS_KEY_ID: user.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: user.accessKeySecret });
    expect(credentials).toEqual({ accessKeyId: user.accessKeyId, accessKeySecret: user.accessKeySecret, securityToken: undefined, expiration: undefined });
    expect(logs).toEqual(['The default credential chain answered through its env provider.']);
  });

  it('takes an AK profile of the aliyun CLI from ~/.aliyun/config.json in the HOME it is given (in a child process)', async () => {
    // The SDK finds the CLI's file through os.homedir(), which reads the real environment; jest gives this process a
    // copy, so the HOME that obtain() sets reaches os.homedir() only in a process of its own.
    const user = await em.addUser({ accountId: ACCOUNT, name: 'cli-user' });
    mkdirSync(join(home, '.aliyun'));
    const profile = { name: 'default', mode: 'AK', access_key_id: user.accessKeyId, access_key_secret: user.accessKeySecret, region_id: 'cn-hangzhou' };
    writeFileSync(join(home, '.aliyun', 'config.json'), JSON.stringify({ current: 'default', profiles: [profile] }));
    const env = { HOME: home, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' };
    const outcome = await inChild(
      `const { defaultChain } = await load('sources/default-chain.js');
      const source = defaultChain.select((name) => (name === 'default-chain' ? 'true' : ''));
      const logs = [];
      const ctx = { env: ${JSON.stringify(env)}, timeouts: { connectTimeoutMs: 2000, readTimeoutMs: 3000 }, retry: (_step, attempt) => attempt(1), log: (line) => logs.push(line) };
      const credentials = await source.obtain(ctx);
      return { credentials, logs };`,
      Object.fromEntries(
        Object.keys(chosen().variables)
          .filter((name) => name !== 'HOME')
          .map((name) => [name, undefined]),
      ),
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.value.credentials).toEqual({ accessKeyId: user.accessKeyId, accessKeySecret: user.accessKeySecret });
    expect(outcome.value.logs[0]).toMatch(/^The default credential chain answered through its cli_profile\b/);
  });

  it('takes STS credentials from ALIBABA_CLOUD_CREDENTIALS_URI (the emulator as broker)', async () => {
    const { url } = await em.addCredentialsUri({ accountId: ACCOUNT, roleName: 'chain-role' });
    const { credentials, logs } = await walk({ ALIBABA_CLOUD_CREDENTIALS_URI: url });
    expect(credentials.accessKeyId).toMatch(/^STS\./);
    expect(credentials.securityToken).toBeTruthy();
    expect(logs).toEqual(['The default credential chain answered through its credential_uri provider.']);
  });

  it('with nothing configured: a credentials error that lists what was tried', async () => {
    const error = await actionError(walk({}));
    expect(error.kind).toBe('credentials');
    expect(error.message).toMatch(/^Input default-chain: no provider of the default credential chain had credentials \(.+\)\.$/);
    expect(error.hint).toMatch(
      /^Tried the environment \(ALIBABA_CLOUD_ACCESS_KEY_ID\/_SECRET\), OIDC .*, the aliyun CLI profile .*, the credentials file .*, the ECS metadata service and a credentials URI/,
    );
  });

  // The SDK joins every provider's reason into one message; the credentials file's comes after the environment's and
  // the CLI profile's (which name the HOME path), past the 300 characters quoted of a server's text.
  it('keeps the credentials file’s reason in its message: a missing ALIBABA_CLOUD_CREDENTIALS_FILE', async () => {
    const file = join(home, '.alibabacloud', 'no-such-credentials-file');
    const error = await actionError(walk({ ALIBABA_CLOUD_CREDENTIALS_FILE: file }));
    expect(error.message).toContain(`ENOENT: no such file or directory, access '${file}'`);
  });

  it('keeps the credentials file’s reason in its message: a credentials.ini (Python’s file) with no secret', async () => {
    mkdirSync(join(home, '.alibabacloud'));
    writeFileSync(join(home, '.alibabacloud', 'credentials.ini'), '[default]\nenable = true\ntype = access_key\naccess_key_id = LTAIabcdefgh1234\n');
    const error = await actionError(walk({}));
    expect(error.message).toContain('the access key secret is empty');
  });

  it('refuses what a provider gives when it is malformed, without quoting it', async () => {
    const error = await actionError(walk({ ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI12345678', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'a b c d e f g' }));
    expect(error.kind).toBe('credentials');
    expect(error.message).toBe(
      "The default credential chain's env provider gave credentials that have an AccessKeySecret that is not 8-256 printable characters without spaces.",
    );
  });

  it('hands its variables to the SDK through process.env (which afterEach puts back)', async () => {
    const user = await em.addUser({ accountId: ACCOUNT, name: 'env-check' });
    await walk({ ALIBABA_CLOUD_ACCESS_KEY_ID: user.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: user.accessKeySecret });
    expect(process.env.ALIBABA_CLOUD_ACCESS_KEY_ID).toBe(user.accessKeyId);
    expect(process.env.HOME).toBe(home);
  });
});

// The SDK's profile provider looks in os.homedir(), which reads USERPROFILE on Windows and HOME elsewhere (libuv's
// uv_os_homedir); the action names and looks for the credentials file in the same place. Windows is not run here: the
// rule is a pure function of the platform, tested for each.
describe('homeDirectory, as os.homedir() finds it', () => {
  const env = { HOME: '/home/runner', USERPROFILE: 'C:\\Users\\runneradmin' };
  const account = () => '/account/home';

  it('on Windows: USERPROFILE, even with HOME set (as Git Bash sets it)', () => {
    expect(homeDirectory(env, 'win32', account)).toBe('C:\\Users\\runneradmin');
    expect(homeDirectory({ HOME: '/home/runner' }, 'win32', account)).toBe('/account/home');
  });

  it.each(['linux', 'darwin'] as const)('on %s: HOME, never USERPROFILE', (platform) => {
    expect(homeDirectory(env, platform, account)).toBe('/home/runner');
    expect(homeDirectory({ USERPROFILE: 'C:\\Users\\runneradmin' }, platform, account)).toBe('/account/home');
  });

  it('without HOME on Linux, a credentials.ini under USERPROFILE is not the one the chain is pointed at', async () => {
    mkdirSync(join(home, '.alibabacloud'));
    writeFileSync(
      join(home, '.alibabacloud', 'credentials.ini'),
      '[default]\nenable = true\ntype = access_key\naccess_key_id = LTAIabcdefgh1234\naccess_key_secret = notTheSdksFile1234\n',
    );
    const logs: string[] = [];
    const ctx = sourceContext({ USERPROFILE: home, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }, logs);
    const outcome = await chosen()
      .obtain(ctx)
      .then(
        (credentials) => credentials.accessKeyId,
        (error: Error) => error.message,
      );
    expect(outcome).not.toBe('LTAIabcdefgh1234');
    expect(logs.join('\n')).not.toContain(home);
  });
});
