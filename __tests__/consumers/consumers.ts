// The real consumers of the action's credentials, as later workflow steps run them: Alibaba's Node SDK
// (__tests__/e2e/consumer.mjs), its Python SDK at Prowler's pin and at its newest release, Prowler's
// AlibabacloudProvider (python/consumer.py), and its Go SDK (go/main.go). The Python, Prowler and Go ones are
// installed by scripts/test-tools.mjs (through __tests__/global-setup.mjs), which says the versions.
//
// Each gets nothing from the tests but its environment and HOME (the later step's), the STS endpoint, and what a
// runner needs to reach the emulator: its CA (NODE_EXTRA_CA_CERTS for Node; SSL_CERT_FILE for Python and Go, which
// their TLS stacks read on Linux) and, for Prowler, which calls STS and RAM at their real names
// (sts.cn-hangzhou.aliyuncs.com, ram.aliyuncs.com), an HTTPS proxy that routes those names to the emulator.

import { afterAll } from '@jest/globals';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { startProxy } from '../../emulator/proxy.js';
import { ROOT, runNode } from '../e2e/runner.js';

export interface ConsumerCall {
  readonly accountId: string;
  readonly arn: string;
  readonly identityType: string;
  readonly accessKeyId: string;
}

export interface ConsumerResult {
  readonly ok: boolean;
  /** The provider that answered, as the SDK names it (`default/env`, `credential_uri`, …). */
  readonly provider?: string;
  readonly accessKeyId?: string;
  readonly hasSecurityToken?: boolean;
  readonly calls?: ConsumerCall[];
  readonly error?: string;
}

interface Tool {
  readonly dir: string;
  readonly bins: Record<string, string>;
}

/** A tool that the global setup installed (scripts/test-tools.mjs). */
export function tool(name: 'prowler' | 'python-sdk' | 'go-consumer'): Tool {
  const tools = JSON.parse(process.env.CAC_TEST_TOOLS ?? '{}') as Record<string, Tool>;
  const found = tools[name];
  if (!found) throw new Error(`test tool ${name} is not installed: run the tests with jest, whose global setup installs it`);
  return found;
}

/**
 * Why the Prowler composite (examples/prowler-alibabacloud) cannot run on this machine, if it cannot: its bash steps
 * call `$PROWLER_VENV/bin/python` and `bin/prowler`, a POSIX venv's layout, and a Windows venv keeps its programs in
 * `Scripts\` (its README says to use it on Linux or macOS runners).
 */
export const COMPOSITE_SKIP_REASON =
  process.platform === 'win32'
    ? "the Prowler composite's steps run a POSIX venv ($PROWLER_VENV/bin/prowler); a Windows venv has Scripts\\prowler.exe"
    : undefined;

export interface Calls {
  /** Build the SDK's client from ALIBABA_CLOUD_CREDENTIALS_URI instead of the default chain. */
  readonly uri?: boolean;
  readonly calls?: number;
  readonly pauseMs?: number;
}

/** What every consumer process needs to reach the emulator, on top of the later step's environment. */
export function reachEmulator(env: Record<string, string>, caFile: string): Record<string, string> {
  return { ...env, NODE_EXTRA_CA_CERTS: caFile, SSL_CERT_FILE: caFile };
}

function lastJson(consumer: string, code: number, stdout: string, stderr: string): ConsumerResult {
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as ConsumerResult;
  } catch {
    return { ok: false, error: `${consumer} printed no JSON (exit ${code}): ${stdout.slice(-500)} ${stderr.slice(-1500)}` };
  }
}

/** Alibaba's Node SDK (@alicloud/credentials, @alicloud/sts20150401), one process. */
export async function nodeConsumer(env: Record<string, string>, stsHost: string, options: Calls = {}): Promise<ConsumerResult> {
  const args = [`https://${stsHost}`, String(options.calls ?? 1), String(options.pauseMs ?? 0), ...(options.uri ? ['--uri'] : [])];
  const { code, stdout, stderr } = await runNode(join(ROOT, '__tests__', 'e2e', 'consumer.mjs'), env, args);
  return lastJson('the Node consumer', code, stdout, stderr);
}

function runProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  input?: string,
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** Alibaba's Go SDK (credentials-go), one process: it reads the environment when the credential is built. */
export async function goConsumer(env: Record<string, string>, stsHost: string, options: Calls = {}): Promise<ConsumerResult> {
  const args = [...(options.uri ? ['-uri'] : []), '-calls', String(options.calls ?? 1), '-pause-ms', String(options.pauseMs ?? 0), stsHost];
  const { code, stdout, stderr } = await runProcess(tool('go-consumer').bins.consumer, args, env);
  return lastJson('the Go consumer', code, stdout, stderr);
}

const PYTHON_CONSUMER = join(ROOT, '__tests__', 'consumers', 'python', 'consumer.py');

export type PythonCase =
  | ({ readonly id: string; readonly kind: 'sdk'; readonly env: Record<string, string>; readonly stsHost: string; readonly startAfterMs?: number } & Calls)
  | {
      readonly id: string;
      readonly kind: 'prowler';
      readonly env: Record<string, string>;
      readonly startAfterMs?: number;
      /** AlibabacloudProvider's keyword arguments, i.e. Prowler's command-line options (e.g. credentials_uri). */
      readonly prowler?: Record<string, string>;
    };

/**
 * One Python process of the venv for a batch of cases (python/consumer.py says why that stands for a fresh
 * process per case): `prowler` has Prowler and the Python SDK at Prowler's pin, `python-sdk` the newest SDK.
 */
export async function pythonConsumers(venv: 'prowler' | 'python-sdk', cases: PythonCase[]): Promise<Map<string, ConsumerResult>> {
  const results = new Map<string, ConsumerResult>();
  if (cases.length === 0) return results;
  // The process itself starts with no credentials variable; each case brings its environment.
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  const script = PYTHON_CONSUMER;
  const input = cases.map((c) => `${JSON.stringify(c)}\n`).join('');
  const { code, stdout, stderr } = await runProcess(tool(venv).bins.python, [script], env, input);
  for (const line of stdout.split('\n').filter(Boolean)) {
    const { id, ...result } = JSON.parse(line) as ConsumerResult & { id: string };
    results.set(id, result);
  }
  for (const { id } of cases)
    if (!results.has(id)) results.set(id, { ok: false, error: `the ${venv} batch gave no answer for this case (exit ${code}): ${stderr.slice(-2000)}` });
  return results;
}

/**
 * A proxy that routes Alibaba Cloud's names to the emulator: those Prowler calls (AlibabaCloudSession.client and
 * validate_credentials: ram.aliyuncs.com, sts.cn-hangzhou.aliyuncs.com) and the action's default STS endpoint
 * (sts.aliyuncs.com). The emulator's certificate is valid for them.
 */
export async function prowlerProxy(emulatorHost: string) {
  const names = ['sts.aliyuncs.com:443', 'sts.cn-hangzhou.aliyuncs.com:443', 'ram.aliyuncs.com:443'];
  const routes = Object.fromEntries(names.map((name) => [name, emulatorHost]));
  return startProxy({ routes });
}

/** The `prowler` command of the pinned release, run with exactly `env` (a full CLI run costs Prowler ~13 s of CPU). */
export function prowlerCli(args: string[], env: Record<string, string>, cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return runProcess(tool('prowler').bins.prowler, args, env, undefined, cwd);
}

/** Which credentials Prowler takes from an environment (and its command-line options), as the tests name them. */
export interface ProwlerChoice {
  readonly method: 'credentials-uri' | 'oidc-role-arn' | 'ecs-ram-role' | 'ram-role-arn' | 'sts' | 'access-key' | 'none';
  /** The AccessKey ID Prowler signs with, or null when it would first fetch or assume other credentials. */
  readonly accessKeyId: string | null;
  readonly hasSecurityToken: boolean;
  readonly detail: string;
}

let chooser: { child: ChildProcessWithoutNullStreams; answers: Map<string, (line: Record<string, unknown>) => void>; next: number } | undefined;
afterAll(() => {
  chooser?.child.stdin.end();
  chooser = undefined;
});

/**
 * Prowler's own decision (AlibabacloudProvider.setup_session of the pinned release) for a later step's environment
 * and Prowler's options (`['--oidc-role-arn', arn]`): the credentials client it builds is recorded, not built, so
 * nothing is fetched. One Python process of the Prowler venv per test file answers every question.
 */
export function prowlerChoice(env: Record<string, string>, args: string[] = []): Promise<ProwlerChoice> {
  if (!chooser) {
    const child = spawn(tool('prowler').bins.python, [PYTHON_CONSUMER], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } });
    const started = { child, answers: new Map<string, (line: Record<string, unknown>) => void>(), next: 0 };
    let buffer = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines.filter(Boolean)) {
        const answer = JSON.parse(line) as Record<string, unknown>;
        started.answers.get(String(answer.id))?.(answer);
        started.answers.delete(String(answer.id));
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('close', (code) => {
      for (const answer of started.answers.values()) answer({ ok: false, error: `Prowler's chooser ended (exit ${code}): ${stderr}` });
    });
    process.once('exit', () => child.kill());
    chooser = started;
  }
  const { child, answers } = chooser;
  const id = String(++chooser.next);
  const options = Object.fromEntries(Array.from({ length: args.length / 2 }, (_, i) => [args[2 * i].replace(/^--/, '').replaceAll('-', '_'), args[2 * i + 1]]));
  return new Promise((resolveChoice, reject) => {
    answers.set(id, (answer) => {
      if (answer.ok) resolveChoice(answer as unknown as ProwlerChoice);
      else reject(new Error(`Prowler's setup_session failed: ${String(answer.error)}`));
    });
    child.stdin.write(`${JSON.stringify({ id, kind: 'prowler-choice', env, prowler: options })}\n`);
  });
}
