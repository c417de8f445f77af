// Runs the built action (dist/) the way the GitHub runner does: INPUT_* variables with the defaults of
// action.yml, GITHUB_ENV/OUTPUT/STATE/STEP_SUMMARY files, STATE_* for the post step, workflow commands on stdout.
// Nothing is mocked: the bundle is a child process and talks to the emulator over loopback HTTP.

import { afterAll, expect } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { jobEnv, readStep, ROOT, stepEnv } from '../../emulator/step.mjs';

export { parseFileCommand, ROOT } from '../../emulator/step.mjs';
/**
 * Every leak-scanned scenario runs in both log modes: RUNNER_DEBUG=1 turns on core.debug output. Both set DEBUG=*,
 * which a job (or a self-hosted runner's .env) may set for its own tools: it turns on the `debug` package that
 * dependencies log through (Alibaba's credentials SDK logs response bodies with it), and nothing may reach the log so.
 */
export const LOG_MODES = [
  { name: 'plain', env: { DEBUG: '*' } },
  { name: 'RUNNER_DEBUG=1', env: { RUNNER_DEBUG: '1', DEBUG: '*' } },
] as const;
export type LogMode = (typeof LOG_MODES)[number];

/** list-accounts' action.yml, whose inputs and defaults its steps get. */
export const LIST_ACCOUNTS_ACTION = join(ROOT, 'list-accounts', 'action.yml');

/** The bundles under test: what __tests__/global-setup.mjs built from src/ for this run (ACTION_DIST). */
export const DIST = process.env.ACTION_DIST ? resolve(process.env.ACTION_DIST) : join(ROOT, 'dist');

export interface StepResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Variables exported to later steps (GITHUB_ENV). */
  readonly exported: Record<string, string>;
  readonly outputs: Record<string, string>;
  readonly state: Record<string, string>;
  readonly summary: string;
  /** Values registered with ::add-mask::. */
  readonly masks: string[];
  /** The ::error:: line, decoded. */
  readonly error?: string;
  readonly ms: number;
}

export interface Job {
  /** The runner's temp dir and files of this job; HOME too, so ~/.aliyun stays inside it. */
  readonly dir: string;
  readonly env: Record<string, string>;
  /** Environment a later step of the job sees: the job's env plus everything exported so far. */
  laterStepEnv(): Record<string, string>;
  main(inputs: Record<string, string>, extraEnv?: Record<string, string>): Promise<StepResult>;
  post(extraEnv?: Record<string, string>): Promise<StepResult>;
  /** A step of the repository's second action, list-accounts (INPUT_* with the defaults of list-accounts/action.yml). */
  listAccounts(inputs: Record<string, string>, extraEnv?: Record<string, string>): Promise<StepResult>;
  /** A `run:` step with `shell: bash`, as the runner runs it (bash --noprofile --norc -eo pipefail), in `cwd`. */
  bash(script: string, extraEnv?: Record<string, string>, cwd?: string): Promise<StepResult>;
  cleanup(): void;
}

export interface JobOptions {
  /** Command prefix for every step, e.g. ['ip', 'netns', 'exec', NS] to run the steps inside a network namespace. */
  readonly wrap?: readonly string[];
}

// Every job's folder goes after the test file has run (or sooner, with cleanupJobs()), and in any case when the
// test process ends.
const jobDirs = new Set<string>();
process.once('exit', cleanupJobs);
afterAll(cleanupJobs);

export function cleanupJobs(): void {
  for (const dir of jobDirs) rmSync(dir, { recursive: true, force: true });
  jobDirs.clear();
}

/** The job environment of a workflow with `permissions: id-token: write`: the runner sets these two. */
export function oidcJobEnv(em: { readonly oidcRequestUrl: string; readonly oidcRequestToken: string }): Record<string, string> {
  return { ACTIONS_ID_TOKEN_REQUEST_URL: em.oidcRequestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: em.oidcRequestToken };
}

/** A job: steps share its env files the way steps of one GitHub job do. */
export function newJob(baseEnv: Record<string, string> = {}, options: JobOptions = {}): Job {
  const dir = mkdtempSync(join(tmpdir(), 'cac-job-'));
  jobDirs.add(dir);
  const env: Record<string, string> = jobEnv(dir, baseEnv);
  // The runner creates both before any step runs.
  mkdirSync(env.HOME, { recursive: true });
  mkdirSync(env.RUNNER_TEMP, { recursive: true });
  let exportedSoFar: Record<string, string> = {};
  let state: Record<string, string> = {};
  let step = 0;

  async function runStep(
    entry: 'main' | 'post' | 'list-accounts' | 'bash',
    inputs: Record<string, string>,
    extraEnv: Record<string, string>,
    script = '',
    cwd?: string,
  ): Promise<StepResult> {
    step++;
    const action = entry === 'list-accounts' ? LIST_ACCOUNTS_ACTION : undefined;
    const { env: stepVariables, files } = stepEnv({
      dir,
      step,
      entry: entry === 'post' ? 'post' : 'main',
      env: { ...env, ...exportedSoFar },
      inputs,
      state,
      action,
    });
    const started = performance.now();
    let run: { code: number; stdout: string; stderr: string };
    if (entry === 'bash') {
      // A run: step gets no INPUT_* variables: those are an action's.
      const variables = Object.fromEntries(Object.entries(stepVariables).filter(([name]) => !name.startsWith('INPUT_')));
      const file = join(dir, `script-${step}.sh`);
      writeFileSync(file, script);
      run = await runProcess('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], { ...variables, ...extraEnv }, cwd);
    } else {
      run = await runNode(join(DIST, entry, 'index.js'), { ...stepVariables, ...extraEnv }, [], options.wrap);
    }
    const { code, stdout, stderr } = run;
    const ms = performance.now() - started;
    const { exported, outputs, state: stepState, summary } = readStep(files);
    exportedSoFar = { ...exportedSoFar, ...exported };
    if (entry === 'main') state = { ...state, ...stepState };
    const masks = [...stdout.matchAll(/^::add-mask::(.*)$/gm)].map((m) => decodeCommand(m[1]));
    const errorLine = /^::error::(.*)$/m.exec(stdout)?.[1];
    return {
      code,
      stdout,
      stderr,
      exported,
      state: stepState,
      masks,
      ms,
      outputs,
      summary,
      error: errorLine === undefined ? undefined : decodeCommand(errorLine),
    };
  }

  return {
    dir,
    env,
    laterStepEnv: () => ({ ...env, ...exportedSoFar }),
    main: (inputs, extraEnv = {}) => runStep('main', inputs, extraEnv),
    post: (extraEnv = {}) => runStep('post', {}, extraEnv),
    listAccounts: (inputs, extraEnv = {}) => runStep('list-accounts', inputs, extraEnv),
    bash: (script, extraEnv = {}, cwd = undefined) => runStep('bash', {}, extraEnv, script, cwd),
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
      jobDirs.delete(dir);
    },
  };
}

/** Runs `node script args` (behind the command prefix `wrap`, if any) with exactly `env`. */
export function runNode(
  script: string,
  env: Record<string, string>,
  args: string[] = [],
  wrap: readonly string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const [command, ...prefix] = [...wrap, process.execPath];
  return runProcess(command, [...prefix, script, ...args], env);
}

/** Runs `command args` with exactly `env` (in `cwd`, if given). */
export function runProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    // Windows ends lines with \r\n; the checks read lines.
    child.on('close', (code) => resolveRun({ code: code ?? -1, stdout: stdout.replace(/\r\n/g, '\n'), stderr: stderr.replace(/\r\n/g, '\n') }));
  });
}

function decodeCommand(value: string): string {
  return value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

/**
 * Every secret may appear in the log only in its own ::add-mask:: line, and that line must come before any
 * other use. Returns a description of each leak (empty when clean).
 */
export function findLeaks(result: Pick<StepResult, 'stdout' | 'stderr' | 'summary'>, secrets: Iterable<string>): string[] {
  const leaks: string[] = [];
  const all = new Set(secrets);
  for (const secret of all) {
    if (!secret || secret.length < 6) continue;
    // As it is and URL-encoded once or twice, in any case of letters (encoders differ in their hex digits).
    const once = encodeURIComponent(secret);
    const forms = new Set([secret, once, encodeURIComponent(once)].map((form) => form.toLowerCase()));
    for (const [stream, text] of [
      ['stdout', result.stdout],
      ['stderr', result.stderr],
      ['summary', result.summary],
    ] as const) {
      text.split('\n').forEach((line, index) => {
        // A mask line of one of the secrets, as the runner reads it (command data is %-escaped, so the mask line of
        // a URL-encoded secret looks like the secret encoded twice).
        if (line.startsWith('::add-mask::') && all.has(decodeCommand(line.slice('::add-mask::'.length)))) return;
        const lower = line.toLowerCase();
        for (const form of forms)
          if (lower.includes(form)) {
            const at = lower.indexOf(form);
            const shown = `${line.slice(0, at)}<SECRET>${line.slice(at + form.length)}`;
            leaks.push(`${stream} line ${index + 1} shows a secret (${secret.slice(0, 4)}…): ${shown.slice(0, 200)}`);
          }
      });
    }
  }
  return leaks;
}

let modesSkipped = false;
/** File modes: POSIX only. Windows has no such modes; there the check is skipped, and that is said once. */
export function expectMode(path: string, mode: number): void {
  if (process.platform === 'win32') {
    if (!modesSkipped) console.warn('file modes are not checked on Windows, which has none');
    modesSkipped = true;
    return;
  }
  expect([path, (statSync(path).mode & 0o777).toString(8)]).toEqual([path, mode.toString(8)]);
}
