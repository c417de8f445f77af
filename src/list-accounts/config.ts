// Reads and validates the inputs of list-accounts into one immutable ListConfig. Pure: every problem is an
// InputError that names the input and what to write instead, raised before any request.

import { isAccountId, parseRoleArn } from '../arn.js';
import { DEFAULT_RETRY_MAX_ATTEMPTS, type Endpoint, listOf, parseEndpoint, RETRY_ATTEMPTS, readStsEndpoint } from '../config.js';
import { InputError } from '../errors.js';
import { closestInput, type InputReader, readInteger } from '../inputs.js';
import { FOLDER_ID, RESOURCE_MANAGER_HOST } from '../resource-manager.js';

export interface ListConfig {
  readonly roleName: string;
  /** Folder IDs whose accounts are listed, subfolders included; empty: the whole directory. */
  readonly folders: readonly string[];
  readonly excludeAccounts: readonly string[];
  readonly statuses: readonly string[];
  readonly endpoint: Endpoint;
  /** STS, where GetCallerIdentity names the account whose credentials list the directory. */
  readonly stsEndpoint: Endpoint;
  readonly retryMaxAttempts: number;
}

/** Every input of list-accounts/action.yml; a unit test keeps the two equal. */
export const LIST_INPUTS: readonly string[] = [
  'role-name',
  'folders',
  'exclude-accounts',
  'statuses',
  'endpoint',
  'region',
  'use-vpc-endpoint',
  'sts-endpoint',
  'retry-max-attempts',
];

export const DEFAULT_ROLE_NAME = 'ResourceDirectoryAccountAccessRole';

/**
 * Every status of a member that ResourceManager documents (the Status field of CreateCloudAccount's answer in the API
 * reference of ResourceManager 2020-03-31; ListAccounts documents the seven of SCANNABLE_STATUSES), and whether an
 * account in it exists as a member that can be scanned. A cloud account whose creation waits for confirmation,
 * failed, expired or was cancelled does not exist yet; a removed one has left the directory and its access role no
 * longer trusts the management account. A resource account whose promotion to a cloud account is pending or was
 * abandoned is still the member it was.
 */
export const STATUSES: Readonly<Record<string, boolean>> = {
  CreateSuccess: true,
  InviteSuccess: true,
  PromoteSuccess: true,
  PromoteVerifying: true,
  PromoteFailed: true,
  PromoteExpired: true,
  PromoteCancelled: true,
  CreateVerifying: false,
  CreateFailed: false,
  CreateExpired: false,
  CreateCancelled: false,
  Removed: false,
};
export const SCANNABLE_STATUSES = Object.keys(STATUSES).filter((status) => STATUSES[status]);

export function readListConfig(input: InputReader): ListConfig {
  const { endpoint: stsEndpoint } = readStsEndpoint(input);
  return {
    roleName: readRoleName(input('role-name') || DEFAULT_ROLE_NAME),
    folders: unique(listOf(input('folders')).map(readFolderId)),
    excludeAccounts: unique(listOf(input('exclude-accounts')).map(readAccountId)),
    statuses: readStatuses(input('statuses')),
    endpoint: input('endpoint') ? parseEndpoint('endpoint', input('endpoint'), RESOURCE_MANAGER_HOST) : { host: RESOURCE_MANAGER_HOST, protocol: 'https' },
    stsEndpoint,
    retryMaxAttempts: readInteger(input, 'retry-max-attempts', DEFAULT_RETRY_MAX_ATTEMPTS, RETRY_ATTEMPTS),
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function readRoleName(value: string): string {
  // The same name grammar as role-to-assume's ARNs (arn.ts), without a path.
  if (!parseRoleArn(`acs:ram::1:role/${value}`) || value.includes('/')) {
    throw new InputError(
      'role-name',
      `"${value}" is not a RAM role name.`,
      `Write the name of the role each member account has, 1-64 letters, digits, ".", "-" or "_": ${DEFAULT_ROLE_NAME} (the default), or a read-only role of your own.`,
    );
  }
  return value;
}

function readFolderId(value: string): string {
  if (!FOLDER_ID.test(value)) {
    throw new InputError(
      'folders',
      `"${value}" is not a folder ID.`,
      'Write folder IDs as the Resource Directory console shows them (fd-…, or r-… for the root), separated by commas, blanks or new lines.',
    );
  }
  return value;
}

function readAccountId(value: string): string {
  if (!isAccountId(value)) {
    throw new InputError('exclude-accounts', `"${value}" is not an account ID.`, 'Write account IDs (digits only), separated by commas, blanks or new lines.');
  }
  return value;
}

function readStatuses(value: string): string[] {
  const statuses = unique(listOf(value));
  if (statuses.length === 0) return SCANNABLE_STATUSES;
  for (const status of statuses) {
    if (!(status in STATUSES)) {
      const names = Object.keys(STATUSES);
      const lower = closestInput(
        status,
        names.map((name) => name.toLowerCase()),
      );
      const meant = lower && names.find((name) => name.toLowerCase() === lower);
      throw new InputError(
        'statuses',
        `"${status}" is not a status of a Resource Directory member.`,
        `${meant ? `Did you mean ${meant}? ` : ''}The statuses are ${Object.keys(STATUSES).join(', ')}; the default keeps those that can be scanned.`,
      );
    }
  }
  return statuses;
}
