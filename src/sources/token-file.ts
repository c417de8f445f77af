// An OIDC token from a file that something else keeps fresh (ACK RRSA mounts one into the pod).

import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { optional } from '../inputs.js';
import { defineSource } from './source.js';

export const tokenFile = defineSource<{ path: string }>({
  gives: 'oidc-token',
  selectedBy: 'oidc-token-file',
  inputs: ['oidc-token-file'],
  read: (input) => optional(input('oidc-token-file'), (path) => ({ path })),
  describe: ({ path }) => `OIDC token file ${path}`,
  // Read again for every attempt: the file's owner replaces the token before it expires.
  obtain: ({ path }) => readTokenFile(path),
});

export async function readTokenFile(path: string): Promise<string> {
  let token: string;
  try {
    token = (await readFile(path, 'utf8')).trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new InputError(
      'oidc-token-file',
      `cannot read ${path} (${code}).`,
      'Give the path of the token file mounted on this runner, e.g. the value of ALIBABA_CLOUD_OIDC_TOKEN_FILE in an ACK RRSA pod.',
    );
  }
  if (token.split('.').length !== 3) {
    throw new InputError('oidc-token-file', `${path} does not hold a JWT.`, 'The file must contain the OIDC token alone (three dot-separated parts).');
  }
  return token;
}
