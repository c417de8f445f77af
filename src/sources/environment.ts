// Role chaining: the credentials an earlier step exported (this action or another) are the source.

import type { Env } from '../config.js';
import type { Credentials } from '../credentials.js';
import { InputError } from '../errors.js';

export function credentialsFromEnvironment(env: Env): Credentials {
  const accessKeyId = env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const accessKeySecret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  if (!accessKeyId || !accessKeySecret) {
    throw new InputError(
      'role-chaining',
      'found no ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET in the environment.',
      'Run a step that exports credentials first (for example this action with the OIDC flow), then this one with `role-chaining: true`.',
    );
  }
  return { accessKeyId, accessKeySecret, securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN || undefined };
}
