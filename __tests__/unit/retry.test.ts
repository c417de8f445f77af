import { ActionError } from '../../src/errors.js';
import { withRetry } from '../../src/retry.js';

describe('withRetry', () => {
  const policy = {
    maxAttempts: 4,
    deadlineMs: 60_000,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    throttled: { deadlineMs: 30_000, baseDelayMs: 100, maxDelayMs: 3000 },
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
