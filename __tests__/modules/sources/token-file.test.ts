// src/sources/token-file.ts: selection, and what readTokenFile reads and refuses, on real files of a temporary folder.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../../../emulator/server.js';
import type { Emulator } from '../../../emulator/types.js';
import { InputError } from '../../../src/errors.js';
import { readTokenFile, tokenFile } from '../../../src/sources/token-file.js';
import { actionError, inputs, sourceContext, tempDir } from '../helpers.js';

let em: Emulator;
let dir: string;
beforeAll(async () => {
  em = await startEmulator();
  dir = tempDir('token-file');
});
afterAll(async () => {
  await em.close();
  rmSync(dir, { recursive: true, force: true });
});

async function refusal(path: string): Promise<InputError> {
  const error = await actionError(readTokenFile(path));
  expect(error).toBeInstanceOf(InputError);
  expect((error as InputError).input).toBe('oidc-token-file');
  return error as InputError;
}

describe('select', () => {
  it('is selected by oidc-token-file only', () => {
    expect(tokenFile.select(inputs())).toBeUndefined();
    const chosen = tokenFile.select(inputs({ 'oidc-token-file': '/var/run/token' }));
    expect(chosen).toMatchObject({ gives: 'oidc-token', input: 'oidc-token-file', description: 'OIDC token file /var/run/token' });
  });
});

describe('obtain / readTokenFile', () => {
  it('reads the token (without its line break) again on every call', async () => {
    const path = join(dir, 'token');
    const chosen = tokenFile.select(inputs({ 'oidc-token-file': path }));
    if (chosen?.gives !== 'oidc-token') throw new Error('expected a token source');
    const first = await em.mintToken();
    writeFileSync(path, `${first}\n`);
    expect(await chosen.obtain(sourceContext())).toBe(first);
    const second = await em.mintToken({ claims: { sub: 'repo:octo-org/octo-repo:ref:refs/heads/next' } });
    writeFileSync(path, second);
    expect(await chosen.obtain(sourceContext())).toBe(second);
  });

  it('follows a link to a regular file (Kubernetes mounts tokens through links)', async () => {
    const target = join(dir, 'linked-target');
    writeFileSync(target, await em.mintToken());
    symlinkSync(target, join(dir, 'link'));
    expect(await readTokenFile(join(dir, 'link'))).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  // A FIFO without a writer would block an open() for reading: refused without waiting (a hang would end in the
  // test's timeout). Windows has no mkfifo.
  (process.platform === 'win32' ? it.skip : it)('refuses a FIFO instead of waiting for a writer', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const error = await refusal(fifo);
    expect(error.message).toBe(`Input oidc-token-file: ${fifo} is not a regular file.`);
  });

  it('refuses a directory', async () => {
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    expect((await refusal(folder)).message).toBe(`Input oidc-token-file: ${folder} is not a regular file.`);
  });

  it('refuses a file larger than 64 KiB by its size, without reading it (a sparse 1 GiB file)', async () => {
    const big = join(dir, 'big');
    writeFileSync(big, '');
    truncateSync(big, 1 << 30);
    expect((await refusal(big)).message).toBe(`Input oidc-token-file: ${big} is 1073741824 bytes, more than an OIDC token takes (65536).`);
  });

  it('refuses a missing file with its error code', async () => {
    const missing = join(dir, 'missing');
    expect((await refusal(missing)).message).toBe(`Input oidc-token-file: ${missing} cannot be read (ENOENT).`);
  });

  it('refuses a file that holds no JWT, without quoting it', async () => {
    const path = join(dir, 'not-a-jwt');
    writeFileSync(path, 'AKIA-some-secret-that-is-no-jwt\n');
    const error = await refusal(path);
    expect(error.message).toBe(`Input oidc-token-file: ${path} does not hold a JWT.`);
    expect(`${error.message} ${error.hint}`).not.toContain('some-secret');
  });
});
