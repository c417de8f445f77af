import { defaultSessionName, listOf, parseEndpoint, readConfig, type Config } from '../../src/config.js';
import { readListConfig } from '../../src/list-accounts/config.js';
import { InputError } from '../../src/errors.js';
import { makePlan, type Plan } from '../../src/plan.js';

const ROLE = 'acs:ram::123456789012:role/ProwlerAuditRole';
const IDP = 'acs:ram::123456789012:oidc-provider/github';

function configOf(inputs: Record<string, string>, env: Record<string, string> = {}): Config {
  return readConfig((name) => inputs[name] ?? '', env);
}

/** Every check made before a request: the shared inputs, then the sources' own (a job that may request a token). */
function planOf(inputs: Record<string, string>): Plan {
  const input = (name: string) => inputs[name] ?? '';
  return makePlan(readConfig(input, {}), input, { idTokenRequest: { url: true, token: true } });
}

function inputErrorOf(inputs: Record<string, string>): InputError {
  try {
    planOf(inputs);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('readConfig', () => {
  it('reads the OIDC flow with the defaults of action.yml', () => {
    const config = configOf({ 'role-to-assume': ROLE, 'oidc-provider-arn': IDP }, { GITHUB_REPOSITORY: 'octo/repo', GITHUB_RUN_ID: '42' });
    expect(config.role).toEqual({ arn: ROLE, accountId: '123456789012', roleName: 'ProwlerAuditRole' });
    expect(planOf({ 'role-to-assume': ROLE, 'oidc-provider-arn': IDP }).source.description).toBe('GitHub OIDC (audience sts.aliyuncs.com)');
    expect(config.durationSeconds).toBe(3600);
    expect(config.roleSessionName).toBe('gha-42-octo-repo');
    expect(config.endpoint).toEqual({ host: 'sts.aliyuncs.com', protocol: 'https' });
    expect(config.exportEnv).toBe(true);
    expect(config.outputCredentials).toBe(false);
    expect(config.retryMaxAttempts).toBe(5);
  });

  it('picks regional, VPC and explicit endpoints', () => {
    expect(configOf({ 'access-key-id': 'LTAI12345678', 'access-key-secret': 's', region: 'cn-hangzhou' }).endpoint).toEqual({
      host: 'sts.cn-hangzhou.aliyuncs.com',
      protocol: 'https',
    });
    expect(configOf({ 'access-key-id': 'LTAI12345678', 'access-key-secret': 's', region: 'cn-hangzhou', 'use-vpc-endpoint': 'true' }).endpoint.host).toBe(
      'sts-vpc.cn-hangzhou.aliyuncs.com',
    );
    expect(configOf({ 'access-key-id': 'LTAI12345678', 'access-key-secret': 's', 'sts-endpoint': 'http://127.0.0.1:8080' }).endpoint).toEqual({
      host: '127.0.0.1:8080',
      protocol: 'http',
    });
    expect(configOf({ 'access-key-id': 'LTAI12345678', 'access-key-secret': 's', 'sts-endpoint': 'sts.cn-shanghai.aliyuncs.com' }).endpoint).toEqual({
      host: 'sts.cn-shanghai.aliyuncs.com',
      protocol: 'https',
    });
  });

  it('compacts the session policy and accepts booleans in any case', () => {
    const config = configOf({
      'role-to-assume': ROLE,
      'oidc-provider-arn': IDP,
      'inline-session-policy': '{ "Version": "1", "Statement": [] }',
      'output-credentials': 'TRUE',
    });
    expect(config.sessionPolicy).toBe('{"Version":"1","Statement":[]}');
    expect(config.outputCredentials).toBe(true);
  });

  it('reads a source identity of 2-64 of the characters AssumeRole takes', () => {
    for (const value of ['ab', 'octocat', 'a'.repeat(64), 'Ci_bot+1=x,y.z@example.com-2']) {
      expect(configOf({ 'role-chaining': 'true', 'role-to-assume': ROLE, 'source-identity': value }).sourceIdentity).toBe(value);
    }
    expect(configOf({ 'role-chaining': 'true', 'role-to-assume': ROLE }).sourceIdentity).toBeUndefined();
  });

  it('accepts loopback and private-IP credentials URIs over http', () => {
    for (const uri of ['http://127.0.0.1:8080/creds', 'http://10.1.2.3/creds', 'http://[fd00::1]/creds', 'https://broker.example.com/creds']) {
      expect(planOf({ 'credentials-uri': uri }).source.description).toBe('a credentials URI');
    }
  });

  const bad: Array<[string, Record<string, string>, string]> = [
    ['role ARN shape', { 'role-to-assume': 'arn:aws:iam::123:role/x' }, 'role-to-assume'],
    ['IdP ARN shape', { 'role-to-assume': ROLE, 'oidc-provider-arn': 'acs:ram::123:role/x' }, 'oidc-provider-arn'],
    ['IdP without role', { 'oidc-provider-arn': IDP }, 'oidc-provider-arn'],
    ['session name too short', { 'role-to-assume': ROLE, 'oidc-provider-arn': IDP, 'role-session-name': 'a' }, 'role-session-name'],
    ['session name too long', { 'role-to-assume': ROLE, 'oidc-provider-arn': IDP, 'role-session-name': 'a'.repeat(65) }, 'role-session-name'],
    ['session name characters', { 'role-to-assume': ROLE, 'oidc-provider-arn': IDP, 'role-session-name': 'my session' }, 'role-session-name'],
    ['expiration not a number', { 'role-to-assume': ROLE, 'oidc-provider-arn': IDP, 'role-session-expiration': '1h' }, 'role-session-expiration'],
    ['expiration too short', { 'role-to-assume': ROLE, 'oidc-provider-arn': IDP, 'role-session-expiration': '899' }, 'role-session-expiration'],
    ['expiration too long', { 'role-to-assume': ROLE, 'oidc-provider-arn': IDP, 'role-session-expiration': '43201' }, 'role-session-expiration'],
    ['policy not JSON', { 'role-to-assume': ROLE, 'oidc-provider-arn': IDP, 'inline-session-policy': '{Version: 1}' }, 'inline-session-policy'],
    ['policy without statements', { 'role-to-assume': ROLE, 'oidc-provider-arn': IDP, 'inline-session-policy': '{"Version":"1"}' }, 'inline-session-policy'],
    [
      'policy without role',
      { 'access-key-id': 'LTAI12345678', 'access-key-secret': 's', 'inline-session-policy': '{"Statement":[]}' },
      'inline-session-policy',
    ],
    ['key id without secret', { 'access-key-id': 'LTAI12345678' }, 'access-key-secret'],
    ['secret without key id', { 'access-key-secret': 'secret' }, 'access-key-id'],
    ['token without keys', { 'security-token': 'token' }, 'security-token'],
    ['STS key without token', { 'access-key-id': 'STS.abcdefgh', 'access-key-secret': 's' }, 'security-token'],
    ['key id shape', { 'access-key-id': 'acs:ram::1:user/x', 'access-key-secret': 's' }, 'access-key-id'],
    ['boolean', { 'access-key-id': 'LTAI12345678', 'access-key-secret': 's', 'export-env': 'yes' }, 'export-env'],
    ['retry attempts zero', { 'access-key-id': 'LTAI12345678', 'access-key-secret': 's', 'retry-max-attempts': '0' }, 'retry-max-attempts'],
    ['region shape', { 'access-key-id': 'LTAI12345678', 'access-key-secret': 's', region: 'Hangzhou' }, 'region'],
    ['vpc endpoint without region', { 'access-key-id': 'LTAI12345678', 'access-key-secret': 's', 'use-vpc-endpoint': 'true' }, 'use-vpc-endpoint'],
    ['http endpoint off loopback', { 'access-key-id': 'LTAI12345678', 'access-key-secret': 's', 'sts-endpoint': 'http://sts.aliyuncs.com' }, 'sts-endpoint'],
    ['endpoint with path', { 'access-key-id': 'LTAI12345678', 'access-key-secret': 's', 'sts-endpoint': 'https://sts.aliyuncs.com/x' }, 'sts-endpoint'],
    ['credentials URI over public http', { 'credentials-uri': 'http://broker.example.com/creds' }, 'credentials-uri'],
    ['credentials URI scheme', { 'credentials-uri': 'ftp://127.0.0.1/creds' }, 'credentials-uri'],
    ['account IDs', { 'access-key-id': 'LTAI12345678', 'access-key-secret': 's', 'allowed-account-ids': '123,abc' }, 'allowed-account-ids'],
    ['role outside allowed accounts', { 'role-to-assume': ROLE, 'oidc-provider-arn': IDP, 'allowed-account-ids': '999' }, 'allowed-account-ids'],
    ['profile name', { 'access-key-id': 'LTAI12345678', 'access-key-secret': 's', 'aliyun-profile': 'my profile' }, 'aliyun-profile'],
    ['ECS role given as ARN', { 'ecs-ram-role': ROLE }, 'ecs-ram-role'],
    ['token file without IdP', { 'role-to-assume': ROLE, 'oidc-token-file': '/tmp/token' }, 'oidc-token-file'],
    ['external ID with OIDC', { 'role-to-assume': ROLE, 'oidc-provider-arn': IDP, 'role-external-id': 'abc123' }, 'role-external-id'],
    ['source identity with OIDC', { 'role-to-assume': ROLE, 'oidc-provider-arn': IDP, 'source-identity': 'octocat' }, 'source-identity'],
    ['source identity without role', { 'access-key-id': 'LTAI12345678', 'access-key-secret': 's', 'source-identity': 'octocat' }, 'source-identity'],
    ['source identity too short', { 'role-chaining': 'true', 'role-to-assume': ROLE, 'source-identity': 'a' }, 'source-identity'],
    ['source identity too long', { 'role-chaining': 'true', 'role-to-assume': ROLE, 'source-identity': 'a'.repeat(65) }, 'source-identity'],
    ['source identity of a bot', { 'role-chaining': 'true', 'role-to-assume': ROLE, 'source-identity': 'dependabot[bot]' }, 'source-identity'],
    ['source identity with a reserved prefix', { 'role-chaining': 'true', 'role-to-assume': ROLE, 'source-identity': 'acs:octocat' }, 'source-identity'],
    ['nothing delivered', { 'access-key-id': 'LTAI12345678', 'access-key-secret': 's', 'export-env': 'false' }, 'export-env'],
  ];
  it.each(bad)('rejects %s, naming the input', (_name, inputs, input) => {
    const error = inputErrorOf(inputs);
    expect(error.input).toBe(input);
    expect(error.kind).toBe('input');
    expect(error.message).toContain(`Input ${input}:`);
    expect(error.hint).toBeTruthy();
  });

  it('never repeats a secret input in its error', () => {
    const error = inputErrorOf({ 'access-key-id': 'LTAI12345678', 'access-key-secret': 'has white space' });
    expect(`${error.message} ${error.hint}`).not.toContain('has white space');
  });
});

describe('parseEndpoint (sts-endpoint, list-accounts endpoint)', () => {
  const errorOf = (value: string): InputError => {
    try {
      parseEndpoint('sts-endpoint', value, 'sts.cn-shanghai.aliyuncs.com');
    } catch (error) {
      if (error instanceof InputError) return error;
      throw error;
    }
    throw new Error(`expected ${value} to be refused`);
  };

  it.each([
    ['https://endpoint-user:endpoint-pw@sts.example.com', 'names a user or password (https://sts.example.com); an endpoint takes neither.'],
    ['https://:endpoint-pw@sts.example.com', 'names a user or password (https://sts.example.com); an endpoint takes neither.'],
    ['https://endpoint-pw@sts.example.com', 'names a user or password (https://sts.example.com); an endpoint takes neither.'],
    ['endpoint-user:endpoint-pw@sts.example.com', 'names a user or password (https://sts.example.com); an endpoint takes neither.'],
    ['https://endpoint-user:endpoint-pw@sts.example.com/x', 'names a user or password (https://sts.example.com); an endpoint takes neither.'],
    ['https://sts.example.com/endpoint-pw', 'has a path or query (https://sts.example.com/…); an endpoint is a host alone.'],
    ['https://sts.example.com?token=endpoint-pw', 'has a path or query (https://sts.example.com/…); an endpoint is a host alone.'],
    ['ftp://endpoint-user:endpoint-pw@sts.example.com', 'is not an http(s) URL: its scheme is ftp.'],
    ['https://endpoint-user:endpoint-pw@[bad', 'is not a host or URL.'],
  ])('refuses %s, naming only scheme and host', (value, message) => {
    const error = errorOf(value);
    expect(error.input).toBe('sts-endpoint');
    expect(error.message).toBe(`Input sts-endpoint: ${message}`);
    expect(`${error.message} ${error.hint}`).not.toContain('endpoint-pw');
    expect(`${error.message} ${error.hint}`).not.toContain('endpoint-user');
  });

  it('accepts a host, a host with a port and a bare https origin', () => {
    expect(parseEndpoint('endpoint', 'sts.example.com', 'x')).toEqual({ host: 'sts.example.com', protocol: 'https' });
    expect(parseEndpoint('endpoint', 'https://sts.example.com:8443/', 'x')).toEqual({ host: 'sts.example.com:8443', protocol: 'https' });
    expect(parseEndpoint('endpoint', 'http://127.0.0.1:9', 'x')).toEqual({ host: '127.0.0.1:9', protocol: 'http' });
  });
});

describe('lists: one grammar for allowed-account-ids, exclude-accounts and folders', () => {
  it.each([
    ['commas', '123,456', ['123', '456']],
    ['blanks', '123 456', ['123', '456']],
    ['new lines (a YAML block)', '123\n456\n', ['123', '456']],
    ['all of them, and empty entries', ' 123 ,\n\t456,, 789 ', ['123', '456', '789']],
    ['nothing', ' \n, ', []],
  ])('%s', (_name, value, expected) => {
    expect(listOf(value)).toEqual(expected);
    const list = readListConfig((name) => (name === 'exclude-accounts' ? value : ''));
    expect(list.excludeAccounts).toEqual([...new Set(expected)]);
    if (expected.length) {
      expect(configOf({ 'access-key-id': 'LTAI12345678', 'access-key-secret': 's', 'allowed-account-ids': value }).allowedAccountIds).toEqual(expected);
    }
  });

  it('a list of blanks only is refused by allowed-account-ids, which then has nothing to allow', () => {
    expect(() => configOf({ 'allowed-account-ids': ' , ' })).toThrow(/allowed-account-ids/);
  });
});

describe('defaultSessionName', () => {
  it('names the run and the repository within 64 valid characters', () => {
    const name = defaultSessionName({ GITHUB_REPOSITORY: `octo-org/${'r'.repeat(80)}`, GITHUB_RUN_ID: '123456789' });
    expect(name).toMatch(/^gha-123456789-octo-org-r+$/);
    expect(name.length).toBe(64);
    expect(defaultSessionName({ GITHUB_REPOSITORY: 'o/ré+po', GITHUB_RUN_ID: '1' })).toBe('gha-1-o-r--po');
    expect(defaultSessionName({})).toBe('configure-alibabacloud-credentials');
  });
});
