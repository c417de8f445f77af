// The JSON shape in which the metadata service and credentials URIs hand out STS credentials:
// {"Code": "Success", "AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration": "2026-04-23T10:00:00Z"}.

import { type Credentials, parseCredentials } from '../credentials.js';
import { ActionError } from '../errors.js';

const SHAPE = 'The answer must be JSON with Code "Success", AccessKeyId, AccessKeySecret, SecurityToken and Expiration (UTC, to the second).';
// Alibaba's Python SDK (and so Prowler), the aliyun CLI and Terraform read this shape too; the first of them parses
// Expiration only without fractional seconds, so the action asks the same of what it reads (docs/CONSUMERS.md).
const EXPIRATION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

export function credentialsFromJson(body: Record<string, unknown>, service: string, hint: string): Credentials {
  const { Code, AccessKeyId, AccessKeySecret, SecurityToken, Expiration } = body;
  if (Code !== 'Success') {
    const code = typeof Code === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(Code) ? `Code ${Code}` : 'no Code "Success"';
    throw new ActionError('credentials', `${service} answered ${code}.`, `${hint} ${SHAPE}`);
  }
  if (typeof Expiration === 'string' && !EXPIRATION.test(Expiration)) {
    throw new ActionError('credentials', `${service} answered an Expiration that is not UTC to the second (2026-04-23T10:00:00Z).`, `${hint} ${SHAPE}`);
  }
  const parsed = parseCredentials({ accessKeyId: AccessKeyId, accessKeySecret: AccessKeySecret, securityToken: SecurityToken, expiration: Expiration }, true);
  if (parsed.problem !== undefined) throw new ActionError('credentials', `${service} answered credentials that ${parsed.problem}.`, `${hint} ${SHAPE}`);
  return parsed.credentials;
}
