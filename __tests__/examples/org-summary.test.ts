// examples/org-scan/summarize-organization.mjs, the summary job of the organisation scan, run as the workflow runs it
// (a child process, ACCOUNTS and the artifacts directory, GITHUB_STEP_SUMMARY) over artifacts laid out as
// actions/download-artifact leaves them: 230 accounts' Prowler-shaped json-ocsf reports and scan records
// (scripts/bench/prowler-reports.mjs writes them in the shape of Prowler's OCSF writer; the real Prowler's report is
// summarized in the end-to-end test of the workflow). Its time is printed, not asserted: `npm run bench` measures it.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKS, finding, findingsOf, writeArtifacts } from '../../scripts/bench/prowler-reports.mjs';
import { ROOT, runNode } from '../e2e/runner.js';
import { exampleRepository, readWorkflow, runJob } from './workflow.js';

const SCRIPT = join(ROOT, 'examples/org-scan/summarize-organization.mjs');
const SEVERITIES = ['Critical', 'High', 'Medium', 'Low', 'Informational'] as const;
const FINDINGS_PER_ACCOUNT = 90;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'org-summary-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const accountId = (i: number) => String(1000000000000100 + i);
const matrixEntry = (id: string, name = `member-${id.slice(-3)}`) => ({
  id,
  name,
  folder: 'fd-prod1',
  role: `acs:ram::${id}:role/ResourceDirectoryAccountAccessRole`,
});

async function summarize(artifacts: string, accounts: object[], failOn = 'none', more: Record<string, string> = {}) {
  const summaryFile = join(dir, `summary-${Math.random().toString(36).slice(2)}.md`);
  writeFileSync(summaryFile, '');
  const env = {
    PATH: process.env.PATH ?? '',
    ACCOUNTS: JSON.stringify(accounts),
    GITHUB_STEP_SUMMARY: summaryFile,
    RUN_URL: 'https://github.com/octo-org/octo-repo/actions/runs/42',
    ...more,
  };
  const started = performance.now();
  const result = await runNode(SCRIPT, env, [artifacts, '--fail-on', failOn]);
  return { ...result, ms: performance.now() - started, summary: readFileSync(summaryFile, 'utf8') };
}

/** Unmuted failed findings of `findings` by severity, counted here rather than by the script. */
function failedBySeverity(findings: Array<{ status_code: string; status: string; severity: string }>): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
  for (const f of findings) if (f.status_code === 'FAIL' && f.status !== 'Suppressed') counts[f.severity]++;
  return counts;
}

describe('230 accounts: failed checks by account and severity, the accounts not scanned and why, fail-on', () => {
  const artifacts = () => join(dir, 'org');
  const accounts = Array.from({ length: 230 }, (_, i) => matrixEntry(accountId(i)));
  const special = {
    management: accountId(0),
    member: accountId(1),
    scan: accountId(2),
    vanished: accountId(3),
    empty: accountId(4),
    wrongAccount: accountId(5),
    hostile: accountId(6),
  };
  accounts[6] = matrixEntry(special.hostile, 'evil | name <img src=x> `tick`\n::error::x');
  const reportOf = new Map<string, ReturnType<typeof findingsOf>>();

  beforeAll(() => {
    const records = accounts.map(({ id }, i) => {
      if (id === special.management) return { id, status: { management: 'failure', member: 'skipped', scan: 'skipped' } };
      if (id === special.member) return { id, status: { management: 'success', member: 'failure', scan: 'skipped' } };
      if (id === special.scan) return { id, status: { management: 'success', member: 'success', scan: 'failure' }, findings: findingsOf(id, 5) };
      if (id === special.empty) return { id };
      if (id === special.vanished) return { id };
      if (id === special.wrongAccount) return { id, findings: findingsOf(accountId(999), 10) };
      // Varied reports: accounts with more or fewer findings, so that the order of the table means something.
      const findings = findingsOf(id, FINDINGS_PER_ACCOUNT + (i % 7) * 9);
      reportOf.set(id, findings);
      return { id, findings };
    });
    writeArtifacts(
      artifacts(),
      records.filter((r) => r.id !== special.vanished),
    );
  });

  it('summarizes every account, says why five were not scanned, and fails because of them', async () => {
    const result = await summarize(artifacts(), accounts);
    console.log(`summarize-organization: 230 accounts, ${reportOf.size} reports of ${FINDINGS_PER_ACCOUNT}-144 findings, in ${Math.round(result.ms)} ms.`);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const stdoutLines = result.stdout.trim().split('\n');
    expect(stdoutLines).toContain(
      `::error::5 of 230 accounts could not be scanned: ${[special.management, special.member, special.scan, special.vanished, special.wrongAccount].join(', ')} (the job summary says why).`,
    );

    const { summary } = result;
    const totals = failedBySeverity([...reportOf.values()].flat());
    const total = Object.values(totals).reduce((a, b) => a + b, 0);
    expect(summary).toContain(
      `**230 accounts**: 225 scanned, 5 could not be scanned. **${total} failed findings** (${totals.Critical} critical, ${totals.High} high, ${totals.Medium} medium, ${totals.Low} low, ${totals.Informational} informational) in ${reportOf.size} accounts; muted ones not counted. fail-on: none.`,
    );
    // One row per account with failures, its counts those of its report.
    for (const [id, findings] of [...reportOf].slice(10, 30)) {
      const c = failedBySeverity(findings);
      const row = `| ${c.Critical} | ${c.High} | ${c.Medium} | ${c.Low} | ${c.Informational} | ${Object.values(c).reduce((a, b) => a + b, 0)} |`;
      expect(summary).toContain(`| ${id} | member-${id.slice(-3)} ${row}`);
    }
    expect(new Set(Object.values(totals)).has(0)).toBe(false);
    // Most critical first.
    const rows = summary.split('\n').filter((line) => /^\| \d{16} \| .* \| \d+ \|$/.test(line));
    const criticals = rows.map((line) => Number(line.split('|')[3]));
    expect(criticals).toEqual([...criticals].sort((a, b) => b - a));
    expect(summary).toContain('1 scanned account without a failed finding (an account whose scan found nothing to report has no report).');

    expect(summary).toContain(`| ${special.management} | member-100 | the management account's credentials (OIDC) failed |`);
    expect(summary).toContain(
      `| ${special.member} | member-101 | assuming acs:ram::${special.member}:role/ResourceDirectoryAccountAccessRole failed: the role is missing or does not trust the management account |`,
    );
    expect(summary).toContain(`| ${special.scan} | member-102 | the Prowler scan failed; see the job's log |`);
    expect(summary).toContain(`| ${special.vanished} | member-103 | no result: the scan job did not run or was cancelled |`);
    expect(summary).toContain(`| ${special.wrongAccount} | member-105 | its report is of account ${accountId(999)}, not this one |`);
    expect(summary).toContain('The log of each is in [the run](https://github.com/octo-org/octo-repo/actions/runs/42).');

    // Every check of the reports, most severe first, with the accounts it fails in.
    expect(summary).toContain(`### Checks that fail most widely (${CHECKS.length} of ${CHECKS.length})`);
    expect(summary).toMatch(/\| ram_no_root_access_key \| Ensure ram no root access key \| critical \| 224 \| \d+ \|/);
    // A display name cannot break out of its cell or start a workflow command.
    expect(summary).toContain('| evil &#124; name &lt;img src=x&gt; &#96;tick&#96; ::error::x |');
    expect(summary.split('\n').some((line) => line.startsWith('::'))).toBe(false);
  });

  it('fail-on: fails when an account has a failed finding at that severity or above, and names how many', async () => {
    const scanned = accounts.filter(({ id }) => reportOf.has(id));
    const critical = await summarize(artifacts(), scanned, 'critical');
    expect(critical.code).toBe(1);
    const withCritical = scanned.filter(({ id }) => failedBySeverity(reportOf.get(id) ?? []).Critical > 0).length;
    const criticalFindings = scanned.reduce((n, { id }) => n + failedBySeverity(reportOf.get(id) ?? []).Critical, 0);
    expect(critical.stdout).toContain(
      `::error::fail-on critical: ${withCritical} accounts have failed findings at severity critical or above (${criticalFindings} in all).`,
    );
    expect((await summarize(artifacts(), scanned, 'none')).code).toBe(0);
  });
});

describe('small cases', () => {
  it('passes fail-on when no finding reaches it, counts muted findings out, and refuses bad usage', async () => {
    const id = accountId(500);
    const artifacts = join(dir, 'small');
    writeArtifacts(artifacts, [
      {
        id,
        findings: [
          finding({
            account: id,
            check: 'ram_no_root_access_key',
            severity: 'Critical',
            service: 'ram',
            resource: `acs:ram::${id}:root`,
            status: 'FAIL',
            muted: true,
          }),
          finding({ account: id, check: 'sls_logstore_retention_period', severity: 'Low', service: 'sls', resource: 'x', status: 'FAIL' }),
        ],
      },
    ]);
    const high = await summarize(artifacts, [matrixEntry(id)], 'high');
    expect(high.code).toBe(0);
    expect(high.stdout).toContain('fail-on high: no account has a failed finding at severity high or above.');
    expect(high.summary).toContain(`| ${id} | member-600 | 0 | 0 | 0 | 1 | 0 | 1 |`);
    expect((await summarize(artifacts, [matrixEntry(id)], 'low')).code).toBe(1);

    const noAccounts = await runNode(SCRIPT, { PATH: process.env.PATH ?? '' }, [artifacts]);
    expect([noAccounts.code, noAccounts.stderr]).toEqual([2, expect.stringContaining('ACCOUNTS must hold the JSON array of list-accounts')]);
    const badLevel = await runNode(SCRIPT, { PATH: process.env.PATH ?? '', ACCOUNTS: '[]' }, [artifacts, '--fail-on', 'severe']);
    expect(badLevel.code).toBe(2);
    const badId = await runNode(SCRIPT, { PATH: process.env.PATH ?? '', ACCOUNTS: '[{"id":"../x"}]' }, [artifacts]);
    expect(badId.code).toBe(2);
  });

  it('says which members list-accounts left out (LEFT_OUT, its left-out output), so that the count does not read as the whole directory', async () => {
    const id = accountId(700);
    const artifacts = join(dir, 'left-out');
    writeArtifacts(artifacts, [{ id, findings: [] }]);
    const leftOut = 'the management account (it has no member access role); 2 named by exclude-accounts; 1 in status Removed';
    const result = await summarize(artifacts, [matrixEntry(id)], 'none', { LEFT_OUT: leftOut });
    expect(result.code).toBe(0);
    expect(result.summary).toContain(`**1 accounts**: 1 scanned, 0 could not be scanned.`);
    expect(result.summary).toContain(`\n\nNot in this scan: ${leftOut}.\n`);
    // Nothing left out: no such line.
    expect((await summarize(artifacts, [matrixEntry(id)], 'none', { LEFT_OUT: '' })).summary).not.toContain('Not in this scan');
    // The value is text in the summary: it cannot render HTML or start a workflow command on a line of its own.
    const hostile = await summarize(artifacts, [matrixEntry(id)], 'none', { LEFT_OUT: '1 in status <img src=x>\n::error::x' });
    expect(hostile.summary).toContain('Not in this scan: 1 in status &lt;img src=x&gt; ::error::x.');
    expect(hostile.summary.split('\n').some((line) => line.startsWith('::'))).toBe(false);
  });
});

describe('the summary job of prowler-org-scan.yml, as the runner runs it, with the largest list of accounts', () => {
  // 256 accounts (a matrix's most), each with a 50-character display name of Chinese characters (three bytes each in
  // UTF-8), a 16-digit ID, the longest folder ID and role name list-accounts accepts: __tests__/unit/matrix-sizing.test.ts.
  // The step's env holds them all as ACCOUNTS; Linux refuses to start a process with one variable over 128 KiB.
  const accounts = Array.from({ length: 256 }, (_, i) => {
    const id = String(9000000000000000 + i);
    return { id, name: String.fromCharCode(0x4e00 + i) + '云'.repeat(49), folder: `fd-${'a'.repeat(64)}`, role: `acs:ram::${id}:role/${'R'.repeat(64)}` };
  });
  const json = JSON.stringify(accounts);

  it(`starts the summary script with an ACCOUNTS of ${Buffer.byteLength(json)} bytes and names every account without a result`, async () => {
    const workflow = readWorkflow(join(ROOT, 'examples/org-scan/prowler-org-scan.yml'));
    const run = await runJob(workflow.jobs.summary, {
      github: { run_id: '42', repository: 'octo-org/octo-repo', server_url: 'https://github.com' },
      inputs: { 'fail-on': 'none' },
      needs: { accounts: { result: 'success', outputs: { accounts: json, count: '256' } }, scan: { result: 'failure', outputs: {} } },
      artifacts: join(dir, 'no-artifacts'),
      repository: exampleRepository(),
    });
    const step = run.steps.at(-1)?.result;
    expect(step?.stderr).toBe('');
    expect(step?.code).toBe(1);
    expect(step?.stdout).toContain(`::error::256 of 256 accounts could not be scanned: ${accounts.map((a) => a.id).join(', ')} (the job summary says why).`);
    expect(step?.summary).toContain(`| ${accounts[255].id} | ${accounts[255].name} | no result: the scan job did not run or was cancelled |`);
  });
});
