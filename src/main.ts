// Entry of the main step: inputs -> config -> plan -> source -> STS -> credentials -> exporters.
// One try/catch turns any failure into a redacted setFailed; nothing is exported unless everything worked.

import * as core from '@actions/core';
import { checkCredentialsAccount } from './account.js';
import { accountIdOf } from './arn.js';
import { CONFIG_INPUTS, CONFIG_VARIABLES, readConfig } from './config.js';
import { serializeCredentials } from './credentials.js';
import { formatFailure } from './errors.js';
import { deliver } from './export/deliver.js';
import { info } from './export/log.js';
import { mask, secretKeeper } from './export/mask.js';
import { flowSettings, runPlan, sourceEnv } from './flow.js';
import { checkInputNames, pickSet } from './inputs.js';
import { describePlan, makePlan } from './plan.js';
import { proxySecrets } from './proxy.js';
import { secretValues } from './redact.js';
import { SECRET_INPUTS, SOURCE_INPUTS } from './sources/index.js';
import { jobContext } from './sources/source.js';
import { STATE_REFRESH } from './state.js';

export async function run(): Promise<void> {
  const { secrets, keep: keepSecret } = secretKeeper();
  try {
    for (const name of SECRET_INPUTS) for (const secret of secretValues(core.getInput(name))) keepSecret(secret);
    for (const secret of proxySecrets(process.env)) keepSecret(secret);
    // An input the action does not have would be ignored (the runner only warns): fail before anything else.
    checkInputNames(Object.keys(process.env), [...CONFIG_INPUTS, ...SOURCE_INPUTS]);
    // Before validation, whose messages may name the role's account.
    if (/^true$/i.test(core.getInput('mask-account-id'))) mask(accountIdOf(core.getInput('role-to-assume')));
    // Every input read is kept: the refresh helper reads the same inputs and so makes the same plan.
    const inputs: Record<string, string> = {};
    const input = (name: string) => (inputs[name] = core.getInput(name));
    const env = process.env;
    const config = readConfig(input, env);
    const plan = makePlan(config, input, jobContext(env));
    for (const [name, kind] of Object.entries(plan.source.variables))
      if (kind === 'secret') for (const secret of secretValues(env[name] ?? '')) keepSecret(secret);
    info(describePlan(plan, config.endpoint));

    const result = await runPlan(plan, { ...flowSettings(config), env, onSecret: keepSecret, log: info });
    if (config.maskAccountId && result.identity) mask(result.identity.accountId);
    checkCredentialsAccount(result.identity, config.allowedAccountIds);
    let refreshUri: string | undefined;
    if (config.refreshCredentials) {
      const helperEnv = { ...pickSet(env, CONFIG_VARIABLES), ...sourceEnv(plan.source, env) };
      // Loaded only here: starting a process is code no other run needs at start-up.
      const { startRefreshHelper } = await import('./refresh/start.js');
      const helper = await startRefreshHelper({ inputs, env: helperEnv, credentials: serializeCredentials(result.credentials) }, env.RUNNER_TEMP);
      core.saveState(STATE_REFRESH, JSON.stringify(helper));
      // The random path is what keeps other local processes out, the stop token what lets the post step stop it.
      keepSecret(new URL(helper.url).pathname.slice(1));
      keepSecret(helper.stopToken);
      info(`Refresh helper (process ${helper.pid}) serves the credentials on a loopback credentials URI and renews them before they expire.`);
      info(renewalNote(config.aliyunProfile));
      refreshUri = helper.url;
    }
    await deliver(config, plan, result, refreshUri);
  } catch (error) {
    core.setFailed(formatFailure(error, secrets));
  }
}

/** Said once with refresh-credentials: which consumers the renewals reach, and which read their credentials once. */
function renewalNote(profile: string | undefined): string {
  const cli = profile ? `, and the aliyun CLI (profile ${profile}, mode CredentialsURI)` : '';
  return (
    `Renewed for: code that builds its client from ALIBABA_CLOUD_CREDENTIALS_URI${cli}. ` +
    'Not renewed: Prowler, Terraform and clients of the SDK default chains take the exported keys once; give them a ' +
    "`role-session-expiration` that covers the run (within the role's MaxSessionDuration)."
  );
}
