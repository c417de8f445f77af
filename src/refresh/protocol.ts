// What the main step hands the refresh helper over its IPC channel, and what the helper answers.

import type { Env } from '../config.js';
import type { Plan } from '../plan.js';
import type { RetryPolicy } from '../retry.js';
import type { Timeouts } from '../sources/timeouts.js';
import type { StsSettings } from '../sts.js';

export const HELPER_FLAG = '--refresh-helper';

export interface HelperStart {
  readonly plan: Plan;
  readonly sts: StsSettings;
  readonly timeouts: Timeouts;
  readonly retry: RetryPolicy;
  /** Only what the sources read: the OIDC request URL and token, or an earlier step's keys. */
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

export interface SerializedCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
  readonly expiration?: string;
}

export type HelperReply = { readonly ready: true; readonly port: number } | { readonly ready: false; readonly error: string };
