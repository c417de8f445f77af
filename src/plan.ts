// Config + the sources' inputs -> Plan: which source gives the first credentials (or an OIDC token), and which STS
// call, if any, turns them into the final ones. Performs no I/O: the sources' obtain() runs later, in flow.ts.

import type { Config, Endpoint } from './config.js';
import { InputError } from './errors.js';
import type { InputReader } from './inputs.js';
import { PERMISSIONS_BLOCK } from './sources/github-oidc.js';
import { chooseDefaultToken, SOURCES } from './sources/index.js';
import type { ChosenCredentialSource, ChosenSource, ChosenTokenSource, JobContext } from './sources/source.js';

export interface RoleSession {
  readonly roleArn: string;
  readonly sessionName: string;
  readonly durationSeconds: number;
  readonly policy?: string;
}

/** AssumeRole, signed by the source's credentials. */
export interface AssumeRoleParams extends RoleSession {
  readonly externalId?: string;
  /** Who started the chain of roles, recorded by STS and ActionTrail on this session and every one assumed from it. */
  readonly sourceIdentity?: string;
}

/** AssumeRoleWithOIDC, with the source's token. */
export interface OidcRoleParams extends RoleSession {
  readonly oidcProviderArn: string;
}

export type Plan =
  | { readonly kind: 'oidc'; readonly source: ChosenTokenSource; readonly role: OidcRoleParams }
  | { readonly kind: 'assume'; readonly source: ChosenCredentialSource; readonly role: AssumeRoleParams }
  /** The source's credentials as they are; `verify`: prove them (and learn the account) with GetCallerIdentity. */
  | { readonly kind: 'as-is'; readonly source: ChosenCredentialSource; readonly verify: boolean };

export function makePlan(config: Config, input: InputReader, job: JobContext): Plan {
  const plan = choosePlan(config, input, job);
  plan.source.check(config, job);
  if (config.refreshCredentials && plan.kind === 'as-is' && !plan.source.renews) {
    throw new InputError(
      'refresh-credentials',
      'has nothing to refresh: AccessKeys without `role-to-assume` do not expire or cannot be renewed.',
      'Add `role-to-assume`, or remove `refresh-credentials`.',
    );
  }
  return plan;
}

function choosePlan(config: Config, input: InputReader, job: JobContext): Plan {
  // The GitHub token's inputs are read (and checked) in every flow, so that a bad one never goes unnoticed.
  const defaultToken = chooseDefaultToken(input);
  const selected = SOURCES.map((source) => source.select(input)).filter((source): source is ChosenSource => source !== undefined);
  const tokens = selected.filter((source): source is ChosenTokenSource => source.gives === 'oidc-token');
  const credentials = selected.filter((source): source is ChosenCredentialSource => source.gives === 'credentials');

  if (tokens.length > 0 && !config.oidcProviderArn) {
    throw new InputError(
      tokens[0].input,
      'needs `oidc-provider-arn` and `role-to-assume`.',
      'Add the ARN of the RAM OIDC identity provider that issued the token, and the role to assume.',
    );
  }
  const given = [...(config.oidcProviderArn ? [{ input: 'oidc-provider-arn' }] : []), ...tokens.slice(1), ...credentials];
  if (given.length > 1) {
    const [first, second] = given.map(({ input }) => `\`${input}\``);
    throw new InputError(
      given[1].input,
      `conflicts with ${first}: the action takes its credentials from exactly one source.`,
      `Remove ${first} or ${second}. To go from one set of credentials to another role, use a second step with \`role-chaining: true\`.`,
    );
  }

  const { role } = config;
  const session = role && { roleArn: role.arn, sessionName: config.roleSessionName, durationSeconds: config.durationSeconds, policy: config.sessionPolicy };
  if (config.oidcProviderArn && session) {
    return { kind: 'oidc', source: tokens[0] ?? defaultToken, role: { ...session, oidcProviderArn: config.oidcProviderArn } };
  }
  const [source] = credentials;
  if (source && session) return { kind: 'assume', source, role: { ...session, externalId: config.externalId, sourceIdentity: config.sourceIdentity } };
  if (source) return { kind: 'as-is', source, verify: source.verifyUnassumed || config.allowedAccountIds.length > 0 };
  throw missingSource(config, job);
}

/** No source given: say what to add, depending on whether this job could use GitHub's OIDC token. */
function missingSource(config: Config, job: JobContext): InputError {
  if (!config.role) {
    return new InputError(
      'role-to-assume',
      'is missing, and no other source of credentials is given.',
      'For GitHub OIDC, set `role-to-assume` and `oidc-provider-arn`; otherwise give `access-key-id`/`access-key-secret`, `ecs-ram-role` or `credentials-uri`.',
    );
  }
  if (job.idTokenRequest.url && job.idTokenRequest.token) {
    return new InputError(
      'oidc-provider-arn',
      'is missing: `role-to-assume` alone cannot say how to reach the role.',
      'For GitHub OIDC, add oidc-provider-arn: acs:ram::<account-id>:oidc-provider/<name>. For a key-based source, add `access-key-id`/`access-key-secret`, `ecs-ram-role`, `credentials-uri` or `role-chaining: true`.',
    );
  }
  return new InputError(
    'role-to-assume',
    'is given without a source of credentials, and this job cannot request a GitHub OIDC token.',
    `For OIDC, add to the job (or workflow):\n${PERMISSIONS_BLOCK}\nand set \`oidc-provider-arn\`. Otherwise give \`access-key-id\`/\`access-key-secret\`, \`ecs-ram-role\`, \`credentials-uri\` or \`role-chaining: true\`.`,
  );
}

/** The first line of the step log: where the credentials come from and what is done with them. */
export function describePlan(plan: Plan, endpoint: Endpoint): string {
  const call =
    plan.kind === 'oidc'
      ? ` -> AssumeRoleWithOIDC ${plan.role.roleArn} as ${plan.role.sessionName}`
      : plan.kind === 'assume'
        ? ` -> AssumeRole ${plan.role.roleArn} as ${plan.role.sessionName}${plan.role.sourceIdentity ? ` for ${plan.role.sourceIdentity}` : ''}`
        : '';
  return `Credentials from ${plan.source.description}${call} (STS ${endpoint.protocol}://${endpoint.host}).`;
}
