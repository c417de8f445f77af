// From the members of a directory to the `accounts` output: which members are kept, one matrix entry per member, and
// what the log and the job summary say about it. The management account is left out (Resource Directory creates the
// access role in members only, trusting the management account), and so is the account that lists (a delegated
// administrator), whose own credentials scan it. Pure: no I/O.

import type { Identity } from '../credentials.js';
import type { Member } from '../resource-manager.js';

/** One entry of the `accounts` output, exactly these keys: a job of `strategy.matrix` reads them. */
export interface MatrixAccount {
  readonly id: string;
  readonly name: string;
  readonly folder: string;
  readonly role: string;
}

export interface Selection {
  readonly accounts: readonly MatrixAccount[];
  /** The management account, when the directory lists it. */
  readonly management?: string;
  /** The listing account, when it is not the management account and the directory lists it. */
  readonly caller?: string;
  readonly excluded: readonly string[];
  /** Members left out for their status: status -> how many. */
  readonly byStatus: Readonly<Record<string, number>>;
}

/** GitHub's cap on the jobs one matrix can make. */
export const MATRIX_MAX_JOBS = 256;
/** GitHub's cap on a job's outputs, which it measures in UTF-16. */
export const JOB_OUTPUTS_MAX_BYTES = 1024 * 1024;

export function selectAccounts(
  members: readonly Member[],
  caller: Identity,
  managementAccountId: string,
  options: { readonly roleName: string; readonly excludeAccounts: readonly string[]; readonly statuses: readonly string[] },
): Selection {
  const exclude = new Set(options.excludeAccounts);
  const keep = new Set(options.statuses);
  const accounts: MatrixAccount[] = [];
  const excluded: string[] = [];
  const byStatus: Record<string, number> = {};
  let managementListed = false;
  let callerListed = false;
  for (const member of members) {
    if (member.accountId === managementAccountId) managementListed = true;
    else if (member.accountId === caller.accountId) callerListed = true;
    else if (exclude.has(member.accountId)) excluded.push(member.accountId);
    else if (!keep.has(member.status)) byStatus[member.status] = (byStatus[member.status] ?? 0) + 1;
    else
      accounts.push({
        id: member.accountId,
        name: member.displayName,
        folder: member.folderId,
        role: `acs:ram::${member.accountId}:role/${options.roleName}`,
      });
  }
  return {
    accounts,
    management: managementListed ? managementAccountId : undefined,
    caller: callerListed ? caller.accountId : undefined,
    excluded,
    byStatus,
  };
}

/** The size GitHub counts for an output: UTF-16 code units, two bytes each. */
export function outputBytes(value: string): number {
  return value.length * 2;
}

/** Accounts per folder, most first. */
export function accountsByFolder(accounts: readonly MatrixAccount[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const account of accounts) counts.set(account.folder, (counts.get(account.folder) ?? 0) + 1);
  return [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
}

/**
 * What was left out and why, one clause each; empty when nothing was. `withIds: false` names the management and the
 * listing account without their IDs (the job summary, which the runner does not mask).
 */
export function leftOut(selection: Selection, withIds = true): string[] {
  const clauses: string[] = [];
  const id = (value: string) => (withIds ? ` ${value}` : '');
  if (selection.management) clauses.push(`the management account${id(selection.management)} (it has no member access role)`);
  if (selection.caller) clauses.push(`the listing account${id(selection.caller)} (a delegated administrator: scan it with its own credentials)`);
  if (selection.excluded.length) clauses.push(`${selection.excluded.length} named by exclude-accounts`);
  for (const [status, count] of Object.entries(selection.byStatus)) clauses.push(`${count} in status ${status}`);
  return clauses;
}
