// The aliyun CLI profile: `~/.aliyun/config.json`, read by the aliyun CLI, Terraform and the SDKs' CLI-profile
// provider. Written with care because it may hold other profiles of a self-hosted runner: merged, never
// followed through a symlink, 0600 in a 0700 directory, replaced atomically. The post step removes our profile.

import { lstatSync, mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Credentials } from '../credentials.js';
import { ActionError } from '../errors.js';

export interface ProfileState {
  readonly path: string;
  readonly name: string;
  readonly createdFile: boolean;
  readonly createdDir: boolean;
}

interface CliConfig {
  current?: string;
  profiles: Array<Record<string, unknown> & { name?: unknown }>;
  [key: string]: unknown;
}

export function profilePath(home: string): string {
  return join(home, '.aliyun', 'config.json');
}

export function writeProfile(path: string, name: string, credentials: Credentials, region: string | undefined): ProfileState {
  const dir = dirname(path);
  const createdDir = !exists(dir);
  if (createdDir) mkdirSync(dir, { recursive: true, mode: 0o700 });
  refuseSymlink(dir);
  const createdFile = !exists(path);
  if (!createdFile) refuseSymlink(path);
  const config: CliConfig = createdFile ? { current: name, profiles: [], meta_path: '' } : readConfig(path);
  if (config.profiles.some((profile) => profile.name === name)) {
    throw new ActionError(
      'input',
      `Input aliyun-profile: ${path} already has a profile named ${name}.`,
      "Choose a profile name that is not in use; the post step removes the profile again, so it must be the action's own.",
    );
  }
  config.profiles.push({
    name,
    mode: credentials.securityToken ? 'StsToken' : 'AK',
    access_key_id: credentials.accessKeyId,
    access_key_secret: credentials.accessKeySecret,
    sts_token: credentials.securityToken ?? '',
    // The aliyun CLI refuses a profile without a region.
    region_id: region ?? 'cn-hangzhou',
    output_format: 'json',
    language: 'en',
  });
  writeAtomically(path, config);
  return { path, name, createdFile, createdDir };
}

/** Removes our profile; removes the file (and directory) too when the action created them and nothing else is left. */
export function removeProfile(state: ProfileState): string {
  if (!exists(state.path)) return `${state.path} is already gone.`;
  refuseSymlink(state.path);
  const config = readConfig(state.path);
  const before = config.profiles.length;
  config.profiles = config.profiles.filter((profile) => profile.name !== state.name);
  if (config.profiles.length === 0 && state.createdFile) {
    rmSync(state.path);
    if (state.createdDir) {
      try {
        rmdirSync(dirname(state.path));
      } catch {
        // something else was put there since: leave it
      }
    }
    return `Removed ${state.path}, which the action had created.`;
  }
  if (config.current === state.name) config.current = String(config.profiles[0]?.name ?? '');
  writeAtomically(state.path, config);
  return before === config.profiles.length ? `Profile ${state.name} was not in ${state.path}.` : `Removed profile ${state.name} from ${state.path}.`;
}

function readConfig(path: string): CliConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ActionError(
      'input',
      `Input aliyun-profile: cannot read ${path} (${code}).`,
      'Make the file readable by the runner user, or do not set `aliyun-profile`.',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ActionError(
      'input',
      `Input aliyun-profile: ${path} is not valid JSON (${(error as Error).message}).`,
      'Fix or remove that file, or do not set `aliyun-profile`.',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ActionError(
      'input',
      `Input aliyun-profile: ${path} is not an aliyun CLI configuration.`,
      'Fix or remove that file, or do not set `aliyun-profile`.',
    );
  }
  const config = parsed as CliConfig;
  if (!Array.isArray(config.profiles)) config.profiles = [];
  return config;
}

function writeAtomically(path: string, config: CliConfig): void {
  const temporary = `${path}.${process.pid}.tmp`;
  // A copy left by a crashed earlier run holds credentials too; 'wx' below refuses to write through it.
  rmSync(temporary, { force: true });
  try {
    writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function refuseSymlink(path: string): void {
  if (lstatSync(path).isSymbolicLink()) {
    throw new ActionError(
      'input',
      `Input aliyun-profile: ${path} is a symbolic link; the action does not write through links.`,
      'Replace the link with a real file or directory, or do not set `aliyun-profile`.',
    );
  }
}
