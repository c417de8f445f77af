// Hands the final credentials to the later steps: the aliyun CLI profile, the environment, the outputs, the log
// line and the job summary. Nothing is delivered unless everything before worked.

import * as core from '@actions/core';
import { existsSync } from 'node:fs';
import type { Config } from '../config.js';
import { isoSeconds } from '../credentials.js';
import type { FlowResult } from '../flow.js';
import type { Plan } from '../plan.js';
import { STATE_PROFILE } from '../state.js';
import { exportVariables } from './env.js';
import { info } from './log.js';
import { setOutputs } from './outputs.js';
import { profileMode, profilePath, writeProfile } from './profile.js';
import { warnSummaryNotWritten, writeSummary } from './summary.js';
import { PROFILE_VARS, planVariables } from './variables.js';

export async function deliver(config: Config, plan: Plan, result: FlowResult, refreshUri?: string): Promise<void> {
  const { credentials, identity } = result;
  const sessionName = plan.kind === 'as-is' ? undefined : plan.role.sessionName;
  const path = profilePath();
  const delivery = { credentials, region: config.region, credentialsUri: refreshUri, profile: config.aliyunProfile, cliConfigured: existsSync(path) };
  // With `export-env: false` only the profile is selected, so that the aliyun CLI finds it.
  const variables = config.exportEnv
    ? planVariables(delivery, process.env)
    : { set: new Map(config.aliyunProfile ? PROFILE_VARS.map((name) => [name, config.aliyunProfile as string]) : []), blank: [] };
  // The profile can still fail (a symlink, a name in use): write it first, so that a failed step exports nothing.
  if (config.aliyunProfile) {
    const holds = refreshUri ? { credentialsUri: refreshUri } : { credentials };
    const profile = await writeProfile(path, config.aliyunProfile, holds, config.region);
    core.saveState(STATE_PROFILE, JSON.stringify(profile));
    info(`Wrote profile ${profile.name} (mode ${profileMode(holds)}) to ${path}; the post step removes it.`);
  }
  exportVariables(variables);
  setOutputs({ credentials, identity, roleSessionName: sessionName, includeCredentials: config.outputCredentials });
  const expiration = credentials.expiration ? isoSeconds(credentials.expiration) : undefined;
  const who = identity ? `${identity.arn} (account ${identity.accountId})` : 'the source (account not looked up)';
  info(`Credentials ready for ${who}${expiration ? `, valid until ${expiration}` : ''}.`);
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
    variablesSet: [...variables.set.keys()],
    variablesCleared: variables.blank.map(({ name }) => name),
    profile: config.aliyunProfile,
    credentialsUri: refreshUri !== undefined,
  }).catch(warnSummaryNotWritten);
}
