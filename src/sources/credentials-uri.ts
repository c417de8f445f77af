// A credential broker: GET the URI, which answers STS credentials as JSON (Prowler's --credentials-uri shape).

import type { Credentials } from '../credentials.js';
import { ActionError, InputError } from '../errors.js';
import { type HttpResponse, jsonObject, request, statusError, type Timeouts } from '../http.js';
import { isLoopback, isPrivateIp, optional } from '../inputs.js';
import { basicAuthorization, hasScheme, parseUrl } from '../url.js';
import { defineSource } from './source.js';
import { credentialsFromJson } from './sts-json.js';

const SERVICE = 'The credentials URI';
const HINT = 'Check `credentials-uri` and the broker behind it.';

export const credentialsUri = defineSource<{ uri: string }>({
  gives: 'credentials',
  selectedBy: 'credentials-uri',
  inputs: ['credentials-uri'],
  // A broker's URI may carry a token in its path or query, or a password: masked (redact.ts secretValues) before
  // anything runs, and never quoted.
  secretInputs: ['credentials-uri'],
  read: (input) => optional(input('credentials-uri'), (value) => ({ uri: readCredentialsUri(value) })),
  describe: () => 'a credentials URI',
  verifyUnassumed: false,
  renews: () => true,
  obtain: ({ uri }, ctx) => ctx.retry('credentials URI', () => fetchFromCredentialsUri(uri, ctx.timeouts)),
});

/**
 * Plain http sends the credentials in the clear: only to this machine, or to a private address named as an IP.
 * Messages name the scheme or the host at most: the rest of the URI may be a secret.
 */
function readCredentialsUri(value: string): string {
  const url = parseUrl(value);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    const what = url && hasScheme(value) ? `is not an http(s) URL: its scheme is ${url.protocol.slice(0, -1)}.` : 'is not a URL.';
    throw new InputError('credentials-uri', what, 'Write a full URL, e.g. https://broker.internal.example.com/credentials.');
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && !isPrivateIp(url.hostname)) {
    throw new InputError(
      'credentials-uri',
      `plain http to ${url.hostname} would send credentials in the clear.`,
      'Use https, or a loopback address, or name a private address by its IP (10.x, 172.16-31.x, 192.168.x).',
    );
  }
  return url.href;
}

/**
 * GETs the URI. User information in it (`https://user:password@host/path`) goes as HTTP Basic auth, percent-decoded,
 * as Node's http.request(url), curl and Go's net/http send it: in the request's own headers, so inside the TLS tunnel
 * through a proxy (the CONNECT carries only the proxy's own credentials), and never in the URL sent.
 */
export async function fetchFromCredentialsUri(uri: string, timeouts: Timeouts): Promise<Credentials> {
  const url = new URL(uri);
  const basic = url.username || url.password ? basicAuthorization(url) : undefined;
  url.username = '';
  url.password = '';
  const headers = { accept: 'application/json', ...(basic ? { authorization: basic } : {}) };
  const res = await request({ url: url.href, headers, service: SERVICE, ...timeouts });
  if (res.status === 401 || res.status === 403) throw refused(res, basic !== undefined);
  if (res.status !== 200) throw statusError(res, SERVICE, HINT);
  return credentialsFromJson(jsonObject(res, SERVICE), SERVICE, HINT);
}

/** A 401 or 403: the broker wants (other) credentials; said naming the input, never quoting it. */
function refused(res: HttpResponse, sentBasic: boolean): ActionError {
  const error = statusError(res, SERVICE, HINT);
  const message = sentBasic
    ? `Input credentials-uri: the broker refused the user and password written in the URI (sent as HTTP Basic auth): it answered HTTP ${res.status}.`
    : `Input credentials-uri: the broker refused a request without credentials: it answered HTTP ${res.status}.`;
  const hint = sentBasic
    ? 'Check the user and password in `credentials-uri` (percent-encode any @, : or / in them), and that the broker accepts HTTP Basic auth.'
    : 'If the broker wants HTTP Basic auth, write its user and password into `credentials-uri` as https://user:password@host/path.';
  return new ActionError(error.kind, message, hint, { status: res.status });
}
