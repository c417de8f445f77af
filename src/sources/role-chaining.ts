// Role chaining: the credentials an earlier step exported (this action or another) sign AssumeRole.

import { credentialsInEnvironment } from '../credentials.js';
import { InputError } from '../errors.js';
import { readBoolean } from '../inputs.js';
import { defineSource } from './source.js';

export const roleChaining = defineSource<true>({
  gives: 'credentials',
  selectedBy: 'role-chaining',
  inputs: ['role-chaining'],
  variables: { ALIBABA_CLOUD_ACCESS_KEY_ID: 'secret', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret', ALIBABA_CLOUD_SECURITY_TOKEN: 'secret' },
  read: (input) => (readBoolean(input, 'role-chaining', false) ? true : undefined),
  check(_settings, config) {
    if (!config.role) {
      throw new InputError(
        'role-chaining',
        'needs `role-to-assume`: role chaining assumes a role with the credentials of an earlier step.',
        'Add role-to-assume: acs:ram::<account-id>:role/<name>.',
      );
    }
  },
  describe: () => 'the ALIBABA_CLOUD_* credentials of an earlier step',
  verifyUnassumed: true,
  renews: () => false,
  async obtain(_settings, { env }) {
    const parsed = credentialsInEnvironment(env);
    if (!parsed) {
      throw new InputError(
        'role-chaining',
        'found no ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET in the environment.',
        'Run a step that exports credentials first (for example this action with the OIDC flow), then this one with `role-chaining: true`.',
      );
    }
    if (parsed.problem !== undefined) {
      throw new InputError(
        'role-chaining',
        `found ALIBABA_CLOUD_* credentials in the environment that ${parsed.problem}.`,
        'Check the step that exported them: it must export the AccessKey ID, secret and (for STS) the security token as they are.',
      );
    }
    return parsed.credentials;
  },
});
