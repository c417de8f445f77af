// Alibaba Cloud Resource Names (ARNs) as RAM and STS write them. Pure: no I/O.

const ACCOUNT = '(\\d{1,20})';
const ACCOUNT_ID = new RegExp(`^${ACCOUNT}$`);
// RAM allows role and IdP names of 1-64 letters, digits, '.', '-' and '_'; a role may sit under a path.
const NAME = '([A-Za-z0-9._-]{1,64})';

const ROLE_ARN = new RegExp(`^acs:ram::${ACCOUNT}:role/((?:[A-Za-z0-9._-]+/)*)${NAME}$`, 'i');
const OIDC_PROVIDER_ARN = new RegExp(`^acs:ram::${ACCOUNT}:oidc-provider/${NAME}$`, 'i');
// An assumed session reads `acs:ram::<account>:role/<role>/<session>` in AssumeRole answers and
// `acs:ram::<account>:assumed-role/<role>/<session>` in GetCallerIdentity; users read `:user/<name>`.
const ANY_RAM_ARN = new RegExp(`^acs:ram::${ACCOUNT}:`, 'i');
const SESSION = '[A-Za-z0-9.@_-]{1,64}';
const ASSUMED_ROLE_USER_ARN = new RegExp(`^acs:ram::${ACCOUNT}:role/(?:[A-Za-z0-9._-]+/)*[A-Za-z0-9._-]{1,64}/${SESSION}$`, 'i');
// GetCallerIdentity: a user, an assumed-role session, or the account itself (root).
const CALLER_ARN = new RegExp(
  `^acs:ram::${ACCOUNT}:(?:root|user/[A-Za-z0-9._@-]{1,128}|assumed-role/(?:[A-Za-z0-9._-]+/)*[A-Za-z0-9._-]{1,64}/${SESSION})$`,
  'i',
);

/** An Alibaba Cloud account ID as ARNs, inputs and answers carry it: digits only. */
export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

export interface RoleArn {
  readonly arn: string;
  readonly accountId: string;
  readonly roleName: string;
}

export function parseRoleArn(value: string): RoleArn | undefined {
  const match = ROLE_ARN.exec(value);
  if (!match) return undefined;
  return { arn: value, accountId: match[1], roleName: match[3] };
}

export function parseOidcProviderArn(value: string): { arn: string; accountId: string } | undefined {
  const match = OIDC_PROVIDER_ARN.exec(value);
  return match ? { arn: value, accountId: match[1] } : undefined;
}

/** The account ID of any RAM ARN (role, assumed role, user, IdP), or undefined if it is not one. */
export function accountIdOf(arn: string): string | undefined {
  return ANY_RAM_ARN.exec(arn)?.[1];
}

/** AssumedRoleUser.Arn of an AssumeRole(WithOIDC) answer: `acs:ram::<account>:role/<role>/<session>`. */
export function isAssumedRoleUserArn(value: string): boolean {
  return ASSUMED_ROLE_USER_ARN.test(value);
}

/** The Arn of a GetCallerIdentity answer. */
export function isCallerArn(value: string): boolean {
  return CALLER_ARN.test(value);
}

/** `acs:ram::<account>:role/<role>/<session>` (AssumeRole's form) → the `assumed-role` form users see elsewhere. */
export function assumedRoleArn(assumedRoleUserArn: string): string {
  return assumedRoleUserArn.replace(/^(acs:ram::\d+:)role\//i, '$1assumed-role/');
}
