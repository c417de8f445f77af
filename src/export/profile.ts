// The aliyun CLI profile: `~/.aliyun/config.json` of the current HOME, read by the aliyun CLI (and, when selected, by
// Terraform and the SDKs' CLI-profile provider). The file may hold the profiles of a self-hosted runner and be shared
// by parallel jobs, so every change is a read-modify-write under an exclusive lock, written to a temporary file and
// renamed into place; links are never followed; the file is 0600 in a 0700 directory. The profile carries a random
// marker that the post step must find before it removes anything.

import { randomBytes } from 'node:crypto';
import { closeSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Credentials } from '../credentials.js';
import { ActionError } from '../errors.js';

/** What the post step needs to find and remove the profile (the path is always that of the current HOME). */
export interface ProfileState {
  readonly name: string;
  readonly marker: string;
  readonly createdFile: boolean;
  readonly createdDir: boolean;
}

/** What the profile holds: the credentials themselves, or (with `refresh-credentials`) the URI that serves them. */
export type ProfileCredentials = { readonly credentials: Credentials } | { readonly credentialsUri: string };

interface CliConfig {
  current?: string;
  profiles: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

const LOCK_TIMEOUT_MS = 10_000;
// A read-modify-write takes milliseconds: a lock this old was left by a job that died holding it.
const STALE_LOCK_MS = 60_000;
// The marker is kept in a field the CLI knows (so that the CLI keeps it when it rewrites the file) and that neither
// an StsToken nor a CredentialsURI profile uses.
const MARKER_FIELD = 'ram_session_name';
const MARKER_PREFIX = 'configure-alibabacloud-credentials.';

/**
 * `.aliyun/config.json` in the home directory as the aliyun CLI finds it (config/configuration.go, GetHomePath):
 * HOME; on Windows HOMEDRIVE + HOMEPATH, else USERPROFILE. Node's own idea of home when those are unset.
 */
export function profilePath(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const home = process.platform === 'win32' ? (env.HOMEDRIVE && env.HOMEPATH ? `${env.HOMEDRIVE}${env.HOMEPATH}` : env.USERPROFILE) : env.HOME;
  return join(home || homedir(), '.aliyun', 'config.json');
}

/** The CLI's profile mode for what the profile holds. */
export function profileMode(holds: ProfileCredentials): 'CredentialsURI' | 'StsToken' | 'AK' {
  if ('credentialsUri' in holds) return 'CredentialsURI';
  return holds.credentials.securityToken ? 'StsToken' : 'AK';
}

export async function writeProfile(path: string, name: string, holds: ProfileCredentials, region: string | undefined): Promise<ProfileState> {
  const dir = dirname(path);
  const createdDir = !exists(dir);
  if (createdDir) mkdirSync(dir, { recursive: true, mode: 0o700 });
  refuseSymlink(dir);
  const marker = `${MARKER_PREFIX}${randomBytes(12).toString('hex')}`;
  return withLock(path, () => {
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
    const fields =
      'credentialsUri' in holds
        ? { credentials_uri: holds.credentialsUri }
        : {
            access_key_id: holds.credentials.accessKeyId,
            access_key_secret: holds.credentials.accessKeySecret,
            sts_token: holds.credentials.securityToken ?? '',
          };
    config.profiles.push({
      name,
      mode: profileMode(holds),
      ...fields,
      // The aliyun CLI refuses a profile without a region.
      region_id: region ?? 'cn-hangzhou',
      output_format: 'json',
      language: 'en',
      [MARKER_FIELD]: marker,
    });
    writeAtomically(path, config);
    return { name, marker, createdFile, createdDir };
  });
}

/**
 * Removes the profile that `state` names from `path`, only if it carries the marker; removes the file (and its
 * directory) too when the action created them and nothing else is left.
 */
export async function removeProfile(path: string, state: ProfileState): Promise<string> {
  if (!exists(path)) return `${path} is already gone.`;
  refuseSymlink(path);
  const outcome = await withLock(path, () => {
    const config = readConfig(path);
    const ours = (profile: Record<string, unknown>) => profile.name === state.name && profile[MARKER_FIELD] === state.marker;
    const left = config.profiles.filter((profile) => !ours(profile));
    if (left.length === config.profiles.length) return 'not ours';
    if (left.length === 0 && state.createdFile) {
      rmSync(path);
      return 'file removed';
    }
    config.profiles = left;
    if (config.current === state.name) config.current = String(left[0]?.name ?? '');
    writeAtomically(path, config);
    return 'profile removed';
  });
  switch (outcome) {
    case 'not ours':
      return `${path} holds no profile ${state.name} written by this job; nothing removed.`;
    case 'profile removed':
      return `Removed profile ${state.name} from ${path}.`;
    case 'file removed':
      // Once the lock is gone too: the directory goes only if nothing else was put there since.
      if (state.createdDir) {
        try {
          rmdirSync(dirname(path));
        } catch {
          // not empty: leave it
        }
      }
      return `Removed ${path}, which the action had created.`;
  }
}

/** Checks the post step's state: a forged one must not steer what it removes. */
export function isProfileState(value: unknown): value is ProfileState {
  const state = value as Partial<ProfileState> | null;
  return (
    typeof state === 'object' &&
    state !== null &&
    typeof state.name === 'string' &&
    typeof state.marker === 'string' &&
    state.marker.startsWith(MARKER_PREFIX) &&
    typeof state.createdFile === 'boolean' &&
    typeof state.createdDir === 'boolean'
  );
}

async function withLock<T>(path: string, change: () => T): Promise<T> {
  const lock = `${path}.lock`;
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const age = lockAge(lock);
    if (age !== undefined && age > STALE_LOCK_MS) {
      rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new ActionError(
        'input',
        `Input aliyun-profile: another job has held the lock on ${path} (${lock}) for ${Math.round((age ?? 0) / 1000)} s.`,
        'Jobs that share this HOME take turns; if no other job is running, remove the lock file.',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 40));
  }
  try {
    return change();
  } finally {
    rmSync(lock, { force: true });
  }
}

function lockAge(lock: string): number | undefined {
  try {
    return Date.now() - statSync(lock).mtimeMs;
  } catch {
    return undefined; // released in between: try again
  }
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
  const config = parsed as Partial<CliConfig> | null;
  if (typeof config !== 'object' || config === null || Array.isArray(config) || (config.profiles !== undefined && !Array.isArray(config.profiles))) {
    throw new ActionError(
      'input',
      `Input aliyun-profile: ${path} is not an aliyun CLI configuration (an object with a "profiles" array); it was left as it is.`,
      'Fix or remove that file, or do not set `aliyun-profile`.',
    );
  }
  return { ...config, profiles: config.profiles ?? [] } as CliConfig;
}

function writeAtomically(path: string, config: CliConfig): void {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    // 'wx': never write through a file someone else put there.
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
