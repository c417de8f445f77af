// A credential broker: GET the URI, which answers STS credentials as JSON (Prowler's --credentials-uri shape).

import type { Credentials } from '../credentials.js';
import { InputError } from '../errors.js';
import { jsonObject, request, statusError, type Timeouts } from '../http.js';
import { isLoopback, isPrivateIp, optional } from '../inputs.js';
import { hasScheme, parseUrl } from '../url.js';
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

export async function fetchFromCredentialsUri(uri: string, timeouts: Timeouts): Promise<Credentials> {
  const res = await request({ url: uri, headers: { accept: 'application/json' }, service: SERVICE, ...timeouts });
  if (res.status !== 200) throw statusError(res, SERVICE, HINT);
  return credentialsFromJson(jsonObject(res, SERVICE), SERVICE, HINT);
}
