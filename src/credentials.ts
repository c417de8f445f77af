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

/** Credentials as a server, a file or the environment hand them over, before any check. */
export interface RawCredentials {
  readonly accessKeyId?: unknown;
  readonly accessKeySecret?: unknown;
  readonly securityToken?: unknown;
  readonly expiration?: unknown;
}

// What real keys look like, loosely: enough to refuse an object, an empty string, a ':' (which would make the
// runner mask every colon of the log), white space or a NUL byte, which would break the file commands.
const KEY_ID = /^[A-Za-z0-9.]{8,128}$/;
/** An AccessKey ID's shape (LTAI…, STS.…): also what the `access-key-id` input is checked against. */
export const isAccessKeyId = (value: string): boolean => KEY_ID.test(value);
const SECRET = /^[\x21-\x7E]{8,256}$/;
const TOKEN = /^[\x21-\x7E]{16,16384}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
/** Credentials that expire sooner than this are refused: no consumer could use them, and renewing them would spin. */
export const MIN_VALIDITY_MS = 60_000;

/**
 * Checks credentials from anywhere but the action's inputs: what is wrong with them (never quoting a value), or the
 * credentials. STS sessions need a token and an expiration; permanent keys have neither.
 */
export function parseCredentials(
  raw: RawCredentials,
  session: boolean,
  now = Date.now(),
): { readonly credentials: Credentials; readonly problem?: undefined } | { readonly problem: string } {
  const { accessKeyId, accessKeySecret, securityToken, expiration } = raw;
  const missing = [
    ['AccessKeyId', accessKeyId],
    ['AccessKeySecret', accessKeySecret],
    ...(session ? [['SecurityToken', securityToken] as const, ['Expiration', expiration] as const] : []),
  ]
    .filter(([, value]) => value === undefined || value === null || value === '')
    .map(([name]) => name);
  if (missing.length > 0) return { problem: `lack ${missing.join(', ')}` };
  if (typeof accessKeyId !== 'string' || !KEY_ID.test(accessKeyId)) return { problem: 'have an AccessKeyId that is not 8-128 letters, digits or dots' };
  if (typeof accessKeySecret !== 'string' || !SECRET.test(accessKeySecret)) {
    return { problem: 'have an AccessKeySecret that is not 8-256 printable characters without spaces' };
  }
  if (securityToken !== undefined && securityToken !== null && securityToken !== '' && (typeof securityToken !== 'string' || !TOKEN.test(securityToken))) {
    return { problem: 'have a SecurityToken that is not 16-16384 printable characters without spaces' };
  }
  let expires: Date | undefined;
  if (expiration !== undefined && expiration !== null && expiration !== '') {
    // A real date too: Date would roll 2026-04-31 over to May 1.
    if (
      typeof expiration !== 'string' ||
      !ISO_UTC.test(expiration) ||
      Number.isNaN(Date.parse(expiration)) ||
      isoSeconds(new Date(expiration)) !== expiration.replace(/\.\d+Z$/, 'Z')
    ) {
      return { problem: 'have an Expiration that is not an ISO 8601 UTC time (2026-04-23T10:00:00Z)' };
    }
    expires = new Date(expiration);
    if (expires.getTime() <= now) return { problem: `expired at ${expiration}` };
    if (expires.getTime() - now < MIN_VALIDITY_MS) return { problem: `expire at ${expiration}, in less than a minute` };
  }
  return {
    credentials: {
      accessKeyId,
      accessKeySecret,
      securityToken: typeof securityToken === 'string' && securityToken ? securityToken : undefined,
      expiration: expires,
    },
  };
}

/**
 * The credentials an earlier step exported as ALIBABA_CLOUD_ACCESS_KEY_ID, _SECRET and _SECURITY_TOKEN (role chaining,
 * list-accounts): undefined when the ID or secret is absent, else parseCredentials' answer. Each caller words its error.
 */
export function credentialsInEnvironment(env: NodeJS.ProcessEnv): ReturnType<typeof parseCredentials> | undefined {
  const accessKeyId = env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const accessKeySecret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  if (!accessKeyId || !accessKeySecret) return undefined;
  return parseCredentials({ accessKeyId, accessKeySecret, securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN }, false);
}
