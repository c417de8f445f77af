// How large list-accounts' `accounts` output gets at GitHub's cap of a matrix, 256 jobs, with every value of an entry
// at the longest that Alibaba Cloud or list-accounts allows, measured the way each consumer limits it: GitHub a job's
// outputs (1 MB, counted in UTF-16: outputBytes), and Linux one environment variable, the summary job's ACCOUNTS
// (MAX_ARG_STRLEN, 32 pages of 4096 bytes, in UTF-8). The summary script run with such an ACCOUNTS is
// __tests__/examples/org-summary.test.ts; the matrix over a real listing, __tests__/examples/org-scan.test.ts.

import { describe, expect, it } from '@jest/globals';
import { JOB_OUTPUTS_MAX_BYTES, MATRIX_MAX_JOBS, outputBytes, selectAccounts } from '../../src/list-accounts/accounts.js';
import { readListConfig, SCANNABLE_STATUSES } from '../../src/list-accounts/config.js';
import { FOLDER_ID, type Member } from '../../src/resource-manager.js';

/** Linux's limit on one argument or environment string (include/uapi/linux/binfmts.h), its terminating NUL included. */
const MAX_ARG_STRLEN = 32 * 4096;
/**
 * A member's display name: 2 to 50 characters, letters, digits, `_`, `.`, `-`, spaces or Chinese characters
 * (CreateResourceAccount, DisplayName:
 * https://www.alibabacloud.com/help/en/resource-management/resource-directory/developer-reference/api-resourcemanager-2020-03-31-createresourceaccount).
 * Chinese characters take the most bytes: one UTF-16 unit, three UTF-8 bytes each.
 */
const DISPLAY_NAME_MAX = 50;
/** The longest folder ID list-accounts accepts (FOLDER_ID); Alibaba's documented ones are `fd-` and 10 characters. */
const FOLDER = `fd-${'a'.repeat(64)}`;
/** The longest RAM role name, 64 characters, as `role-name`. */
const ROLE_NAME = 'R'.repeat(64);

const members: Member[] = Array.from({ length: MATRIX_MAX_JOBS }, (_, i) => ({
  accountId: String(9000000000000000 + i),
  displayName: String.fromCharCode(0x4e00 + i) + '云'.repeat(DISPLAY_NAME_MAX - 1),
  folderId: FOLDER,
  status: 'CreateSuccess',
}));
const caller = { accountId: '1000000000000001', arn: 'acs:ram::1000000000000001:assumed-role/OrgScan/gha' };
const roleName = readListConfig((name) => (name === 'role-name' ? ROLE_NAME : '')).roleName;
const accounts = selectAccounts(members, caller, caller.accountId, { roleName, excludeAccounts: [], statuses: SCANNABLE_STATUSES }).accounts;
const json = JSON.stringify(accounts);
const envBytes = Buffer.byteLength(`ACCOUNTS=${json}`) + 1;

describe('the accounts output at its largest', () => {
  it('is made of the longest values: 16-digit IDs, 50-character names, the longest folder ID and role name list-accounts accepts', () => {
    expect(FOLDER_ID.test(FOLDER)).toBe(true);
    expect(FOLDER_ID.test(`${FOLDER}a`)).toBe(false);
    expect(() => readListConfig((name) => (name === 'role-name' ? `${ROLE_NAME}R` : ''))).toThrow(/role-name/);
    expect(accounts).toHaveLength(MATRIX_MAX_JOBS);
    for (const account of accounts) {
      expect(account.id).toMatch(/^\d{16}$/);
      expect([...account.name]).toHaveLength(DISPLAY_NAME_MAX);
      expect(account.role).toBe(`acs:ram::${account.id}:role/${ROLE_NAME}`);
    }
    expect(new Set(accounts.map((a) => a.name)).size).toBe(MATRIX_MAX_JOBS);
  });

  it(`${MATRIX_MAX_JOBS} accounts of ${DISPLAY_NAME_MAX}-character names, ${FOLDER.length}-character folder IDs and ${accounts[0].role.length}-character role ARNs: ${outputBytes(json)} of the ${JOB_OUTPUTS_MAX_BYTES} bytes of a job's outputs, a matrix of ${MATRIX_MAX_JOBS} jobs`, () => {
    expect(outputBytes(json)).toBe(json.length * 2);
    expect(outputBytes(json)).toBeLessThanOrEqual(JOB_OUTPUTS_MAX_BYTES);
    expect(JSON.parse(json)).toHaveLength(MATRIX_MAX_JOBS);
  });

  it(`the same as the summary job's ACCOUNTS: ${envBytes} bytes of UTF-8, within the ${MAX_ARG_STRLEN} Linux allows one environment variable`, () => {
    expect(envBytes).toBeGreaterThan(json.length); // the Chinese names count three bytes each
    expect(envBytes).toBeLessThanOrEqual(MAX_ARG_STRLEN);
  });
});
