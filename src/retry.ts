// Classified retries: only what can succeed on a second try is tried again, with full-jitter exponential
// backoff, an attempt cap and a deadline so a failing step ends in about a minute. Throttling has a schedule of
// its own: flow control clears as a burst of parallel jobs passes, so a throttled attempt is tried again until a
// later deadline, however many attempts that takes (unless retries are off: maxAttempts 1).
//
// The two schedules count apart. Throttled attempts do not use up maxAttempts, nor widen the backoff of other
// failures, and other failures do not widen the backoff of throttling: each window doubles with the attempts of its
// own schedule. Deadlines: throttling is retried until throttled.deadlineMs after the first attempt; other
// failures until deadlineMs after the start of the first attempt that failed otherwise (so a 503 after a minute of
// throttling still has its retries; without throttling that is the first attempt, as before). Neither goes past the
// later of the two deadlines measured from the first attempt (120 s with the defaults): the whole step still ends.
//
// Throttled waits are drawn from the upper half of a window that doubles from 2 s to at most 12 s ("equal jitter").
// Measured with `npm run bench` (60 matrix jobs, each OIDC then AssumeRole against 4 STS requests a second, the
// emulator's two ways of counting, docs/TROUBLESHOOTING.md section 7): the old schedule (full jitter from 0.5 s to
// 20 s, 80 s) left the flow-control limit unused in the burst's tail, where the last jobs slept up to 20 s, and
// retried 0-2 s after the first refusals, when nothing could pass. The lower cap keeps the limit busy to the end;
// the floor of the window, and a cap not lower than this, keep a matrix from keeping itself out where refused
// requests count against the limit (a cap of 10 s already lets half such a matrix fail); the later deadline lets
// that matrix through too.

import { ActionError } from './errors.js';

export interface Backoff {
  /** No retry of this schedule starts after this many milliseconds (from when, the header says). */
  readonly deadlineMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /**
   * How the wait is drawn from the window W = min(maxDelayMs, baseDelayMs × 2^(n−1)), n the attempts of this
   * schedule so far: 'full' anywhere in [0, W], 'equal' in [W/2, W] (the two jitters of AWS's "Exponential Backoff
   * And Jitter", Marc Brooker, 2015).
   */
  readonly jitter: 'full' | 'equal';
}

export interface RetryPolicy extends Backoff {
  /** Attempts that fail other than throttled, the first included; 1 turns every retry off, throttling's too. */
  readonly maxAttempts: number;
  /** The schedule for throttled attempts, which are not capped by maxAttempts. */
  readonly throttled: Backoff;
}

export const DEFAULT_RETRY_POLICY: Omit<RetryPolicy, 'maxAttempts'> = {
  deadlineMs: 60_000,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  jitter: 'full',
  throttled: { deadlineMs: 120_000, baseDelayMs: 2_000, maxDelayMs: 12_000, jitter: 'equal' },
};

/** A retry about to wait: `attempt` counts the attempts of its own schedule, this one included. */
export type RetryEvent =
  | { readonly throttled: true; readonly attempt: number; readonly error: ActionError; readonly waitMs: number }
  | { readonly throttled: false; readonly attempt: number; readonly maxAttempts: number; readonly error: ActionError; readonly waitMs: number };

export interface RetryHooks {
  readonly onRetry?: (event: RetryEvent) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
}

/** The log line of a retry of `step`: a throttled attempt has no cap to show, the others show theirs. */
export function describeRetry(step: string, event: RetryEvent): string {
  const { error, waitMs } = event;
  const cause = `${error.details.code ?? error.kind}${error.details.requestId ? `, RequestId ${error.details.requestId}` : ''}`;
  const which = event.throttled ? `throttled attempt ${event.attempt}` : `attempt ${event.attempt}/${event.maxAttempts} failed`;
  return `${step}: ${which} (${cause}); retrying in ${waitMs} ms.`;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `attempt` (given the attempt number, from 1) until it succeeds, fails for good, or time runs out. */
export async function withRetry<T>(policy: RetryPolicy, attempt: (n: number) => Promise<T>, hooks: RetryHooks = {}): Promise<T> {
  const { sleep = sleepFor, random = Math.random, now = Date.now } = hooks;
  const start = now();
  const outerDeadline = start + Math.max(policy.deadlineMs, policy.throttled.deadlineMs);
  let throttledAttempts = 0;
  let otherAttempts = 0;
  /** When the first attempt that failed other than throttled started. */
  let otherSince = start;
  for (let n = 1; ; n++) {
    const began = n === 1 ? start : now();
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof ActionError) || !error.retryable || policy.maxAttempts <= 1) throw error;
      const throttled = error.kind === 'throttled';
      if (!throttled && otherAttempts === 0) otherSince = began;
      const count = throttled ? ++throttledAttempts : ++otherAttempts;
      if (!throttled && count >= policy.maxAttempts) throw error;
      const backoff = throttled ? policy.throttled : policy;
      const window = Math.min(backoff.maxDelayMs, backoff.baseDelayMs * 2 ** (count - 1));
      const waitMs = Math.round(backoff.jitter === 'equal' ? window / 2 + (random() * window) / 2 : random() * window);
      const deadline = Math.min(outerDeadline, (throttled ? start : otherSince) + backoff.deadlineMs);
      if (now() + waitMs >= deadline) throw error;
      hooks.onRetry?.(throttled ? { throttled, attempt: count, error, waitMs } : { throttled, attempt: count, maxAttempts: policy.maxAttempts, error, waitMs });
      await sleep(waitMs);
    }
  }
}
