// Shared by the module tests: catching the ActionError a call fails with, setting process.env for one test, a port
// nothing listens on, temporary folders, inputs and a source's context, a child process for what jest cannot do. Not a test file itself (jest runs *.test.ts only).

import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ActionError } from '../../src/errors.js';
import type { Env, InputReader } from '../../src/inputs.js';
import { type RetryPolicy, withRetry } from '../../src/retry.js';
import type { SourceContext } from '../../src/sources/source.js';

export const ACCOUNT = '1234567890123456';
export const OTHER_ACCOUNT = '6543210987654321';

/** The ActionError `promise` rejects with; anything else (or no rejection) fails the test. */
export async function actionError(promise: Promise<unknown>): Promise<ActionError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ActionError) return error;
    throw error;
  }
  throw new Error('expected an ActionError, but the call succeeded');
}

/** The ActionError `fn` throws; anything else (or no throw) fails the test. */
export function thrownBy(fn: () => unknown): ActionError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ActionError) return error;
    throw error;
  }
  throw new Error('expected an ActionError, but the call succeeded');
}

/** Sets (or, for undefined, deletes) variables of process.env; the function returned puts the old values back. */
export function setEnv(vars: Record<string, string | undefined>): () => void {
  const before = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(vars);
  return () => apply(before);
}

/** Every variable proxy.ts reads: cleared for a test so that the runner's own proxy settings cannot leak in. */
export const NO_PROXY_VARIABLES = {
  https_proxy: undefined,
  HTTPS_PROXY: undefined,
  http_proxy: undefined,
  HTTP_PROXY: undefined,
  no_proxy: undefined,
  NO_PROXY: undefined,
};

/** A port on 127.0.0.1 that nothing listens on: it was free a moment ago and is closed again. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `cac-modules-${prefix}-`));
}

/** Waits until `condition` holds, checking every 10 ms; fails after `ms`. */
export async function until(condition: () => boolean, ms = 5000, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** An input reader over fixed values, as the action's inputs read them ('' when not set). */
export function inputs(values: Record<string, string> = {}): InputReader {
  return (name) => values[name] ?? '';
}

/** Retries as the flow does, but within milliseconds. */
export const FAST_RETRY: RetryPolicy = {
  maxAttempts: 3,
  deadlineMs: 10_000,
  baseDelayMs: 10,
  maxDelayMs: 20,
  jitter: 'full',
  throttled: { deadlineMs: 10_000, baseDelayMs: 10, maxDelayMs: 20, jitter: 'full' },
};

/** What a source's obtain() is given; `logs` collects what it logs. */
export function sourceContext(env: Env = {}, logs: string[] = []): SourceContext {
  return {
    env,
    timeouts: { connectTimeoutMs: 2000, readTimeoutMs: 3000 },
    retry: (_step, attempt) => withRetry(FAST_RETRY, attempt),
    log: (message) => logs.push(message),
  };
}

const CHILD = fileURLToPath(new URL('./child.mjs', import.meta.url));

/**
 * Runs `snippet` (the body of an async function of `load(path)`, which imports a module of src/) in a child process
 * with `env` (undefined deletes a variable), for what this process cannot do itself (child.mjs says what).
 */
export async function inChild(
  snippet: string,
  env: Record<string, string | undefined>,
): Promise<{ value?: any; error?: { name: string; kind?: string; message: string } }> {
  const childEnv: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...process.env, ...env })) if (value !== undefined) childEnv[name] = value;
  const { stdout } = await promisify(execFile)(process.execPath, [CHILD, snippet], { env: childEnv, timeout: 30_000 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
}
