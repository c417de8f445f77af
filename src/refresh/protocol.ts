// What the main step hands the refresh helper over its IPC channel, and what the helper answers.

import type { SerializedCredentials } from '../credentials.js';
import type { Env } from '../inputs.js';

export const HELPER_FLAG = '--refresh-helper';

export interface HelperStart {
  /** The inputs the main step read: the helper reads the same config and so makes the same plan. */
  readonly inputs: Readonly<Record<string, string>>;
  /** Only what config and source read: the default session name's variables, the OIDC request URL and token, … */
  readonly env: Env;
  /** The credentials the main step got, served until the first refresh. */
  readonly credentials: SerializedCredentials;
  /** URL path the helper answers on: '/' + 64 hex digits. */
  readonly path: string;
  /** The runner process; when it is gone, so is the job. */
  readonly watchPid: number;
  /** The helper exits at this time (ms since the epoch) at the latest. */
  readonly exitBy: number;
}

export type HelperReply = { readonly ready: true; readonly port: number } | { readonly ready: false; readonly error: string };
