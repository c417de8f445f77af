// Fault injection against the BUILT action: which failures are retried and which are not, how each retry is
// logged, what a failed step says and leaves behind, and that no secret reaches the log — above all the OIDC
// token, which the STS SDK repeats inside the request URL of its network and timeout errors.
// Nothing is mocked: dist/main runs as a child process, the way the runner runs it, against the loopback
// emulator; its queued faults (queueFault) play a failing STS, a failing GitHub token endpoint or a bad network,
// and its own checks (roles, trust, signatures, keys) produce the real error conditions.
// Every scenario runs twice, normally and with RUNNER_DEBUG=1 (a re-run with debug logging), both with DEBUG=*
// (runner.ts LOG_MODES: no dependency may log on its own), with the same
// assertions and a leak scan (findLeaks) of stdout, stderr and the job summary each time. The two runs go to two
// emulators set up alike, side by side, so that backoff waits and timeouts overlap.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ActionError } from '../../src/errors.js';
import { STS_ERROR_CODES, STS_MESSAGE_CODES } from '../../src/sts-codes.js';
import { codes as EMULATOR_CODES } from '../../emulator/codes.js';
import { startEmulator } from '../../emulator/server.js';
import type { AccessKey, Emulator, Fault, FaultTarget, MintTokenOptions, RequestRecord } from '../../emulator/types.js';
import { findLeaks, newJob, ROOT, runNode, type Job, type StepResult, LOG_MODES, type LogMode, oidcJobEnv } from './runner.js';

const ACCOUNT = '1234567890123456';
const OTHER_ACCOUNT = '6543210987654321';
const SESSION = 'faults-e2e';
const DEFAULT_ATTEMPTS = 5; // action.yml's default of retry-max-attempts
const CONSUMER = join(ROOT, '__tests__/e2e/consumer.mjs');
// Longer than every timeout of the action: such a request can only end by the client giving up.
const STALL: Fault = { kind: 'stall', ms: 20_000 };
const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;
// retry.ts: a throttled retry counts its own attempts and shows no cap; the others count theirs, of retry-max-attempts.
const RETRY_LINE =
  /^(?<step>[A-Za-z ]+): (?:throttled attempt (?<t>\d+)|attempt (?<n>\d+)\/(?<max>\d+) failed) \((?<code>[^,()\s]+)(?:, RequestId (?<rid>[^)\s]+))?\); retrying in (?<wait>\d+) ms\.$/;
// retry.ts: full jitter over 500 ms doubling per attempt, at most 8 s; for a throttled attempt, the upper half of a
// window of 2 s doubling per throttled attempt, at most 12 s. Checked on the logged value only.
const waitRange = (attempt: number, throttled: boolean): [number, number] => {
  if (!throttled) return [0, Math.min(8000, 500 * 2 ** (attempt - 1))];
  const window = Math.min(12_000, 2000 * 2 ** (attempt - 1));
  return [window / 2, window];
};
const MODES = LOG_MODES;
type Mode = LogMode;

type Inputs = Record<string, string>;
type KeyPair = Pick<AccessKey, 'accessKeyId' | 'accessKeySecret'>;
type QueuedFault = readonly [target: FaultTarget, fault: Fault, count: number];

/** One emulator and what the scenarios need in it. */
interface World {
  readonly em: Emulator;
  readonly provider: string;
  /** Same issuer as `provider`, but no role trusts it. */
  readonly untrustedProvider: string;
  readonly gitlabProvider: string;
  readonly oidcRole: string;
  /** Trusts `provider` for another repository's sub only. */
  readonly strictRole: string;
  readonly akRole: string;
  readonly foreignRole: string;
  readonly externalIdRole: string;
  readonly user: AccessKey;
  readonly lockedUser: AccessKey;
  readonly disabledUser: AccessKey;
  readonly rootKey: AccessKey;
  readonly credentialsUri: string;
}

interface Spec {
  readonly inputs: Inputs;
  readonly faults?: readonly QueuedFault[];
  /** Secrets given as inputs that the emulator never issued (a wrong secret, a forged token). */
  readonly extraSecrets?: readonly string[];
  /** OIDC tokens minted before the step (token files). */
  readonly tokens?: readonly string[];
}

interface Run {
  readonly mode: Mode;
  readonly world: World;
  readonly result: StepResult;
  /** What the emulator saw during the step (admin calls excluded). */
  readonly requests: RequestRecord[];
  /** The OIDC tokens of the step: minted for it, or put into its token file. */
  readonly tokens: string[];
  readonly job: Job;
}

interface Identity {
  readonly accountId: string;
  readonly arn: string;
}

const worlds = new Map<Mode['name'], World>();
const scanned = { scenarios: new Set<string>(), runs: 0 };
const nonRetryableCodes = new Set<string>();

async function makeWorld(): Promise<World> {
  const em = await startEmulator();
  const provider = (await em.addOidcProvider({ accountId: ACCOUNT, name: 'github' })).arn;
  return {
    em,
    provider,
    untrustedProvider: (await em.addOidcProvider({ accountId: ACCOUNT, name: 'github-untrusted' })).arn,
    gitlabProvider: (await em.addOidcProvider({ accountId: ACCOUNT, name: 'gitlab', issuerUrl: 'https://gitlab.example.com' })).arn,
    oidcRole: (
      await em.addRole({ accountId: ACCOUNT, name: 'oidc-role', maxSessionDuration: 3600, oidc: { providerArn: provider, sub: ['repo:octo-org/octo-repo:*'] } })
    ).arn,
    strictRole: (await em.addRole({ accountId: ACCOUNT, name: 'strict-role', oidc: { providerArn: provider, sub: ['repo:octo-org/other-repo:*'] } })).arn,
    akRole: (await em.addRole({ accountId: ACCOUNT, name: 'ak-role', maxSessionDuration: 3600 })).arn,
    foreignRole: (await em.addRole({ accountId: OTHER_ACCOUNT, name: 'foreign-role' })).arn,
    externalIdRole: (await em.addRole({ accountId: ACCOUNT, name: 'external-id-role', externalId: 'expected-external-id' })).arn,
    user: await em.addUser({ accountId: ACCOUNT, name: 'ci' }),
    lockedUser: await em.addUser({ accountId: ACCOUNT, name: 'no-assume', canAssumeRole: false }),
    disabledUser: await (async () => {
      const key = await em.addUser({ accountId: ACCOUNT, name: 'disabled' });
      await em.setKeyActive({ accessKeyId: key.accessKeyId, active: false });
      return key;
    })(),
    rootKey: await em.addRootKey({ accountId: ACCOUNT }),
    credentialsUri: (await em.addCredentialsUri({ accountId: ACCOUNT, roleName: 'uri-role' })).url,
  };
}

beforeAll(async () => {
  for (const mode of MODES) worlds.set(mode.name, await makeWorld());
});

afterAll(async () => {
  for (const world of worlds.values()) await world.em.close();
  console.log(
    `faults.test.ts: ${scanned.scenarios.size} scenarios passed, ${scanned.runs} runs of dist/main leak-scanned (every scenario plain and with RUNNER_DEBUG=1, both with DEBUG=*); ` +
      `${nonRetryableCodes.size} non-retryable STS codes injected, each costing exactly one request.`,
  );
});

// ---------------------------------------------------------------------------------------------
// Inputs of the three STS calls, and who the later step must then be.

const oidcInputs = (w: World, extra: Inputs = {}): Inputs => ({
  'role-to-assume': w.oidcRole,
  'oidc-provider-arn': w.provider,
  'role-session-name': SESSION,
  'sts-endpoint': w.em.url,
  ...extra,
});
const keyInputs = (w: World, key: KeyPair = w.user, extra: Inputs = {}): Inputs => ({
  'access-key-id': key.accessKeyId,
  'access-key-secret': key.accessKeySecret,
  'sts-endpoint': w.em.url,
  ...extra,
});
const assumeInputs = (w: World, role = w.akRole, key: KeyPair = w.user, extra: Inputs = {}): Inputs => ({
  ...keyInputs(w, key),
  'role-to-assume': role,
  'role-session-name': SESSION,
  ...extra,
});

const roleSession = (roleArn: string): Identity => {
  const [, accountId, name] = /^acs:ram::(\d+):role\/(.+)$/.exec(roleArn) ?? [];
  return { accountId, arn: `acs:ram::${accountId}:assumed-role/${name}/${SESSION}` };
};

/** The flow whose STS call (or token request) is `target`, and who its credentials belong to. */
function flowOf(target: FaultTarget): { inputs: (w: World) => Inputs; identity: (w: World) => Identity } {
  switch (target) {
    case 'AssumeRoleWithOIDC':
    case 'oidc-token':
      return { inputs: (w) => oidcInputs(w), identity: (w) => roleSession(w.oidcRole) };
    case 'AssumeRole':
      return { inputs: (w) => assumeInputs(w), identity: (w) => roleSession(w.akRole) };
    case 'GetCallerIdentity':
      return { inputs: (w) => keyInputs(w), identity: (w) => ({ accountId: ACCOUNT, arn: w.user.arn }) };
    default:
      throw new Error(`no flow for ${target}`);
  }
}

/** The step named by the retry line: GitHub's token is fetched inside each AssumeRoleWithOIDC attempt. */
const stepOf = (target: FaultTarget) => (target === 'oidc-token' ? 'AssumeRoleWithOIDC' : target);

/** The requests of one attempt, in order, up to the one `target` answers. */
function attempt(target: FaultTarget, ok: boolean): string[] {
  if (target === 'oidc-token') return ok ? ['oidc-token', 'AssumeRoleWithOIDC'] : ['oidc-token'];
  if (target === 'AssumeRoleWithOIDC') return ['oidc-token', 'AssumeRoleWithOIDC'];
  return [target];
}

const withAttempts = (inputs: Inputs, attempts: number): Inputs =>
  attempts === DEFAULT_ATTEMPTS ? inputs : { ...inputs, 'retry-max-attempts': String(attempts) };

// ---------------------------------------------------------------------------------------------
// Running a scenario

async function runMain(world: World, spec: Spec, mode: Mode): Promise<Run> {
  const { em } = world;
  await em.clearFaults();
  await em.resetRequests();
  const before = new Set(await em.secrets());
  for (const [target, fault, count] of spec.faults ?? []) await em.queueFault(target, fault, count);
  const job = newJob(oidcJobEnv(em));
  const result = await job.main(spec.inputs, { ...mode.env });
  const requests = await em.requests();
  const secrets = await em.secrets();
  await em.clearFaults();

  const inputSecrets = ['access-key-id', 'access-key-secret', 'security-token']
    .map((name) => spec.inputs[name])
    .filter((value): value is string => Boolean(value));
  const exportedKeyId = result.exported.ALIBABA_CLOUD_ACCESS_KEY_ID ? [result.exported.ALIBABA_CLOUD_ACCESS_KEY_ID] : [];
  const leaks = findLeaks(result, [...secrets, ...inputSecrets, ...exportedKeyId, ...(spec.extraSecrets ?? [])]);
  expect({ mode: mode.name, leaks }).toEqual({ mode: mode.name, leaks: [] });
  // Every queued fault met its request: the scenario tested what it says it tests.
  const queued = (spec.faults ?? []).reduce((sum, [, , count]) => sum + count, 0);
  expect({ mode: mode.name, faultsConsumed: requests.filter((r) => r.fault).length }).toEqual({ mode: mode.name, faultsConsumed: queued });
  scanned.runs++;
  const minted = secrets.filter((s) => !before.has(s) && /^eyJ[^.]*\.[^.]*\.[^.]*$/.test(s));
  return { mode, world, result, requests, tokens: [...(spec.tokens ?? []), ...minted], job };
}

/** One test: the scenario runs plain and with RUNNER_DEBUG=1 (side by side, one emulator each); `check` holds for both. */
function scenario(name: string, spec: (w: World) => Spec | Promise<Spec>, check: (run: Run) => void | Promise<void>, timeout?: number): void {
  it(
    name,
    async () => {
      const settled = await Promise.allSettled(
        MODES.map(async (mode) => {
          const world = worlds.get(mode.name);
          if (!world) throw new Error('no emulator');
          return runMain(world, await spec(world), mode);
        }),
      );
      for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
      for (const outcome of settled) {
        if (outcome.status !== 'fulfilled') continue;
        const run = outcome.value;
        try {
          await check(run);
        } catch (error) {
          if (error instanceof Error)
            error.message = `[${run.mode.name}] ${error.message}\n--- stdout ---\n${run.result.stdout}\n--- stderr ---\n${run.result.stderr}`;
          throw error;
        }
      }
      scanned.scenarios.add(name);
    },
    timeout,
  );
}

const targets = (run: Run) => run.requests.map((r) => r.target);
const count = (run: Run, target: string) => run.requests.filter((r) => r.target === target).length;

/** The consumer of a later step: @alicloud/credentials' default chain + GetCallerIdentity, from the exports only. */
async function laterStep(run: Run): Promise<{ ok: boolean; error?: string; calls?: Array<{ accountId: string; arn: string }> }> {
  const { stdout } = await runNode(CONSUMER, run.job.laterStepEnv(), [run.world.em.stsHost]);
  return JSON.parse(stdout.trim().split('\n').pop() || '{"ok":false,"error":"no output"}');
}

async function expectSuccess(run: Run, identity: Identity): Promise<void> {
  const { result } = run;
  expect(result.code).toBe(0);
  expect(result.error).toBeUndefined();
  expect(result.outputs['account-id']).toBe(identity.accountId);
  expect(result.exported.ALIBABA_CLOUD_ACCESS_KEY_ID).toBeTruthy();
  // The later step is proved once per scenario; the RUNNER_DEBUG=1 run checks the step itself.
  if (run.mode.name !== 'plain') return;
  const later = await laterStep(run);
  expect(later).toMatchObject({ ok: true, calls: [{ accountId: identity.accountId, arn: identity.arn }] });
}

/** The step failed, said why in its ::error:: line (message, then a hint), and left nothing for later steps. */
function expectFailure(run: Run): string {
  const { result } = run;
  expect(result.code).toBe(1);
  expect(result.error).toBeDefined();
  const error = result.error ?? '';
  const lines = error.split('\n');
  expect(lines.length).toBeGreaterThan(1);
  expect(lines[lines.length - 1].trim().length).toBeGreaterThan(20);
  expect(result.exported).toEqual({});
  expect(result.outputs).toEqual({});
  expect(result.stdout).not.toContain('Credentials ready');
  return error;
}

interface Logged {
  readonly code: string;
  readonly requestId: boolean;
}

/** What a retry line names for a fault: the STS code (with STS's RequestId), or the kind of a failure without one. */
function logged(target: FaultTarget, fault: Fault): Logged {
  const sts = target !== 'oidc-token';
  switch (fault.kind) {
    case 'status':
      return sts ? { code: fault.status === 500 ? 'InternalError' : 'ServiceUnavailable', requestId: true } : { code: 'server', requestId: false };
    case 'throttle':
      return sts ? { code: 'Throttling.User', requestId: true } : { code: 'throttled', requestId: false };
    case 'error':
      return sts ? { code: fault.code, requestId: true } : { code: 'server', requestId: false };
    case 'reset':
    case 'stall':
      return { code: 'network', requestId: false };
    case 'truncated':
    case 'html502':
      return { code: 'server', requestId: false };
    case 'answer':
    case 'oversized':
      throw new Error(`no retry line is defined for a ${fault.kind} fault`);
  }
}

/**
 * Each retry is one line, in order, naming the step, the attempt (throttled attempts counted apart, without a cap;
 * the others of `maxAttempts`), the code or kind, the RequestId and the wait.
 */
function expectRetries(run: Run, step: string, expected: readonly Logged[], maxAttempts: number): string[] {
  const lines = (run.result.stdout + run.result.stderr).split('\n').filter((line) => /attempt \d+|retrying in \d/.test(line));
  expect(lines).toHaveLength(expected.length);
  const requestIds: string[] = [];
  const counted = { throttled: 0, other: 0 };
  lines.forEach((line, i) => {
    expect(line).toMatch(RETRY_LINE);
    const g = RETRY_LINE.exec(line)?.groups ?? {};
    const throttled = expected[i].code.startsWith('Throttling') || expected[i].code === 'throttled';
    const attempt = throttled ? ++counted.throttled : ++counted.other;
    expect({
      step: g.step,
      throttled: g.t !== undefined,
      attempt: Number(g.t ?? g.n),
      max: g.max === undefined ? undefined : Number(g.max),
      code: g.code,
      requestId: g.rid !== undefined,
    }).toEqual({
      step,
      throttled,
      attempt,
      max: throttled ? undefined : maxAttempts,
      code: expected[i].code,
      requestId: expected[i].requestId,
    });
    if (!throttled) expect(attempt).toBeLessThan(maxAttempts);
    if (g.rid !== undefined) {
      expect(g.rid).toMatch(UUID);
      requestIds.push(g.rid);
    }
    const [least, most] = waitRange(attempt, throttled);
    expect(Number(g.wait)).toBeGreaterThanOrEqual(least);
    expect(Number(g.wait)).toBeLessThanOrEqual(most);
  });
  // Every attempt had an answer of its own.
  expect(new Set(requestIds).size).toBe(requestIds.length);
  return requestIds;
}

/** The RequestId the failure line names, in STS's format. */
function failureRequestId(error: string): string {
  const id = /\(RequestId: ([^)]+)\)/.exec(error)?.[1];
  expect(id).toMatch(UUID);
  return id ?? '';
}

const describeFault = (fault: Fault) =>
  fault.kind === 'status'
    ? `HTTP ${fault.status}`
    : fault.kind === 'error'
      ? `${fault.code} (HTTP ${fault.status})`
      : fault.kind === 'stall'
        ? 'a stall'
        : fault.kind;

/** No form of the token appears outside its ::add-mask:: line (findLeaks checks the same for every secret). */
function expectTokenNotShown(run: Run, token: string): void {
  const shown = (run.result.stdout + run.result.stderr + run.result.summary).split('\n').filter((line) => line !== `::add-mask::${token}`);
  for (const form of new Set([token, encodeURIComponent(token), encodeURIComponent(encodeURIComponent(token)), token.split('.')[2]])) {
    expect(shown.filter((line) => line.includes(form))).toEqual([]);
  }
}

/** A trust failure prints the claims STS compared with the trust policy, read from the token actually used. */
function expectClaims(run: Run, error: string): void {
  expect(run.tokens.length).toBeGreaterThan(0);
  const token = run.tokens[run.tokens.length - 1];
  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
  expect(error).toContain('Claims of the OIDC token:');
  for (const name of ['iss', 'aud', 'sub', 'job_workflow_ref']) {
    const value = Array.isArray(claims[name]) ? (claims[name] as string[]).join(',') : String(claims[name]);
    expect(error).toContain(`${name}: ${value}`);
  }
  for (const t of run.tokens) expectTokenNotShown(run, t);
}

/** A scratch directory, removed with the jobs. */
function scratchDir(): string {
  const job = newJob();
  return job.dir;
}

/** Inputs of the OIDC flow with a token file that holds a token minted with `options`. */
async function withTokenFile(w: World, options: MintTokenOptions, extra: Inputs = {}): Promise<Spec> {
  const path = join(scratchDir(), 'token');
  const token = await w.em.mintToken(options);
  writeFileSync(path, token);
  return { inputs: oidcInputs(w, { 'oidc-token-file': path, ...extra }), tokens: [token] };
}

// ---------------------------------------------------------------------------------------------

describe('retryable failures: retried (throttling even past retry-max-attempts), one line per retry, then success', () => {
  const RECOVERED: ReadonlyArray<readonly [FaultTarget, Fault, number, number?]> = [
    ['AssumeRoleWithOIDC', { kind: 'status', status: 500 }, 2],
    ['AssumeRoleWithOIDC', { kind: 'status', status: 502 }, 1],
    ['AssumeRoleWithOIDC', { kind: 'status', status: 503 }, 1],
    ['AssumeRoleWithOIDC', { kind: 'throttle' }, 2, 3],
    // Flow control clears as a burst passes: throttling is retried past the attempt cap, until the deadline. (Three
    // throttles, not more: a throttled retry waits 1-2 s, 2-4 s, 4-8 s, then 6-12 s, retry.ts.)
    ['AssumeRoleWithOIDC', { kind: 'throttle' }, 3, 2],
    ['AssumeRoleWithOIDC', { kind: 'reset' }, 1],
    ['AssumeRoleWithOIDC', { kind: 'truncated' }, 1],
    ['AssumeRoleWithOIDC', { kind: 'html502' }, 1],
    ['AssumeRole', { kind: 'status', status: 500 }, 1],
    ['AssumeRole', { kind: 'status', status: 503 }, 2, 3],
    ['AssumeRole', { kind: 'throttle' }, 1],
    ['AssumeRole', { kind: 'error', code: 'Throttling.Api', status: 400 }, 1],
    ['AssumeRole', { kind: 'reset' }, 2],
    ['AssumeRole', { kind: 'truncated' }, 1],
    ['AssumeRole', { kind: 'html502' }, 1, 2],
    ['GetCallerIdentity', { kind: 'status', status: 502 }, 1],
    ['GetCallerIdentity', { kind: 'error', code: 'ServiceUnavailable', status: 503 }, 1],
    ['GetCallerIdentity', { kind: 'throttle' }, 1],
    ['GetCallerIdentity', { kind: 'throttle' }, 3, 2],
    ['GetCallerIdentity', { kind: 'reset' }, 1],
    ['GetCallerIdentity', { kind: 'truncated' }, 2],
    ['GetCallerIdentity', { kind: 'html502' }, 1],
    ['oidc-token', { kind: 'status', status: 500 }, 1],
    ['oidc-token', { kind: 'status', status: 503 }, 2],
    ['oidc-token', { kind: 'reset' }, 1],
    ['oidc-token', { kind: 'throttle' }, 1],
    ['oidc-token', { kind: 'throttle' }, 3, 2],
    ['oidc-token', { kind: 'truncated' }, 1],
    ['oidc-token', { kind: 'html502' }, 1],
  ];
  for (const [target, fault, faults, attempts = DEFAULT_ATTEMPTS] of RECOVERED) {
    const flow = flowOf(target);
    scenario(
      `${target}: ${describeFault(fault)} x${faults} of ${attempts} attempts`,
      (w) => ({ inputs: withAttempts(flow.inputs(w), attempts), faults: [[target, fault, faults]] }),
      async (run) => {
        await expectSuccess(run, flow.identity(run.world));
        expectRetries(
          run,
          stepOf(target),
          Array.from({ length: faults }, () => logged(target, fault)),
          attempts,
        );
        expect(count(run, target)).toBe(faults + 1);
        expect(targets(run)).toEqual([...Array.from({ length: faults }, () => attempt(target, false)).flat(), ...attempt(target, true)]);
      },
    );
  }

  scenario(
    'AssumeRoleWithOIDC: HTTP 503, a reset, then throttling, of 4 attempts: each retry names its own cause, each attempt has a fresh token',
    (w) => ({
      inputs: withAttempts(oidcInputs(w), 4),
      faults: [
        ['AssumeRoleWithOIDC', { kind: 'status', status: 503 }, 1],
        ['AssumeRoleWithOIDC', { kind: 'reset' }, 1],
        ['AssumeRoleWithOIDC', { kind: 'throttle' }, 1],
      ],
    }),
    async (run) => {
      await expectSuccess(run, roleSession(run.world.oidcRole));
      expectRetries(
        run,
        'AssumeRoleWithOIDC',
        [
          { code: 'ServiceUnavailable', requestId: true },
          { code: 'network', requestId: false },
          { code: 'Throttling.User', requestId: true },
        ],
        4,
      );
      expect(count(run, 'AssumeRoleWithOIDC')).toBe(4);
      expect(count(run, 'oidc-token')).toBe(4);
      expect(new Set(run.tokens).size).toBe(4);
      for (const token of run.tokens) expect(run.result.masks).toContain(token);
    },
  );

  scenario(
    'a failing token endpoint, then a throttled AssumeRoleWithOIDC: one attempt budget for the whole step',
    (w) => ({
      inputs: withAttempts(oidcInputs(w), 3),
      faults: [
        ['oidc-token', { kind: 'status', status: 500 }, 1],
        ['AssumeRoleWithOIDC', { kind: 'throttle' }, 1],
      ],
    }),
    async (run) => {
      await expectSuccess(run, roleSession(run.world.oidcRole));
      expectRetries(
        run,
        'AssumeRoleWithOIDC',
        [
          { code: 'server', requestId: false },
          { code: 'Throttling.User', requestId: true },
        ],
        3,
      );
      expect(targets(run)).toEqual(['oidc-token', 'oidc-token', 'AssumeRoleWithOIDC', 'oidc-token', 'AssumeRoleWithOIDC']);
    },
  );
});

describe('stalls: the request times out and is retried (each costs a timeout)', () => {
  scenario(
    'AssumeRoleWithOIDC stalls once, retry-max-attempts 2 -> timeout, retried, success',
    (w) => ({ inputs: withAttempts(oidcInputs(w), 2), faults: [['AssumeRoleWithOIDC', STALL, 1]] }),
    async (run) => {
      await expectSuccess(run, roleSession(run.world.oidcRole));
      expectRetries(run, 'AssumeRoleWithOIDC', [{ code: 'network', requestId: false }], 2);
      expect(targets(run)).toEqual(['oidc-token', 'AssumeRoleWithOIDC', 'oidc-token', 'AssumeRoleWithOIDC']);
    },
    60_000,
  );

  scenario(
    'GetCallerIdentity stalls once, retry-max-attempts 2 -> timeout, retried, success',
    (w) => ({ inputs: withAttempts(keyInputs(w), 2), faults: [['GetCallerIdentity', STALL, 1]] }),
    async (run) => {
      await expectSuccess(run, { accountId: ACCOUNT, arn: run.world.user.arn });
      expectRetries(run, 'GetCallerIdentity', [{ code: 'network', requestId: false }], 2);
      expect(targets(run)).toEqual(['GetCallerIdentity', 'GetCallerIdentity']);
    },
    60_000,
  );

  scenario(
    "GitHub's token endpoint stalls once, retry-max-attempts 2 -> timeout, retried, success",
    (w) => ({ inputs: withAttempts(oidcInputs(w), 2), faults: [['oidc-token', STALL, 1]] }),
    async (run) => {
      await expectSuccess(run, roleSession(run.world.oidcRole));
      expectRetries(run, 'AssumeRoleWithOIDC', [{ code: 'network', requestId: false }], 2);
      expect(targets(run)).toEqual(['oidc-token', 'oidc-token', 'AssumeRoleWithOIDC']);
    },
    60_000,
  );

  scenario(
    'AssumeRoleWithOIDC stalls, retry-max-attempts 1 -> fails with a timeout; the SDK error URL (with the token in its query) is not repeated',
    (w) => ({ inputs: withAttempts(oidcInputs(w), 1), faults: [['AssumeRoleWithOIDC', STALL, 1]] }),
    (run) => {
      const error = expectFailure(run);
      expect(error).toMatch(/^AssumeRoleWithOIDC could not reach STS: .*timeout/i);
      expectRetries(run, 'AssumeRoleWithOIDC', [], 1);
      expect(targets(run)).toEqual(['oidc-token', 'AssumeRoleWithOIDC']);
      // The SDK's message repeats the request URL, whose query carried the token: the action drops the URL.
      expect(error).not.toMatch(/OIDCToken=|https?:\/\//);
      expect(run.tokens).toHaveLength(1);
      expectTokenNotShown(run, run.tokens[0]);
    },
    60_000,
  );
});

describe('retryable failures on every attempt: the step fails with the last error and exports nothing', () => {
  interface Exhausted {
    readonly target: FaultTarget;
    readonly fault: Fault;
    readonly attempts: number;
    /** What the failure line starts with (an STS code's hint and RequestId are checked on top). */
    readonly says: RegExp;
  }
  const EXHAUSTED: readonly Exhausted[] = [
    { target: 'AssumeRoleWithOIDC', fault: { kind: 'status', status: 500 }, attempts: 3, says: /^AssumeRoleWithOIDC failed: InternalError: / },
    // retry-max-attempts: 1 turns every retry off, throttling's too.
    { target: 'AssumeRoleWithOIDC', fault: { kind: 'throttle' }, attempts: 1, says: /^AssumeRoleWithOIDC failed: Throttling\.User: / },
    { target: 'AssumeRoleWithOIDC', fault: { kind: 'reset' }, attempts: 2, says: /^AssumeRoleWithOIDC could not reach STS: .*ECONNRESET/ },
    { target: 'AssumeRoleWithOIDC', fault: { kind: 'html502' }, attempts: 2, says: /^AssumeRoleWithOIDC: STS answered with a body that is not JSON/ },
    { target: 'AssumeRole', fault: { kind: 'status', status: 503 }, attempts: 2, says: /^AssumeRole failed: ServiceUnavailable: / },
    { target: 'AssumeRole', fault: { kind: 'reset' }, attempts: 3, says: /^AssumeRole could not reach STS: .*ECONNRESET/ },
    { target: 'AssumeRole', fault: { kind: 'truncated' }, attempts: 2, says: /^AssumeRole: STS answered with a body that is not JSON/ },
    { target: 'AssumeRole', fault: { kind: 'status', status: 500 }, attempts: DEFAULT_ATTEMPTS, says: /^AssumeRole failed: InternalError: / },
    { target: 'GetCallerIdentity', fault: { kind: 'html502' }, attempts: 2, says: /^GetCallerIdentity: STS answered with a body that is not JSON/ },
    { target: 'GetCallerIdentity', fault: { kind: 'status', status: 502 }, attempts: 1, says: /^GetCallerIdentity failed: ServiceUnavailable: / },
    { target: 'oidc-token', fault: { kind: 'status', status: 500 }, attempts: 2, says: /^GitHub's OIDC token endpoint answered HTTP 500\./ },
    { target: 'oidc-token', fault: { kind: 'throttle' }, attempts: 1, says: /^GitHub's OIDC token endpoint answered HTTP 429\./ },
    { target: 'oidc-token', fault: { kind: 'reset' }, attempts: 2, says: /^GitHub's OIDC token endpoint did not answer: .*ECONNRESET/ },
    { target: 'oidc-token', fault: { kind: 'html502' }, attempts: 2, says: /^GitHub's OIDC token endpoint answered HTTP 502\./ },
  ];
  for (const { target, fault, attempts, says } of EXHAUSTED) {
    const flow = flowOf(target);
    const name = `${target}: ${describeFault(fault)} on all ${attempts} attempt${attempts > 1 ? 's' : ''}${attempts === DEFAULT_ATTEMPTS ? ' (the default)' : ''}`;
    scenario(
      name,
      (w) => ({ inputs: withAttempts(flow.inputs(w), attempts), faults: [[target, fault, attempts]] }),
      (run) => {
        const error = expectFailure(run);
        expect(error).toMatch(says);
        const each = logged(target, fault);
        const retried = expectRetries(
          run,
          stepOf(target),
          Array.from({ length: attempts - 1 }, () => each),
          attempts,
        );
        expect(count(run, target)).toBe(attempts);
        expect(targets(run)).toEqual(Array.from({ length: attempts }, () => attempt(target, false)).flat());
        if (each.requestId) {
          expect(error).toContain(STS_ERROR_CODES[each.code].hint);
          // The failure names the RequestId of the last answer, not one of the retried ones.
          expect(retried).not.toContain(failureRequestId(error));
        } else {
          expect(error).not.toContain('RequestId');
        }
        for (const token of run.tokens) expectTokenNotShown(run, token);
      },
    );
  }
});

describe('non-retryable STS codes (injected): exactly one request, exit 1, the hint and the RequestId', () => {
  const retryable = (code: string) => new ActionError(STS_ERROR_CODES[code].kind, code, undefined, { code }).retryable;

  it('the error table retries exactly the throttling codes, the 5xx codes, a replayed nonce and an expired OIDC token', () => {
    const retried = Object.keys(STS_ERROR_CODES).filter(retryable).sort();
    expect(retried).toEqual([
      'AuthenticationFail.OIDCToken.Expired',
      'InternalError',
      'ServiceUnavailable',
      'SignatureNonceUsed',
      'Throttling',
      'Throttling.Api',
      'Throttling.User',
    ]);
  });

  const OIDC_ONLY = /^AuthenticationFail\.|OIDCProvider/;
  const ASSUME_ROLE_ONLY = /^(NoPermission|InvalidParameter\.ExternalId)/;
  Object.keys(STS_ERROR_CODES)
    .filter((code) => !retryable(code))
    .forEach((code, i) => {
      const info = STS_ERROR_CODES[code];
      // Codes only one call can answer go to that call; the rest rotate over the calls that can (signature
      // and key codes skip AssumeRoleWithOIDC, which is not signed).
      const rotation: FaultTarget[] =
        info.kind === 'credentials' ? ['GetCallerIdentity', 'AssumeRole'] : ['AssumeRole', 'AssumeRoleWithOIDC', 'GetCallerIdentity'];
      const target: FaultTarget = OIDC_ONLY.test(code) ? 'AssumeRoleWithOIDC' : ASSUME_ROLE_ONLY.test(code) ? 'AssumeRole' : rotation[i % rotation.length];
      const status =
        EMULATOR_CODES.find((c) => c.code === code)?.status ?? (code.startsWith('NoPermission') ? 403 : code.startsWith('EntityNotExist') ? 404 : 400);
      const flow = flowOf(target);
      scenario(
        `${code} from ${target} (HTTP ${status}, kind ${info.kind})`,
        (w) => ({ inputs: flow.inputs(w), faults: [[target, { kind: 'error', code, status }, 1]] }),
        (run) => {
          const error = expectFailure(run);
          expect(error).toMatch(new RegExp(`^${target} failed: ${code.replace(/\./g, '\\.')}: `));
          expect(error).toContain(info.hint);
          failureRequestId(error);
          expectRetries(run, target, [], DEFAULT_ATTEMPTS);
          expect(count(run, target)).toBe(1);
          expect(targets(run)).toEqual(attempt(target, false));
          if (target === 'AssumeRoleWithOIDC' && info.kind === 'trust') expectClaims(run, error);
          else expect(error).not.toContain('Claims of the OIDC token');
          nonRetryableCodes.add(code);
        },
      );
    });
});

describe('real error conditions of the emulator: exactly one request, exit 1, the hint and the RequestId', () => {
  interface Condition {
    readonly name: string;
    readonly target: FaultTarget;
    readonly code: string;
    /** The STS_ERROR_CODES entry whose hint the failure carries (default: `code`). */
    readonly hintOf?: string;
    /** The hint itself, where STS's message picks it (STS_MESSAGE_CODES). */
    readonly hint?: string;
    /** A hint the failure must not give. */
    readonly notHint?: string;
    /** A trust failure: the token's claims are printed. */
    readonly trust?: boolean;
    readonly spec: (w: World) => Spec | Promise<Spec>;
  }

  /** A session of the emulator, from its credentials URI, as the source keys of the next step. */
  const stsSession = async (w: World) => {
    const body = (await (await fetch(w.credentialsUri)).json()) as { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string };
    return { accessKeyId: body.AccessKeyId, accessKeySecret: body.AccessKeySecret, securityToken: body.SecurityToken };
  };
  const UNKNOWN_KEY_ID = 'LTAI5tNoSuchKeyAtAll0000';

  const CONDITIONS: readonly Condition[] = [
    {
      name: 'a RAM user without sts:AssumeRole',
      target: 'AssumeRole',
      code: 'NoPermission',
      spec: (w) => ({ inputs: assumeInputs(w, w.akRole, w.lockedUser) }),
    },
    { name: 'a root AccessKey', target: 'AssumeRole', code: 'NoPermission', spec: (w) => ({ inputs: assumeInputs(w, w.akRole, w.rootKey) }) },
    {
      name: 'a role of another account that does not trust this one',
      target: 'AssumeRole',
      code: 'NoPermission',
      spec: (w) => ({ inputs: assumeInputs(w, w.foreignRole) }),
    },
    {
      name: 'a role whose trust policy needs an ExternalId, without role-external-id',
      target: 'AssumeRole',
      code: 'NoPermission',
      spec: (w) => ({ inputs: assumeInputs(w, w.externalIdRole) }),
    },
    {
      name: 'a role whose trust policy needs an ExternalId, with the wrong role-external-id',
      target: 'AssumeRole',
      code: 'NoPermission',
      spec: (w) => ({ inputs: assumeInputs(w, w.externalIdRole, w.user, { 'role-external-id': 'wrong-external-id' }) }),
    },
    {
      name: 'an unknown role (AssumeRole)',
      target: 'AssumeRole',
      code: 'EntityNotExist.Role',
      spec: (w) => ({ inputs: assumeInputs(w, `acs:ram::${ACCOUNT}:role/no-such-role`) }),
    },
    {
      name: 'an unknown role (AssumeRoleWithOIDC)',
      target: 'AssumeRoleWithOIDC',
      code: 'EntityNotExist.Role',
      spec: (w) => ({ inputs: oidcInputs(w, { 'role-to-assume': `acs:ram::${ACCOUNT}:role/no-such-role` }) }),
    },
    {
      name: "role-session-expiration above the role's maximum (AssumeRole)",
      target: 'AssumeRole',
      code: 'InvalidParameter.DurationSeconds',
      spec: (w) => ({ inputs: assumeInputs(w, w.akRole, w.user, { 'role-session-expiration': '7200' }) }),
    },
    {
      name: "role-session-expiration above the role's maximum (AssumeRoleWithOIDC)",
      target: 'AssumeRoleWithOIDC',
      code: 'InvalidParameter.DurationSeconds',
      spec: (w) => ({ inputs: oidcInputs(w, { 'role-session-expiration': '43200' }) }),
    },
    {
      name: 'an inline-session-policy that STS refuses',
      target: 'AssumeRole',
      code: 'InvalidParameter.PolicyGrammar',
      spec: (w) => ({ inputs: assumeInputs(w, w.akRole, w.user, { 'inline-session-policy': '{"Version":"1","Statement":[{"Action":"ecs:*"}]}' }) }),
    },
    {
      name: 'a token whose sub the trust policy does not allow',
      target: 'AssumeRoleWithOIDC',
      code: 'NoPermission',
      hintOf: 'AuthenticationFail.NoPermission',
      trust: true,
      spec: (w) => ({ inputs: oidcInputs(w, { 'role-to-assume': w.strictRole }) }),
    },
    {
      name: 'an audience that is not a Client ID of the IdP (input audience)',
      target: 'AssumeRoleWithOIDC',
      code: 'AuthenticationFail.OIDCToken.AudienceNotMatch',
      trust: true,
      spec: (w) => ({ inputs: oidcInputs(w, { audience: 'api://not-a-client-id' }) }),
    },
    {
      name: 'a mistyped oidc-provider-arn (no such OIDC identity provider)',
      target: 'AssumeRoleWithOIDC',
      code: 'AuthenticationFail.NoPermission',
      hint: STS_MESSAGE_CODES.find((m) => m.message === 'No such OIDC Provider registered')?.info.hint,
      notHint: STS_ERROR_CODES['AuthenticationFail.NoPermission'].hint,
      spec: (w) => ({ inputs: oidcInputs(w, { 'oidc-provider-arn': `acs:ram::${ACCOUNT}:oidc-provider/no-such-idp` }) }),
    },
    {
      name: 'an IdP the role does not trust',
      target: 'AssumeRoleWithOIDC',
      code: 'AuthenticationFail.NoPermission',
      trust: true,
      spec: (w) => ({ inputs: oidcInputs(w, { 'oidc-provider-arn': w.untrustedProvider }) }),
    },
    {
      name: 'an IdP of another issuer',
      target: 'AssumeRoleWithOIDC',
      code: 'AuthenticationFail.OIDCToken.IssuerNotMatch',
      trust: true,
      spec: (w) => ({ inputs: oidcInputs(w, { 'oidc-provider-arn': w.gitlabProvider }) }),
    },
    {
      name: 'a token file signed by an unknown key',
      target: 'AssumeRoleWithOIDC',
      code: 'AuthenticationFail.OIDCToken.InvalidSignature',
      trust: true,
      spec: (w) => withTokenFile(w, { signWithUnknownKey: true }),
    },
    {
      name: 'an unknown AccessKey ID (GetCallerIdentity)',
      target: 'GetCallerIdentity',
      code: 'InvalidAccessKeyId.NotFound',
      spec: (w) => ({ inputs: keyInputs(w, { ...w.user, accessKeyId: UNKNOWN_KEY_ID }) }),
    },
    {
      name: 'an unknown AccessKey ID (AssumeRole)',
      target: 'AssumeRole',
      code: 'InvalidAccessKeyId.NotFound',
      spec: (w) => ({ inputs: assumeInputs(w, w.akRole, { ...w.user, accessKeyId: UNKNOWN_KEY_ID }) }),
    },
    { name: 'a disabled AccessKey', target: 'GetCallerIdentity', code: 'InvalidAccessKeyId.Inactive', spec: (w) => ({ inputs: keyInputs(w, w.disabledUser) }) },
    {
      name: 'a wrong AccessKey secret (GetCallerIdentity)',
      target: 'GetCallerIdentity',
      code: 'SignatureDoesNotMatch',
      spec: (w) => ({
        inputs: keyInputs(w, { ...w.user, accessKeySecret: 'WrongSecretWrongSecretWrong123' }),
        extraSecrets: ['WrongSecretWrongSecretWrong123'],
      }),
    },
    {
      name: 'a wrong AccessKey secret (AssumeRole)',
      target: 'AssumeRole',
      code: 'SignatureDoesNotMatch',
      spec: (w) => ({
        inputs: assumeInputs(w, w.akRole, { ...w.user, accessKeySecret: 'WrongSecretWrongSecretWrong456' }),
        extraSecrets: ['WrongSecretWrongSecretWrong456'],
      }),
    },
    {
      name: 'STS keys with the security token of another session',
      target: 'AssumeRole',
      code: 'InvalidSecurityToken.MismatchWithAccessKey',
      spec: async (w) => {
        const [mine, other] = [await stsSession(w), await stsSession(w)];
        return { inputs: assumeInputs(w, w.akRole, mine, { 'security-token': other.securityToken }) };
      },
    },
    {
      name: 'STS keys with a forged security token',
      target: 'GetCallerIdentity',
      code: 'InvalidSecurityToken.Malformed',
      spec: async (w) => {
        const forged = `CAIS${Buffer.from('a forged security token of the faults test').toString('base64')}`;
        return { inputs: keyInputs(w, await stsSession(w), { 'security-token': forged }), extraSecrets: [forged] };
      },
    },
  ];

  for (const c of CONDITIONS) {
    const hint = c.hint ?? STS_ERROR_CODES[c.hintOf ?? c.code].hint;
    scenario(`${c.name} -> ${c.code}`, c.spec, (run) => {
      const error = expectFailure(run);
      expect(error).toMatch(new RegExp(`^${c.target} failed: ${c.code.replace(/\./g, '\\.')}: `));
      expect(hint).toBeTruthy();
      expect(error).toContain(hint);
      if (c.notHint) expect(error).not.toContain(c.notHint);
      failureRequestId(error);
      expectRetries(run, c.target, [], DEFAULT_ATTEMPTS);
      expect(count(run, c.target)).toBe(1);
      // One STS request in all (the OIDC flow's token comes from GitHub first, unless from a file).
      expect(targets(run).filter((t) => t !== 'oidc-token')).toEqual([c.target]);
      if (c.trust) expectClaims(run, error);
      else expect(error).not.toContain('Claims of the OIDC token');
      for (const token of run.tokens) expectTokenNotShown(run, token);
    });
  }
});

describe('AuthenticationFail.OIDCToken.Expired: retried with a fresh token', () => {
  scenario(
    'expired once (injected) -> a second token from GitHub, then success',
    (w) => ({ inputs: oidcInputs(w), faults: [['AssumeRoleWithOIDC', { kind: 'error', code: 'AuthenticationFail.OIDCToken.Expired', status: 401 }, 1]] }),
    async (run) => {
      await expectSuccess(run, roleSession(run.world.oidcRole));
      expectRetries(run, 'AssumeRoleWithOIDC', [{ code: 'AuthenticationFail.OIDCToken.Expired', requestId: true }], DEFAULT_ATTEMPTS);
      expect(count(run, 'oidc-token')).toBe(2);
      expect(count(run, 'AssumeRoleWithOIDC')).toBe(2);
      expect(targets(run)).toEqual(['oidc-token', 'AssumeRoleWithOIDC', 'oidc-token', 'AssumeRoleWithOIDC']);
      expect(new Set(run.tokens).size).toBe(2);
      for (const token of run.tokens) expect(run.result.masks).toContain(token);
    },
  );

  scenario(
    'a token file holding an expired token -> read again for each attempt, still expired: fails after the attempts, with the hint',
    (w) => withTokenFile(w, { expiresInSeconds: -60 }, { 'retry-max-attempts': '2' }),
    (run) => {
      const error = expectFailure(run);
      expect(error).toMatch(/^AssumeRoleWithOIDC failed: AuthenticationFail\.OIDCToken\.Expired: /);
      expect(error).toContain(STS_ERROR_CODES['AuthenticationFail.OIDCToken.Expired'].hint);
      failureRequestId(error);
      expectRetries(run, 'AssumeRoleWithOIDC', [{ code: 'AuthenticationFail.OIDCToken.Expired', requestId: true }], 2);
      expect(targets(run)).toEqual(['AssumeRoleWithOIDC', 'AssumeRoleWithOIDC']);
      expectClaims(run, error);
    },
  );
});

// ---------------------------------------------------------------------------------------------

// The matrix of 60 jobs against STS flow control is in faults-matrix.test.ts: a file of its own, so that jest runs its
// minute and a half of throttled retries beside these scenarios.
