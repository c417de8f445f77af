// src/list-accounts/list.ts in-process against the emulator: GetCallerIdentity's retries are logged and counted like
// those of ResourceManager, and a refusal to list does not wait for a throttled GetCallerIdentity, yet still says
// what the directory is.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../emulator/server.js';
import type { Emulator } from '../../emulator/types.js';
import type { ListConfig } from '../../src/list-accounts/config.js';
import { listMembers } from '../../src/list-accounts/list.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../src/retry.js';
import { ACCOUNT, actionError, NO_PROXY_VARIABLES, setEnv } from './helpers.js';

let em: Emulator;
let config: ListConfig;
let directory: Awaited<ReturnType<Emulator['setupResourceDirectory']>>;
let restoreEnv: () => void;
// Short waits, but throttling's deadline as long as the action's: only the bound on the caller's wait ends a refusal.
const retry: RetryPolicy = {
  ...DEFAULT_RETRY_POLICY,
  maxAttempts: 3,
  baseDelayMs: 10,
  maxDelayMs: 20,
  throttled: { ...DEFAULT_RETRY_POLICY.throttled, baseDelayMs: 20, maxDelayMs: 40 },
};

beforeAll(async () => {
  restoreEnv = setEnv(NO_PROXY_VARIABLES);
  em = await startEmulator();
  directory = await em.setupResourceDirectory({ managementAccountId: ACCOUNT, members: { count: 3 } });
  const endpoint = { host: em.stsHost, protocol: 'http' as const };
  config = {
    roleName: 'ResourceDirectoryAccountAccessRole',
    folders: [],
    excludeAccounts: [],
    statuses: ['CreateSuccess'],
    endpoint,
    stsEndpoint: endpoint,
    retryMaxAttempts: 3,
  };
});

afterAll(async () => {
  await em?.close();
  restoreEnv();
});

describe('listMembers', () => {
  it("logs GetCallerIdentity's retries and counts its requests with the others", async () => {
    const management = await em.addUser({ accountId: ACCOUNT, name: 'lister' });
    await em.queueFault('GetCallerIdentity', { kind: 'throttle' }, 1);
    const lines: string[] = [];
    const listing = await listMembers(config, management, { timeouts: { connectTimeoutMs: 2000, readTimeoutMs: 2000 }, retry, log: (l) => lines.push(l) });
    expect(listing.members).toHaveLength(4);
    expect(lines).toEqual([expect.stringMatching(/^GetCallerIdentity: throttled attempt 1 \(Throttling\.User, RequestId [0-9A-F-]+\); retrying in \d+ ms\.$/)]);
    // ListAccounts, GetResourceDirectory, and GetCallerIdentity twice.
    expect(listing.requests).toBe(4);
  });

  it('a refusal: does not wait out a throttled GetCallerIdentity, and names the directory without the caller', async () => {
    const member = await em.addUser({ accountId: directory.accounts[0].accountId, name: 'member' });
    await em.queueFault('GetCallerIdentity', { kind: 'throttle' }, 10_000);
    const lines: string[] = [];
    try {
      const error = await actionError(
        listMembers(config, member, { timeouts: { connectTimeoutMs: 2000, readTimeoutMs: 2000 }, retry, log: (l) => lines.push(l), callerWaitMs: 300 }),
      );
      expect(error.details.code).toBe('EntityNotExists.ResourceDirectory');
      expect(error.message).toContain(
        `The account of the credentials in the environment (GetCallerIdentity did not say which) is a member of Resource Directory ${directory.resourceDirectoryId}, but neither its management account (${ACCOUNT}) nor one of its delegated administrators.`,
      );
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.every((l) => l.startsWith('GetCallerIdentity: throttled attempt '))).toBe(true);
      // Once the refusal is reported, GetCallerIdentity is tried no more. An attempt already on the wire may still
      // reach the emulator: let it land first (retries here come every 20-40 ms, so six or more would follow).
      const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      await settle(100);
      const before = (await em.requests()).filter((r) => r.target === 'GetCallerIdentity').length;
      await settle(300);
      expect((await em.requests()).filter((r) => r.target === 'GetCallerIdentity')).toHaveLength(before);
    } finally {
      await em.clearFaults();
    }
  });
});
