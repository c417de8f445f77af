// Reading URLs the same way everywhere: inputs, proxy variables, and the secrets to mask. A leaf: it imports nothing
// of ours, so that any module (redact.ts, which errors.ts imports, among them) can use it without an import cycle.
// Pure: no I/O.

/** Whether a value is written as `scheme://…`. A key or a host with a colon in it is not. */
export function hasScheme(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
}

/** The URL, or undefined if it is none; `schemeIfNone` is put in front of a value written without a scheme. */
export function parseUrl(value: string, schemeIfNone?: string): URL | undefined {
  try {
    return new URL(schemeIfNone && !hasScheme(value) ? `${schemeIfNone}://${value}` : value);
  } catch {
    return undefined;
  }
}

/** Percent-decoded, as a URL's user, password and path are written; a lone '%' is taken as it is. */
export function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The secrets a URL's user information carries, as written and percent-decoded (the runner masks text as it is
 * printed, and either form may be printed): its password; with no password, its user name, which is then the secret
 * (`https://<token>@host/`, as with many brokers and Git hosts). None without user information.
 */
export function userInfoSecrets(url: URL): string[] {
  const secret = url.password || url.username;
  return secret ? [secret, decoded(secret)] : [];
}

/** An HTTP Basic `authorization` value for a URL's user and password, percent-decoded as they are written in it. */
export function basicAuthorization(url: URL): string {
  return `Basic ${Buffer.from(`${decoded(url.username)}:${decoded(url.password)}`, 'utf8').toString('base64')}`;
}
