// The job summary of list-accounts: how many accounts, in which folders, and what was left out. Never a secret, and
// never the listing or the management account's ID or ARN: the runner does not mask a summary, which anyone who can
// read the repository's runs can read (the log names them, masked when an earlier step registered the account ID as
// a secret, as configure-alibabacloud-credentials does with `mask-account-id`). Folder IDs are labelled as IDs;
// folder names appear only where a listing read them (the folders below the given ones). Every value from a server
// is a code span (export/summary.ts).

import * as core from '@actions/core';
import { code } from '../export/summary.js';
import { accountsByFolder, leftOut, MATRIX_MAX_JOBS, type Selection } from './accounts.js';

export interface ListingFacts {
  readonly selection: Selection;
  /** The folders given, or undefined for the whole directory. */
  readonly folders?: readonly string[];
  readonly folderNames: ReadonlyMap<string, string>;
  /** Whether a delegated administrator listed (else the management account). */
  readonly delegated: boolean;
  readonly requests: number;
}

export function listingMarkdown({ selection, folders, folderNames, delegated, requests }: ListingFacts): string {
  const { accounts } = selection;
  const where = folders ? `folders ${folders.map(code).join(', ')} and the folders below them` : 'the whole Resource Directory';
  const lines = [
    '### Resource Directory accounts',
    '',
    `**${accounts.length} account${accounts.length === 1 ? '' : 's'}** from ${where}, listed by ${delegated ? 'a delegated administrator' : 'the management account'} in ${requests} ResourceManager and STS request${requests === 1 ? '' : 's'}.`,
  ];
  const left = leftOut(selection, false);
  if (left.length) lines.push('', `Left out: ${left.join('; ')}.`);
  if (accounts.length > MATRIX_MAX_JOBS)
    lines.push('', `More than ${MATRIX_MAX_JOBS} accounts: one matrix cannot start a job for each. Split the work by \`folders\`.`);
  if (accounts.length > 0 && folders) {
    // The given folders' names are not listed (only those of the folders below them are).
    lines.push('', '| Folder ID | Name | Accounts |', '|---|---|---:|');
    for (const [folder, count] of accountsByFolder(accounts)) {
      const name = folderNames.get(folder);
      lines.push(`| ${code(folder)} | ${name ? code(name) : '-'} | ${count} |`);
    }
  } else if (accounts.length > 0) {
    // ListAccounts gives folder IDs only.
    lines.push('', '| Folder ID | Accounts |', '|---|---:|');
    for (const [folder, count] of accountsByFolder(accounts)) lines.push(`| ${code(folder)} | ${count} |`);
  }
  return `${lines.join('\n')}\n`;
}

export async function writeListingSummary(facts: ListingFacts): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(listingMarkdown(facts), true).write();
}
