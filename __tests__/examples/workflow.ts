// A small interpreter of GitHub Actions workflows, for the tests of the example workflows: it runs a job's steps
// the way the runner does, through the e2e harness (__tests__/e2e/runner.ts): `if:` conditions and `${{ }}`
// expressions evaluated, `with:` and `env:` resolved, `run:` steps in bash with the job's GITHUB_ENV/OUTPUT files,
// this repository's actions as their built bundles, a local composite action step by step, continue-on-error,
// outcome and conclusion, job outputs, a matrix expanded from a job's real output with max-parallel, and whether a
// job starts (its `if:` over the results of the jobs it needs, and whether the run was cancelled: jobStarts).
//
// Modelled, because they need GitHub itself: actions/checkout (the repository is the files the examples' README
// tells users to copy, limited to the sparse-checkout paths), actions/upload-artifact and actions/download-artifact
// (a folder per artifact, a name once per run unless `overwrite`, as their v4+ do; the layouts of download-artifact
// v8.0.1 by name, pattern and merge-multiple), and whatever a test's `override` replaces
// (setup-python, pip). Expressions: literals, property access, ! == != < <= > >= && ||, and the functions the
// examples use (fromJSON, toJSON, format, contains, startsWith, always, success, failure, cancelled).

import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { type Job, newJob, ROOT, type StepResult } from '../e2e/runner.js';

export interface StepSpec {
  readonly id?: string;
  readonly name?: string;
  readonly if?: string | boolean;
  readonly uses?: string;
  readonly run?: string;
  readonly shell?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, unknown>;
  readonly 'continue-on-error'?: boolean | string;
}

export interface JobSpec {
  readonly name?: string;
  readonly needs?: string | string[];
  readonly if?: string | boolean;
  readonly permissions?: Record<string, string>;
  readonly strategy?: { readonly 'fail-fast'?: boolean; readonly 'max-parallel'?: number | string; readonly matrix?: Record<string, unknown> };
  readonly outputs?: Record<string, string>;
  readonly steps: StepSpec[];
}

export interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly jobs: Record<string, JobSpec>;
}

type Contexts = Record<string, unknown>;
type Outcome = 'success' | 'failure' | 'skipped' | 'cancelled';

export interface StepRun {
  readonly id?: string;
  readonly name: string;
  readonly outcome: Outcome;
  readonly conclusion: Outcome;
  readonly outputs: Record<string, string>;
  /** What the step printed and wrote (undefined for a skipped step or a modelled one that ran no process). */
  readonly result?: StepResult;
  /** The steps of a composite action, when the step was one. */
  readonly inner?: StepRun[];
}

export interface JobRun {
  readonly result: Outcome;
  readonly outputs: Record<string, string>;
  readonly steps: StepRun[];
  readonly job: Job;
}

/** What a test supplies: contexts and models for what cannot run here. */
export interface RunOptions {
  /** `github` context (actor, run_id, repository, server_url …). */
  readonly github: Record<string, unknown>;
  readonly inputs?: Record<string, unknown>;
  /** `vars` context: the repository's configuration variables. */
  readonly vars?: Record<string, string>;
  readonly needs?: Record<string, { result: Outcome; outputs: Record<string, string> }>;
  readonly matrix?: Record<string, unknown>;
  /** The job's environment (ACTIONS_ID_TOKEN_REQUEST_*, CA, proxy …). */
  readonly env?: Record<string, string>;
  /** The run's artifacts: a folder of one folder per artifact. */
  readonly artifacts: string;
  /** Files of the repository as `path in the repository` -> `path here`, for actions/checkout. */
  readonly repository: Record<string, string>;
  /**
   * Runs a step in place of the interpreter (a model of what cannot run here), or undefined to let it run. Given the
   * step with its `with:`/`env:` resolved, and whether it is inside the composite action at `action`.
   */
  readonly override?: (
    step: StepSpec & { with: Record<string, string>; env: Record<string, string> },
    job: Job,
    action?: string,
  ) => Promise<StepRun | undefined>;
}

export function readWorkflow(file: string): Workflow {
  return parse(readFileSync(file, 'utf8')) as Workflow;
}

/** Runs one job (one matrix combination of it) to its end. */
export async function runJob(spec: JobSpec, options: RunOptions): Promise<JobRun> {
  const job = newJob({ GITHUB_ACTIONS: 'true', ...(options.env ?? {}) });
  const workspace = join(job.dir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const base: Contexts = {
    github: { ...options.github, workspace },
    inputs: options.inputs ?? {},
    needs: options.needs ?? {},
    matrix: options.matrix ?? {},
    runner: { temp: job.env.RUNNER_TEMP, os: 'Linux' },
    env: {},
    vars: options.vars ?? {},
  };
  const steps = await runSteps(spec.steps, base, options, job, workspace);
  const result: Outcome = steps.some((s) => s.conclusion === 'failure') ? 'failure' : 'success';
  const context = { ...base, steps: stepsContext(steps) };
  const outputs = Object.fromEntries(Object.entries(spec.outputs ?? {}).map(([name, value]) => [name, interpolate(value, context)]));
  return { result, outputs, steps, job };
}

/** Runs the combinations of a job's matrix, at most max-parallel at a time. */
export async function runMatrix(spec: JobSpec, options: RunOptions, context: Contexts): Promise<Array<{ matrix: Record<string, unknown>; run: JobRun }>> {
  const matrix = spec.strategy?.matrix ?? {};
  const axes = Object.entries(matrix).map(([name, value]) => {
    const values = typeof value === 'string' ? evaluateTemplate(value, context) : value;
    if (!Array.isArray(values) || values.length === 0) throw new Error(`matrix axis ${name} has no values`);
    return values.map((v) => [name, v] as const);
  });
  const combinations = axes.reduce<Array<Record<string, unknown>>>((all, axis) => all.flatMap((c) => axis.map(([name, v]) => ({ ...c, [name]: v }))), [{}]);
  if (combinations.length > 256) throw new Error(`the matrix would make ${combinations.length} jobs; GitHub makes at most 256`);
  const maxParallel = Number(interpolate(String(spec.strategy?.['max-parallel'] ?? combinations.length), context)) || combinations.length;
  const runs: Array<{ matrix: Record<string, unknown>; run: JobRun }> = [];
  let next = 0;
  const worker = async () => {
    while (next < combinations.length) {
      const m = combinations[next++];
      runs.push({ matrix: m, run: await runJob(spec, { ...options, matrix: m }) });
    }
  };
  await Promise.all(Array.from({ length: Math.min(maxParallel, combinations.length) }, worker));
  return runs;
}

async function runSteps(steps: StepSpec[], base: Contexts, options: RunOptions, job: Job, workspace: string, action?: string): Promise<StepRun[]> {
  const done: StepRun[] = [];
  for (const step of steps) {
    const context = { ...base, steps: stepsContext(done) };
    const failed = done.some((s) => s.conclusion === 'failure');
    const name = step.name ?? step.uses ?? step.run?.split('\n')[0] ?? 'step';
    const condition = step.if === undefined ? 'success()' : String(step.if);
    if (!truthy(evaluateCondition(condition, context, failed))) {
      done.push({ id: step.id, name, outcome: 'skipped', conclusion: 'skipped', outputs: {} });
      continue;
    }
    const resolved = {
      ...step,
      with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), context)])),
      env: Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(String(v), context)])),
    };
    const ran = (await options.override?.(resolved, job, action)) ?? (await runStep(resolved, base, options, job, workspace, action));
    const continueOnError = truthy(
      typeof step['continue-on-error'] === 'string' ? evaluateTemplate(step['continue-on-error'], context) : step['continue-on-error'],
    );
    done.push({ ...ran, id: step.id, name, conclusion: ran.outcome === 'failure' && continueOnError ? 'success' : ran.outcome });
  }
  return done;
}

async function runStep(
  step: StepSpec & { with: Record<string, string>; env: Record<string, string> },
  base: Contexts,
  options: RunOptions,
  job: Job,
  workspace: string,
  action?: string,
): Promise<StepRun> {
  const name = step.name ?? step.uses ?? 'run';
  const finish = (result: StepResult): StepRun => ({
    name,
    outcome: result.code === 0 ? 'success' : 'failure',
    conclusion: 'success',
    outputs: result.outputs,
    result,
  });
  const actionPath: Record<string, string> = action ? { GITHUB_ACTION_PATH: action } : {};
  if (step.run !== undefined) {
    if ((step.shell ?? 'bash') !== 'bash') throw new Error(`shell ${step.shell} is not modelled`);
    return finish(await job.bash(step.run, { GITHUB_WORKSPACE: workspace, ...actionPath, ...step.env }, workspace));
  }
  const uses = step.uses ?? '';
  if (/^[\w-]+\/configure-alibabacloud-credentials@/.test(uses)) return finish(await job.main(step.with, step.env));
  if (/^[\w-]+\/configure-alibabacloud-credentials\/list-accounts@/.test(uses)) return finish(await job.listAccounts(step.with, step.env));
  if (uses.startsWith('./')) return runComposite(join(workspace, uses), step.with, base, options, job, workspace);
  if (uses.startsWith('actions/checkout@')) return checkout(step.with, options.repository, workspace, name);
  if (uses.startsWith('actions/upload-artifact@')) return upload(step.with, options.artifacts, name, workspace);
  if (uses.startsWith('actions/download-artifact@')) return download(step.with, options.artifacts, name, workspace);
  throw new Error(`${uses} is not modelled by the workflow interpreter`);
}

/** A local composite action: its inputs (with their defaults), then its steps in its own `steps` context. */
async function runComposite(dir: string, given: Record<string, string>, base: Contexts, options: RunOptions, job: Job, workspace: string): Promise<StepRun> {
  const file = join(dir, 'action.yml');
  if (!existsSync(file)) return { name: dir, outcome: 'failure', conclusion: 'failure', outputs: {} };
  const action = parse(readFileSync(file, 'utf8')) as { inputs?: Record<string, { default?: unknown }>; runs: { using: string; steps: StepSpec[] } };
  if (action.runs.using !== 'composite') throw new Error(`${file} is not a composite action`);
  const inputs = Object.fromEntries(
    Object.entries(action.inputs ?? {}).map(([name, spec]) => [name, given[name] ?? interpolate(String(spec.default ?? ''), base)]),
  );
  const inner = await runSteps(action.runs.steps, { ...base, inputs }, options, job, workspace, dir);
  const outcome: Outcome = inner.some((s) => s.conclusion === 'failure') ? 'failure' : 'success';
  return { name: basename(dir), outcome, conclusion: outcome, outputs: {}, inner };
}

function checkout(given: Record<string, string>, repository: Record<string, string>, workspace: string, name: string): StepRun {
  const sparse = (given['sparse-checkout'] ?? '')
    .split('\n')
    .map((p) => p.trim())
    .filter(Boolean);
  for (const [path, source] of Object.entries(repository)) {
    if (sparse.length && !sparse.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) continue;
    cpSync(source, join(workspace, path), { recursive: true });
  }
  return { name, outcome: 'success', conclusion: 'success', outputs: {} };
}

function upload(given: Record<string, string>, artifacts: string, name: string, workspace: string): StepRun {
  const target = join(artifacts, given.name);
  const source = given.path.startsWith('/') ? given.path : join(workspace, given.path);
  // upload-artifact v4+: one artifact of a name per run (a re-run of a job is the same run); `overwrite: true`
  // deletes the earlier one first.
  if (existsSync(target)) {
    if (given.overwrite !== 'true') return { name, outcome: 'failure', conclusion: 'failure', outputs: {} };
    rmSync(target, { recursive: true, force: true });
  }
  if (!existsSync(source)) {
    const fail = given['if-no-files-found'] === 'error';
    return { name, outcome: fail ? 'failure' : 'success', conclusion: fail ? 'failure' : 'success', outputs: {} };
  }
  mkdirSync(target, { recursive: true });
  if (statSync(source).isDirectory()) cpSync(source, target, { recursive: true });
  else cpSync(source, join(target, basename(source)));
  return { name, outcome: 'success', conclusion: 'success', outputs: { 'artifact-id': given.name } };
}

/**
 * download-artifact v8.0.1 (src/download-artifact.ts): `name` puts that artifact's files in `path`; otherwise every
 * artifact (or those `pattern` matches) goes to `path/<artifact name>`, except with `merge-multiple` or when exactly
 * one artifact matched: then its files go to `path` itself. No match is no error.
 */
function download(given: Record<string, string>, artifacts: string, name: string, workspace: string): StepRun {
  const path = given.path ? (given.path.startsWith('/') ? given.path : join(workspace, given.path)) : workspace;
  const glob = (text: string) => new RegExp(`^${text.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  const all = existsSync(artifacts) ? readdirSync(artifacts) : [];
  const matched = given.name ? all.filter((a) => a === given.name) : given.pattern ? all.filter((a) => glob(given.pattern).test(a)) : all;
  if (given.name && matched.length === 0) return { name, outcome: 'failure', conclusion: 'failure', outputs: {} };
  const flat = Boolean(given.name) || given['merge-multiple'] === 'true' || matched.length === 1;
  mkdirSync(path, { recursive: true });
  for (const artifact of matched) cpSync(join(artifacts, artifact), flat ? path : join(path, artifact), { recursive: true });
  return { name, outcome: 'success', conclusion: 'success', outputs: { 'download-path': path } };
}

function stepsContext(steps: StepRun[]): Record<string, unknown> {
  return Object.fromEntries(steps.filter((s) => s.id).map((s) => [s.id, { outputs: s.outputs, outcome: s.outcome, conclusion: s.conclusion }]));
}

// ---- expressions ------------------------------------------------------------------------------------------------

/** A string with `${{ }}` parts replaced by their values as strings. */
export function interpolate(text: string, context: Contexts): string {
  return text.replace(/\$\{\{(.*?)\}\}/gs, (_, expression: string) => asString(evaluate(expression, context)));
}

/** A value that is one `${{ expression }}` (a matrix, continue-on-error), as its value; any other string as it is. */
function evaluateTemplate(text: string, context: Contexts): unknown {
  const whole = /^\s*\$\{\{(.*)\}\}\s*$/s.exec(text);
  return whole ? evaluate(whole[1], context) : interpolate(text, context);
}

/** A step's `if:`: an expression with or without `${{ }}`; without a status function it means `success() && (…)`. */
function evaluateCondition(condition: string, context: Contexts, failed: boolean): unknown {
  const expression = condition.replace(/^\s*\$\{\{(.*)\}\}\s*$/s, '$1');
  const status = { always: true, success: !failed, failure: failed, cancelled: false };
  const value = evaluate(expression, context, status);
  return /\b(always|success|failure|cancelled)\s*\(/.test(expression) ? value : !failed && truthy(value);
}

/**
 * Whether a job starts, from its `if:` (default `success()`) over the results of the jobs it needs, as GitHub decides
 * before the job's matrix is expanded: success() when every needed job succeeded and the run was not cancelled,
 * failure() when one failed, cancelled() when the run was cancelled. A job whose needed job was skipped starts only
 * with a status function that allows it, as GitHub documents ("If a job fails or is skipped, all jobs that need it
 * are skipped unless the jobs use a conditional expression that causes the job to continue").
 */
export function jobStarts(
  spec: JobSpec,
  context: Contexts & { needs: Record<string, { result: Outcome; outputs: Record<string, string> }> },
  run: { cancelled?: boolean } = {},
): boolean {
  const needed = spec.needs === undefined ? [] : typeof spec.needs === 'string' ? [spec.needs] : spec.needs;
  const results = needed.map((job) => context.needs[job]?.result);
  if (results.some((r) => r === undefined)) throw new Error(`the needs context has no result for one of ${needed.join(', ')}`);
  const failed = results.some((r) => r === 'failure');
  const cancelled = Boolean(run.cancelled);
  const condition = spec.if === undefined ? 'success()' : String(spec.if);
  const expression = condition.replace(/^\s*\$\{\{(.*)\}\}\s*$/s, '$1');
  const success = !cancelled && results.every((r) => r === 'success');
  const status = { always: true, success, failure: failed, cancelled };
  const value = evaluate(expression, context, status);
  return truthy(/\b(always|success|failure|cancelled)\s*\(/.test(expression) ? value : success && truthy(value));
}

export function asString(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function truthy(value: unknown): boolean {
  return !(value === false || value === 0 || value === '' || value === null || value === undefined || Number.isNaN(value));
}

type Token = { kind: 'str' | 'num' | 'id' | 'op'; value: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:('(?:[^']|'')*')|(\d+(?:\.\d+)?)|([A-Za-z_][\w-]*)|(==|!=|<=|>=|&&|\|\||[!<>().,[\]*]))/gy;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    pattern.lastIndex = at;
    const m = pattern.exec(text);
    if (!m) throw new Error(`cannot read the expression at: ${text.slice(at)}`);
    at = pattern.lastIndex;
    if (m[1] !== undefined) tokens.push({ kind: 'str', value: m[1].slice(1, -1).replace(/''/g, "'") });
    else if (m[2] !== undefined) tokens.push({ kind: 'num', value: m[2] });
    else if (m[3] !== undefined) tokens.push({ kind: 'id', value: m[3] });
    else tokens.push({ kind: 'op', value: m[4] });
  }
  return tokens;
}

export function evaluate(expression: string, context: Contexts, status = { always: true, success: true, failure: false, cancelled: false }): unknown {
  const tokens = tokenize(expression);
  let i = 0;
  const peek = (value?: string) => (value === undefined ? tokens[i] : tokens[i]?.kind === 'op' && tokens[i].value === value ? tokens[i] : undefined);
  const expect = (value: string) => {
    if (!peek(value)) throw new Error(`expected ${value} in ${expression}`);
    i++;
  };
  const functions: Record<string, (...args: unknown[]) => unknown> = {
    fromjson: (v) => JSON.parse(asString(v)),
    tojson: (v) => JSON.stringify(v, null, 2),
    format: (f, ...args) => asString(f).replace(/\{(\d+)\}/g, (_, n: string) => asString(args[Number(n)])),
    contains: (a, b) => (Array.isArray(a) ? a.some((x) => equal(x, b)) : asString(a).toLowerCase().includes(asString(b).toLowerCase())),
    startswith: (a, b) => asString(a).toLowerCase().startsWith(asString(b).toLowerCase()),
    always: () => status.always,
    success: () => status.success,
    failure: () => status.failure,
    cancelled: () => status.cancelled,
  };
  const primary = (): unknown => {
    const token = tokens[i++];
    if (!token) throw new Error(`unexpected end of ${expression}`);
    if (token.kind === 'str') return token.value;
    if (token.kind === 'num') return Number(token.value);
    if (token.kind === 'op' && token.value === '(') {
      const value = or();
      expect(')');
      return value;
    }
    if (token.kind === 'op' && token.value === '!') return !truthy(postfix(primary()));
    if (token.kind !== 'id') throw new Error(`unexpected ${token.value} in ${expression}`);
    const name = token.value.toLowerCase();
    if (name === 'true' || name === 'false') return name === 'true';
    if (name === 'null') return null;
    if (peek('(')) {
      i++;
      const args: unknown[] = [];
      while (!peek(')')) {
        args.push(or());
        if (peek(',')) i++;
      }
      expect(')');
      const fn = functions[name];
      if (!fn) throw new Error(`function ${token.value} is not modelled`);
      return fn(...args);
    }
    return context[token.value];
  };
  const postfix = (value: unknown): unknown => {
    for (;;) {
      if (peek('.')) {
        i++;
        const key = tokens[i++].value;
        value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
      } else if (peek('[')) {
        i++;
        const key = asString(or());
        expect(']');
        value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
      } else return value;
    }
  };
  const unary = (): unknown => {
    if (peek('!')) {
      i++;
      return !truthy(unary());
    }
    return postfix(primary());
  };
  const comparison = (): unknown => {
    let left = unary();
    for (let op = peek(); op && ['==', '!=', '<', '<=', '>', '>='].includes(op.value) && op.kind === 'op'; op = peek()) {
      i++;
      const right = unary();
      left = op.value === '==' ? equal(left, right) : op.value === '!=' ? !equal(left, right) : compare(op.value, Number(left), Number(right));
    }
    return left;
  };
  const and = (): unknown => {
    let left = comparison();
    while (peek('&&')) {
      i++;
      const right = comparison();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const or = (): unknown => {
    let left = and();
    while (peek('||')) {
      i++;
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const value = or();
  if (i !== tokens.length) throw new Error(`unexpected ${tokens[i].value} in ${expression}`);
  return value;
}

/** GitHub's loose equality: strings case-insensitively, other types as numbers. */
function equal(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (typeof a === typeof b && typeof a === 'object') return a === b;
  const number = (v: unknown) => (v === null || v === undefined ? 0 : typeof v === 'boolean' ? Number(v) : v === '' ? 0 : Number(v));
  return number(a) === number(b);
}

function compare(op: string, a: number, b: number): boolean {
  return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
}

/** The repository a checkout gives in the tests: what the examples' READMEs tell users to copy where. */
export function exampleRepository(): Record<string, string> {
  return {
    '.github/actions/prowler-alibabacloud': join(ROOT, 'examples/prowler-alibabacloud'),
    '.github/org-scan/summarize-organization.mjs': join(ROOT, 'examples/org-scan/summarize-organization.mjs'),
    '.github/workflows/prowler-org-scan.yml': join(ROOT, 'examples/org-scan/prowler-org-scan.yml'),
  };
}
