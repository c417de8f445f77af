import { ActionError } from '../../src/errors.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withRetry } from '../../src/retry.js';

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
  it('gives other errors the ordinary schedule after throttling', async () => {
    const waits: number[] = [];
    let calls = 0;
    await expect(
      withRetry(
        policy,
        async (n) => {
          calls++;
          throw new ActionError(n < 3 ? 'throttled' : 'server', 'mixed');
        },
        { ...noSleep, onRetry: (e) => waits.push(e.waitMs) },
      ),
    ).rejects.toThrow('mixed');
    // Two throttled attempts, then server errors until the fourth attempt: the attempt cap still counts them all.
    expect(calls).toBe(4);
    expect(waits).toEqual([100, 200, 400]);
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
