// list-accounts' pure parts: its inputs (kept equal to list-accounts/action.yml, defaults included), which members it
// keeps and the entries it makes of them. The requests and the outputs are __tests__/e2e/resource-directory.test.ts.

import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { InputError } from '../../src/errors.js';
import { leftOut, outputBytes, selectAccounts } from '../../src/list-accounts/accounts.js';
import { LIST_INPUTS, readListConfig, SCANNABLE_STATUSES, STATUSES } from '../../src/list-accounts/config.js';
import { limiter } from '../../src/list-accounts/list.js';
import { listingMarkdown } from '../../src/list-accounts/summary.js';
import { type Member, RESOURCE_MANAGER_ERROR_CODES } from '../../src/resource-manager.js';

const action = parse(readFileSync(new URL('../../list-accounts/action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
};
const defaults =
  (inputs: Record<string, string> = {}) =>
  (name: string) =>
    inputs[name] ?? action.inputs[name]?.default ?? '';

describe('list-accounts inputs', () => {
  it('are the inputs of list-accounts/action.yml, which runs the bundle on node24', () => {
    expect(Object.keys(action.inputs).sort()).toEqual([...LIST_INPUTS].sort());
    expect(Object.keys(action.outputs).sort()).toEqual(['accounts', 'count', 'left-out']);
    expect(action.runs).toEqual({ using: 'node24', main: '../dist/list-accounts/index.js' });
  });

  it("with action.yml's defaults: the whole directory, the access role, the scannable statuses, the central endpoints", () => {
    expect(readListConfig(defaults())).toEqual({
      roleName: 'ResourceDirectoryAccountAccessRole',
      folders: [],
      excludeAccounts: [],
      statuses: SCANNABLE_STATUSES,
      endpoint: { host: 'resourcemanager.aliyuncs.com', protocol: 'https' },
      stsEndpoint: { host: 'sts.aliyuncs.com', protocol: 'https' },
      retryMaxAttempts: 5,
    });
    // The default of action.yml is the list of statuses that can be scanned, in the same order.
    expect(readListConfig(defaults({ statuses: '' })).statuses).toEqual(SCANNABLE_STATUSES);
    expect(SCANNABLE_STATUSES).toEqual([
      'CreateSuccess',
      'InviteSuccess',
      'PromoteSuccess',
      'PromoteVerifying',
      'PromoteFailed',
      'PromoteExpired',
      'PromoteCancelled',
    ]);
    expect(Object.keys(STATUSES)).toHaveLength(12);
  });

  it('reads lists separated by commas, spaces or new lines, once each', () => {
    const config = readListConfig(
      defaults({ folders: 'fd-abc123, r-root1\nfd-abc123', 'exclude-accounts': '1 2,,3', statuses: 'Removed CreateSuccess', region: 'cn-hangzhou' }),
    );
    expect(config.folders).toEqual(['fd-abc123', 'r-root1']);
    expect(config.excludeAccounts).toEqual(['1', '2', '3']);
    expect(config.statuses).toEqual(['Removed', 'CreateSuccess']);
    expect(config.stsEndpoint).toEqual({ host: 'sts.cn-hangzhou.aliyuncs.com', protocol: 'https' });
    expect(readListConfig(defaults({ endpoint: 'http://127.0.0.1:8080' })).endpoint).toEqual({ host: '127.0.0.1:8080', protocol: 'http' });
  });

  it.each([
    ['role-name', { 'role-name': 'role name' }],
    ['role-name', { 'role-name': 'x'.repeat(65) }],
    ['folders', { folders: 'fd-ok1 fd_bad' }],
    ['exclude-accounts', { 'exclude-accounts': 'acs:ram::1:root' }],
    ['statuses', { statuses: 'Active' }],
    ['endpoint', { endpoint: 'https://resourcemanager.aliyuncs.com/path' }],
    ['sts-endpoint', { 'sts-endpoint': 'http://sts.aliyuncs.com' }],
    ['use-vpc-endpoint', { 'use-vpc-endpoint': 'true' }],
    ['retry-max-attempts', { 'retry-max-attempts': '0' }],
  ])('refuses a bad %s, naming it', (input, inputs) => {
    let error: unknown;
    try {
      readListConfig(defaults(inputs));
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe(input);
    expect((error as InputError).hint).toBeTruthy();
  });
});

describe('selectAccounts', () => {
  const member = (accountId: string, status = 'CreateSuccess', folderId = 'fd-a1'): Member => ({
    accountId,
    displayName: `name of ${accountId}`,
    folderId,
    status,
  });
  const caller = { accountId: '100', arn: 'acs:ram::100:assumed-role/OrgScan/gha' };
  const options = { roleName: 'Audit', excludeAccounts: ['3'], statuses: SCANNABLE_STATUSES };

  it('keeps members in a kept status, leaves out the management account and the excluded, and makes entries of exactly four keys', () => {
    const selection = selectAccounts(
      [member('100'), member('1'), member('2', 'CreateVerifying'), member('3'), member('4', 'PromoteFailed', 'r-x1')],
      caller,
      '100',
      options,
    );
    expect(selection.accounts).toEqual([
      { id: '1', name: 'name of 1', folder: 'fd-a1', role: 'acs:ram::1:role/Audit' },
      { id: '4', name: 'name of 4', folder: 'r-x1', role: 'acs:ram::4:role/Audit' },
    ]);
    expect(selection).toMatchObject({ management: '100', caller: undefined, excluded: ['3'], byStatus: { CreateVerifying: 1 } });
    expect(leftOut(selection)).toEqual([
      'the management account 100 (it has no member access role)',
      '1 named by exclude-accounts',
      '1 in status CreateVerifying',
    ]);
    expect(leftOut(selectAccounts([member('1')], caller, '100', options))).toEqual([]);
  });

  it('a delegated administrator lists: leaves out the management account (no access role) and the listing account', () => {
    const delegated = { accountId: '7', arn: 'acs:ram::7:user/rd-admin' };
    const selection = selectAccounts([member('100', 'CreateSuccess', 'r-x1'), member('1'), member('7')], delegated, '100', options);
    expect(selection.accounts.map((a) => a.id)).toEqual(['1']);
    expect(selection).toMatchObject({ management: '100', caller: '7' });
    expect(leftOut(selection)).toEqual([
      'the management account 100 (it has no member access role)',
      'the listing account 7 (a delegated administrator: scan it with its own credentials)',
    ]);
    // The job summary's form: no account ID.
    expect(leftOut(selection, false)).toEqual([
      'the management account (it has no member access role)',
      'the listing account (a delegated administrator: scan it with its own credentials)',
    ]);
  });

  it("counts output bytes as GitHub does, in UTF-16: 256 accounts fit well within a job's 1 MB", () => {
    expect(outputBytes('ab')).toBe(4);
    const many = Array.from({ length: 256 }, (_, i) => member(String(1000000000000000 + i)));
    const json = JSON.stringify(selectAccounts(many, caller, '100', { ...options, roleName: 'ResourceDirectoryAccountAccessRole' }).accounts);
    expect(outputBytes(json)).toBeLessThan(100_000);
  });
});

describe('the job summary', () => {
  const member = (accountId: string, folderId: string): Member => ({
    accountId,
    displayName: `n${accountId}`,
    folderId,
    status: 'CreateSuccess',
  });
  const caller = { accountId: '1000000000000001', arn: 'acs:ram::1000000000000001:assumed-role/OrgScan/gha' };
  const options = { roleName: 'Audit', excludeAccounts: [], statuses: SCANNABLE_STATUSES };
  const members = [member('1000000000000001', 'r-root1'), member('2', 'r-root1'), member('3', 'fd-prod1'), member('4', 'fd-eu1')];

  it('never names the listing or the management account: the runner does not mask a summary', () => {
    for (const [who, management] of [
      [caller, caller.accountId],
      [{ accountId: '2000000000000002', arn: 'acs:ram::2000000000000002:user/rd-admin' }, caller.accountId],
    ] as const) {
      const selection = selectAccounts([...members, member('2000000000000002', 'r-root1')], who, management, options);
      const markdown = listingMarkdown({ selection, folderNames: new Map(), delegated: who !== caller, requests: 2 });
      expect(markdown).not.toContain('1000000000000001');
      expect(markdown).not.toContain('2000000000000002');
      expect(markdown).toContain(who === caller ? 'listed by the management account' : 'listed by a delegated administrator');
    }
  });

  it('labels folder IDs as IDs; names only those a listing read (the folders below the given ones)', () => {
    const selection = selectAccounts(members, caller, caller.accountId, options);
    const whole = listingMarkdown({ selection, folderNames: new Map(), delegated: false, requests: 2 });
    expect(whole).toContain('| Folder ID | Accounts |\n|---|---:|\n');
    expect(whole).toContain('| `r-root1` | 1 |');
    const inFolders = listingMarkdown({ selection, folders: ['fd-prod1'], folderNames: new Map([['fd-eu1', 'eu']]), delegated: false, requests: 4 });
    expect(inFolders).toContain('| Folder ID | Name | Accounts |');
    expect(inFolders).toContain('| `fd-prod1` | - | 1 |');
    expect(inFolders).toContain('| `fd-eu1` | `eu` | 1 |');
  });
});

describe('ResourceManager error codes', () => {
  it('are documented code by code in docs/TROUBLESHOOTING.md', () => {
    const doc = readFileSync(new URL('../../docs/TROUBLESHOOTING.md', import.meta.url), 'utf8');
    expect(Object.keys(RESOURCE_MANAGER_ERROR_CODES).filter((code) => !doc.includes(`\`${code}\``))).toEqual([]);
  });
});

describe('limiter: the ResourceManager requests in flight at once', () => {
  it('runs at most n tasks at a time, starts the others in order as slots free, and frees a slot when a task fails', async () => {
    const slot = limiter(4);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const release: Array<(ok: boolean) => void> = [];
    const results = Array.from({ length: 10 }, (_, i) =>
      slot(async () => {
        started.push(i);
        running++;
        most = Math.max(most, running);
        const ok = await new Promise<boolean>((resolve) => release.push(resolve));
        running--;
        if (!ok) throw new Error(`task ${i} failed`);
        return i;
      }).catch((error: Error) => error.message),
    );
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    await settle();
    expect(started).toEqual([0, 1, 2, 3]);
    release[1](false);
    await settle();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    // A task given now waits behind the five already waiting.
    const late = slot(async () => {
      started.push(10);
      return 'late';
    });
    // Let each task finish once started, until all ten have run.
    const finished = new Set([1]);
    while (finished.size < 10) {
      for (let i = 0; i < release.length; i++) {
        if (!finished.has(i)) {
          finished.add(i);
          release[i](true);
        }
      }
      await settle();
    }
    expect(await Promise.all(results)).toEqual([0, 'task 1 failed', 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await late).toBe('late');
    expect(most).toBe(4);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});
