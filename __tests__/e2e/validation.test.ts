// End-to-end tests of input validation: each bad input runs through the BUILT main step (dist/main, a child
// process with the runner's INPUT_* and file commands) with the loopback emulator as its STS endpoint and
// GitHub token endpoint. Every case must fail with exit code 1 and one `::error::` line that names the input
// and says what to write, before ANY request (the emulator sees none), with nothing written to GITHUB_ENV,
// GITHUB_OUTPUT or GITHUB_STATE, and without echoing a secret input. No mocks.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../../emulator/server.js';
import type { AccessKey, Emulator } from '../../emulator/types.js';
import { FOREIGN_INPUTS, inputVariable } from '../../src/inputs.js';
import { findLeaks, newJob, type Job, type StepResult, oidcJobEnv } from './runner.js';

const ACCOUNT = '1234567890123456';
const ROLE = `acs:ram::${ACCOUNT}:role/Deploy`;
const PROVIDER = `acs:ram::${ACCOUNT}:oidc-provider/github`;
const PERMISSIONS = 'permissions:\n  id-token: write';
// Shaped like secrets a user might paste into the wrong input; none may be echoed.
const PASTED_SECRET = 'Xq7/secretValue+LooksLike=Base64Secret';
const SPACED_SECRET = 'abcdEFGH1234 ijklMNOP5678';
const LONE_TOKEN = 'CAISloneSecurityTokenValue0123456789';
// The value of an input the action does not have: never echoed (it may be a secret meant for another action).
const FOREIGN_VALUE = 'Fq9/foreignInputValue+NeverShown=0001';
// An STS-shaped key for the "STS key without its token" case; the emulator never sees it.
const STS_KEY = { accessKeyId: 'STS.NUgYrLnoValidationOnly0001', accessKeySecret: 'stsSecretValidationOnly0123456789' };

let em: Emulator;
let user: AccessKey;

beforeAll(async () => {
  em = await startEmulator();
  await em.addOidcProvider({ accountId: ACCOUNT, name: 'github' });
  await em.addRole({ accountId: ACCOUNT, name: 'Deploy', oidc: { providerArn: PROVIDER } });
  user = await em.addUser({ accountId: ACCOUNT, name: 'validation' });
});

afterAll(async () => {
  await em?.close();
});

interface Case {
  name: string;
  /** Inputs; `keys` adds the RAM user's access-key-id/-secret, `role` adds role-to-assume. */
  inputs: (fixtures: { keys: Record<string, string>; role: Record<string, string> }) => Record<string, string>;
  /** The input named by the failure line (`Input <name>:`); null for the missing `id-token: write` case. */
  input: string | null;
  /** Something the message must also say (e.g. both inputs of a conflict). */
  message?: RegExp;
  /** What the hint (the lines after the first) tells the user to write. */
  hint: RegExp;
  /** Job env: by default the job may request an OIDC token, pointed at the emulator. */
  env?: Record<string, string>;
  noIdToken?: boolean;
  /** The case sets sts-endpoint / use-vpc-endpoint itself (else the emulator is the endpoint). */
  ownEndpoint?: boolean;
  /** Values that must not appear in the log (the RAM user's keys always count). */
  secrets?: string[];
}

/**
 * What the action masks of a credentials URI (SECURITY.md): the URI, its password, its query, and its path when it
 * looks like a token (as these do). Each is a secret here too, so that the mask line of one (which the runner never
 * echoes) is not counted as showing another.
 */
function maskedParts(uri: string): string[] {
  const url = new URL(uri);
  return [uri, url.password, url.pathname, url.search, url.search.slice(1), url.pathname + url.search].filter((part) => part.length >= 4);
}

const cases: Case[] = [
  // ARN shapes
  {
    name: 'role-to-assume is an AWS ARN',
    inputs: ({ keys }) => ({ ...keys, 'role-to-assume': 'arn:aws:iam::123456789012:role/Deploy' }),
    input: 'role-to-assume',
    hint: /acs:ram::<account-id>:role\/<role-name>/,
  },
  {
    name: 'role-to-assume is an OIDC provider ARN',
    inputs: () => ({ 'role-to-assume': PROVIDER, 'oidc-provider-arn': PROVIDER }),
    input: 'role-to-assume',
    hint: /acs:ram::<account-id>:role\/<role-name>/,
  },
  {
    name: 'role-to-assume is a bare role name',
    inputs: ({ keys }) => ({ ...keys, 'role-to-assume': 'Deploy' }),
    input: 'role-to-assume',
    hint: /acs:ram::<account-id>:role\/<role-name>/,
  },
  {
    name: 'oidc-provider-arn is a role ARN',
    inputs: ({ role }) => ({ ...role, 'oidc-provider-arn': ROLE }),
    input: 'oidc-provider-arn',
    hint: /acs:ram::<account-id>:oidc-provider\/<name>/,
  },
  {
    name: 'audience contains white space',
    inputs: ({ role }) => ({ ...role, 'oidc-provider-arn': PROVIDER, audience: 'sts.aliyuncs.com other' }),
    input: 'audience',
    hint: /one Client ID .* e\.g\. sts\.aliyuncs\.com/,
  },

  // Session name, expiration, external id, policy
  {
    name: 'role-session-name of one character',
    inputs: ({ keys, role }) => ({ ...keys, ...role, 'role-session-name': 'a' }),
    input: 'role-session-name',
    hint: /2-64 characters of A-Z a-z 0-9 \. @ - _/,
  },
  {
    name: 'role-session-name of 65 characters',
    inputs: ({ keys, role }) => ({ ...keys, ...role, 'role-session-name': 'x'.repeat(65) }),
    input: 'role-session-name',
    hint: /2-64 characters/,
  },
  {
    name: 'role-session-name with a space and "!"',
    inputs: ({ keys, role }) => ({ ...keys, ...role, 'role-session-name': 'deploy session!' }),
    input: 'role-session-name',
    hint: /2-64 characters/,
  },
  {
    name: 'role-session-expiration below 900',
    inputs: ({ keys, role }) => ({ ...keys, ...role, 'role-session-expiration': '899' }),
    input: 'role-session-expiration',
    message: /out of range/,
    hint: /from 900 to 43200/,
  },
  {
    name: 'role-session-expiration above 43200',
    inputs: ({ keys, role }) => ({ ...keys, ...role, 'role-session-expiration': '43201' }),
    input: 'role-session-expiration',
    message: /out of range/,
    hint: /from 900 to 43200/,
  },
  {
    name: 'role-session-expiration with a unit',
    inputs: ({ keys, role }) => ({ ...keys, ...role, 'role-session-expiration': '1h' }),
    input: 'role-session-expiration',
    message: /not a whole number/,
    hint: /from 900 to 43200/,
  },
  {
    name: 'role-external-id with characters STS refuses',
    inputs: ({ keys, role }) => ({ ...keys, ...role, 'role-external-id': 'ext id!' }),
    input: 'role-external-id',
    hint: /2-1224 characters/,
  },
  {
    name: 'role-external-id with the OIDC flow',
    inputs: ({ role }) => ({ ...role, 'oidc-provider-arn': PROVIDER, 'role-external-id': 'ext-1234' }),
    input: 'role-external-id',
    message: /AssumeRoleWithOIDC/,
    hint: /Remove `role-external-id`/,
  },
  {
    name: 'role-external-id without role-to-assume',
    inputs: ({ keys }) => ({ ...keys, 'role-external-id': 'ext-1234' }),
    input: 'role-external-id',
    message: /needs `role-to-assume`/,
    hint: /Add the role/,
  },
  {
    name: 'source-identity with characters STS refuses (a bot actor)',
    inputs: ({ keys, role }) => ({ ...keys, ...role, 'source-identity': 'dependabot[bot]' }),
    input: 'source-identity',
    message: /not a source identity/,
    hint: /2-64 characters/,
  },
  {
    name: 'source-identity with the OIDC flow',
    inputs: ({ role }) => ({ ...role, 'oidc-provider-arn': PROVIDER, 'source-identity': 'octocat' }),
    input: 'source-identity',
    message: /AssumeRoleWithOIDC has no SourceIdentity/,
    hint: /role-chaining: true/,
  },
  {
    name: 'source-identity without role-to-assume',
    inputs: ({ keys }) => ({ ...keys, 'source-identity': 'octocat' }),
    input: 'source-identity',
    message: /needs `role-to-assume`/,
    hint: /Add the role/,
  },
  {
    name: 'inline-session-policy that is not JSON',
    inputs: ({ keys, role }) => ({ ...keys, ...role, 'inline-session-policy': '{"Version":"1","Statement":[' }),
    input: 'inline-session-policy',
    message: /not valid JSON/,
    hint: /\{"Version":"1","Statement":\[/,
  },
  {
    name: 'inline-session-policy without a Statement array',
    inputs: ({ keys, role }) => ({ ...keys, ...role, 'inline-session-policy': '[{"Effect":"Allow","Action":"*","Resource":"*"}]' }),
    input: 'inline-session-policy',
    message: /not a RAM policy document/,
    hint: /"Statement" array/,
  },
  {
    name: 'inline-session-policy without role-to-assume',
    inputs: ({ keys }) => ({ ...keys, 'inline-session-policy': '{"Version":"1","Statement":[]}' }),
    input: 'inline-session-policy',
    hint: /Add `role-to-assume`/,
  },

  // Endpoints and region
  { name: 'region that is not a region ID', inputs: ({ keys }) => ({ ...keys, region: 'Hangzhou' }), input: 'region', hint: /cn-hangzhou/ },
  {
    name: 'use-vpc-endpoint without region',
    inputs: ({ keys }) => ({ ...keys, 'use-vpc-endpoint': 'true' }),
    ownEndpoint: true,
    input: 'use-vpc-endpoint',
    hint: /Set `region`/,
  },
  {
    name: 'use-vpc-endpoint with sts-endpoint',
    inputs: ({ keys }) => ({ ...keys, 'use-vpc-endpoint': 'true', region: 'cn-hangzhou', 'sts-endpoint': `http://${em.stsHost}` }),
    ownEndpoint: true,
    input: 'use-vpc-endpoint',
    hint: /Remove one of them/,
  },
  {
    name: 'sts-endpoint over plain http to a public host',
    inputs: ({ keys }) => ({ ...keys, 'sts-endpoint': 'http://sts.cn-shanghai.aliyuncs.com' }),
    ownEndpoint: true,
    input: 'sts-endpoint',
    message: /in the clear/,
    hint: /Use https/,
  },
  {
    name: 'sts-endpoint over plain http to a private address',
    inputs: ({ keys }) => ({ ...keys, 'sts-endpoint': 'http://10.0.0.5:8080' }),
    ownEndpoint: true,
    input: 'sts-endpoint',
    message: /in the clear/,
    hint: /loopback address/,
  },
  {
    name: 'sts-endpoint with a path',
    inputs: ({ keys }) => ({ ...keys, 'sts-endpoint': 'https://sts.aliyuncs.com/v1' }),
    ownEndpoint: true,
    input: 'sts-endpoint',
    message: /has a path or query \(https:\/\/sts\.aliyuncs\.com\/…\)/,
    hint: /URL with no path/,
  },
  {
    // The value is no secret input, so nothing masks it: the message must not quote it.
    name: 'sts-endpoint with a user, a password and a path',
    inputs: ({ keys }) => ({ ...keys, 'sts-endpoint': 'https://ci-endpoint-user:endpoint-password-0005@sts.aliyuncs.com/v1' }),
    ownEndpoint: true,
    input: 'sts-endpoint',
    message: /names a user or password \(https:\/\/sts\.aliyuncs\.com\)/,
    hint: /URL with no path/,
    secrets: ['endpoint-password-0005', 'ci-endpoint-user'],
  },
  {
    name: 'sts-endpoint with a password alone',
    inputs: ({ keys }) => ({ ...keys, 'sts-endpoint': 'https://:endpoint-password-0006@sts.aliyuncs.com' }),
    ownEndpoint: true,
    input: 'sts-endpoint',
    message: /names a user or password/,
    hint: /URL with no path/,
    secrets: ['endpoint-password-0006'],
  },

  // Booleans and numbers
  { name: 'export-env: yes', inputs: ({ keys }) => ({ ...keys, 'export-env': 'yes' }), input: 'export-env', hint: /Write true or false/ },
  { name: 'output-credentials: 1', inputs: ({ keys }) => ({ ...keys, 'output-credentials': '1' }), input: 'output-credentials', hint: /Write true or false/ },
  { name: 'role-chaining: on', inputs: ({ role }) => ({ ...role, 'role-chaining': 'on' }), input: 'role-chaining', hint: /Write true or false/ },
  {
    name: 'use-vpc-endpoint: yes',
    inputs: ({ keys }) => ({ ...keys, region: 'cn-hangzhou', 'use-vpc-endpoint': 'yes' }),
    ownEndpoint: true,
    input: 'use-vpc-endpoint',
    hint: /Write true or false/,
  },
  { name: 'mask-account-id: maybe', inputs: ({ keys }) => ({ ...keys, 'mask-account-id': 'maybe' }), input: 'mask-account-id', hint: /Write true or false/ },
  {
    name: 'refresh-credentials: enabled',
    inputs: ({ keys, role }) => ({ ...keys, ...role, 'refresh-credentials': 'enabled' }),
    input: 'refresh-credentials',
    hint: /Write true or false/,
  },
  { name: 'retry-max-attempts: 0', inputs: ({ keys }) => ({ ...keys, 'retry-max-attempts': '0' }), input: 'retry-max-attempts', hint: /from 1 to 10/ },
  { name: 'retry-max-attempts: 11', inputs: ({ keys }) => ({ ...keys, 'retry-max-attempts': '11' }), input: 'retry-max-attempts', hint: /from 1 to 10/ },
  { name: 'retry-max-attempts: three', inputs: ({ keys }) => ({ ...keys, 'retry-max-attempts': 'three' }), input: 'retry-max-attempts', hint: /from 1 to 10/ },

  // Account IDs
  {
    name: 'allowed-account-ids with a non-numeric entry',
    inputs: ({ keys }) => ({ ...keys, 'allowed-account-ids': `${ACCOUNT}, prod-account` }),
    input: 'allowed-account-ids',
    message: /"prod-account"/,
    hint: /digits only/,
  },
  {
    name: 'allowed-account-ids without the account of role-to-assume',
    inputs: ({ keys, role }) => ({ ...keys, ...role, 'allowed-account-ids': '6543210987654321' }),
    input: 'allowed-account-ids',
    message: new RegExp(ACCOUNT),
    hint: /Add that account ID/,
  },

  // Secret inputs: named, never echoed
  { name: 'access-key-id without access-key-secret', inputs: () => ({ 'access-key-id': user.accessKeyId }), input: 'access-key-secret', hint: /Pass both/ },
  { name: 'access-key-secret without access-key-id', inputs: () => ({ 'access-key-secret': user.accessKeySecret }), input: 'access-key-id', hint: /Pass both/ },
  {
    name: 'access-key-id holding a pasted secret',
    inputs: () => ({ 'access-key-id': PASTED_SECRET, 'access-key-secret': user.accessKeySecret }),
    input: 'access-key-id',
    hint: /LTAI… or STS\.…/,
    secrets: [PASTED_SECRET],
  },
  {
    name: 'access-key-secret with white space',
    inputs: () => ({ 'access-key-id': user.accessKeyId, 'access-key-secret': SPACED_SECRET }),
    input: 'access-key-secret',
    hint: /paste the AccessKey secret alone/,
    secrets: [SPACED_SECRET],
  },
  {
    name: 'security-token without keys',
    inputs: ({ role }) => ({ ...role, 'security-token': LONE_TOKEN }),
    input: 'security-token',
    hint: /Pass all three/,
    secrets: [LONE_TOKEN],
  },
  {
    name: 'STS access-key-id without security-token',
    inputs: ({ role }) => ({ ...role, 'access-key-id': STS_KEY.accessKeyId, 'access-key-secret': STS_KEY.accessKeySecret }),
    input: 'security-token',
    message: /STS AccessKeys/,
    hint: /security token of the same STS session/,
    secrets: [STS_KEY.accessKeyId, STS_KEY.accessKeySecret],
  },

  // Sources: exactly one
  {
    name: 'AccessKeys and credentials-uri',
    inputs: ({ keys }) => ({ ...keys, 'credentials-uri': `${em.url}/credentials/x` }),
    input: 'credentials-uri',
    message: /conflicts with `access-key-id`/,
    hint: /Remove `access-key-id` or `credentials-uri`/,
  },
  {
    name: 'oidc-provider-arn and AccessKeys',
    inputs: ({ keys, role }) => ({ ...keys, ...role, 'oidc-provider-arn': PROVIDER }),
    input: 'access-key-id',
    message: /conflicts with `oidc-provider-arn`/,
    hint: /Remove `oidc-provider-arn` or `access-key-id`/,
  },
  {
    name: 'role-chaining and ecs-ram-role',
    inputs: ({ role }) => ({ ...role, 'role-chaining': 'true', 'ecs-ram-role': 'EcsRole' }),
    input: 'ecs-ram-role',
    message: /conflicts with `role-chaining`/,
    hint: /Remove `role-chaining` or `ecs-ram-role`/,
  },
  {
    name: 'role-to-assume alone, job can request an OIDC token',
    inputs: ({ role }) => role,
    input: 'oidc-provider-arn',
    message: /is missing/,
    hint: /oidc-provider-arn: acs:ram::<account-id>:oidc-provider\/<name>/,
  },
  {
    name: 'role-to-assume alone, no ACTIONS_ID_TOKEN_REQUEST_URL',
    inputs: ({ role }) => role,
    noIdToken: true,
    input: 'role-to-assume',
    hint: new RegExp(`${PERMISSIONS}[^]*access-key-id`),
  },
  {
    name: 'OIDC flow without `id-token: write`',
    inputs: ({ role }) => ({ ...role, 'oidc-provider-arn': PROVIDER }),
    noIdToken: true,
    input: null,
    message: /ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set/,
    hint: new RegExp(`${PERMISSIONS}\n  contents: read`),
  },
  {
    name: 'oidc-token-file without oidc-provider-arn',
    inputs: ({ role }) => ({ ...role, 'oidc-token-file': '/var/run/secrets/token' }),
    input: 'oidc-token-file',
    hint: /Add the ARN of the RAM OIDC identity provider/,
  },
  {
    name: 'oidc-provider-arn without role-to-assume',
    inputs: () => ({ 'oidc-provider-arn': PROVIDER }),
    input: 'oidc-provider-arn',
    message: /needs `role-to-assume`/,
    hint: /role-to-assume: acs:ram::<account-id>:role\/<name>/,
  },
  {
    name: 'role-chaining without role-to-assume',
    inputs: () => ({ 'role-chaining': 'true' }),
    input: 'role-chaining',
    message: /needs `role-to-assume`/,
    hint: /role-to-assume: acs:ram::<account-id>:role\/<name>/,
  },
  {
    name: 'role-chaining with no earlier credentials',
    inputs: ({ role }) => ({ ...role, 'role-chaining': 'true' }),
    input: 'role-chaining',
    message: /ALIBABA_CLOUD_ACCESS_KEY_SECRET/,
    hint: /Run a step that exports credentials first/,
  },
  {
    name: 'role-chaining with only an AccessKey ID in the environment',
    inputs: ({ role }) => ({ ...role, 'role-chaining': 'true' }),
    env: { ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.EarlierStepKeyIdOnly00001' },
    input: 'role-chaining',
    hint: /Run a step that exports credentials first/,
    secrets: ['STS.EarlierStepKeyIdOnly00001'],
  },
  { name: 'no source at all', inputs: () => ({}), input: 'role-to-assume', message: /no other source/, hint: /access-key-id/ },
  { name: 'ecs-ram-role given as an ARN', inputs: () => ({ 'ecs-ram-role': ROLE }), input: 'ecs-ram-role', hint: /not its ARN/ },
  {
    name: 'credentials-uri with an ftp scheme',
    inputs: () => ({ 'credentials-uri': 'ftp://broker.internal/credentials' }),
    input: 'credentials-uri',
    hint: /https:\/\//,
  },
  {
    // A credentials URI may carry a token in its path or query, or a password: none of it is quoted, all of it masked.
    name: 'credentials-uri with an ftp scheme, a password, and tokens in its path and query',
    inputs: () => ({ 'credentials-uri': 'ftp://ci:uri-password-0001@broker.internal/c/path-token-0001?token=query-token-0001' }),
    input: 'credentials-uri',
    hint: /https:\/\//,
    secrets: [...maskedParts('ftp://ci:uri-password-0001@broker.internal/c/path-token-0001?token=query-token-0001'), 'path-token-0001', 'query-token-0001'],
  },
  {
    name: 'credentials-uri that is no URL, with a token in it',
    inputs: () => ({ 'credentials-uri': 'broker.internal/c?token=query-token-0002' }),
    input: 'credentials-uri',
    hint: /https:\/\//,
    secrets: ['broker.internal/c?token=query-token-0002', 'query-token-0002'],
  },
  {
    name: 'credentials-uri over plain http to a public host, with a token in its path',
    inputs: () => ({ 'credentials-uri': 'http://broker.example.com/path-token-0003/credentials' }),
    input: 'credentials-uri',
    message: /in the clear/,
    hint: /Use https/,
    secrets: [...maskedParts('http://broker.example.com/path-token-0003/credentials'), 'path-token-0003'],
  },
  {
    name: 'credentials-uri over plain http to a public host',
    inputs: () => ({ 'credentials-uri': 'http://broker.example.com/credentials' }),
    input: 'credentials-uri',
    message: /in the clear/,
    hint: /Use https/,
  },
  {
    name: 'credentials-uri over plain http just outside 172.16/12',
    inputs: () => ({ 'credentials-uri': 'http://172.32.0.1/credentials' }),
    input: 'credentials-uri',
    message: /in the clear/,
    hint: /private address/,
  },

  // Delivery
  {
    name: 'export-env: false with no other delivery',
    inputs: ({ keys }) => ({ ...keys, 'export-env': 'false' }),
    input: 'export-env',
    hint: /output-credentials: true or aliyun-profile/,
  },
  {
    name: 'refresh-credentials with export-env: false',
    inputs: ({ keys, role }) => ({ ...keys, ...role, 'refresh-credentials': 'true', 'export-env': 'false', 'output-credentials': 'true' }),
    input: 'refresh-credentials',
    hint: /Remove `export-env: false`/,
  },
  {
    name: 'refresh-credentials for AccessKeys without a role',
    inputs: ({ keys }) => ({ ...keys, 'refresh-credentials': 'true' }),
    input: 'refresh-credentials',
    message: /nothing to refresh/,
    hint: /Add `role-to-assume`/,
  },
  { name: 'aliyun-profile with a space', inputs: ({ keys }) => ({ ...keys, 'aliyun-profile': 'my profile' }), input: 'aliyun-profile', hint: /1-64 letters/ },

  // Inputs the action does not have, as the runner passes them (INPUT_<NAME>, next to a valid OIDC flow): another
  // credentials action's names, each with the input it means here; one without an equivalent; a typo; a stray name.
  ...Object.entries(FOREIGN_INPUTS)
    .filter(([name, entry]) => entry.use || name === 'role-skip-session-tagging')
    .map(([name, entry]) => ({
      name: `${name}, an input of ${entry.of.join(' and ')}`,
      inputs: ({ role }: { role: Record<string, string> }) => ({ ...role, 'oidc-provider-arn': PROVIDER }),
      env: { [inputVariable(name)]: FOREIGN_VALUE },
      input: name,
      message: /is not an input of this action\.$/,
      hint: new RegExp(entry.use ? `this action calls it ${entry.use}\\.$` : 'sets no session tags'),
      secrets: [FOREIGN_VALUE],
    })),
  {
    name: 'a typo: role-to-asume',
    inputs: () => ({ 'oidc-provider-arn': PROVIDER }),
    env: { 'INPUT_ROLE-TO-ASUME': ROLE },
    input: 'role-to-asume',
    message: /is not an input of this action\.$/,
    hint: /^Did you mean role-to-assume\?$/,
  },
  {
    name: 'an input with underscores: role_session_expiration',
    inputs: ({ role }) => ({ ...role, 'oidc-provider-arn': PROVIDER }),
    env: { INPUT_ROLE_SESSION_EXPIRATION: '21600' },
    input: 'role_session_expiration',
    hint: /^Did you mean role-session-expiration\?$/,
  },
  {
    name: 'two inputs the action does not have',
    inputs: ({ role }) => ({ ...role, 'oidc-provider-arn': PROVIDER }),
    env: { 'INPUT_AWS-REGION': 'cn-hangzhou', 'INPUT_ROLE-DURATION-SECONDS': '10800' },
    input: 'aws-region',
    message: /\(nor is role-duration-seconds\)\.$/,
    hint: /^aws-region: .*calls it region\.\nrole-duration-seconds: .*calls it role-session-expiration\.$/,
  },
];

function fileOf(job: Job, kind: 'env' | 'output' | 'state', step = 1): string {
  return readFileSync(join(job.dir, `${kind}-${step}`), 'utf8');
}

async function runCase(c: Case): Promise<{ job: Job; main: StepResult; secrets: string[] }> {
  const job = newJob({
    ...(c.noIdToken ? {} : oidcJobEnv(em)),
    ...c.env,
  });
  const inputs = c.inputs({ keys: { 'access-key-id': user.accessKeyId, 'access-key-secret': user.accessKeySecret }, role: { 'role-to-assume': ROLE } });
  // The emulator is the STS endpoint: had validation let the input through, the request would show up there.
  if (!c.ownEndpoint) inputs['sts-endpoint'] ??= `http://${em.stsHost}`;
  await em.resetRequests();
  const main = await job.main(inputs);
  const secrets = [...(await em.secrets()), user.accessKeyId, ...(c.secrets ?? [])];
  return { job, main, secrets };
}

describe('bad input fails before any request', () => {
  it.each(cases)('$name', async (c) => {
    const { job, main, secrets } = await runCase(c);
    expect(main.code).toBe(1);

    // One failure line: the input named first, then the hint on the lines after it.
    expect(main.stdout.match(/^::error::/gm)).toHaveLength(1);
    const [first, ...rest] = (main.error ?? '').split('\n');
    const hint = rest.join('\n');
    if (c.input === null) {
      expect(first).not.toMatch(/^Input /);
    } else {
      expect(first.startsWith(`Input ${c.input}:`)).toBe(true);
    }
    if (c.message) expect(first).toMatch(c.message);
    expect(hint).toMatch(c.hint);

    // Caught before the network: not even the GitHub token endpoint was asked.
    expect(await em.requests()).toEqual([]);
    expect(fileOf(job, 'env')).toBe('');
    expect(fileOf(job, 'output')).toBe('');
    expect(fileOf(job, 'state')).toBe('');
    expect(findLeaks(main, secrets)).toEqual([]);
  });

  it('the post step after a failed main step exits 0 with nothing to clean up', async () => {
    const c = cases.find((x) => x.name === 'access-key-secret with white space');
    if (!c) throw new Error('case missing');
    const { job, main, secrets } = await runCase(c);
    expect(main.code).toBe(1);
    const post = await job.post();
    expect(post.code).toBe(0);
    expect(post.error).toBeUndefined();
    expect(post.stdout).toContain('Nothing to clean up.');
    expect(fileOf(job, 'env', 2)).toBe('');
    expect(fileOf(job, 'state', 2)).toBe('');
    expect(findLeaks(post, secrets)).toEqual([]);
    expect(await em.requests()).toEqual([]);
  });
});

describe('credentials-uri is a secret from the start', () => {
  it('its value, password, path and query are masked before the first line of the log, and the request is made', async () => {
    const path = new URL((await em.addCredentialsUri({ accountId: ACCOUNT, roleName: 'masked-uri' })).url).pathname;
    const uri = `http://ci:uri-password-0004@127.0.0.1:${new URL(em.url).port}${path}?token=query-token-0004`;
    const job = newJob();
    await em.resetRequests();
    const main = await job.main({ 'credentials-uri': uri, 'sts-endpoint': `http://${em.stsHost}` });
    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    expect((await em.requests()).map((r) => `${r.target} ${r.status}`)).toContain('credentials-uri 200');
    const lines = main.stdout.split('\n');
    const firstOther = lines.findIndex((line) => !line.startsWith('::add-mask::'));
    const early = main.masks.slice(0, firstOther);
    expect(early).toEqual(expect.arrayContaining([uri, 'uri-password-0004', path, '?token=query-token-0004', `${path}?token=query-token-0004`]));
    expect(findLeaks(main, [...maskedParts(uri), 'query-token-0004', ...(await em.secrets())])).toEqual([]);
  });

  it('an ordinary path is not masked on its own (it would hide that text in every later line); the URI is', async () => {
    const { url } = await em.addCredentialsUri({ accountId: ACCOUNT, roleName: 'plain-path-uri', path: '/credentials' });
    const main = await newJob().main({ 'credentials-uri': url, 'sts-endpoint': `http://${em.stsHost}` });
    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    expect(main.masks).toContain(url);
    expect(main.masks).not.toContain('/credentials');
    expect(findLeaks(main, [url, ...(await em.secrets())])).toEqual([]);
  });
});

describe('oidc-token-file that is not a small regular file fails at once, names the input, reads and sends nothing', () => {
  const files: Array<[string, (path: string) => void, RegExp]> = [
    // A FIFO whose writer never comes: opening it for reading would hang the step.
    ['a FIFO', (path) => execFileSync('mkfifo', ['-m', '600', path]), /is not a regular file/],
    ['a directory', (path) => mkdirSync(path), /is not a regular file/],
    // 200 MiB, sparse: a JWT is a few KiB; the file is refused by its size, not read, not masked, not sent.
    [
      'a 200 MiB file',
      (path) => {
        writeFileSync(path, 'eyJ');
        truncateSync(path, 200 * 1024 * 1024);
      },
      /is 209715200 bytes, more than an OIDC token takes \(65536\)/,
    ],
  ];
  it.each(files)('%s', async (_name, make, says) => {
    if (process.platform === 'win32' && _name === 'a FIFO') return void console.warn('no mkfifo on Windows: the FIFO case is not run');
    const job = newJob();
    const path = join(job.dir, 'token');
    make(path);
    await em.resetRequests();
    const main = await job.main({ 'oidc-token-file': path, 'oidc-provider-arn': PROVIDER, 'role-to-assume': ROLE, 'sts-endpoint': `http://${em.stsHost}` });
    expect(main.code).toBe(1);
    expect(main.error).toMatch(new RegExp(`^Input oidc-token-file: .*token ${says.source}`));
    expect(main.masks).toEqual([]);
    expect(await em.requests()).toEqual([]);
    expect(fileOf(job, 'env')).toBe('');
  });
});
