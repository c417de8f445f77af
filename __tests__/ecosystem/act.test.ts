// The action under an independent runner: act (github.com/nektos/act) runs act/credentials.yml on the host
// (`-P ubuntu-latest=-self-hosted`, no containers) from a temporary git repository holding action.yml, list-accounts/,
// the bundles that src/ builds now (ACTION_DIST) and that workflow. The other end-to-end suites run the bundles with this
// repository's own runner model (__tests__/e2e/runner.ts); here act's reading of action.yml (inputs and their
// defaults, `using: node24`, `post:` and `post-if:`), its workflow commands and its environment files decide.
//
// What the job does, against the loopback emulator: an input error (an annotation, nothing exported), the OIDC flow
// (act passes the job the token request variables the test gives it with --env), a later `run:` step that proves the
// exported credentials with Alibaba's Node SDK, list-accounts over the emulator's Resource Directory, and the post
// step's cleanup of the aliyun CLI profile. One act run,
// about two seconds. act runs a `node24` action with the `node` on PATH: on this machine Node 20, which the suite
// prints; GitHub's runner brings its own Node 24.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../emulator/server.js';
import type { Emulator } from '../../emulator/types.js';
import { DIST, findLeaks, ROOT } from '../e2e/runner.js';
import { ecosystemTools, runTool } from './tools.js';

const ACCOUNT = '1234567890123456';
const WORKFLOW = join(ROOT, '__tests__', 'ecosystem', 'act', 'credentials.yml');

/** act's host mode runs `run:` steps with bash and sh, as on a Linux or macOS runner. */
function skipReason(): string | undefined {
  if (process.platform === 'win32') return "act's host mode is run on Linux and macOS; this is Windows";
  return undefined;
}

const reason = skipReason();
if (reason) console.warn(`act.test.ts is skipped: ${reason}`);
(reason ? describe.skip : describe)('the action under act', actSuite);

interface ActRun {
  readonly code: number;
  readonly log: string;
  readonly ms: number;
  /** What the workflow's steps wrote to OUT_DIR. */
  readonly out: (name: string) => string | undefined;
  readonly home: string;
}

/** The lines act printed for one stage of one step: from its "⭐ Run <stage> <name>" to the next step's. */
function stepLog(log: string, stage: 'Main' | 'Post', name: string): string[] {
  const lines = log.split('\n').map((line) => line.replace(/^\[[^\]]+\] ?/, ''));
  const start = lines.findIndex((line) => line.trim() === `⭐ Run ${stage} ${name}`);
  if (start < 0) return [];
  const next = lines.findIndex((line, index) => index > start && line.trim().startsWith('⭐ Run '));
  return lines.slice(start, next < 0 ? undefined : next);
}

/** The step's result line: `✅  Success - Main <name>` or `❌  Failure - …`. */
const resultOf = (lines: string[]): string | undefined => lines.find((line) => / - (Main|Post) /.test(line));

function actSuite(): void {
  let em: Emulator;
  let roleArn: string;
  let providerArn: string;
  let run: ActRun;
  let act: string;
  let dir: string | undefined;
  let members: string[];

  beforeAll(async () => {
    act = ecosystemTools().act;
    em = await startEmulator();
    providerArn = (await em.addOidcProvider({ accountId: ACCOUNT, name: 'github-actions' })).arn;
    // act names the repository after the temporary repository's `origin` remote, as the runner fills `sub`.
    roleArn = (await em.addRole({ accountId: ACCOUNT, name: 'ActDeploy', oidc: { providerArn, sub: ['repo:octo-org/octo-repo:*'] } })).arn;
    // The role's account manages a Resource Directory of three members, for list-accounts (below).
    const directory = await em.setupResourceDirectory({ managementAccountId: ACCOUNT, members: { count: 3 } });
    members = directory.accounts.map((account) => account.accountId).filter((id) => id !== ACCOUNT);
    run = await runAct(readFileSync(WORKFLOW, 'utf8'));
  }, 120_000);

  afterAll(async () => {
    await em?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The workflow as committed, plus the list-accounts steps once list-accounts/ exists (issue 21). */

  async function runAct(workflow: string): Promise<ActRun> {
    dir = mkdtempSync(join(tmpdir(), 'cac-act-'));
    const repo = join(dir, 'repo');
    const home = join(dir, 'home');
    const outDir = join(dir, 'out');
    for (const path of [repo, home, outDir, join(repo, '.github', 'workflows')]) mkdirSync(path, { recursive: true });
    cpSync(join(ROOT, 'action.yml'), join(repo, 'action.yml'));
    cpSync(DIST, join(repo, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'list-accounts'), join(repo, 'list-accounts'), { recursive: true });
    writeFileSync(join(repo, '.github', 'workflows', 'credentials.yml'), workflow);
    const git = (...args: string[]) => {
      const done = spawnSync('git', ['-c', 'user.name=act', '-c', 'user.email=act@example.com', ...args], { cwd: repo, encoding: 'utf8' });
      if (done.status !== 0) throw new Error(`git ${args.join(' ')}: ${done.stderr}`);
    };
    git('init', '--quiet', '--initial-branch=main');
    git('remote', 'add', 'origin', 'https://github.com/octo-org/octo-repo.git');
    git('add', '--all');
    git('commit', '--quiet', '--message', 'act');

    const jobEnv = {
      ACTIONS_ID_TOKEN_REQUEST_URL: em.oidcRequestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: em.oidcRequestToken,
      ROLE_ARN: roleArn,
      OIDC_PROVIDER_ARN: providerArn,
      STS_ENDPOINT: `http://${em.stsHost}`,
      CONSUMER: join(ROOT, '__tests__', 'e2e', 'consumer.mjs'),
      OUT_DIR: outDir,
    };
    const args = [
      'push',
      ...['--platform', 'ubuntu-latest=-self-hosted'],
      ...['--action-cache-path', join(dir, 'act-cache')],
      '--no-cache-server',
      '--action-offline-mode',
      ...Object.entries(jobEnv).flatMap(([name, value]) => ['--env', `${name}=${value}`]),
    ];
    // act's own environment reaches every step of a host job: only PATH and a HOME of the test's, so nothing of
    // this machine's (an ALIBABA_CLOUD_* variable, ~/.aliyun, ~/.actrc) takes part.
    const env = { PATH: process.env.PATH ?? '', HOME: home };
    const started = Date.now();
    const { code, stdout, stderr } = await runTool(act, args, { cwd: repo, env });
    const log = stdout + stderr;
    const ms = Date.now() - started;
    const out = (name: string) => (existsSync(join(outDir, name)) ? readFileSync(join(outDir, name), 'utf8').trim() : undefined);
    console.log(`act ran the job in ${ms} ms; the action ran on the host's Node ${out('node-version') ?? '(unknown)'}`);
    return { code, log, ms, out, home };
  }

  it('runs the job to success', () => {
    const results = run.log.split('\n').filter((line) => line.includes('🏁'));
    expect({ code: run.code, results }).toEqual({ code: 0, results: [expect.stringMatching(/🏁 {2}Job succeeded$/)] });
  });

  it('shows an input error as an annotation that names the input, and exports nothing', () => {
    const lines = stepLog(run.log, 'Main', 'An input error');
    // Anywhere in the log: act copies a step's output from another goroutine than the one that prints its result and
    // starts the next step, and once (under load) the annotation came after them.
    const annotations = run.log.split('\n').filter((line) => line.includes('::error::'));
    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toMatch(/::error::Input role-session-expiration: 600 .*%0A/);
    expect(resultOf(lines)).toMatch(/❌ {2}Failure - Main An input error/);
    expect(run.out('input-error-outcome')).toBe('failure');
    expect(run.out('input-error-exported')).toBe('');
  });

  it('gets OIDC credentials from the emulator with the token request variables act passed to the job', async () => {
    const requests = await em.requests();
    // The input error made none; then the action's two, then the later step's one.
    expect(requests.slice(0, 3).map((r) => `${r.target} ${r.status}`)).toEqual(['oidc-token 200', 'AssumeRoleWithOIDC 200', 'GetCallerIdentity 200']);
    expect(resultOf(stepLog(run.log, 'Main', 'OIDC credentials'))).toMatch(/✅ {2}Success - Main OIDC credentials/);
  });

  it('gives a later run: step credentials that Alibaba Node SDK proves with GetCallerIdentity', async () => {
    const assumed = run.out('assumed-role-arn');
    expect(assumed).toMatch(new RegExp(`^acs:ram::${ACCOUNT}:assumed-role/ActDeploy/gha-\\d+-octo-org-octo-repo$`));
    const consumer = JSON.parse(run.out('consumer.json') ?? '{}') as { ok: boolean; provider?: string; calls?: Array<{ arn: string; identityType: string }> };
    expect(consumer).toMatchObject({ ok: true, provider: 'default/env' });
    expect(consumer.calls).toEqual([expect.objectContaining({ arn: assumed, identityType: 'AssumedRoleUser' })]);
    // The SDK's call was signed with the session's key: an STS key the emulator issued to the action.
    const call = (await em.requests()).find((r) => r.target === 'GetCallerIdentity');
    expect(call?.accessKeyId).toMatch(/^STS\./);
  });

  it('runs the post step, which removes the aliyun CLI profile the main step wrote', () => {
    expect(run.out('profiles-during-job')).toBe('act');
    const post = stepLog(run.log, 'Post', 'OIDC credentials');
    expect(post.some((line) => line.includes(`Removed ${join(run.home, '.aliyun', 'config.json')}`))).toBe(true);
    expect(resultOf(post)).toMatch(/✅ {2}Success - Post OIDC credentials/);
    expect(existsSync(join(run.home, '.aliyun', 'config.json'))).toBe(false);
  });

  it("prints no secret: every one the emulator issued is masked in act's log", async () => {
    expect(findLeaks({ stdout: run.log, stderr: '', summary: '' }, await em.secrets())).toEqual([]);
  });

  // The workflow runs list-accounts after the credentials above, the management account's of the emulator's Resource
  // Directory (three members). It sets `accounts` to a JSON array, one entry per member with its access role (the
  // management account, which lists, is left out), whose length is `count`.
  it('runs list-accounts, which lists the members of the Resource Directory', () => {
    const lines = stepLog(run.log, 'Main', 'List accounts');
    expect(resultOf(lines)).toMatch(/✅ {2}Success - Main List accounts/);
    const list = JSON.parse(run.out('accounts') ?? '') as Array<{ id: string; role: string }>;
    expect(run.out('count')).toBe(String(list.length));
    expect(list.map((account) => account.id).sort()).toEqual([...members].sort());
    for (const account of list) expect(account.role).toBe(`acs:ram::${account.id}:role/ResourceDirectoryAccountAccessRole`);
  });
}
