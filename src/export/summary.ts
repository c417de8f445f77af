// The job summary: what the step set up, as a Markdown table. Never a secret; the runner does not mask
// summaries, so a masked account ID is written as ***.

import * as core from '@actions/core';
import { oneLine } from '../text.js';

export interface SummaryFacts {
  readonly accountId?: string;
  readonly maskAccountId: boolean;
  readonly assumedRoleArn?: string;
  readonly roleSessionName?: string;
  readonly source: string;
  readonly expiration?: string;
  readonly region?: string;
  readonly endpoint: string;
  readonly variablesSet: readonly string[];
  readonly variablesCleared: readonly string[];
  readonly profile?: string;
  readonly credentialsUri?: boolean;
}

/**
 * A value in a table cell, as code: nothing in a code span is rendered (no Markdown, HTML or link), and the value
 * stays on one line, with no backtick to end the span and no pipe to end the cell. Every value that did not come
 * from the action's own text goes through here.
 */
export function code(value: string): string {
  return `\`${oneLine(value).replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

export function summaryMarkdown(facts: SummaryFacts): string {
  const hide = (value: string) => (facts.maskAccountId && facts.accountId ? value.split(facts.accountId).join('***') : value);
  const rows: Array<[string, string]> = [
    ['Account', facts.accountId ? code(hide(facts.accountId)) : 'not looked up'],
    ['Role session', facts.assumedRoleArn ? code(hide(facts.assumedRoleArn)) : 'none (source credentials used as they are)'],
    ['Session name', facts.roleSessionName ? code(facts.roleSessionName) : '-'],
    ['Source', code(hide(facts.source))],
    ['Expires', facts.expiration ?? 'never (permanent AccessKey)'],
    ['Region', facts.region ? code(facts.region) : '-'],
    ['STS endpoint', code(facts.endpoint)],
    ['Variables set', facts.variablesSet.length ? facts.variablesSet.map(code).join(' ') : 'none (`export-env: false`)'],
    ['Variables cleared', facts.variablesCleared.length ? facts.variablesCleared.map(code).join(' ') : 'none'],
  ];
  if (facts.profile) rows.push(['aliyun CLI profile', `${code(facts.profile)} (removed by the post step)`]);
  if (facts.credentialsUri) {
    rows.push(['Refresh', 'a local credentials URI renews the credentials for code built on it (and the CLI profile); Prowler and Terraform read them once']);
  }
  const table = rows.map(([name, value]) => `| ${name} | ${value} |`).join('\n');
  return `### Alibaba Cloud credentials\n\n| | |\n|---|---|\n${table}\n`;
}

export async function writeSummary(facts: SummaryFacts): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(summaryMarkdown(facts), true).write();
}

/**
 * Warns that the job summary could not be written. The outputs are set by then, so a summary file that is gone or
 * unwritable is no reason to fail the step, in either action.
 */
export function warnSummaryNotWritten(error: unknown): void {
  core.warning(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`);
}
