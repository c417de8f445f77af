// Hands the final credentials to the later steps: the aliyun CLI profile, the environment, the outputs, the log
// line and the job summary. Nothing is delivered unless everything before worked.

import * as core from '@actions/core';
import { homedir } from 'node:os';
import type { Config } from '../config.js';
import { isoSeconds } from '../credentials.js';
import type { FlowResult } from '../flow.js';
import type { Plan } from '../plan.js';
import { STATE_PROFILE } from '../state.js';
import { exportVariables } from './env.js';
import { setOutputs } from './outputs.js';
import { profilePath, writeProfile } from './profile.js';
import { writeSummary } from './summary.js';
import { PROFILE_VARS, planVariables } from './variables.js';

export async function deliver(config: Config, plan: Plan, result: FlowResult, refreshUri?: string): Promise<void> {
  const { credentials, identity } = result;
  const sessionName = plan.kind === 'as-is' ? undefined : plan.role.sessionName;
  const variables = config.exportEnv ? planVariables(credentials, config.region, process.env, refreshUri) : { set: new Map<string, string>(), blank: [] };
  // The profile can still fail (a symlink, a name in use): write it first, so that a failed step exports nothing.
  if (config.aliyunProfile) {
    const profile = writeProfile(profilePath(homedir()), config.aliyunProfile, credentials, config.region);
    core.saveState(STATE_PROFILE, JSON.stringify(profile));
    for (const name of PROFILE_VARS) core.exportVariable(name, profile.name);
    core.info(`Wrote profile ${profile.name} (mode ${credentials.securityToken ? 'StsToken' : 'AK'}) to ${profile.path}; the post step removes it.`);
  }
  exportVariables(variables);
  setOutputs({ credentials, identity, roleSessionName: sessionName, includeCredentials: config.outputCredentials });
  const expiration = credentials.expiration ? isoSeconds(credentials.expiration) : undefined;
  const who = identity ? `${identity.arn} (account ${identity.accountId})` : 'the source (account not looked up)';
  core.info(`Credentials ready for ${who}${expiration ? `, valid until ${expiration}` : ''}.`);
  // The credentials are delivered by now: a summary that cannot be written is no reason to fail the step.
  await writeSummary({
    accountId: identity?.accountId,
    maskAccountId: config.maskAccountId,
    assumedRoleArn: sessionName ? identity?.arn : undefined,
    roleSessionName: sessionName,
    source: plan.source.description,
    expiration,
    region: config.region,
    endpoint: `${config.endpoint.protocol}://${config.endpoint.host}`,
    variablesSet: [...variables.set.keys(), ...(config.aliyunProfile ? PROFILE_VARS : [])],
    variablesCleared: variables.blank,
    profile: config.aliyunProfile,
    credentialsUri: refreshUri !== undefined,
  }).catch((error: unknown) => core.warning(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`));
}
