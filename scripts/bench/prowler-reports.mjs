// @ts-check
// Prowler-shaped json-ocsf reports of many accounts, laid out as actions/download-artifact leaves the artifacts of an
// organisation scan (examples/org-scan/prowler-org-scan.yml): `prowler-<id>/prowler-output-<id>-<time>.ocsf.json`
// and `scan-status-<id>/status.json`. For the summary's tests and `npm run bench`, which cannot run Prowler 230 times.
//
// A finding has the fields Prowler's OCSF writer sets (prowler/lib/outputs/ocsf/ocsf.py @
// 0d9f397bba1104998715cc351e08ac0246c80a6d in github.com/prowler-cloud/prowler; severity names of py-ocsf-models'
// SeverityID), written with 4-space indentation as Prowler writes them, about 2 KB each.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SEVERITY_ID = { Informational: 1, Low: 2, Medium: 3, High: 4, Critical: 5 };
/** Checks of Prowler's Alibaba Cloud provider, with their severity and service. */
export const CHECKS = /** @type {const} */ ([
  ['ram_no_root_access_key', 'Critical', 'ram'],
  ['ram_user_mfa_enabled_console_access', 'High', 'ram'],
  ['ram_password_policy_minimum_length', 'Medium', 'ram'],
  ['ram_rotate_access_key_90_days', 'Medium', 'ram'],
  ['oss_bucket_not_publicly_accessible', 'Critical', 'oss'],
  ['ecs_instance_no_public_ip', 'High', 'ecs'],
  ['actiontrail_multi_region_enabled', 'Medium', 'actiontrail'],
  ['sls_logstore_retention_period', 'Low', 'sls'],
  ['vpc_flow_logs_enabled', 'Informational', 'vpc'],
]);

/**
 * One finding as OCSF.transform writes it.
 * @param {{ account: string, check: string, severity: keyof typeof SEVERITY_ID, service: string, resource: string,
 *   status: 'PASS' | 'FAIL' | 'MANUAL', title?: string, muted?: boolean }} f
 */
export function finding(f) {
  return {
    message: `${f.check} on ${f.resource}`,
    metadata: {
      event_code: f.check,
      product: { name: 'Prowler', uid: 'prowler', vendor_name: 'Prowler', version: '5.46.0' },
      profiles: ['cloud', 'datetime'],
      tenant_uid: '',
      version: '1.5.0',
    },
    severity_id: SEVERITY_ID[f.severity],
    severity: f.severity,
    status: f.muted ? 'Suppressed' : 'New',
    status_code: f.status,
    status_detail: `${f.check} ${f.status === 'FAIL' ? 'failed' : 'passed'} for ${f.resource}.`,
    status_id: f.muted ? 3 : 1,
    unmapped: {
      related_url: '',
      categories: ['identity-access'],
      depends_on: [],
      related_to: [],
      additional_urls: [`https://www.alibabacloud.com/help/en/${f.service}`],
      notes: '',
      compliance: { 'CIS-2.0': ['1.4'] },
    },
    activity_name: 'Create',
    activity_id: 1,
    finding_info: {
      created_time: 1767225600,
      created_time_dt: '2026-01-01T00:00:00',
      desc: `Checks ${f.check.replaceAll('_', ' ')}.`,
      title: f.title ?? `Ensure ${f.check.replaceAll('_', ' ')}`,
      types: [],
      uid: `prowler-alibabacloud-${f.check}-${f.account}-cn-hangzhou-${f.resource}`,
    },
    resources: [
      {
        cloud_partition: 'alibabacloud',
        region: 'cn-hangzhou',
        data: { details: '', metadata: { Arn: f.resource, Region: 'cn-hangzhou' } },
        group: { name: f.service },
        labels: [],
        name: f.resource.split('/').at(-1),
        type: 'AlibabaCloudResource',
        uid: f.resource,
      },
    ],
    category_name: 'Findings',
    category_uid: 2,
    class_name: 'Detection Finding',
    class_uid: 2004,
    cloud: {
      account: { name: '', type: 'Other', type_id: 99, uid: f.account, labels: [] },
      org: { name: '', uid: '' },
      provider: 'alibabacloud',
      region: 'cn-hangzhou',
    },
    remediation: {
      desc: `Fix ${f.check.replaceAll('_', ' ')}.`,
      references: [`https://hub.prowler.com/check/${f.check}`, `https://www.alibabacloud.com/help/en/${f.service}`],
    },
    risk_details: 'A misconfiguration an attacker could use.',
    time: 1767225600,
    time_dt: '2026-01-01T00:00:00',
    type_uid: 200401,
    type_name: 'Detection Finding: Create',
  };
}

/**
 * The findings of one account: `perAccount` findings cycling through CHECKS, every second one failed (every 45th of
 * those muted), resources named after the account.
 * @param {string} account @param {number} perAccount
 */
export function findingsOf(account, perAccount) {
  return Array.from({ length: perAccount }, (_, i) => {
    const [check, severity, service] = CHECKS[i % CHECKS.length];
    const status = i % 2 === 0 ? 'FAIL' : 'PASS';
    return finding({
      account,
      check,
      severity,
      service,
      resource: `acs:${service}::${account}:resource/r-${i}`,
      status,
      muted: status === 'FAIL' && i % 90 === 0,
    });
  });
}

/**
 * The artifacts of an organisation scan in `dir`: for each account its status record, and unless its scan failed,
 * its report.
 * @param {string} dir @param {Array<{ id: string, status?: { management: string, member: string, scan: string }, findings?: object[] }>} accounts
 */
export function writeArtifacts(dir, accounts) {
  for (const { id, status = { management: 'success', member: 'success', scan: 'success' }, findings } of accounts) {
    mkdirSync(join(dir, `scan-status-${id}`), { recursive: true });
    writeFileSync(join(dir, `scan-status-${id}`, 'status.json'), `${JSON.stringify({ id, ...status })}\n`);
    if (!findings) continue;
    mkdirSync(join(dir, `prowler-${id}`), { recursive: true });
    writeFileSync(join(dir, `prowler-${id}`, `prowler-output-${id}-20260101000000.ocsf.json`), JSON.stringify(findings, null, 4));
  }
}
