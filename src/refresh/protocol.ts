// What the main step hands the refresh helper over its IPC channel, and what the helper answers.

import type { SerializedCredentials } from '../credentials.js';
import type { Env } from '../inputs.js';

export const HELPER_FLAG = '--refresh-helper';
/** The header of the post step's stop request; its value is the stop token. */
export const STOP_HEADER = 'x-refresh-helper-stop';

export interface HelperStart {
  /** The inputs the main step read: the helper reads the same config and so makes the same plan. */
  readonly inputs: Readonly<Record<string, string>>;
  /** Only what config and source read: the default session name's variables, the OIDC request URL and token, … */
  readonly env: Env;
  /** The credentials the main step got, served until the first refresh. */
  readonly credentials: SerializedCredentials;
  /** URL path the helper answers on: '/' + 64 hex digits. */
  readonly path: string;
  /** The post step's proof that it may stop the helper (a DELETE of the path with this in STOP_HEADER). */
  readonly stopToken: string;
  /** The runner process; when it is gone, so is the job. */
  readonly watchPid: number;
  /** The helper exits at this time (ms since the epoch) at the latest. */
  readonly exitBy: number;
}

export type HelperReply = { readonly ready: true; readonly port: number } | { readonly ready: false; readonly error: string };

/** The helper's log: in RUNNER_TEMP, or without it in a fresh private directory of the system's with this prefix. */
export const LOG_DIR_PREFIX = 'alibabacloud-credentials-';
export const LOG_FILE_NAME = /^alibabacloud-credentials-refresh-[0-9a-f]{16}\.log$/;

/** What the main step leaves the post step (core.saveState) to stop the helper and show its log. */
export interface HelperState {
  readonly pid: number;
  readonly url: string;
  readonly stopToken: string;
  readonly logFile: string;
}

/** Checks the post step's state: a forged one must not steer what the post step does. */
export function isHelperState(value: unknown): value is HelperState {
  const state = value as Partial<HelperState> | null;
  return (
    typeof state === 'object' &&
    state !== null &&
    Number.isInteger(state.pid) &&
    typeof state.url === 'string' &&
    /^http:\/\/127\.0\.0\.1:\d{1,5}\/[0-9a-f]{64}$/.test(state.url) &&
    typeof state.stopToken === 'string' &&
    /^[0-9a-f]{64}$/.test(state.stopToken) &&
    typeof state.logFile === 'string'
  );
}
