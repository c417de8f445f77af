// A credential broker: GET the URI, which answers STS credentials as JSON (Prowler's --credentials-uri shape).

import type { Credentials } from '../credentials.js';
import { jsonObject, request, statusError } from '../http.js';
import { credentialsFromJson } from './sts-json.js';
import type { Timeouts } from './timeouts.js';

const SERVICE = 'The credentials URI';
const HINT = 'Check `credentials-uri` and the broker behind it.';

export async function fetchFromCredentialsUri(uri: string, timeouts: Timeouts): Promise<Credentials> {
  const res = await request({ url: uri, headers: { accept: 'application/json' }, service: SERVICE, ...timeouts });
  if (res.status !== 200) throw statusError(res, SERVICE, HINT);
  return credentialsFromJson(jsonObject(res, SERVICE), SERVICE, HINT);
}
