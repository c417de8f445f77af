// @ts-check
// The organisation-wide scan, measured for `npm run bench`: list-accounts over 230 members, the summary job over 230
// reports, and the burst of the scan jobs.
//
// The burst: `jobs` matrix jobs start together, and each
// runs the action twice as the reusable workflow's scan job does: OIDC into the management account's role, then
// `role-chaining` into one member's ResourceDirectoryAccountAccessRole. STS flow-controls the management account
// (both calls count against it: AssumeRoleWithOIDC as the role's account, AssumeRole as the signer's) at `perSecond`
// requests a second, so the burst needs at least 2 x jobs / perSecond seconds: its limit. Every job is checked (exit 0,
// the member's STS keys in GITHUB_ENV); the figures are the slowest job against that limit and the requests STS saw.
//
// The emulator models flow control two ways, because STS does not document which it uses: a token bucket that refused
// requests do not drain, and a sliding one-second window that counts refused requests too (emulator/README.md).
// The jobs here share this machine's cores, where each would have a runner of its own: start-up and TLS are
// slower than on GitHub, so the figures are if anything pessimistic.

import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../emulator/server.js';
import { jobEnv, ROOT, readStep, stepEnv } from '../../emulator/step.mjs';
import { spawnTimed } from './measure.mjs';
import { findingsOf, writeArtifacts } from './prowler-reports.mjs';

const MANAGEMENT = '1000000000000001';

/**
 * @param {{ dist: string, action?: string, jobs?: number, perSecond?: number, countRefused: boolean }} options
 *   action: the action.yml whose inputs and defaults the steps get (the one of `dist`'s build; this repository's by default)
 * @returns {Promise<{ jobs: number, succeeded: number, limitMs: number, slowestMs: number, medianMs: number,
 *   stsRequests: number, throttled: number, failures: string[] }>}
 */
export async function measureBurst({ dist, action, jobs = 60, perSecond = 4, countRefused }) {
  const em = await startEmulator({ tls: true });
  const dir = mkdtempSync(join(tmpdir(), 'cac-burst-'));
  try {
    const provider = await em.addOidcProvider({ accountId: MANAGEMENT, name: 'github' });
    const role = await em.addRole({ accountId: MANAGEMENT, name: 'OrgScan', oidc: { providerArn: provider.arn } });
    const { accounts } = await em.setupResourceDirectory({ managementAccountId: MANAGEMENT, members: { count: jobs } });
    await em.setFlowControl({ perSecond, countRefused });
    const sts = `https://${em.stsHost}`;
    const main = join(dist, 'main', 'index.js');

    /** One matrix job: its own runner folder, two steps, the second with what the first exported. */
    const job = async (/** @type {number} */ i) => {
      const jobDir = join(dir, `job-${i}`);
      mkdirSync(join(jobDir, 'home'), { recursive: true });
      mkdirSync(join(jobDir, 'tmp'), { recursive: true });
      const base = jobEnv(jobDir, {
        NODE_EXTRA_CA_CERTS: /** @type {string} */ (em.caFile),
        ACTIONS_ID_TOKEN_REQUEST_URL: em.oidcRequestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: em.oidcRequestToken,
      });
      const first = stepEnv({
        dir: jobDir,
        step: 1,
        entry: 'main',
        env: base,
        inputs: { 'role-to-assume': role.arn, 'oidc-provider-arn': provider.arn, 'sts-endpoint': sts },
        action,
      });
      const oidc = await spawnTimed(process.execPath, [main], first.env);
      if (oidc.code !== 0) return { ok: false, why: `job ${i}, OIDC step: ${lastLine(oidc.stdout)}`, at: Date.now() };
      const exported = readStep(first.files).exported;
      const second = stepEnv({
        dir: jobDir,
        step: 2,
        entry: 'main',
        env: { ...base, ...exported },
        inputs: { 'role-chaining': 'true', 'role-to-assume': /** @type {string} */ (accounts[i].roleArn), 'sts-endpoint': sts },
        action,
      });
      const chained = await spawnTimed(process.execPath, [main], second.env);
      const memberKeys = readStep(second.files).exported.ALIBABA_CLOUD_ACCESS_KEY_ID;
      if (chained.code !== 0 || !memberKeys?.startsWith('STS.') || memberKeys === exported.ALIBABA_CLOUD_ACCESS_KEY_ID)
        return { ok: false, why: `job ${i}, chained step: ${lastLine(chained.stdout)}`, at: Date.now() };
      return { ok: true, why: '', at: chained.exitedAt };
    };

    await em.resetRequests();
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: jobs }, (_, i) => job(i)));
    const requests = (await em.requests()).filter((r) => r.target === 'AssumeRoleWithOIDC' || r.target === 'AssumeRole');
    const times = results.filter((r) => r.ok).map((r) => r.at - started);
    const sorted = [...times].sort((a, b) => a - b);
    return {
      jobs,
      succeeded: times.length,
      limitMs: ((2 * jobs) / perSecond) * 1000,
      slowestMs: sorted.at(-1) ?? Number.NaN,
      medianMs: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
      stsRequests: requests.length,
      throttled: requests.filter((r) => r.code === 'Throttling.User').length,
      failures: results.filter((r) => !r.ok).map((r) => r.why),
    };
  } finally {
    await em.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function lastLine(/** @type {string} */ stdout) {
  return stdout.trim().split('\n').at(-1)?.slice(0, 200) ?? '';
}

/**
 * list-accounts over a directory of `members` members: the ListAccounts requests it makes (100 a page) and the size of
 * its `accounts` output as GitHub counts it (UTF-16).
 * @param {{ dist: string, members?: number }} options
 */
export async function measureListing({ dist, members = 230 }) {
  const em = await startEmulator({ tls: true });
  const dir = mkdtempSync(join(tmpdir(), 'cac-listing-'));
  try {
    const user = await em.addUser({ accountId: MANAGEMENT, name: 'lister' });
    await em.setupResourceDirectory({ managementAccountId: MANAGEMENT, members: { count: members } });
    mkdirSync(join(dir, 'home'));
    mkdirSync(join(dir, 'tmp'));
    const base = jobEnv(dir, {
      NODE_EXTRA_CA_CERTS: /** @type {string} */ (em.caFile),
      ALIBABA_CLOUD_ACCESS_KEY_ID: user.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: user.accessKeySecret,
    });
    const endpoint = `https://${em.stsHost}`;
    const step = stepEnv({
      dir,
      step: 1,
      entry: 'main',
      env: base,
      inputs: { endpoint, 'sts-endpoint': endpoint },
      action: join(ROOT, 'list-accounts', 'action.yml'),
    });
    await em.resetRequests();
    const run = await spawnTimed(process.execPath, [join(dist, 'list-accounts', 'index.js')], step.env);
    const outputs = readStep(step.files).outputs;
    if (run.code !== 0) throw new Error(`list-accounts failed: ${lastLine(run.stdout)}`);
    const requests = await em.requests();
    return {
      members,
      listed: Number(outputs.count),
      listAccountsRequests: requests.filter((r) => r.target === 'ListAccounts').length,
      outputBytes: outputs.accounts.length * 2,
      wallMs: run.wallMs,
    };
  } finally {
    await em.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The summary job of the organisation scan over `accounts` Prowler-shaped reports of `findings` findings each
 * (scripts/bench/prowler-reports.mjs), as the workflow runs it: a child process over the downloaded artifacts.
 * @param {{ accounts?: number, findings?: number }} options
 */
export async function measureAggregation({ accounts = 230, findings = 500 }) {
  const dir = mkdtempSync(join(tmpdir(), 'cac-aggregation-'));
  try {
    const ids = Array.from({ length: accounts }, (_, i) => String(2000000000000000 + i));
    writeArtifacts(
      join(dir, 'artifacts'),
      ids.map((id) => ({ id, findings: findingsOf(id, findings) })),
    );
    const bytes = ids.reduce((n, id) => n + statSync(join(dir, 'artifacts', `prowler-${id}`, `prowler-output-${id}-20260101000000.ocsf.json`)).size, 0);
    const env = {
      PATH: process.env.PATH ?? '',
      ACCOUNTS: JSON.stringify(
        ids.map((id) => ({ id, name: `member-${id}`, folder: 'fd-bench1', role: `acs:ram::${id}:role/ResourceDirectoryAccountAccessRole` })),
      ),
      GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
    };
    const run = await spawnTimed(process.execPath, [join(ROOT, 'examples', 'org-scan', 'summarize-organization.mjs'), join(dir, 'artifacts')], env);
    if (run.code !== 0) throw new Error(`summarize-organization failed (${run.code}): ${run.stderr.slice(0, 300)}`);
    return { accounts, findings, bytes, wallMs: run.wallMs, summaryBytes: statSync(env.GITHUB_STEP_SUMMARY).size };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
