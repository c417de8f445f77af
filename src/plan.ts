// Config -> Plan: which source gives the first credentials, and which role (if any) they assume.
// The table "Which flow runs" of DESIGN.md §1 as code. Pure: no I/O.

import type { AccessKey, Config } from './config.js';
import { ActionError, InputError } from './errors.js';

export type Source =
  | { readonly kind: 'github-oidc'; readonly audience: string }
  | { readonly kind: 'oidc-token-file'; readonly path: string }
  | { readonly kind: 'access-key'; readonly accessKey: AccessKey }
  | { readonly kind: 'environment' }
  | { readonly kind: 'ecs-ram-role'; readonly roleName: string }
  | { readonly kind: 'credentials-uri'; readonly uri: string };

export interface AssumeRoleParams {
  readonly roleArn: string;
  readonly sessionName: string;
  readonly durationSeconds: number;
  readonly policy?: string;
  readonly externalId?: string;
  /** Set for the OIDC sources: the call is AssumeRoleWithOIDC with the source's token. */
  readonly oidcProviderArn?: string;
}

export interface Plan {
  readonly source: Source;
  readonly assume?: AssumeRoleParams;
}

/** Which of the two variables that let a job ask GitHub for an OIDC token (`permissions: id-token: write`) are set. */
export interface JobContext {
  readonly idTokenRequest: { readonly url: boolean; readonly token: boolean };
}

export const PERMISSIONS_BLOCK = 'permissions:\n  id-token: write\n  contents: read';

export function makePlan(config: Config, job: JobContext): Plan {
  const source = chooseSource(config, job);
  const assume: AssumeRoleParams | undefined = config.role && {
    roleArn: config.role.arn,
    sessionName: config.roleSessionName,
    durationSeconds: config.durationSeconds,
    policy: config.sessionPolicy,
    externalId: config.externalId,
    oidcProviderArn: config.oidcProviderArn,
  };
  if (config.refreshCredentials && source.kind === 'access-key' && !assume) {
    throw new InputError(
      'refresh-credentials',
      'has nothing to refresh: AccessKeys without `role-to-assume` do not expire or cannot be renewed.',
      'Add `role-to-assume`, or remove `refresh-credentials`.',
    );
  }
  return { source, assume };
}

function chooseSource(config: Config, job: JobContext): Source {
  const given: Array<[input: string, source: Source]> = [];
  if (config.oidcProviderArn) {
    given.push(
      config.oidcTokenFile
        ? ['oidc-provider-arn', { kind: 'oidc-token-file', path: config.oidcTokenFile }]
        : ['oidc-provider-arn', { kind: 'github-oidc', audience: config.audience }],
    );
  }
  if (config.accessKey) given.push(['access-key-id', { kind: 'access-key', accessKey: config.accessKey }]);
  if (config.roleChaining) given.push(['role-chaining', { kind: 'environment' }]);
  if (config.ecsRamRole) given.push(['ecs-ram-role', { kind: 'ecs-ram-role', roleName: config.ecsRamRole }]);
  if (config.credentialsUri) given.push(['credentials-uri', { kind: 'credentials-uri', uri: config.credentialsUri }]);

  if (given.length > 1) {
    const [first, second] = given.map(([input]) => `\`${input}\``);
    throw new InputError(
      given[1][0],
      `conflicts with ${first}: the action takes its credentials from exactly one source.`,
      `Remove ${first} or ${second}. To go from one set of credentials to another role, use a second step with \`role-chaining: true\`.`,
    );
  }
  if (given.length === 1) {
    const [input, source] = given[0];
    if (source.kind === 'github-oidc' && !canRequestIdToken(job)) {
      const missing = [job.idTokenRequest.url ? '' : 'ACTIONS_ID_TOKEN_REQUEST_URL', job.idTokenRequest.token ? '' : 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'].filter(
        Boolean,
      );
      throw new ActionError(
        'permission',
        `This job cannot request a GitHub OIDC token: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set.`,
        `Add to the job (or workflow):\n${PERMISSIONS_BLOCK}\nPull requests from forks never get an OIDC token; use \`oidc-token-file\` or a key-based source there.`,
      );
    }
    if (source.kind === 'environment' && !config.role) {
      throw new InputError(
        input,
        'needs `role-to-assume`: role chaining assumes a role with the credentials of an earlier step.',
        'Add role-to-assume: acs:ram::<account-id>:role/<name>.',
      );
    }
    return source;
  }
  if (!config.role) {
    throw new InputError(
      'role-to-assume',
      'is missing, and no other source of credentials is given.',
      'For GitHub OIDC, set `role-to-assume` and `oidc-provider-arn`; otherwise give `access-key-id`/`access-key-secret`, `ecs-ram-role` or `credentials-uri`.',
    );
  }
  if (canRequestIdToken(job)) {
    throw new InputError(
      'oidc-provider-arn',
      'is missing: `role-to-assume` alone cannot say how to reach the role.',
      'For GitHub OIDC, add oidc-provider-arn: acs:ram::<account-id>:oidc-provider/<name>. For a key-based source, add `access-key-id`/`access-key-secret`, `ecs-ram-role`, `credentials-uri` or `role-chaining: true`.',
    );
  }
  throw new InputError(
    'role-to-assume',
    'is given without a source of credentials, and this job cannot request a GitHub OIDC token.',
    `For OIDC, add to the job (or workflow):\n${PERMISSIONS_BLOCK}\nand set \`oidc-provider-arn\`. Otherwise give \`access-key-id\`/\`access-key-secret\`, \`ecs-ram-role\`, \`credentials-uri\` or \`role-chaining: true\`.`,
  );
}

function canRequestIdToken(job: JobContext): boolean {
  return job.idTokenRequest.url && job.idTokenRequest.token;
}
