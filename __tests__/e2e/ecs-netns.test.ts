// e2e: the ECS instance RAM role source, with the metadata service at its real address, 100.100.100.200.
// The address lives in a network namespace of this test's own (`ip netns`): the emulator, the built action and the
// later step all run inside it, so no packet for 100.100.100.200 ever leaves from the host's network. Needs Linux
// and root (CI has both); elsewhere the suite says why it is skipped.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EmulatorInfo, RequestRecord, SetupFile, SetupResult } from '../../emulator/types.js';
import { type ProwlerChoice, prowlerChoice } from '../consumers/consumers.js';
import { findLeaks, newJob, ROOT, runNode, type Job, type StepResult, expectMode } from './runner.js';

const METADATA_IP = '100.100.100.200';
const ACCOUNT = '1234567890123456';
const INSTANCE_ROLE = 'EcsRunnerRole';
const CLI = join(ROOT, 'emulator', 'cli.js');
const CLIENT = join(ROOT, 'emulator', 'client.js');
const CONSUMER = join(ROOT, '__tests__', 'e2e', 'consumer.mjs');
const CREDENTIAL_VARS = /^(ALIBABA_CLOUD|ALIBABACLOUD|ALICLOUD|ALIYUN)_/;
const PROFILE_VARS = ['ALIBABA_CLOUD_PROFILE', 'ALIBABACLOUD_PROFILE', 'ALICLOUD_PROFILE'];

/** Why this suite cannot run here, or undefined when it can. */
function skipReason(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return `creating a network namespace needs root (uid ${process.getuid?.()})`;
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
  } catch (error) {
    return `\`ip netns\` is not available: ${(error as Error).message}`;
  }
  return undefined;
}

const reason = skipReason();

// Where the suite cannot run, Jest reports it as skipped (not passed), and the reason is printed.
if (reason) console.warn(`ecs-netns.test.ts is skipped: ${reason}`);
(reason ? describe.skip : describe)('ECS RAM role at 100.100.100.200 (network namespace)', ecsSuite);

interface ConsumerResult {
  ok: boolean;
  provider?: string;
  accessKeyId?: string;
  calls?: Array<{ accountId: string; arn: string }>;
  error?: string;
}

function ecsSuite(): void {
  const suffix = randomBytes(4).toString('hex');
  const ns = `cac-${suffix}`;
  // A second namespace with no metadata address at all: what a runner outside ECS looks like.
  const bareNs = `cac-${suffix}-bare`;
  const created: string[] = [];
  let work: string;
  let emulator: ChildProcess | undefined;
  let emulatorStderr = '';
  let info: EmulatorInfo & { created: SetupResult };
  let auditRoleArn: string;

  const wrap = (name = ns) => ['ip', 'netns', 'exec', name];
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

  function addNamespace(name: string, withMetadataAddress: boolean): void {
    ip('netns', 'add', name);
    created.push(name);
    ip('-n', name, 'link', 'set', 'lo', 'up');
    if (withMetadataAddress) ip('-n', name, 'addr', 'add', `${METADATA_IP}/32`, 'dev', 'lo');
  }

  /** An admin call of the emulator, made from inside the namespace (its listener is the namespace's loopback). */
  async function admin<T>(method: string, ...args: unknown[]): Promise<T> {
    const script = `import { callAdmin } from ${JSON.stringify(pathToFileURL(CLIENT).href)};
      const result = await callAdmin(process.env.EMULATOR_URL, process.env.EMULATOR_METHOD, JSON.parse(process.env.EMULATOR_ARGS));
      process.stdout.write(JSON.stringify(result ?? null));`;
    const env = { PATH: process.env.PATH ?? '', EMULATOR_URL: info.url, EMULATOR_METHOD: method, EMULATOR_ARGS: JSON.stringify(args) };
    const { code, stdout, stderr } = await runCommand([...wrap(), process.execPath, '--input-type=module', '-e', script], env);
    if (code !== 0) throw new Error(`emulator admin ${method} failed (${code}): ${stderr}`);
    return JSON.parse(stdout) as T;
  }

  const job = (name = ns): Job => newJob({}, { wrap: wrap(name) });

  async function consumer(env: Record<string, string>): Promise<ConsumerResult> {
    const { stdout, stderr } = await runNode(CONSUMER, env, [info.stsHost], wrap());
    const line = stdout.trim().split('\n').pop() ?? '';
    try {
      return JSON.parse(line) as ConsumerResult;
    } catch {
      throw new Error(`consumer printed no JSON: ${stdout} ${stderr}`);
    }
  }

  /** Prowler's choice (its setup_session, nothing fetched) is a function of the environment: it runs outside the namespace. */
  function prowler(env: Record<string, string>): Promise<ProwlerChoice> {
    return prowlerChoice(env);
  }

  async function expectNoLeaks(result: StepResult): Promise<void> {
    expect(findLeaks(result, await admin<string[]>('secrets'))).toEqual([]);
  }

  const metadataCalls = (requests: RequestRecord[]) => requests.filter((r) => r.target === 'metadata').map((r) => [r.method, r.path, r.status, r.imdsToken]);
  const ecsInputs = (extra: Record<string, string> = {}) => ({ 'ecs-ram-role': INSTANCE_ROLE, 'sts-endpoint': `http://${info.stsHost}`, ...extra });

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'cac-netns-'));
    addNamespace(ns, true);
    addNamespace(bareNs, false);
    const setup: SetupFile = {
      roles: [{ accountId: ACCOUNT, name: 'ProwlerAuditRole' }],
      instanceRoles: [{ accountId: ACCOUNT, name: INSTANCE_ROLE }],
    };
    const setupFile = join(work, 'setup.json');
    writeFileSync(setupFile, JSON.stringify(setup));
    info = await startEmulatorIn(setupFile);
    [{ arn: auditRoleArn }] = info.created.roles;
    expect(info.metadataUrl).toBe(`http://${METADATA_IP}`);
  }, 30_000);

  afterAll(async () => {
    // Each step is guarded on its own: a failed test, or a half-done beforeAll, must not leave anything behind.
    if (emulator && emulator.exitCode === null && emulator.signalCode === null) {
      const exited = new Promise<void>((resolve) => emulator?.once('exit', () => resolve()));
      emulator.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 5000)))]);
      clearTimeout(timer);
      if (!stopped) {
        emulator.kill('SIGKILL');
        await exited;
      }
    }
    for (const name of created.reverse()) {
      try {
        ip('netns', 'del', name);
      } catch (error) {
        console.warn(`could not delete network namespace ${name}: ${(error as Error).message}`);
      }
    }
    if (work) rmSync(work, { recursive: true, force: true });
  }, 30_000);

  beforeEach(async () => {
    await admin('clearFaults');
    await admin('setImds', { mode: 'v2' });
    await admin('resetRequests');
  });

  /** Starts cli.js inside the namespace and reads its JSON line. */
  function startEmulatorIn(setupFile: string): Promise<EmulatorInfo & { created: SetupResult }> {
    return new Promise((resolve, reject) => {
      const [command, ...args] = [...wrap(), process.execPath, CLI, '--metadata-host', METADATA_IP, '--metadata-port', '80', '--setup', setupFile];
      const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      emulator = child;
      let stdout = '';
      const timer = setTimeout(() => reject(new Error(`the emulator did not start within 15 s: ${emulatorStderr}`)), 15_000);
      child.stderr?.on('data', (d: Buffer) => (emulatorStderr += d.toString()));
      child.stdout?.on('data', (d: Buffer) => {
        stdout += d.toString();
        const newline = stdout.indexOf('\n');
        if (newline < 0) return;
        clearTimeout(timer);
        try {
          resolve(JSON.parse(stdout.slice(0, newline)) as EmulatorInfo & { created: SetupResult });
        } catch (error) {
          reject(new Error(`the emulator printed no JSON: ${stdout.slice(0, newline)} (${(error as Error).message})`));
        }
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the emulator exited (${code}) before it was ready: ${emulatorStderr}`));
      });
    });
  }

  it.each([
    // mode, what the action sends: [method, path, status, token header sent]
    [
      'v2',
      [
        ['PUT', '/latest/api/token', 200, false],
        ['GET', `/latest/meta-data/ram/security-credentials/${INSTANCE_ROLE}`, 200, true],
      ],
    ],
    [
      'v2-required',
      [
        ['PUT', '/latest/api/token', 200, false],
        ['GET', `/latest/meta-data/ram/security-credentials/${INSTANCE_ROLE}`, 200, true],
      ],
    ],
    // No token endpoint (404): the action reads the v1 way, without a token header.
    [
      'v1-only',
      [
        ['PUT', '/latest/api/token', 404, false],
        ['GET', `/latest/meta-data/ram/security-credentials/${INSTANCE_ROLE}`, 200, false],
      ],
    ],
  ] as const)('ecs-ram-role alone, IMDS mode %s: the instance session is exported as it is', async (mode, expectedCalls) => {
    await admin('setImds', { mode });
    const j = job();
    const main = await j.main(ecsInputs());
    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    const requests = await admin<RequestRecord[]>('requests');
    expect(metadataCalls(requests)).toEqual(expectedCalls);
    // The metadata service's own session, used as it is: no STS call.
    expect(requests.filter((r) => r.target !== 'metadata')).toEqual([]);
    await expectNoLeaks(main);

    const exportedId = main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID;
    expect(exportedId).toMatch(/^STS\./);
    expect(main.exported.ALIBABA_CLOUD_SECURITY_TOKEN).toBeTruthy();
    expect(main.outputs.expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const seen = await consumer(j.laterStepEnv());
    expect(seen).toMatchObject({ ok: true, accessKeyId: exportedId });
    expect(seen.calls?.[0]).toMatchObject({ accountId: ACCOUNT });
    expect(seen.calls?.[0]?.arn).toMatch(new RegExp(`^acs:ram::${ACCOUNT}:assumed-role/${INSTANCE_ROLE}/`));
    expect(await prowler(j.laterStepEnv())).toMatchObject({ method: 'sts', accessKeyId: exportedId });
    expect((await j.post()).code).toBe(0);
  });

  it('ecs-ram-role + role-to-assume: AssumeRole signed by the instance session', async () => {
    const j = job();
    const main = await j.main(ecsInputs({ 'role-to-assume': auditRoleArn, 'role-session-name': 'ecs-prowler' }));
    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    const requests = await admin<RequestRecord[]>('requests');
    expect(metadataCalls(requests)).toHaveLength(2);
    const sts = requests.filter((r) => r.target !== 'metadata');
    expect(sts.map((r) => [r.target, r.status])).toEqual([['AssumeRole', 200]]);
    expect(sts[0].accessKeyId).toMatch(/^STS\./);
    expect(sts[0].accessKeyId).not.toBe(main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID);
    await expectNoLeaks(main);

    const seen = await consumer(j.laterStepEnv());
    expect(seen).toMatchObject({ ok: true, accessKeyId: main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID });
    expect(seen.calls?.[0]?.arn).toBe(`acs:ram::${ACCOUNT}:assumed-role/ProwlerAuditRole/ecs-prowler`);
    expect(main.outputs['assumed-role-arn']).toBe(`acs:ram::${ACCOUNT}:assumed-role/ProwlerAuditRole/ecs-prowler`);
    expect(await prowler(j.laterStepEnv())).toMatchObject({ method: 'sts', accessKeyId: main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID });
  });

  it('a job env with ALIBABA_CLOUD_ECS_METADATA set beforehand: Prowler still takes the exported credentials', async () => {
    const j = newJob({ ALIBABA_CLOUD_ECS_METADATA: INSTANCE_ROLE }, { wrap: wrap() });
    const main = await j.main(ecsInputs({ 'role-to-assume': auditRoleArn }));
    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    expect(main.exported.ALIBABA_CLOUD_ECS_METADATA).toBe('');
    // Left set, it would send Prowler to the instance role instead of the assumed one.
    expect((await prowler({ ...j.env, ALIBABA_CLOUD_ACCESS_KEY_ID: 'x', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'y' })).method).toBe('ecs-ram-role');
    expect(await prowler(j.laterStepEnv())).toMatchObject({ method: 'sts', accessKeyId: main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID });
    const seen = await consumer(j.laterStepEnv());
    expect(seen.calls?.[0]?.arn).toMatch(/:assumed-role\/ProwlerAuditRole\//);
    await expectNoLeaks(main);
  });

  it('a wrong role name fails and names the role that is attached', async () => {
    const j = job();
    const main = await j.main(ecsInputs({ 'ecs-ram-role': 'NoSuchRole' }));
    expect(main.code).toBe(1);
    expect(main.error).toContain('The instance has no RAM role named NoSuchRole.');
    expect(main.error).toContain(`Set \`ecs-ram-role\` to the attached role: ${INSTANCE_ROLE}.`);
    expect(main.exported).toEqual({});
    await expectNoLeaks(main);
  });

  it('aliyun-profile with the ECS source: a later step with no credential variables uses the profile; post removes it', async () => {
    const j = job();
    const main = await j.main(ecsInputs({ 'aliyun-profile': 'ecs' }));
    expect({ code: main.code, error: main.error }).toEqual({ code: 0, error: undefined });
    const path = join(j.env.HOME, '.aliyun', 'config.json');
    expectMode(path, 0o600);
    const config = JSON.parse(readFileSync(path, 'utf8')) as { profiles: Array<Record<string, string>> };
    expect(config.profiles).toEqual([expect.objectContaining({ name: 'ecs', mode: 'StsToken', access_key_id: main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID })]);

    const bare = Object.fromEntries(Object.entries(j.laterStepEnv()).filter(([name]) => !CREDENTIAL_VARS.test(name) || PROFILE_VARS.includes(name)));
    expect(bare.ALIBABA_CLOUD_PROFILE).toBe('ecs');
    const seen = await consumer(bare);
    expect(seen).toMatchObject({ ok: true, accessKeyId: main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID });
    expect(seen.provider).toMatch(/cli_profile/);
    expect(seen.calls?.[0]?.arn).toMatch(new RegExp(`:assumed-role/${INSTANCE_ROLE}/`));
    // Prowler never reads the profile: without variables it has no credentials; with them, the exported ones.
    expect(await prowler(bare)).toMatchObject({ method: 'none', accessKeyId: null });
    expect(await prowler(j.laterStepEnv())).toMatchObject({ method: 'sts', accessKeyId: main.exported.ALIBABA_CLOUD_ACCESS_KEY_ID });

    const post = await j.post();
    expect(post.code).toBe(0);
    expect(existsSync(path)).toBe(false);
    await expectNoLeaks(main);
    await expectNoLeaks(post);
  });

  it('with no metadata service (a namespace without 100.100.100.200) it fails at once with a clear error', async () => {
    const j = job(bareNs);
    const main = await j.main(ecsInputs());
    expect(main.code).toBe(1);
    expect(main.error).toContain(`No ECS metadata service answered at http://${METADATA_IP}`);
    expect(main.error).toContain('`ecs-ram-role` works only on a self-hosted runner on an ECS instance');
    // Not retried: one attempt, no "retrying" line.
    expect(main.stdout).not.toMatch(/retrying in/);
    expect(main.exported).toEqual({});
    // The emulator (in the other namespace) heard nothing.
    expect(await admin<RequestRecord[]>('requests')).toEqual([]);
  });
}

function runCommand(argv: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const [command, ...args] = argv;
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
