// Summarizes Prowler's json-ocsf report into the job summary, and applies `fail-on`. Node 20+, no dependencies.
//
//   node summarize-findings.mjs <report file or directory>
//       Writes tables of the failed findings to GITHUB_STEP_SUMMARY (to stdout when it is unset).
//   node summarize-findings.mjs <report file or directory> --fail-on <none|critical|high|medium|low|informational>
//       Exits 1 when a failed, unmuted finding has that severity or a higher one.
//
// A directory means every *.ocsf.json directly in it (Prowler names the file prowler-output-<account>-<time>.ocsf.json).
//
// The report's shape, read from Prowler's source (github.com/prowler-cloud/prowler):
//   prowler/lib/outputs/ocsf/ocsf.py @ 0d9f397bba1104998715cc351e08ac0246c80a6d writes a JSON array of OCSF
//   Detection Findings, one per check and resource:
//     status_code           PASS, FAIL or MANUAL (the check's result)
//     status                "New", or "Suppressed" when a mutelist muted the finding
//     severity              the check's severity as an OCSF SeverityID name: Informational, Low, Medium, High, Critical
//                           (py_ocsf_models/events/base_event.py in prowler-cloud/py-ocsf-models @ 157ab4932b688fe30e543be932b7b7b30dd92b02)
//     metadata.event_code   the check ID
//     finding_info.title    the check's title
//     resources[]           uid, name, region, and group.name: the service
//   prowler/lib/outputs/output.py @ 07c6e6136cc75b1639ca1974fa354b224426c9e9 creates the file only when there are
//   findings, so a scan that produced none leaves no report at all.
//   prowler/__main__.py @ 000b5ec3d5084ec6c00de438f8a0d35619dbc1c8 exits 3 when a FAIL is found that is not muted;
//   fail-on ignores muted findings in the same way.

import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/** Lowest first; a finding's rank is its index. */
const SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'];
const TOP_CHECKS = 10;

const { values: options, positionals } = parseArgs({ allowPositionals: true, options: { 'fail-on': { type: 'string' } } });
if (positionals.length !== 1) usage('give one report file or directory');
// An empty --fail-on (an input left blank) means none.
const failOn = options['fail-on'] === undefined ? undefined : options['fail-on'].trim().toLowerCase() || 'none';
if (failOn !== undefined && failOn !== 'none' && !SEVERITIES.includes(failOn)) usage(`--fail-on must be none or one of ${SEVERITIES.join(', ')}`);

const report = readReport(positionals[0]);
if (failOn === undefined) writeSummary(report);
else applyFailOn(report, failOn);

function usage(problem) {
  console.error(`summarize-findings: ${problem}.\nUsage: node summarize-findings.mjs <report file or directory> [--fail-on <level>]`);
  process.exit(2);
}

/**
 * A path ending in .json is the report; any other path is the output directory, which may not exist (no scan ran).
 * @returns {{ lookedFor: string, files: string[], findings: object[] }} no files when there is no report
 */
function readReport(path) {
  const isFile = path.endsWith('.json');
  const lookedFor = isFile ? path : join(path, '*.ocsf.json');
  let files = [];
  if (isFile && existsSync(path)) files = [path];
  if (!isFile && existsSync(path)) {
    files = readdirSync(path)
      .filter((name) => name.endsWith('.ocsf.json'))
      .sort()
      .map((name) => join(path, name));
  }
  const findings = files.flatMap((file) => {
    const text = readFileSync(file, 'utf8').trim();
    let parsed;
    try {
      parsed = text === '' ? [] : JSON.parse(text);
    } catch (error) {
      fail(`${file} is not JSON (${error.message}); is the Prowler run complete?`);
    }
    if (!Array.isArray(parsed)) fail(`${file} is not a Prowler json-ocsf report: expected a JSON array of findings.`);
    return parsed;
  });
  return { lookedFor, files, findings };
}

function fail(message) {
  console.error(`summarize-findings: ${message}`);
  process.exit(2);
}

/** The few fields used, from one OCSF finding; absent fields get a placeholder instead of an error. */
function fieldsOf(finding) {
  const severity = String(finding.severity ?? '').toLowerCase();
  const resources = Array.isArray(finding.resources) ? finding.resources : [];
  return {
    status: String(finding.status_code ?? ''),
    muted: finding.status === 'Suppressed',
    severity: SEVERITIES.includes(severity) ? severity : 'unknown',
    check: String(finding.metadata?.event_code ?? 'unknown'),
    title: String(finding.finding_info?.title ?? ''),
    service: String(resources[0]?.group?.name ?? 'unknown'),
    resources: resources.map((resource) => resource.uid ?? resource.name).filter(Boolean),
  };
}

/** Failed findings that count: FAIL and not muted, the ones for which Prowler exits 3. */
function failedFindings(findings) {
  return findings.map(fieldsOf).filter((finding) => finding.status === 'FAIL' && !finding.muted);
}

function rank(severity) {
  return SEVERITIES.indexOf(severity);
}

function writeSummary({ lookedFor, files, findings }) {
  const lines = ['## Prowler scan (Alibaba Cloud)', ''];
  if (files.length === 0) {
    lines.push(
      `No Prowler report found: looked for ${cell(lookedFor)}.`,
      'Either the scan did not run or did not finish (see the failed step above), or it produced no findings at all (Prowler then writes no json-ocsf file).',
    );
  } else if (findings.length === 0) {
    lines.push('The report has no findings: no check produced a result.');
  } else {
    lines.push(...findingsTables(findings));
  }
  const markdown = `${lines.join('\n')}\n`;
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdown);
  else process.stdout.write(markdown);
}

function findingsTables(findings) {
  const all = findings.map(fieldsOf);
  const count = (predicate) => all.filter(predicate).length;
  const failed = failedFindings(findings);
  const lines = [
    `**${failed.length} failed**, ${count((f) => f.status === 'PASS')} passed, ${count((f) => f.status === 'MANUAL')} manual` +
      `, ${count((f) => f.status === 'FAIL' && f.muted)} failed but muted (not counted) — ${findings.length} findings in all.`,
    '',
  ];
  if (failed.length === 0) return [...lines, 'No failed checks.'];

  const severities = [...SEVERITIES].reverse();
  if (failed.some((f) => f.severity === 'unknown')) severities.push('unknown');

  lines.push('### Failed findings by severity', '', '| Severity | Failed findings | Checks |', '|---|---:|---:|');
  for (const severity of severities) {
    const ofSeverity = failed.filter((f) => f.severity === severity);
    lines.push(`| ${severity} | ${ofSeverity.length} | ${new Set(ofSeverity.map((f) => f.check)).size} |`);
  }

  lines.push('', '### Failed findings by service', '', `| Service | ${severities.join(' | ')} | Total |`, `|---|${'---:|'.repeat(severities.length + 1)}`);
  const services = groupBy(failed, (f) => f.service);
  for (const [service, ofService] of [...services].sort(([a, x], [b, y]) => y.length - x.length || a.localeCompare(b))) {
    const perSeverity = severities.map((severity) => ofService.filter((f) => f.severity === severity).length);
    lines.push(`| ${cell(service)} | ${perSeverity.join(' | ')} | ${ofService.length} |`);
  }

  const checks = [...groupBy(failed, (f) => f.check)].map(([check, ofCheck]) => ({
    ...ofCheck[0],
    check,
    // A check fails once per resource; findings without a resource ID still count once each.
    resourceCount: new Set(ofCheck.map((f, i) => f.resources[0] ?? `finding ${i}`)).size,
  }));
  checks.sort((a, b) => rank(b.severity) - rank(a.severity) || b.resourceCount - a.resourceCount || a.check.localeCompare(b.check));
  lines.push(
    '',
    `### Top failing checks (${Math.min(TOP_CHECKS, checks.length)} of ${checks.length})`,
    '',
    '| Check | Title | Severity | Service | Failed resources |',
    '|---|---|---|---|---:|',
  );
  for (const c of checks.slice(0, TOP_CHECKS)) {
    lines.push(`| ${cell(c.check)} | ${cell(c.title)} | ${c.severity} | ${cell(c.service)} | ${c.resourceCount} |`);
  }
  return lines;
}

function groupBy(items, keyOf) {
  const groups = new Map();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}

/**
 * Text from the report made safe for one Markdown table cell: HTML is shown, not rendered, and `|`, a backtick
 * or a line break cannot end the cell, the row or a code span early.
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

function applyFailOn({ lookedFor, files, findings }, level) {
  if (level === 'none') return;
  if (files.length === 0) {
    // This step runs only after a successful scan; a successful scan without a report found nothing to fail on.
    console.log(`::warning::fail-on ${level}: no Prowler report at ${lookedFor}, so there is no finding to fail on.`);
    return;
  }
  const atOrAbove = failedFindings(findings).filter((f) => rank(f.severity) >= rank(level));
  if (atOrAbove.length === 0) {
    console.log(`fail-on ${level}: no failed finding at severity ${level} or above.`);
    return;
  }
  const bySeverity = [...SEVERITIES]
    .reverse()
    .map((severity) => [severity, atOrAbove.filter((f) => f.severity === severity).length])
    .filter(([, n]) => n > 0)
    .map(([severity, n]) => `${n} ${severity}`)
    .join(', ');
  // Only numbers and severity names go into the workflow command; no text from the report.
  console.log(`::error::fail-on ${level}: failed findings at severity ${level} or above: ${atOrAbove.length} (${bySeverity}).`);
  process.exitCode = 1;
}
