// `allowed-account-ids`: the account of `role-to-assume` is checked before any request, the account of the final
// credentials once they are known. Pure: no I/O.

import type { RoleArn } from './arn.js';
import type { Identity } from './credentials.js';
import { ActionError, InputError } from './errors.js';

export function checkRoleAccount(role: RoleArn | undefined, allowed: readonly string[]): void {
  if (role && allowed.length > 0 && !allowed.includes(role.accountId)) {
    throw new InputError(
      'allowed-account-ids',
      `does not include ${role.accountId}, the account of \`role-to-assume\`.`,
      'Add that account ID, or assume a role in one of the allowed accounts.',
    );
  }
}

export function checkCredentialsAccount(identity: Identity | undefined, allowed: readonly string[]): void {
  const accountId = identity?.accountId;
  if (allowed.length > 0 && (!accountId || !allowed.includes(accountId))) {
    throw new ActionError(
      'permission',
      `The credentials belong to account ${accountId ?? '(unknown)'}, which is not in \`allowed-account-ids\`.`,
      'Check that the source and `role-to-assume` point at the intended account, or add it to `allowed-account-ids`.',
    );
  }
}
