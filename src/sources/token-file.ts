// An OIDC token from a file that something else keeps fresh (ACK RRSA mounts one into the pod).

import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { optional } from '../inputs.js';
import { isJwt, MAX_JWT_BYTES } from '../jwt.js';
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

const READ_TIMEOUT_MS = 5_000;

/**
 * The token in the file. Only a regular file (a link to one is fine: Kubernetes mounts tokens through links) of at
 * most 64 KiB is read, opened without blocking so that a FIFO or a device cannot hang the step, and within a time
 * limit for file systems that stall.
 */
export async function readTokenFile(path: string): Promise<string> {
  const fail = (
    problem: string,
    hint = 'Give the path of the token file mounted on this runner, e.g. the value of ALIBABA_CLOUD_OIDC_TOKEN_FILE in an ACK RRSA pod.',
  ) => new InputError('oidc-token-file', `${path} ${problem}.`, hint);
  let file: FileHandle;
  try {
    file = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let text: string;
  try {
    const info = await file.stat();
    if (!info.isFile()) throw fail('is not a regular file');
    if (info.size > MAX_JWT_BYTES) throw fail(`is ${info.size} bytes, more than an OIDC token takes (${MAX_JWT_BYTES})`);
    const buffer = Buffer.alloc(MAX_JWT_BYTES + 1);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(fail(`could not be read within ${READ_TIMEOUT_MS} ms`)), READ_TIMEOUT_MS);
    });
    const { bytesRead } = await Promise.race([file.read(buffer, 0, buffer.length, 0), timeout]).finally(() => clearTimeout(timer));
    if (bytesRead > MAX_JWT_BYTES) throw fail(`holds more than an OIDC token takes (${MAX_JWT_BYTES} bytes)`);
    text = buffer.subarray(0, bytesRead).toString('utf8').trim();
  } finally {
    await file.close();
  }
  if (!isJwt(text)) throw fail('does not hold a JWT', 'The file must contain the OIDC token alone (three dot-separated base64url parts).');
  return text;
}
