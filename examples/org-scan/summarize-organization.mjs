// One job summary for an organisation-wide Prowler scan (prowler-org-scan.yml, job `summary`): failed checks by
// account and severity, the accounts that could not be scanned and why, the checks that fail most widely, and an
// organisation-level fail-on. Node 20+, no dependencies.
//
//   ACCOUNTS='<list-accounts output>' node summarize-organization.mjs <artifacts directory> [--fail-on <level>]
//
// ACCOUNTS: the JSON array list-accounts produced ({id, name, folder, role} per account): the accounts that should
// have a result. <artifacts directory>: the scan jobs' org-scan-<id> artifacts merged (download-artifact's
// merge-multiple), each holding `prowler-<id>/` (the json-ocsf reports of one account, from the Prowler composite)
// and `scan-status-<id>/status.json` ({id, management, member, scan}: the outcomes of the scan job's steps).
// LEFT_OUT, if set: list-accounts' `left-out` output (the members it did not list and why, counts without IDs), said
// in the summary as "Not in this scan", so that it does not read as the whole directory.
// RUN_URL, if set, links the run for the accounts that failed. The summary goes to GITHUB_STEP_SUMMARY (stdout when
// it is unset). Exit code 1: an account could not be scanned, or (with --fail-on) an account has a failed, unmuted
// finding at that severity or above; 2: bad usage.
//
// The report's shape, read from Prowler's source (github.com/prowler-cloud/prowler), as the composite's
// summarize-findings.mjs reads it: prowler/lib/outputs/ocsf/ocsf.py @ 0d9f397bba1104998715cc351e08ac0246c80a6d
// writes a JSON array of OCSF Detection Findings: status_code (PASS, FAIL, MANUAL), status ("Suppressed" when
// muted), severity (Informational … Critical), metadata.event_code (the check), finding_info.title,
// cloud.account.uid (the account scanned). Prowler writes no report when a scan produced no findings
// (prowler/lib/outputs/output.py @ 07c6e6136cc75b1639ca1974fa354b224426c9e9).
//
// Reports are read one at a time and only counts are kept, so 230 reports of a few MB each fit in memory.

import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/** Lowest first; a finding's rank is its index. */
const SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'];
const TOP_CHECKS = 15;

const { values: options, positionals } = parseArgs({ allowPositionals: true, options: { 'fail-on': { type: 'string' } } });
if (positionals.length !== 1) usage('give the directory that holds the artifacts');
const failOn = (options['fail-on'] ?? '').trim().toLowerCase() || 'none';
if (failOn !== 'none' && !SEVERITIES.includes(failOn)) usage(`--fail-on must be none or one of ${SEVERITIES.join(', ')}`);
const accounts = readAccounts(process.env.ACCOUNTS);

const started = performance.now();
const results = accounts.map((account) => resultOf(account, positionals[0]));
const markdown = summary(results, failOn, process.env.RUN_URL, (process.env.LEFT_OUT ?? '').trim());
if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdown);
else process.stdout.write(markdown);
console.log(
  `summarize-organization: ${results.length} accounts, ${results.filter((r) => r.report).length} reports read in ${Math.round(performance.now() - started)} ms.`,
);
decide(results, failOn);

function usage(problem) {
  console.error(`summarize-organization: ${problem}.\nUsage: ACCOUNTS='<json>' node summarize-organization.mjs <artifacts directory> [--fail-on <level>]`);
  process.exit(2);
}

/** The accounts list-accounts gave, each checked: an ID is a path component below. */
function readAccounts(text) {
  let list;
  try {
    list = JSON.parse(text ?? '');
  } catch {
    usage('ACCOUNTS must hold the JSON array of list-accounts');
  }
  if (!Array.isArray(list) || !list.every((a) => a && typeof a === 'object' && /^\d{1,20}$/.test(String(a.id)))) {
    usage('ACCOUNTS must be an array of {id, name, folder, role} with numeric account IDs');
  }
  return list.map((a) => ({ id: String(a.id), name: String(a.name ?? ''), role: String(a.role ?? '') }));
}

/**
 * What happened to one account: scanned (with the counts of its report, or none when Prowler found nothing to
 * report), or not scanned and why.
 */
function resultOf(account, dir) {
  const status = readStatus(join(dir, `scan-status-${account.id}`, 'status.json'));
  const reportDir = join(dir, `prowler-${account.id}`);
  const files = existsSync(reportDir) ? readdirSync(reportDir).filter((name) => name.endsWith('.ocsf.json')) : [];
  const failed = (why) => ({ account, scanned: false, why });
  if (!status) {
    return failed(
      files.length ? 'the scan job recorded no outcome (it was cancelled or failed in its last steps)' : 'no result: the scan job did not run or was cancelled',
    );
  }
  if (status.management !== 'success') return failed(`the management account's credentials (OIDC) ${outcome(status.management)}`);
  if (status.member !== 'success') {
    return failed(`assuming ${account.role || 'the member role'} ${outcome(status.member)}: the role is missing or does not trust the management account`);
  }
  if (status.scan !== 'success') return failed(`the Prowler scan ${outcome(status.scan)}; see the job's log`);
  const counts = emptyCounts();
  for (const file of files) {
    let findings;
    try {
      findings = JSON.parse(readFileSync(join(reportDir, file), 'utf8'));
    } catch {
      return failed(`its report ${file} is not JSON`);
    }
    if (!Array.isArray(findings)) return failed(`its report ${file} is not a Prowler json-ocsf report`);
    for (const finding of findings) {
      const scannedAccount = finding?.cloud?.account?.uid;
      if (scannedAccount !== undefined && String(scannedAccount) !== account.id)
        return failed(`its report is of account ${cleanId(scannedAccount)}, not this one`);
      count(counts, finding);
    }
  }
  return { account, scanned: true, report: files.length > 0, counts };
}

function readStatus(path) {
  if (!existsSync(path)) return undefined;
  try {
    const status = JSON.parse(readFileSync(path, 'utf8'));
    return status && typeof status === 'object' ? status : undefined;
  } catch {
    return undefined;
  }
}

/** A step outcome as the runner reports it (success, failure, cancelled, skipped), in words. */
function outcome(value) {
  return { failure: 'failed', cancelled: 'was cancelled', skipped: 'did not run' }[value] ?? 'did not succeed';
}

function cleanId(value) {
  return /^\d{1,20}$/.test(String(value)) ? String(value) : '(not an account ID)';
}

function emptyCounts() {
  return { bySeverity: Object.fromEntries([...SEVERITIES, 'unknown'].map((s) => [s, 0])), passed: 0, muted: 0, checks: new Map() };
}

/** Adds one finding: failed and unmuted ones by severity and by check, the others only as numbers. */
function count(counts, finding) {
  const status = String(finding?.status_code ?? '');
  if (status === 'PASS') counts.passed++;
  if (status !== 'FAIL') return;
  if (finding.status === 'Suppressed') {
    counts.muted++;
    return;
  }
  const raw = String(finding.severity ?? '').toLowerCase();
  const severity = SEVERITIES.includes(raw) ? raw : 'unknown';
  counts.bySeverity[severity]++;
  const check = String(finding.metadata?.event_code ?? 'unknown');
  const known = counts.checks.get(check);
  if (known) known.findings++;
  else counts.checks.set(check, { severity, title: String(finding.finding_info?.title ?? ''), findings: 1 });
}

function failedTotal(counts) {
  return Object.values(counts.bySeverity).reduce((a, b) => a + b, 0);
}

function rank(severity) {
  return SEVERITIES.indexOf(severity);
}

function summary(results, level, runUrl, leftOut) {
  const scanned = results.filter((r) => r.scanned);
  const notScanned = results.filter((r) => !r.scanned);
  const withFailures = scanned.filter((r) => failedTotal(r.counts) > 0);
  const total = emptyCounts();
  for (const r of scanned) for (const s of Object.keys(total.bySeverity)) total.bySeverity[s] += r.counts.bySeverity[s];
  const severities = [...SEVERITIES].reverse();
  if (total.bySeverity.unknown > 0) severities.push('unknown');
  const lines = [
    '## Prowler scan of the organisation (Alibaba Cloud)',
    '',
    `**${results.length} accounts**: ${scanned.length} scanned, ${notScanned.length} could not be scanned. ` +
      `**${failedTotal(total)} failed findings** (${severities.map((s) => `${total.bySeverity[s]} ${s}`).join(', ')}) in ${withFailures.length} accounts; muted ones not counted. ` +
      `fail-on: ${level}.`,
  ];
  if (leftOut) lines.push('', `Not in this scan: ${cell(leftOut.replace(/\.$/, ''))}.`);

  if (withFailures.length) {
    withFailures.sort(
      (a, b) => severities.map((s) => b.counts.bySeverity[s] - a.counts.bySeverity[s]).find((d) => d !== 0) ?? a.account.id.localeCompare(b.account.id),
    );
    lines.push(
      '',
      '### Failed findings by account and severity',
      '',
      `| Account | Name | ${severities.join(' | ')} | Total |`,
      `|---|---|${'---:|'.repeat(severities.length + 1)}`,
    );
    for (const r of withFailures) {
      lines.push(`| ${r.account.id} | ${cell(r.account.name)} | ${severities.map((s) => r.counts.bySeverity[s]).join(' | ')} | ${failedTotal(r.counts)} |`);
    }
  }
  const clean = scanned.length - withFailures.length;
  if (clean)
    lines.push(
      '',
      `${clean} scanned account${clean === 1 ? '' : 's'} without a failed finding${scanned.some((r) => !r.report) ? ' (an account whose scan found nothing to report has no report)' : ''}.`,
    );

  if (notScanned.length) {
    lines.push('', '### Accounts that could not be scanned', '', '| Account | Name | Why |', '|---|---|---|');
    for (const r of notScanned) lines.push(`| ${r.account.id} | ${cell(r.account.name)} | ${cell(r.why)} |`);
    if (runUrl) lines.push('', `The log of each is in [the run](${encodeURI(runUrl)}).`);
  }

  const checks = new Map();
  for (const r of scanned) {
    for (const [check, c] of r.counts.checks) {
      const seen = checks.get(check) ?? { ...c, findings: 0, accounts: 0 };
      seen.findings += c.findings;
      seen.accounts++;
      checks.set(check, seen);
    }
  }
  if (checks.size) {
    const top = [...checks].sort(([a, x], [b, y]) => rank(y.severity) - rank(x.severity) || y.accounts - x.accounts || a.localeCompare(b)).slice(0, TOP_CHECKS);
    lines.push(
      '',
      `### Checks that fail most widely (${top.length} of ${checks.size})`,
      '',
      '| Check | Title | Severity | Accounts | Findings |',
      '|---|---|---|---:|---:|',
    );
    for (const [check, c] of top) lines.push(`| ${cell(check)} | ${cell(c.title)} | ${c.severity} | ${c.accounts} | ${c.findings} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** Fails for an account not scanned, and for failed findings at or above fail-on. Only numbers in the commands. */
function decide(results, level) {
  const notScanned = results.filter((r) => !r.scanned);
  if (notScanned.length) {
    console.log(
      `::error::${notScanned.length} of ${results.length} accounts could not be scanned: ${notScanned.map((r) => r.account.id).join(', ')} (the job summary says why).`,
    );
    process.exitCode = 1;
  }
  if (level === 'none') return;
  const over = results.filter((r) => r.scanned && SEVERITIES.slice(rank(level)).some((s) => r.counts.bySeverity[s] > 0));
  if (over.length === 0) {
    console.log(`fail-on ${level}: no account has a failed finding at severity ${level} or above.`);
    return;
  }
  const findings = over.reduce((n, r) => n + SEVERITIES.slice(rank(level)).reduce((m, s) => m + r.counts.bySeverity[s], 0), 0);
  console.log(`::error::fail-on ${level}: ${over.length} accounts have failed findings at severity ${level} or above (${findings} in all).`);
  process.exitCode = 1;
}

/**
 * Text made safe for one Markdown table cell: HTML is shown, not rendered, and `|`, a backtick or a line break
 * cannot end the cell, the row or a code span early.
 */
function cell(text) {
  return String(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('|', '&#124;')
    .replaceAll('`', '&#96;')
    .replace(/\s*[\r\n]+\s*/g, ' ');
}
