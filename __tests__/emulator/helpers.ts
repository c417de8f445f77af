// What the emulator's tests share: the emulator as another process runs it, and the failure an SDK call throws.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EmulatorInfo, SetupFile, SetupResult } from '../../emulator/types.js';

const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../emulator/cli.js');

export interface CliEmulator {
  readonly child: ChildProcess;
  /** The line cli.js printed, parsed. */
  readonly started: EmulatorInfo & { readonly created: SetupResult };
}

/**
 * Starts `node emulator/cli.js --setup <file>` with `setup` written to the file, and reads the one JSON line it prints
 * once it listens (its URLs and what the setup created). The caller kills `child` when done.
 */
export async function startCliEmulator(setup: SetupFile, args: readonly string[] = []): Promise<CliEmulator> {
  const setupFile = path.join(mkdtempSync(path.join(tmpdir(), 'emulator-cli-')), 'setup.json');
  writeFileSync(setupFile, JSON.stringify(setup));
  const child = spawn(process.execPath, [CLI, '--setup', setupFile, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (c: Buffer) => {
        out += c.toString('utf8');
        if (out.includes('\n')) resolve(out.split('\n')[0]);
      });
      child.on('exit', (code) => reject(new Error(`cli.js exited ${code}`)));
    });
    return { child, started: JSON.parse(line) };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

/** What an SDK call throws: ClientError / ServerError / ThrottlingError (or a network / JSON error), read field by field. */
export async function failure(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
}
