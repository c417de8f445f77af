// Classified retries: only what can succeed on a second try is tried again, with full-jitter exponential
// backoff, an attempt cap and an overall deadline so a failing step ends in about a minute. Throttling has a
// schedule of its own: STS flow control clears as a burst of parallel jobs passes, so a throttled attempt is
// tried again until a later deadline, however many attempts that takes (unless retries are off: maxAttempts 1),
// and its waits grow to a longer cap. A matrix whose retries come back faster than flow control lets requests
// through keeps itself out if refused requests count against the limit; the longer cap spreads 60 jobs thinly
// enough to clear 4 requests a second either way (measured against the emulator's two ways of counting).

import { ActionError } from './errors.js';

export interface Backoff {
  /** No new attempt starts after this many milliseconds from the first. */
  readonly deadlineMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface RetryPolicy extends Backoff {
  readonly maxAttempts: number;
  /** The schedule for throttled attempts, which are not capped by maxAttempts. */
  readonly throttled: Backoff;
}

export const DEFAULT_RETRY_POLICY: Omit<RetryPolicy, 'maxAttempts'> = {
  deadlineMs: 60_000,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  throttled: { deadlineMs: 80_000, baseDelayMs: 500, maxDelayMs: 20_000 },
};

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
      const throttled = error.kind === 'throttled';
      if (!throttled && n >= policy.maxAttempts) throw error;
      const backoff = throttled ? policy.throttled : policy;
      const waitMs = Math.round(random() * Math.min(backoff.maxDelayMs, backoff.baseDelayMs * 2 ** (n - 1)));
      if (now() + waitMs - start >= backoff.deadlineMs) throw error;
      hooks.onRetry?.({ attempt: n, maxAttempts: policy.maxAttempts, error, waitMs });
      await sleep(waitMs);
    }
  }
}
