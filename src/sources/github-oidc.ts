// GitHub's OIDC token for this job, from the endpoint the runner exposes with `permissions: id-token: write`.

import { ActionError } from '../errors.js';
import { jsonObject, request, statusError } from '../http.js';
import type { Timeouts } from './timeouts.js';

export interface GithubTokenEndpoint {
  readonly url: string; // ACTIONS_ID_TOKEN_REQUEST_URL
  readonly bearer: string; // ACTIONS_ID_TOKEN_REQUEST_TOKEN
}

const SERVICE = "GitHub's OIDC token endpoint";

export async function fetchGithubToken(endpoint: GithubTokenEndpoint, audience: string, timeouts: Timeouts): Promise<string> {
  // The runner's URL already carries a query (api-version), so the audience is appended with '&'.
  const separator = endpoint.url.includes('?') ? '&' : '?';
  const res = await request({
    url: `${endpoint.url}${separator}audience=${encodeURIComponent(audience)}`,
    headers: { authorization: `Bearer ${endpoint.bearer}`, accept: 'application/json' },
    service: SERVICE,
    ...timeouts,
  });
  if (res.status !== 200) {
    throw statusError(
      res,
      SERVICE,
      'GitHub did not issue an OIDC token. Check that the job has `permissions: id-token: write`; a retry follows for server errors.',
    );
  }
  const value = jsonObject(res, SERVICE).value;
  if (typeof value !== 'string' || value.split('.').length !== 3) {
    throw new ActionError('server', `${SERVICE} answered without a token.`, 'Try again; if it persists, check https://www.githubstatus.com.');
  }
  return value;
}
