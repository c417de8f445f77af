// The job summary of list-accounts: how many accounts, in which folders, and what was left out. Never a secret
// (account IDs and folder IDs only); every value from a server is a code span (export/summary.ts).

import * as core from '@actions/core';
import { code } from '../export/summary.js';
import { accountsByFolder, leftOut, MATRIX_MAX_JOBS, type Selection } from './accounts.js';

export interface ListingFacts {
  readonly selection: Selection;
  /** The folders given, or undefined for the whole directory. */
  readonly folders?: readonly string[];
  readonly folderNames: ReadonlyMap<string, string>;
  readonly listedBy: string;
  readonly requests: number;
}

export function listingMarkdown({ selection, folders, folderNames, listedBy, requests }: ListingFacts): string {
  const { accounts } = selection;
  const where = folders ? `folders ${folders.map(code).join(', ')} and the folders below them` : 'the whole Resource Directory';
  const lines = [
    '### Resource Directory accounts',
    '',
    `**${accounts.length} account${accounts.length === 1 ? '' : 's'}** from ${where}, listed by ${code(listedBy)} in ${requests} ResourceManager request${requests === 1 ? '' : 's'}.`,
  ];
  const left = leftOut(selection);
  if (left.length) lines.push('', `Left out: ${left.join('; ')}.`);
  if (accounts.length > MATRIX_MAX_JOBS)
    lines.push('', `More than ${MATRIX_MAX_JOBS} accounts: one matrix cannot start a job for each. Split the work by \`folders\`.`);
  if (accounts.length > 0) {
    lines.push('', '| Folder | Accounts |', '|---|---:|');
    for (const [folder, count] of accountsByFolder(accounts)) {
      const name = folderNames.get(folder);
      lines.push(`| ${code(folder)}${name ? ` ${code(name)}` : ''} | ${count} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function writeListingSummary(facts: ListingFacts): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(listingMarkdown(facts), true).write();
}
