// The JSON shape in which the metadata service and credentials URIs hand out STS credentials.

import type { Credentials } from '../credentials.js';
import { ActionError } from '../errors.js';

export function credentialsFromJson(body: Record<string, unknown>, service: string, hint: string): Credentials {
  const { Code, AccessKeyId, AccessKeySecret, SecurityToken, Expiration } = body;
  if (Code !== undefined && Code !== 'Success') {
    throw new ActionError('credentials', `${service} answered Code ${JSON.stringify(Code)} instead of "Success".`, hint);
  }
  const expiration = typeof Expiration === 'string' ? new Date(Expiration) : undefined;
  const missing = [
    typeof AccessKeyId === 'string' && AccessKeyId ? '' : 'AccessKeyId',
    typeof AccessKeySecret === 'string' && AccessKeySecret ? '' : 'AccessKeySecret',
    typeof SecurityToken === 'string' && SecurityToken ? '' : 'SecurityToken',
    expiration && !Number.isNaN(expiration.getTime()) ? '' : 'Expiration',
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new ActionError(
      'credentials',
      `${service} answered without ${missing.join(', ')}.`,
      `${hint} The answer must be JSON with Code "Success", AccessKeyId, AccessKeySecret, SecurityToken and Expiration (ISO 8601).`,
    );
  }
  if (expiration && expiration.getTime() <= Date.now()) {
    throw new ActionError('credentials', `${service} handed out credentials that expired at ${Expiration as string}.`, hint);
  }
  return { accessKeyId: AccessKeyId as string, accessKeySecret: AccessKeySecret as string, securityToken: SecurityToken as string, expiration };
}
