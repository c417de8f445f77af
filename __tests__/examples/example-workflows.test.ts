// The example workflows examples/prowler-scheduled-scan.yml and examples/terraform-plan.yml, read by the workflow
// interpreter (./workflow.ts). The scheduled scan's job runs to its end twice in one workflow run, as a re-run does:
// the action itself against the emulator, its `run:` steps in bash. Modelled: setup-python and the pip install
// (Prowler is installed by the test tools and runs for real in org-scan.test.ts and prowler-composite.test.ts), and
// `prowler` itself, a stand-in on PATH that records its command line, needs the exported credentials, writes a report
// and exits 3 (a failed check) unless given --ignore-exit-code-3, as Prowler does.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProxy } from '../../emulator/proxy.js';
import { startEmulator } from '../../emulator/server.js';
import type { Emulator } from '../../emulator/types.js';
import { findLeaks, oidcJobEnv, ROOT, type StepResult } from '../e2e/runner.js';
import { type JobRun, jobStarts, readWorkflow, runJob, type StepRun, type StepSpec } from './workflow.js';

describe('examples/terraform-plan.yml', () => {
  const plan = readWorkflow(join(ROOT, 'examples/terraform-plan.yml')).jobs.plan;
  const REPOSITORY = 'octo-org/octo-repo';
  const starts = (event_name: string, head?: string) =>
    jobStarts(plan, {
      github: { event_name, repository: REPOSITORY, event: head ? { pull_request: { head: { repo: { full_name: head } } } } : {} },
      needs: {},
    });

  it('runs for pushes and for pull requests from the repository, and skips those from forks (no OIDC token there)', () => {
    expect({
      push: starts('push'),
      'pull request from a branch of the repository': starts('pull_request', REPOSITORY),
      'pull request from a fork': starts('pull_request', 'octo-fork/octo-repo'),
    }).toEqual({ push: true, 'pull request from a branch of the repository': true, 'pull request from a fork': false });
  });

  it('installs Terraform before it asks for credentials, so no action’s code runs with them', () => {
    const configure = plan.steps.findIndex((step) => /^[\w-]+\/configure-alibabacloud-credentials@/.test(step.uses ?? ''));
    expect(plan.steps.slice(0, configure).map((step) => step.uses?.split('@')[0])).toEqual(['actions/checkout', 'hashicorp/setup-terraform']);
    expect(plan.steps.slice(configure + 1).filter((step) => step.uses !== undefined)).toEqual([]);
    expect(plan.steps.slice(configure + 1).map((step) => step.run)).toEqual(['terraform init -input=false', 'terraform plan -input=false']);
  });
});

describe('examples/prowler-scheduled-scan.yml', () => {
  const scan = readWorkflow(join(ROOT, 'examples/prowler-scheduled-scan.yml')).jobs.scan;
  const ACCOUNT = '1000000000000042';
  let em: Emulator;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let dir: string;
  let env: Record<string, string>;
  let vars: Record<string, string>;

  beforeAll(async () => {
    em = await startEmulator({ tls: true });
    proxy = await startProxy({ routes: { 'sts.aliyuncs.com:443': em.stsHost } });
    dir = mkdtempSync(join(tmpdir(), 'scheduled-scan-'));
    const provider = (await em.addOidcProvider({ accountId: ACCOUNT, name: 'github-actions' })).arn;
    const role = await em.addRole({
      accountId: ACCOUNT,
      name: 'github-prowler-scan',
      maxSessionDuration: 21600,
      oidc: { providerArn: provider, sub: ['repo:octo-org/octo-repo:ref:refs/heads/main'] },
    });
    vars = { ALIBABA_CLOUD_ROLE_ARN: role.arn, ALIBABA_CLOUD_OIDC_PROVIDER_ARN: provider };
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'prowler'),
      [
        '#!/bin/sh',
        'printf "%s\\n" "$*" >> "$PROWLER_CALLS"',
        '[ -n "$ALIBABA_CLOUD_SECURITY_TOKEN" ] || { echo "prowler: no credentials" >&2; exit 1; }',
        'mkdir -p output && printf "CHECK_ID;STATUS\\nram_no_root_access_key;FAIL\\n" > output/prowler-output.csv',
        'case " $* " in *" --ignore-exit-code-3 "*) exit 0 ;; *) exit 3 ;; esac',
        '',
      ].join('\n'),
    );
    chmodSync(join(bin, 'prowler'), 0o755);
    const ca = em.caFile ?? '';
    env = {
      ...oidcJobEnv(em),
      NODE_EXTRA_CA_CERTS: ca,
      SSL_CERT_FILE: ca,
      HTTPS_PROXY: proxy.url,
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      PROWLER_CALLS: join(dir, 'prowler-calls'),
    };
  }, 60_000);

  afterAll(async () => {
    await proxy?.close();
    await em?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const override = async (step: StepSpec & { with: Record<string, string> }): Promise<StepRun | undefined> => {
    if (step.uses?.startsWith('actions/setup-python@')) return { name: 'setup-python', outcome: 'success', conclusion: 'success', outputs: {} };
    if (/^pip install prowler==/.test(step.run ?? '')) return { name: 'Install Prowler', outcome: 'success', conclusion: 'success', outputs: {} };
    return undefined;
  };

  it('a re-run of the job uploads its reports beside the first attempt’s, under a name of its own', async () => {
    const artifacts = join(dir, 'artifacts');
    const attempt = (n: number) =>
      runJob(scan, {
        github: { event_name: 'schedule', ref: 'refs/heads/main', repository: 'octo-org/octo-repo', run_id: '4242', run_attempt: String(n) },
        vars,
        env,
        artifacts,
        repository: {},
        override,
      });
    const runs: JobRun[] = [await attempt(1), await attempt(2)];
    for (const run of runs) {
      expect(run.steps.map((s) => [s.name, s.outcome])).toEqual([
        ['actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97', 'success'],
        ['Install Prowler', 'success'],
        ['Configure Alibaba Cloud credentials', 'success'],
        ['Run Prowler', 'success'],
        ['Upload the reports', 'success'],
      ]);
    }
    expect(readdirSync(artifacts).sort()).toEqual(['prowler-alibabacloud-4242-1', 'prowler-alibabacloud-4242-2']);
    for (const name of readdirSync(artifacts)) expect(readdirSync(join(artifacts, name))).toEqual(['prowler-output.csv']);
    expect(readFileSync(env.PROWLER_CALLS, 'utf8').trim().split('\n')).toEqual(
      Array(2).fill('alibabacloud --output-formats csv json-ocsf html -o output --ignore-exit-code-3'),
    );

    // Each attempt asked for the 21600 s session the role allows, and nothing printed a secret.
    const assumed = (await em.requests()).filter((r) => r.target === 'AssumeRoleWithOIDC');
    expect(assumed.map((r) => [r.status, r.params?.DurationSeconds])).toEqual([
      [200, '21600'],
      [200, '21600'],
    ]);
    const secrets = await em.secrets();
    for (const run of runs) {
      for (const result of run.steps.map((s) => s.result).filter((r): r is StepResult => r !== undefined)) expect(findLeaks(result, secrets)).toEqual([]);
    }
  }, 60_000);
});
