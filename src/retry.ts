// Classified retries: only what can succeed on a second try is tried again, with full-jitter exponential
// backoff, an attempt cap and an overall deadline so a failing step ends in about a minute. Throttling is the
// exception to the cap: STS flow control clears as a burst of parallel jobs passes, so a throttled attempt is
// tried again until the deadline, however many attempts that takes (unless retries are off: maxAttempts 1).

import { ActionError } from './errors.js';

export interface RetryPolicy {
  readonly maxAttempts: number;
  /** No new attempt starts after this many milliseconds from the first. */
  readonly deadlineMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: Omit<RetryPolicy, 'maxAttempts'> = { deadlineMs: 60_000, baseDelayMs: 500, maxDelayMs: 8_000 };

export interface RetryEvent {
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly error: ActionError;
  readonly waitMs: number;
}

export interface RetryHooks {
  readonly onRetry?: (event: RetryEvent) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `attempt` (given the attempt number, from 1) until it succeeds, fails for good, or time runs out. */
export async function withRetry<T>(policy: RetryPolicy, attempt: (n: number) => Promise<T>, hooks: RetryHooks = {}): Promise<T> {
  const { sleep = sleepFor, random = Math.random, now = Date.now } = hooks;
  const start = now();
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof ActionError) || !error.retryable || policy.maxAttempts <= 1) throw error;
      if (error.kind !== 'throttled' && n >= policy.maxAttempts) throw error;
      const waitMs = Math.round(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1)));
      if (now() + waitMs - start >= policy.deadlineMs) throw error;
      hooks.onRetry?.({ attempt: n, maxAttempts: policy.maxAttempts, error, waitMs });
      await sleep(waitMs);
    }
  }
}
