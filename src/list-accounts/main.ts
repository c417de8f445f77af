// Entry of list-accounts: inputs -> the management account's credentials from the environment -> the directory's
// members -> the `accounts`, `count` and `left-out` outputs and the job summary. One try/catch turns any failure into a
// redacted setFailed; no output is set unless everything worked.

import * as core from '@actions/core';
import { type Credentials, credentialsInEnvironment } from '../credentials.js';
import { ActionError, formatFailure } from '../errors.js';
import { info } from '../export/log.js';
import { API_TIMEOUTS } from '../http.js';
import { secretKeeper } from '../export/mask.js';
import { warnSummaryNotWritten } from '../export/summary.js';
import { checkInputNames } from '../inputs.js';
import { proxySecrets } from '../proxy.js';
import { DEFAULT_RETRY_POLICY } from '../retry.js';
import { JOB_OUTPUTS_MAX_BYTES, leftOut, MATRIX_MAX_JOBS, outputBytes, selectAccounts } from './accounts.js';
import { LIST_INPUTS, readListConfig } from './config.js';
import { listMembers } from './list.js';
import { writeListingSummary } from './summary.js';

/** The variables configure-alibabacloud-credentials exports for later steps, all three secrets here. */
const CREDENTIAL_VARIABLES = ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABA_CLOUD_SECURITY_TOKEN'] as const;

export async function run(): Promise<void> {
  const { secrets, keep: keepSecret } = secretKeeper();
  try {
    for (const name of CREDENTIAL_VARIABLES) keepSecret(process.env[name]);
    for (const secret of proxySecrets(process.env)) keepSecret(secret);
    // An input the action does not have would be ignored (the runner only warns): fail before anything else.
    checkInputNames(Object.keys(process.env), LIST_INPUTS);
    const config = readListConfig((name) => core.getInput(name));
    const credentials = credentialsFromEnvironment(process.env);
    const where = config.folders.length ? `folders ${config.folders.join(', ')} and below` : 'the whole Resource Directory';
    info(`Listing the accounts of ${where} (ResourceManager ${config.endpoint.protocol}://${config.endpoint.host}).`);

    const listing = await listMembers(config, credentials, {
      timeouts: API_TIMEOUTS,
      retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: config.retryMaxAttempts },
      log: info,
    });
    const { caller, directory } = listing;
    const delegated = caller.accountId !== directory.managementAccountId;
    const selection = selectAccounts(listing.members, caller, directory.managementAccountId, config);
    const json = JSON.stringify(selection.accounts);
    if (outputBytes(json) > JOB_OUTPUTS_MAX_BYTES) {
      throw new ActionError(
        'input',
        `The list of ${selection.accounts.length} accounts takes ${outputBytes(json)} bytes, more than the ${JOB_OUTPUTS_MAX_BYTES} GitHub allows a job's outputs.`,
        'Narrow it with `folders` (and run once per folder).',
      );
    }
    const as = delegated ? `a delegated administrator (the management account is ${directory.managementAccountId})` : 'the management account';
    info(
      `${listing.members.length} members of ${directory.resourceDirectoryId} listed by ${caller.arn}, ${as}, in ${listing.requests} ResourceManager and STS requests.`,
    );
    const left = leftOut(selection);
    if (left.length) info(`Left out: ${left.join('; ')}.`);
    info(`accounts: ${selection.accounts.length} accounts, ${outputBytes(json)} bytes as GitHub counts outputs.`);
    if (selection.accounts.length > MATRIX_MAX_JOBS) {
      core.warning(
        `${selection.accounts.length} accounts: a matrix over them cannot start, GitHub makes at most ${MATRIX_MAX_JOBS} jobs of one matrix. Split the work by \`folders\`.`,
      );
    } else if (selection.accounts.length === 0) {
      core.warning('No account matched: a matrix over an empty list cannot start. Check `folders`, `exclude-accounts` and `statuses`.');
    }
    core.setOutput('accounts', json);
    core.setOutput('count', String(selection.accounts.length));
    // Counts and reasons only, as in the job summary: no ID of the management or the listing account.
    core.setOutput('left-out', leftOut(selection, false).join('; '));
    // The outputs are set by now: a summary that cannot be written is no reason to fail the step (as in the main action).
    await writeListingSummary({
      selection,
      folders: config.folders.length ? config.folders : undefined,
      folderNames: listing.folderNames,
      delegated,
      requests: listing.requests,
    }).catch(warnSummaryNotWritten);
  } catch (error) {
    core.setFailed(formatFailure(error, secrets));
  }
}

/** The credentials an earlier step exported: the management account's, from configure-alibabacloud-credentials. */
function credentialsFromEnvironment(env: NodeJS.ProcessEnv): Credentials {
  const parsed = credentialsInEnvironment(env);
  const run = 'Run configure-alibabacloud-credentials before this step, with a role of the management account (docs/SETUP.md, section 9).';
  if (!parsed) {
    throw new ActionError('input', 'list-accounts found no ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET in the environment.', run);
  }
  if (parsed.problem !== undefined)
    throw new ActionError('input', `list-accounts found ALIBABA_CLOUD_* credentials in the environment that ${parsed.problem}.`, run);
  return parsed.credentials;
}
