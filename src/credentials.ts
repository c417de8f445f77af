// What every source and every STS call produces, how its values are checked wherever they come from, and its
// one serialised form (the refresh helper's IPC channel). Pure: no I/O.

export interface Credentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** Present for STS credentials; permanent AccessKeys have none. */
  readonly securityToken?: string;
  /** When STS credentials stop working; permanent AccessKeys have none. */
  readonly expiration?: Date;
}

/** Who the final credentials belong to. */
export interface Identity {
  readonly accountId: string;
  /** The caller's ARN: `acs:ram::<account>:assumed-role/<role>/<session>` for an assumed role. */
  readonly arn: string;
}

/** Credentials as they travel between processes (JSON). */
export interface SerializedCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
  readonly expiration?: string;
}

export function secretsOf(credentials: Credentials): string[] {
  return [credentials.accessKeyId, credentials.accessKeySecret, credentials.securityToken].filter((value): value is string => Boolean(value));
}

/** ISO 8601 UTC to the second, as STS writes it: 2026-04-23T10:00:00Z. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function serializeCredentials(credentials: Credentials): SerializedCredentials {
  return { ...credentials, expiration: credentials.expiration?.toISOString() };
}

export function deserializeCredentials(credentials: SerializedCredentials): Credentials {
  return { ...credentials, expiration: credentials.expiration ? new Date(credentials.expiration) : undefined };
}
