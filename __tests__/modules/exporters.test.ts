// src/export/*: which variables are set and cleared (variables.ts), the job summary (summary.ts), the aliyun CLI
// profile in a temporary folder (profile.ts), and the file commands env.ts, outputs.ts and summary.ts write through
// @actions/core, read back from temporary GITHUB_ENV / GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files.
// deliver.ts is left to the e2e suites: it finds the profile through os.homedir(), which in jest reads the real HOME.

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Credentials } from '../../src/credentials.js';
import { exportVariables } from '../../src/export/env.js';
import { setOutputs } from '../../src/export/outputs.js';
import { isProfileState, profilePath, removeProfile, writeProfile } from '../../src/export/profile.js';
import { code, type SummaryFacts, summaryMarkdown, writeSummary } from '../../src/export/summary.js';
import { DIVERTING, EXPORTED, IGNORE_PROFILE, PROFILE_VARS, planVariables } from '../../src/export/variables.js';
import { actionError, setEnv, tempDir } from './helpers.js';

const PERMANENT: Credentials = { accessKeyId: 'LTAI5tPermanentKey1', accessKeySecret: 'PermanentSecret123' };
const SESSION: Credentials = {
  accessKeyId: 'STS.SessionKey12345',
  accessKeySecret: 'SessionSecret12345',
  securityToken: 'SessionToken0123456789',
  expiration: new Date('2099-01-01T00:00:00Z'),
};
const namesCarrying = (carries: string) => EXPORTED.filter((row) => row.carries === carries).map((row) => row.name);
const TOKEN_VARS = namesCarrying('security token');
const STALE_TOKEN_ROWS = DIVERTING.filter((row) => row.withoutToken).map((row) => row.name);

describe('planVariables', () => {
  it('sets every key variable, the token ones only for STS credentials, and the region ones with a region', () => {
    const permanent = planVariables({ credentials: PERMANENT, cliConfigured: false }, {});
    expect([...permanent.set.keys()].sort()).toEqual([...namesCarrying('AccessKey ID'), ...namesCarrying('AccessKey secret')].sort());
    expect(permanent.set.get('ALICLOUD_SECRET_KEY')).toBe(PERMANENT.accessKeySecret);
    const session = planVariables({ credentials: SESSION, region: 'cn-shanghai', cliConfigured: false }, {});
    for (const name of TOKEN_VARS) expect(session.set.get(name)).toBe(SESSION.securityToken);
    for (const name of namesCarrying('region')) expect(session.set.get(name)).toBe('cn-shanghai');
    expect(session.blank).toEqual([]);
  });

  it('clears a stale security token only beside permanent keys', () => {
    const env = Object.fromEntries(STALE_TOKEN_ROWS.map((name) => [name, 'old-token']));
    expect(planVariables({ credentials: PERMANENT, cliConfigured: false }, env).blank.map((row) => row.name)).toEqual(STALE_TOKEN_ROWS);
    const session = planVariables({ credentials: SESSION, cliConfigured: false }, env);
    expect(session.blank).toEqual([]);
    // SECURITY_TOKEN is not exported (only the CLI falls back to it): beside a fresh token it is no reason to clear.
    expect(session.set.has('SECURITY_TOKEN')).toBe(false);
  });

  it('sets ALIBABA_CLOUD_IGNORE_PROFILE only when the CLI is configured and no profile is given', () => {
    expect(planVariables({ credentials: SESSION, cliConfigured: true }, {}).set.get(IGNORE_PROFILE.name)).toBe('TRUE');
    expect(planVariables({ credentials: SESSION, cliConfigured: false }, {}).set.has(IGNORE_PROFILE.name)).toBe(false);
    expect(planVariables({ credentials: SESSION, cliConfigured: true, profile: 'ci' }, {}).set.has(IGNORE_PROFILE.name)).toBe(false);
  });

  it('sets the profile selectors only with a profile', () => {
    const without = planVariables({ credentials: SESSION, cliConfigured: true }, {});
    for (const name of PROFILE_VARS) expect(without.set.has(name)).toBe(false);
    const withProfile = planVariables({ credentials: SESSION, cliConfigured: true, profile: 'ci' }, {});
    expect(PROFILE_VARS).toHaveLength(3);
    for (const name of PROFILE_VARS) expect(withProfile.set.get(name)).toBe('ci');
  });

  it('clears every diverting variable that is set and that it does not set itself, with the reason', () => {
    const env = Object.fromEntries(DIVERTING.map((row) => [row.name, 'set-before']));
    const plan = planVariables({ credentials: PERMANENT, cliConfigured: false }, env);
    expect(plan.blank).toEqual(DIVERTING.map(({ name, diverts }) => ({ name, diverts })));
    // What it sets itself is not cleared: the credentials URI of the refresh helper, the selectors of its profile.
    const own = planVariables({ credentials: SESSION, credentialsUri: 'http://127.0.0.1:1/x', profile: 'ci', cliConfigured: true }, env);
    const cleared = own.blank.map((row) => row.name);
    for (const name of ['ALIBABA_CLOUD_CREDENTIALS_URI', ...PROFILE_VARS, ...STALE_TOKEN_ROWS]) expect(cleared).not.toContain(name);
    expect(cleared).toContain('ALIBABA_CLOUD_IGNORE_PROFILE');
    expect(own.set.get('ALIBABA_CLOUD_CREDENTIALS_URI')).toBe('http://127.0.0.1:1/x');
  });

  it('ignores variables that are set but empty', () => {
    const env = Object.fromEntries(DIVERTING.map((row) => [row.name, '']));
    expect(planVariables({ credentials: PERMANENT, cliConfigured: false }, env).blank).toEqual([]);
  });
});

describe('summaryMarkdown', () => {
  const hostile = 'a|b`c\nd <img src=x onerror=alert(1)> [link](http://x) **bold**';
  const facts: SummaryFacts = {
    accountId: '1234567890123456',
    maskAccountId: false,
    assumedRoleArn: `acs:ram::1234567890123456:assumed-role/deploy/${hostile}`,
    roleSessionName: hostile,
    source: `OIDC token file ${hostile}`,
    expiration: '2099-01-01T00:00:00Z',
    region: hostile,
    endpoint: `https://${hostile}`,
    variablesSet: ['ALIBABA_CLOUD_ACCESS_KEY_ID', hostile],
    variablesCleared: [hostile],
    profile: hostile,
    credentialsUri: true,
  };

  it('keeps every value in code spans of its own cell, on one line', () => {
    const markdown = summaryMarkdown(facts);
    const rows = markdown.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| |'));
    // Header and separator aside: one line per fact, so no value brought a line of its own.
    expect(markdown.split('\n')).toHaveLength(4 + rows.length + 1);
    expect(rows).toHaveLength(11);
    for (const row of rows) {
      // Unescaped pipes: the two borders and the one between the cells.
      expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(4);
      const value = row.replace(/\\\|/g, '').split('|')[2];
      // Outside the code spans only the action's own words: nothing of the value, no HTML, link or emphasis.
      expect(value.replace(/`[^`]*`/g, '')).not.toMatch(/onerror|bold|[<>[\]*]/);
    }
    expect(markdown).toContain(`| Session name | ${code(hostile)} |`);
    expect(code(hostile)).toBe("`a\\|b'c d <img src=x onerror=alert(1)> [link](http://x) **bold**`");
  });

  it('writes *** for the account wherever it appears, with mask-account-id', () => {
    const markdown = summaryMarkdown({ ...facts, maskAccountId: true, source: 'role of 1234567890123456' });
    expect(markdown).not.toContain('1234567890123456');
    expect(markdown).toContain('| Account | `***` |');
    expect(markdown).toContain('`acs:ram::***:assumed-role/deploy/');
  });
});

describe('writeProfile and removeProfile', () => {
  let home: string;
  let path: string;
  beforeEach(() => {
    home = tempDir('profile-home');
    path = profilePath({ HOME: home, USERPROFILE: home });
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const read = () => JSON.parse(readFileSync(path, 'utf8'));

  it('writes an StsToken profile into a new 0600 file in a new 0700 folder, and leaves no lock behind', async () => {
    const state = await writeProfile(path, 'ci', { credentials: SESSION }, 'cn-shanghai');
    expect(state).toMatchObject({ name: 'ci', createdFile: true, createdDir: true });
    expect(isProfileState(state)).toBe(true);
    expect(read()).toEqual({
      current: 'ci',
      meta_path: '',
      profiles: [
        {
          name: 'ci',
          mode: 'StsToken',
          access_key_id: SESSION.accessKeyId,
          access_key_secret: SESSION.accessKeySecret,
          sts_token: SESSION.securityToken,
          region_id: 'cn-shanghai',
          output_format: 'json',
          language: 'en',
          ram_session_name: state.marker,
        },
      ],
    });
    // File modes are POSIX; Windows has none to check.
    if (process.platform !== 'win32') {
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(statSync(join(home, '.aliyun')).mode & 0o777).toBe(0o700);
    }
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('writes a CredentialsURI profile beside the profiles already there, and AK for permanent keys', async () => {
    mkdirSync(join(home, '.aliyun'));
    writeFileSync(path, JSON.stringify({ current: 'mine', profiles: [{ name: 'mine', mode: 'AK' }], meta_path: '/x' }));
    const state = await writeProfile(path, 'refresh', { credentialsUri: 'http://127.0.0.1:9/abc' }, undefined);
    expect(state).toMatchObject({ createdFile: false, createdDir: false });
    const config = read();
    expect(config.current).toBe('mine');
    expect(config.meta_path).toBe('/x');
    expect(config.profiles[1]).toMatchObject({ name: 'refresh', mode: 'CredentialsURI', credentials_uri: 'http://127.0.0.1:9/abc', region_id: 'cn-hangzhou' });
    await writeProfile(path, 'static', { credentials: PERMANENT }, 'cn-beijing');
    expect(read().profiles[2]).toMatchObject({ name: 'static', mode: 'AK', sts_token: '' });
  });

  it('refuses a profile name in use', async () => {
    await writeProfile(path, 'ci', { credentials: SESSION }, undefined);
    const error = await actionError(writeProfile(path, 'ci', { credentials: SESSION }, undefined));
    expect(error.kind).toBe('input');
    expect(error.message).toBe(`Input aliyun-profile: ${path} already has a profile named ci.`);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('refuses a config.json that is a symbolic link, and writes nothing through it', async () => {
    const elsewhere = join(home, 'elsewhere.json');
    writeFileSync(elsewhere, '{"profiles":[]}');
    mkdirSync(join(home, '.aliyun'));
    symlinkSync(elsewhere, path);
    const error = await actionError(writeProfile(path, 'ci', { credentials: SESSION }, undefined));
    expect(error.message).toContain('is a symbolic link');
    expect(readFileSync(elsewhere, 'utf8')).toBe('{"profiles":[]}');
    expect(lstatSync(path).isSymbolicLink()).toBe(true);
  });

  it('refuses a ~/.aliyun folder that is a symbolic link', async () => {
    const realDir = join(home, 'real');
    mkdirSync(realDir);
    symlinkSync(realDir, join(home, '.aliyun'));
    await actionError(writeProfile(path, 'ci', { credentials: SESSION }, undefined));
    expect(existsSync(join(realDir, 'config.json'))).toBe(false);
  });

  it.each([
    ['"profiles" is no array', '{"profiles":{"ci":{}}}'],
    ['the file is a JSON array', '[1,2]'],
    ['the file is not JSON', '{"profiles": ['],
  ])('leaves the file byte-identical when %s', async (_what, text) => {
    mkdirSync(join(home, '.aliyun'));
    writeFileSync(path, text);
    const error = await actionError(writeProfile(path, 'ci', { credentials: SESSION }, undefined));
    expect(error.kind).toBe('input');
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('waits for a lock another job holds, and takes over a lock older than a minute', async () => {
    mkdirSync(join(home, '.aliyun'));
    writeFileSync(`${path}.lock`, '1\n');
    const written = writeProfile(path, 'ci', { credentials: SESSION }, undefined);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(existsSync(path)).toBe(false);
    rmSync(`${path}.lock`);
    await written;
    expect(read().profiles).toHaveLength(1);

    writeFileSync(`${path}.lock`, '1\n');
    const old = new Date(Date.now() - 120_000);
    utimesSync(`${path}.lock`, old, old);
    await writeProfile(path, 'second', { credentials: SESSION }, undefined);
    expect(read().profiles.map((profile: { name: string }) => profile.name)).toEqual(['ci', 'second']);
  });

  it('removes only the profile that carries its marker, and the file and folder it created', async () => {
    const state = await writeProfile(path, 'ci', { credentials: SESSION }, undefined);
    const before = readFileSync(path, 'utf8');
    expect(await removeProfile(path, { ...state, marker: `${state.marker.slice(0, -1)}${state.marker.endsWith('0') ? '1' : '0'}` })).toBe(
      `${path} holds no profile ci written by this job; nothing removed.`,
    );
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(await removeProfile(path, state)).toBe(`Removed ${path}, which the action had created.`);
    expect(existsSync(join(home, '.aliyun'))).toBe(false);
    expect(await removeProfile(path, state)).toBe(`${path} is already gone.`);
  });

  it("keeps the others' profiles and moves current away from the removed one", async () => {
    const state = await writeProfile(path, 'ci', { credentials: SESSION }, undefined);
    const config = read();
    config.profiles.push({ name: 'added-later', mode: 'AK' });
    writeFileSync(path, JSON.stringify(config));
    expect(await removeProfile(path, state)).toBe(`Removed profile ci from ${path}.`);
    expect(read()).toMatchObject({ current: 'added-later', profiles: [{ name: 'added-later' }] });
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('isProfileState refuses a forged state', () => {
    expect(isProfileState({ name: 'ci', marker: 'not-ours', createdFile: true, createdDir: true })).toBe(false);
    expect(isProfileState({ name: 'ci', marker: 'configure-alibabacloud-credentials.ab', createdFile: 'yes', createdDir: true })).toBe(false);
    expect(isProfileState(null)).toBe(false);
  });
});

describe('file commands through @actions/core', () => {
  let dir: string;
  let restore: () => void;
  beforeEach(() => {
    dir = tempDir('file-commands');
    for (const name of ['env', 'output', 'summary']) writeFileSync(join(dir, name), '');
    restore = setEnv({
      GITHUB_ENV: join(dir, 'env'),
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
      // core.exportVariable also sets them in this process: put them back afterwards.
      ...Object.fromEntries([...EXPORTED, ...DIVERTING].map((row) => [row.name, process.env[row.name]])),
    });
  });
  afterEach(() => {
    restore();
    rmSync(dir, { recursive: true, force: true });
  });

  /** NAME<<delimiter / value / delimiter, as the runner reads GITHUB_ENV and GITHUB_OUTPUT. */
  function fileCommands(file: string): Record<string, string> {
    const text = readFileSync(join(dir, file), 'utf8');
    return Object.fromEntries([...text.matchAll(/^([^\n<]+)<<(ghadelimiter_[0-9a-f-]+)\n([\s\S]*?)\n?\2$/gm)].map((m) => [m[1], m[3]]));
  }

  it('exportVariables writes what is set and what is cleared into GITHUB_ENV', () => {
    const plan = planVariables({ credentials: SESSION, region: 'cn-shanghai', cliConfigured: false }, { ALIBABA_CLOUD_ROLE_ARN: 'acs:ram::1:role/x' });
    exportVariables(plan);
    const written = fileCommands('env');
    expect(Object.keys(written).sort()).toEqual([...plan.set.keys(), 'ALIBABA_CLOUD_ROLE_ARN'].sort());
    expect(written.ALIBABA_CLOUD_SECURITY_TOKEN).toBe(SESSION.securityToken);
    expect(written.ALICLOUD_REGION).toBe('cn-shanghai');
    expect(written.ALIBABA_CLOUD_ROLE_ARN).toBe('');
  });

  it('setOutputs writes the credentials only when asked to', () => {
    const identity = { accountId: '1234567890123456', arn: 'acs:ram::1234567890123456:assumed-role/deploy/s' };
    setOutputs({ credentials: SESSION, identity, roleSessionName: 's', includeCredentials: false });
    expect(fileCommands('output')).toEqual({
      'account-id': identity.accountId,
      'assumed-role-arn': identity.arn,
      'role-session-name': 's',
      expiration: '2099-01-01T00:00:00Z',
    });
    setOutputs({ credentials: SESSION, includeCredentials: true });
    expect(fileCommands('output')).toMatchObject({
      'aliyun-access-key-id': SESSION.accessKeyId,
      'aliyun-access-key-secret': SESSION.accessKeySecret,
      'aliyun-security-token': SESSION.securityToken,
    });
  });

  it('writeSummary appends the table to GITHUB_STEP_SUMMARY', async () => {
    const facts: SummaryFacts = {
      maskAccountId: false,
      source: 'AccessKey (inputs)',
      endpoint: 'https://sts.aliyuncs.com',
      variablesSet: [],
      variablesCleared: [],
    };
    await writeSummary(facts);
    expect(readFileSync(join(dir, 'summary'), 'utf8')).toBe(`${summaryMarkdown(facts)}\n`);
  });
});
