// Fault injection against the BUILT action, at scale: a matrix of 60 jobs starting together against STS flow
// control. A file of its own (it was part of faults.test.ts), so that jest runs its throttled minute and a half beside
// the other fault scenarios. Nothing is mocked: dist/main runs as a child process per job against the loopback
// emulator, whose flow control answers Throttling.User above the account's rate.

import { describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../emulator/server.js';
import { findLeaks, type Job, newJob, oidcJobEnv } from './runner.js';

const ACCOUNT = '1234567890123456';

describe('a matrix of 60 jobs starting together against STS flow control (4 requests a second per account)', () => {
  // Real flow control answers Throttling.User above the account's rate; the retries back off with jitter and,
  // for throttling, go on past retry-max-attempts until the deadline. STS does not say whether refused requests
  // count against the rate, so the matrix runs against both: a token bucket they do not drain, and a sliding
  // window that counts them (where retries that come back too eagerly keep the whole matrix out). One job of the
  // matrix has a role that does not exist: a non-retryable answer still ends it at once, throttled or not before.
  it.each([
    ['refused requests not counted', false],
    ['refused requests counted', true],
  ])(
    '%s: all 60 get credentials, the slowest within 90 s; a job with a wrong role fails at its first non-throttled answer',
    async (model, countRefused) => {
      const em = await startEmulator();
      try {
        const provider = (await em.addOidcProvider({ accountId: ACCOUNT, name: 'github' })).arn;
        const role = (await em.addRole({ accountId: ACCOUNT, name: 'matrix', oidc: { providerArn: provider } })).arn;
        await em.setFlowControl({ perSecond: 4, countRefused });
        const inputs = (roleArn: string) => ({
          'role-to-assume': roleArn,
          'oidc-provider-arn': provider,
          'role-session-name': 'matrix',
          'sts-endpoint': `http://${em.stsHost}`,
        });
        const started = Date.now();
        const finish = async (job: Job, roleArn: string) => {
          const result = await job.main(inputs(roleArn));
          return { result, ms: Date.now() - started };
        };
        const jobs = Array.from({ length: 60 }, () => finish(newJob(oidcJobEnv(em)), role));
        const wrong = finish(newJob(oidcJobEnv(em)), `acs:ram::${ACCOUNT}:role/no-such-role`);
        const done = await Promise.all(jobs);
        const failed = await wrong;

        const requests = await em.requests();
        const throttled = requests.filter((r) => r.code === 'Throttling.User').length;
        const succeeded = done.filter((d) => d.result.code === 0);
        const slowest = Math.max(...succeeded.map((d) => d.ms));
        console.log(
          `throttled matrix (${model}): ${succeeded.length}/60 jobs got credentials, the slowest after ${(slowest / 1000).toFixed(1)} s; STS answered Throttling.User ${throttled} times.`,
        );
        expect(succeeded.length).toBe(60);
        for (const { result } of done) expect({ code: result.code, error: result.error }).toEqual({ code: 0, error: undefined });
        expect(throttled).toBeGreaterThan(0);
        expect(slowest).toBeLessThanOrEqual(90_000);
        for (const { result } of done) expect(findLeaks(result, await em.secrets())).toEqual([]);

        expect(failed.result.code).toBe(1);
        expect(failed.result.error).toMatch(/^AssumeRoleWithOIDC failed: EntityNotExist\.Role/);
        // Every attempt before the last was throttled, and is logged as such, counted apart from retry-max-attempts;
        // the first other answer ended the step.
        const retries = failed.result.stdout.split('\n').filter((line) => line.includes('retrying in'));
        for (const [i, line] of retries.entries()) {
          expect(line).toMatch(
            new RegExp(`^AssumeRoleWithOIDC: throttled attempt ${i + 1} \\(Throttling\\.User, RequestId [0-9A-F-]+\\); retrying in \\d+ ms\\.$`),
          );
        }
      } finally {
        await em.close();
      }
    },
    150_000,
  );
});
