// list-accounts' pure parts: its inputs (kept equal to list-accounts/action.yml, defaults included), which members it
// keeps and the entries it makes of them. The requests and the outputs are __tests__/e2e/resource-directory.test.ts.

import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { InputError } from '../../src/errors.js';
import { leftOut, outputBytes, selectAccounts } from '../../src/list-accounts/accounts.js';
import { LIST_INPUTS, readListConfig, SCANNABLE_STATUSES, STATUSES } from '../../src/list-accounts/config.js';
import type { Member } from '../../src/resource-manager.js';

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
    expect(Object.keys(action.outputs).sort()).toEqual(['accounts', 'count']);
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
    type: 'ResourceAccount',
    status,
  });
  const caller = { accountId: '100', arn: 'acs:ram::100:assumed-role/OrgScan/gha' };
  const options = { roleName: 'Audit', excludeAccounts: ['3'], statuses: SCANNABLE_STATUSES };

  it('keeps members in a kept status, leaves out the caller and the excluded, and makes entries of exactly four keys', () => {
    const selection = selectAccounts(
      [member('100'), member('1'), member('2', 'CreateVerifying'), member('3'), member('4', 'PromoteFailed', 'r-x1')],
      caller,
      options,
    );
    expect(selection.accounts).toEqual([
      { id: '1', name: 'name of 1', folder: 'fd-a1', role: 'acs:ram::1:role/Audit' },
      { id: '4', name: 'name of 4', folder: 'r-x1', role: 'acs:ram::4:role/Audit' },
    ]);
    expect(selection).toMatchObject({ caller: '100', excluded: ['3'], byStatus: { CreateVerifying: 1 } });
    expect(leftOut(selection)).toEqual([
      "the listing account 100 (the members' access roles trust it; it has no such role of its own)",
      '1 named by exclude-accounts',
      '1 in status CreateVerifying',
    ]);
    expect(leftOut(selectAccounts([member('1')], caller, options))).toEqual([]);
  });

  it("counts output bytes as GitHub does, in UTF-16: 256 accounts fit well within a job's 1 MB", () => {
    expect(outputBytes('ab')).toBe(4);
    const many = Array.from({ length: 256 }, (_, i) => member(String(1000000000000000 + i)));
    const json = JSON.stringify(selectAccounts(many, caller, { ...options, roleName: 'ResourceDirectoryAccountAccessRole' }).accounts);
    expect(outputBytes(json)).toBeLessThan(100_000);
  });
});
