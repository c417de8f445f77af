import { ActionError, type ErrorKind } from '../../src/errors.js';
import { DEFAULT_RETRY_POLICY, describeRetry, type RetryEvent, type RetryPolicy, withRetry } from '../../src/retry.js';

describe('withRetry', () => {
  const policy = {
    maxAttempts: 4,
    deadlineMs: 60_000,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    jitter: 'full' as const,
    throttled: { deadlineMs: 30_000, baseDelayMs: 100, maxDelayMs: 3000, jitter: 'full' as const },
  };
  const noSleep = { sleep: async () => {}, random: () => 1 };

  it('retries retryable errors with exponential backoff until success', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetry(
      policy,
      async (n) => {
        calls++;
        if (n < 3) throw new ActionError('server', 'boom');
        return 'ok';
      },
      { ...noSleep, onRetry: (e) => waits.push(e.waitMs) },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(waits).toEqual([100, 200]);
  });
  it('stops at once on a non-retryable error and after the last attempt', async () => {
    let calls = 0;
    await expect(
      withRetry(
        policy,
        async () => {
          calls++;
          throw new ActionError('permission', 'no');
        },
        noSleep,
      ),
    ).rejects.toThrow('no');
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      withRetry(
        policy,
        async () => {
          calls++;
          throw new ActionError('server', 'down');
        },
        noSleep,
      ),
    ).rejects.toThrow('down');
    expect(calls).toBe(4);
  });
  it('retries throttling past the attempt cap on its own schedule until its own deadline, unless retries are off', async () => {
    let clock = 0;
    let calls = 0;
    const throttled = async () => {
      calls++;
      throw new ActionError('throttled', 'slow');
    };
    const waits: number[] = [];
    await expect(
      withRetry(policy, throttled, {
        random: () => 1,
        now: () => clock,
        sleep: async (ms) => {
          clock += ms;
        },
        onRetry: (e) => waits.push(e.waitMs),
      }),
    ).rejects.toThrow('slow');
    // 100 … 1600, then the throttling cap of 3000 ms (not the 1000 ms of other errors): attempts go on past
    // maxAttempts (4) until the throttling deadline of 30 s, not the 60 s of other errors.
    expect(calls).toBeGreaterThan(policy.maxAttempts);
    expect(waits.slice(0, 7)).toEqual([100, 200, 400, 800, 1600, 3000, 3000]);
    expect(clock).toBeLessThanOrEqual(30_000);
    expect(clock + 3000).toBeGreaterThanOrEqual(30_000);
    calls = 0;
    await expect(withRetry({ ...policy, maxAttempts: 1 }, throttled, noSleep)).rejects.toThrow('slow');
    expect(calls).toBe(1);
  });
  /**
   * Runs withRetry over `kinds` (what attempt n fails with; past the end it succeeds) on a fake clock: each attempt
   * takes `attemptMs`, each wait advances the clock. Returns what happened, with the log line of each retry.
   */
  async function scripted(p: RetryPolicy, kinds: readonly ErrorKind[], { attemptMs = (_n: number): number => 0, random = 1 } = {}) {
    let clock = 0;
    let calls = 0;
    const starts: number[] = [];
    const events: RetryEvent[] = [];
    const outcome = await withRetry(
      p,
      async (n) => {
        calls++;
        starts.push(clock);
        clock += attemptMs(n);
        if (n <= kinds.length)
          throw new ActionError(kinds[n - 1], `failure ${n}`, undefined, { code: kinds[n - 1] === 'throttled' ? 'Throttling.User' : undefined });
        return 'ok';
      },
      {
        random: () => random,
        now: () => clock,
        sleep: async (ms) => {
          clock += ms;
        },
        onRetry: (e) => events.push(e),
      },
    ).catch((error: ActionError) => error.message);
    return { outcome, calls, clock, starts, events, waits: events.map((e) => e.waitMs), lines: events.map((e) => describeRetry('AssumeRole', e)) };
  }
  const times = (count: number, kind: ErrorKind): ErrorKind[] => Array.from({ length: count }, () => kind);

  it('counts throttled attempts apart: a server error after them still has its retries, on its own backoff', async () => {
    // maxAttempts 4: six throttled attempts, then three server errors, then success. One counter for both would
    // have given up at the first server error (attempt 7 >= 4).
    const run = await scripted(policy, [...times(6, 'throttled'), ...times(3, 'server')]);
    expect(run.outcome).toBe('ok');
    expect(run.calls).toBe(10);
    // Throttling: 100 … 1600, then its cap of 3000; the server errors start again from 100 ms, not from the
    // window the throttled attempts had widened.
    expect(run.waits).toEqual([100, 200, 400, 800, 1600, 3000, 100, 200, 400]);
    // And throttling after server errors starts its own window from the start.
    const back = await scripted(policy, [...times(3, 'server'), ...times(2, 'throttled')]);
    expect(back.outcome).toBe('ok');
    expect(back.waits).toEqual([100, 200, 400, 100, 200]);
  });

  it('still caps the other failures at maxAttempts, however many throttled attempts came between them', async () => {
    const run = await scripted(policy, ['server', ...times(5, 'throttled'), 'network', 'throttled', 'server', 'server', 'server']);
    // The fourth failure other than throttling (attempt 10) ends it.
    expect(run.outcome).toBe('failure 10');
    expect(run.calls).toBe(10);
    expect(run.events.filter((e) => !e.throttled).map((e) => e.attempt)).toEqual([1, 2, 3]);
    expect(run.events.filter((e) => e.throttled).map((e) => e.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('says which schedule a retry is on, and never shows an attempt past the cap', async () => {
    const run = await scripted({ ...policy, maxAttempts: 3 }, [...times(6, 'throttled'), 'server', 'network']);
    expect(run.outcome).toBe('ok');
    expect(run.events.map((e) => (e.throttled ? { throttled: true, attempt: e.attempt } : { attempt: e.attempt, max: e.maxAttempts }))).toEqual([
      ...[1, 2, 3, 4, 5, 6].map((attempt) => ({ throttled: true, attempt })),
      { attempt: 1, max: 3 },
      { attempt: 2, max: 3 },
    ]);
    expect(run.events.every((e) => !('maxAttempts' in e) || e.attempt < e.maxAttempts)).toBe(true);
    expect(run.lines).toEqual([
      'AssumeRole: throttled attempt 1 (Throttling.User); retrying in 100 ms.',
      'AssumeRole: throttled attempt 2 (Throttling.User); retrying in 200 ms.',
      'AssumeRole: throttled attempt 3 (Throttling.User); retrying in 400 ms.',
      'AssumeRole: throttled attempt 4 (Throttling.User); retrying in 800 ms.',
      'AssumeRole: throttled attempt 5 (Throttling.User); retrying in 1600 ms.',
      'AssumeRole: throttled attempt 6 (Throttling.User); retrying in 3000 ms.',
      'AssumeRole: attempt 1/3 failed (server); retrying in 100 ms.',
      'AssumeRole: attempt 2/3 failed (network); retrying in 200 ms.',
    ]);
    const withId = describeRetry('GetCallerIdentity', {
      throttled: false,
      attempt: 2,
      maxAttempts: 5,
      error: new ActionError('server', 'x', undefined, { code: 'ServiceUnavailable', requestId: 'R-1' }),
      waitMs: 7,
    });
    expect(withId).toBe('GetCallerIdentity: attempt 2/5 failed (ServiceUnavailable, RequestId R-1); retrying in 7 ms.');
  });

  it('measures the deadline of other failures from the first of them, never past the outer deadline', async () => {
    const p: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 10 };
    // Throttled attempts take 1 s each and wait 2, 4, 8, then 12 s: the 8th attempt starts at 69 s, the 4th at 17 s.
    const oneSecond = () => 1000;
    // (d) A 503 after more than 60 s of throttling is retried: its 60 s count from when it came.
    const late = await scripted(p, [...times(7, 'throttled'), 'server'], { attemptMs: oneSecond });
    expect(late.starts[7]).toBe(69_000);
    expect(late.outcome).toBe('ok');
    expect(late.lines.at(-1)).toBe('AssumeRole: attempt 1/10 failed (server); retrying in 500 ms.');
    // Server errors that take 20 s each from 17 s on: attempts at 17, 37.5 and 58.5 s; the next would start at
    // 80.5 s, past 17 + 60 s, though the cap (10) and the outer deadline (120 s) would allow it.
    const slow = await scripted(p, [...times(3, 'throttled'), ...times(10, 'server')], { attemptMs: (n) => (n <= 3 ? 1000 : 20_000) });
    expect(slow.outcome).toBe('failure 6');
    expect(slow.starts.slice(3)).toEqual([17_000, 37_500, 58_500]);
    // Server errors that take 5 s each from 69 s on: attempts at 69, 74.5, 80.5, 87.5, 96.5 and 109.5 s; the next
    // would start at 122.5 s, within 69 + 60 s but past the outer deadline of 120 s after the first attempt.
    const outer = await scripted(p, [...times(7, 'throttled'), ...times(10, 'server')], { attemptMs: (n) => (n <= 7 ? 1000 : 5000) });
    expect(outer.outcome).toBe('failure 13');
    expect(outer.starts.slice(7)).toEqual([69_000, 74_500, 80_500, 87_500, 96_500, 109_500]);
  });

  /** The waits of a throttled attempt that never succeeds, under `p`, with random() fixed at `random`. */
  async function throttledWaits(p: RetryPolicy, random: number): Promise<{ waits: number[]; elapsed: number }> {
    let clock = 0;
    const waits: number[] = [];
    await expect(
      withRetry(
        p,
        async () => {
          throw new ActionError('throttled', 'slow');
        },
        {
          random: () => random,
          now: () => clock,
          sleep: async (ms) => {
            clock += ms;
          },
          onRetry: (e) => waits.push(e.waitMs),
        },
      ),
    ).rejects.toThrow('slow');
    return { waits, elapsed: clock };
  }

  it('draws full jitter from the whole window and equal jitter from its upper half', async () => {
    const full = await throttledWaits(policy, 0.5);
    expect(full.waits.slice(0, 7)).toEqual([50, 100, 200, 400, 800, 1500, 1500]);
    const equal = await throttledWaits({ ...policy, throttled: { ...policy.throttled, jitter: 'equal' } }, 0);
    expect(equal.waits.slice(0, 7)).toEqual([50, 100, 200, 400, 800, 1500, 1500]);
    const equalTop = await throttledWaits({ ...policy, throttled: { ...policy.throttled, jitter: 'equal' } }, 1);
    expect(equalTop.waits.slice(0, 7)).toEqual([100, 200, 400, 800, 1600, 3000, 3000]);
  });

  it("the action's throttling schedule: 1-2 s, 2-4 s, 4-8 s, then 6-12 s, until 120 s after the first attempt", async () => {
    const p: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 5 };
    const shortest = await throttledWaits(p, 0);
    const longest = await throttledWaits(p, 1);
    expect(shortest.waits.slice(0, 5)).toEqual([1000, 2000, 4000, 6000, 6000]);
    expect(longest.waits.slice(0, 5)).toEqual([2000, 4000, 8000, 12000, 12000]);
    for (const { waits, elapsed } of [shortest, longest]) {
      expect(elapsed).toBeLessThan(120_000);
      expect(elapsed + waits.at(-1)! * 2).toBeGreaterThanOrEqual(120_000);
    }
    // Other failures keep full jitter from 0.5 s to 8 s within 60 s, capped by the attempts.
    expect(DEFAULT_RETRY_POLICY).toMatchObject({ deadlineMs: 60_000, baseDelayMs: 500, maxDelayMs: 8_000, jitter: 'full' });
  });

  it('starts no attempt past the deadline', async () => {
    let clock = 0;
    let calls = 0;
    await expect(
      withRetry(
        { ...policy, deadlineMs: 250 },
        async () => {
          calls++;
          clock += 200;
          throw new ActionError('network', 'down');
        },
        { ...noSleep, now: () => clock },
      ),
    ).rejects.toThrow('down');
    expect(calls).toBe(1);
  });
});
