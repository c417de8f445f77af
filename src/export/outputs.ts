// The step's outputs. The credential outputs only with `output-credentials`; their values are masked by then.

import * as core from '@actions/core';
import { isoSeconds, type Credentials, type Identity } from '../credentials.js';

export interface OutputValues {
  readonly credentials: Credentials;
  readonly identity?: Identity;
  readonly roleSessionName?: string;
  readonly includeCredentials: boolean;
}

export function setOutputs({ credentials, identity, roleSessionName, includeCredentials }: OutputValues): void {
  if (identity) core.setOutput('account-id', identity.accountId);
  if (identity && roleSessionName) core.setOutput('assumed-role-arn', identity.arn);
  if (roleSessionName) core.setOutput('role-session-name', roleSessionName);
  if (credentials.expiration) core.setOutput('expiration', isoSeconds(credentials.expiration));
  if (includeCredentials) {
    core.setOutput('aliyun-access-key-id', credentials.accessKeyId);
    core.setOutput('aliyun-access-key-secret', credentials.accessKeySecret);
    if (credentials.securityToken) core.setOutput('aliyun-security-token', credentials.securityToken);
  }
}
