import { ActionError } from '../../src/errors.js';
import { withRetry } from '../../src/retry.js';

describe('withRetry', () => {
  const policy = { maxAttempts: 4, deadlineMs: 60_000, baseDelayMs: 100, maxDelayMs: 1000 };
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
          throw new ActionError('throttled', 'slow');
        },
        noSleep,
      ),
    ).rejects.toThrow('slow');
    expect(calls).toBe(4);
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
