// Entry of the main step: inputs -> config -> plan -> source -> STS -> credentials -> exporters.
// One try/catch turns any failure into a redacted setFailed; nothing is exported unless everything worked.

import * as core from '@actions/core';
import { homedir } from 'node:os';
import { accountIdOf } from './arn.js';
import { readConfig, type Config } from './config.js';
import { isoSeconds } from './credentials.js';
import { ActionError, formatFailure } from './errors.js';
import { exportVariables } from './export/env.js';
import { mask, setOutputs } from './export/outputs.js';
import { profilePath, writeProfile } from './export/profile.js';
import { writeSummary } from './export/summary.js';
import { planVariables, PROFILE_VARS } from './export/variables.js';
import { runPlan, type FlowResult } from './flow.js';
import { makePlan, type Plan, type Source } from './plan.js';
import { DEFAULT_RETRY_POLICY } from './retry.js';
import { startRefreshHelper } from './refresh/start.js';
import { STATE_PROFILE, STATE_REFRESH } from './state.js';

/** Inputs that hold secrets: masked before anything else runs. */
const SECRET_INPUTS = ['access-key-id', 'access-key-secret', 'security-token'];
const TIMEOUTS = { connectTimeoutMs: 3000, readTimeoutMs: 5000 };
// The STS SDK's HTTP client also uses its connect timeout as the socket's idle timeout, so a shorter connect
// timeout would cut every silent answer short of the read timeout.
const STS_TIMEOUTS = { connectTimeoutMs: 5000, readTimeoutMs: 5000 };

export async function run(): Promise<void> {
  const secrets = new Set<string>();
  const keepSecret = (secret: string | undefined) => {
    if (!secret || secrets.has(secret)) return;
    secrets.add(secret);
    mask(secret);
  };
  try {
    for (const name of SECRET_INPUTS) keepSecret(core.getInput(name));
    // Before validation, whose messages may name the role's account.
    if (/^true$/i.test(core.getInput('mask-account-id'))) mask(accountIdOf(core.getInput('role-to-assume')));
    const env = process.env;
    const config = readConfig((name) => core.getInput(name), env);
    const plan = makePlan(config, { idTokenRequest: { url: Boolean(env.ACTIONS_ID_TOKEN_REQUEST_URL), token: Boolean(env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) } });
    if (plan.source.kind === 'environment') {
      keepSecret(env.ALIBABA_CLOUD_ACCESS_KEY_ID);
      keepSecret(env.ALIBABA_CLOUD_ACCESS_KEY_SECRET);
      keepSecret(env.ALIBABA_CLOUD_SECURITY_TOKEN);
    }
    core.info(describePlan(plan, config));

    const settings = flowSettings(config, env, plan);
    const result = await runPlan(plan, {
      ...settings,
      onSecret: keepSecret,
      onRetry: (step, { attempt, maxAttempts, error, waitMs }) => {
        const code = error.details.code ?? error.kind;
        const requestId = error.details.requestId ? `, RequestId ${error.details.requestId}` : '';
        core.info(`${step}: attempt ${attempt}/${maxAttempts} failed (${code}${requestId}); retrying in ${waitMs} ms.`);
      },
      identifyUnassumed: config.allowedAccountIds.length > 0,
    });
    if (config.maskAccountId && result.identity) mask(result.identity.accountId);
    checkAccount(config, result);
    const refreshUri = config.refreshCredentials ? await startRefresh(settings, plan, result, keepSecret) : undefined;
    await deliver(config, plan, result, refreshUri);
  } catch (error) {
    core.setFailed(formatFailure(error, secrets));
  }
}

function describePlan(plan: Plan, config: Config): string {
  const target = plan.assume
    ? ` -> ${plan.assume.oidcProviderArn ? 'AssumeRoleWithOIDC' : 'AssumeRole'} ${plan.assume.roleArn} as ${plan.assume.sessionName}`
    : '';
  return `Credentials from ${sourceName(plan.source)}${target} (STS ${config.endpoint.protocol}://${config.endpoint.host}).`;
}

function sourceName(source: Source): string {
  switch (source.kind) {
    case 'github-oidc':
      return `GitHub OIDC (audience ${source.audience})`;
    case 'oidc-token-file':
      return `OIDC token file ${source.path}`;
    case 'access-key':
      return source.accessKey.securityToken ? 'STS credentials (inputs)' : 'AccessKey (inputs)';
    case 'environment':
      return 'the ALIBABA_CLOUD_* credentials of an earlier step';
    case 'ecs-ram-role':
      return `ECS instance RAM role ${source.roleName}`;
    case 'credentials-uri':
      return 'a credentials URI';
  }
}

function checkAccount(config: Config, result: FlowResult): void {
  const accountId = result.identity?.accountId;
  if (config.allowedAccountIds.length > 0 && (!accountId || !config.allowedAccountIds.includes(accountId))) {
    throw new ActionError(
      'permission',
      `The credentials belong to account ${accountId ?? '(unknown)'}, which is not in \`allowed-account-ids\`.`,
      'Check that the source and `role-to-assume` point at the intended account, or add it to `allowed-account-ids`.',
    );
  }
}

/** What the flow needs besides the plan; the refresh helper gets the same, with only the variables its source reads. */
function flowSettings(config: Config, env: NodeJS.ProcessEnv, plan: Plan) {
  const needs =
    plan.source.kind === 'github-oidc'
      ? ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN']
      : plan.source.kind === 'environment'
        ? ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABA_CLOUD_SECURITY_TOKEN']
        : [];
  return {
    env: Object.fromEntries(needs.flatMap((name) => (env[name] ? [[name, env[name]]] : []))),
    sts: { endpoint: config.endpoint, ...STS_TIMEOUTS },
    timeouts: TIMEOUTS,
    retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: config.retryMaxAttempts },
  };
}

/** Starts the helper that keeps the credentials fresh behind a loopback credentials URI (DESIGN.md §6). */
async function startRefresh(settings: ReturnType<typeof flowSettings>, plan: Plan, result: FlowResult, keepSecret: (secret: string) => void): Promise<string> {
  const { credentials } = result;
  const helper = await startRefreshHelper(
    { plan, ...settings, credentials: { ...credentials, expiration: credentials.expiration?.toISOString() } },
    process.env.RUNNER_TEMP,
  );
  core.saveState(STATE_REFRESH, JSON.stringify({ pid: helper.pid, logFile: helper.logFile }));
  // The random path is what keeps other local processes out: treat it as a secret.
  keepSecret(new URL(helper.url).pathname.slice(1));
  core.info(`Refresh helper (process ${helper.pid}) serves the credentials on a loopback credentials URI and renews them before they expire.`);
  return helper.url;
}

async function deliver(config: Config, plan: Plan, result: FlowResult, refreshUri?: string): Promise<void> {
  const { credentials, identity } = result;
  const variables = config.exportEnv ? planVariables(credentials, config.region, process.env, refreshUri) : { set: new Map<string, string>(), blank: [] };
  // The profile can still fail (a symlink, a name in use): write it first, so that a failed step exports nothing.
  if (config.aliyunProfile) {
    const profile = writeProfile(profilePath(homedir()), config.aliyunProfile, credentials, config.region);
    core.saveState(STATE_PROFILE, JSON.stringify(profile));
    for (const name of PROFILE_VARS) core.exportVariable(name, profile.name);
    core.info(`Wrote profile ${profile.name} (mode ${credentials.securityToken ? 'StsToken' : 'AK'}) to ${profile.path}; the post step removes it.`);
  }
  exportVariables(variables);
  setOutputs({ credentials, identity, roleSessionName: plan.assume?.sessionName, includeCredentials: config.outputCredentials });
  const expiration = credentials.expiration ? isoSeconds(credentials.expiration) : undefined;
  const who = identity ? `${identity.arn} (account ${identity.accountId})` : 'the source (account not looked up)';
  core.info(`Credentials ready for ${who}${expiration ? `, valid until ${expiration}` : ''}.`);
  // The credentials are delivered by now: a summary that cannot be written is no reason to fail the step.
  await writeSummary({
    accountId: identity?.accountId,
    maskAccountId: config.maskAccountId,
    assumedRoleArn: plan.assume ? identity?.arn : undefined,
    roleSessionName: plan.assume?.sessionName,
    source: sourceName(plan.source),
    expiration,
    region: config.region,
    endpoint: `${config.endpoint.protocol}://${config.endpoint.host}`,
    variablesSet: [...variables.set.keys(), ...(config.aliyunProfile ? PROFILE_VARS : [])],
    variablesCleared: variables.blank,
    profile: config.aliyunProfile,
    credentialsUri: refreshUri !== undefined,
  }).catch((error: unknown) => core.warning(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`));
}
