// AccessKeys given as inputs: permanent keys, or the three values of an STS session.

import { isAccessKeyId } from '../credentials.js';
import { InputError } from '../errors.js';
import type { InputReader } from '../inputs.js';
import { defineSource } from './source.js';

interface AccessKey {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
}

export const accessKey = defineSource<AccessKey>({
  gives: 'credentials',
  selectedBy: 'access-key-id',
  inputs: ['access-key-id', 'access-key-secret', 'security-token'],
  secretInputs: ['access-key-id', 'access-key-secret', 'security-token'],
  read: readAccessKey,
  describe: (key) => (key.securityToken ? 'STS credentials (inputs)' : 'AccessKey (inputs)'),
  // Static keys are exported as they are only once STS has shown that they work and whose they are.
  verifyUnassumed: true,
  // The same keys again: nothing to renew unless a role is assumed with them.
  renews: () => false,
  obtain: async (key) => key,
});

function readAccessKey(input: InputReader): AccessKey | undefined {
  const accessKeyId = input('access-key-id');
  const accessKeySecret = input('access-key-secret');
  const securityToken = input('security-token');
  if (!accessKeyId && !accessKeySecret) {
    if (securityToken)
      throw new InputError(
        'security-token',
        'needs `access-key-id` and `access-key-secret`.',
        'Pass all three values of the STS session, or remove `security-token`.',
      );
    return undefined;
  }
  if (!accessKeyId)
    throw new InputError(
      'access-key-id',
      'is missing while `access-key-secret` is set.',
      'Pass both, e.g. access-key-id: ${{ secrets.ALIBABA_CLOUD_ACCESS_KEY_ID }}.',
    );
  if (!accessKeySecret)
    throw new InputError(
      'access-key-secret',
      'is missing while `access-key-id` is set.',
      'Pass both, e.g. access-key-secret: ${{ secrets.ALIBABA_CLOUD_ACCESS_KEY_SECRET }}.',
    );
  if (!isAccessKeyId(accessKeyId)) {
    throw new InputError(
      'access-key-id',
      'does not look like an AccessKey ID.',
      'Pass the AccessKey ID (LTAI… or STS.…), not the secret or an ARN; check the secret you reference.',
    );
  }
  if (/\s/.test(accessKeySecret))
    throw new InputError('access-key-secret', 'contains white space.', 'Check the secret you reference: paste the AccessKey secret alone.');
  if (accessKeyId.startsWith('STS.') && !securityToken) {
    throw new InputError('security-token', 'is required with STS AccessKeys (STS.…).', 'Pass the security token of the same STS session as `security-token`.');
  }
  return { accessKeyId, accessKeySecret, securityToken: securityToken || undefined };
}
