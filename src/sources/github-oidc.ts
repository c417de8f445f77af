// GitHub's OIDC token for this job, from the endpoint the runner exposes with `permissions: id-token: write`.
// The OIDC flow's token when no other source of a token is given.

import { ActionError, InputError } from '../errors.js';
import { jsonObject, request, statusError, type Timeouts } from '../http.js';
import type { InputReader } from '../inputs.js';
import { isJwt } from '../jwt.js';
import { bindToken, type ChosenTokenSource, type TokenSource } from './source.js';

export const DEFAULT_AUDIENCE = 'sts.aliyuncs.com';
export const PERMISSIONS_BLOCK = 'permissions:\n  id-token: write\n  contents: read';
const SERVICE = "GitHub's OIDC token endpoint";

export const githubOidc: TokenSource<{ audience: string }> = {
  gives: 'oidc-token',
  selectedBy: 'oidc-provider-arn',
  inputs: ['audience'],
  variables: { ACTIONS_ID_TOKEN_REQUEST_URL: 'plain', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'secret' },
  read: readAudience,
  check(_settings, _config, job) {
    const missing = [job.idTokenRequest.url ? '' : 'ACTIONS_ID_TOKEN_REQUEST_URL', job.idTokenRequest.token ? '' : 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'].filter(
      Boolean,
    );
    if (missing.length === 0) return;
    throw new ActionError(
      'permission',
      `This job cannot request a GitHub OIDC token: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set.`,
      `Add to the job (or workflow):\n${PERMISSIONS_BLOCK}\nPull requests from forks never get an OIDC token; use \`oidc-token-file\` or a key-based source there.`,
    );
  },
  describe: ({ audience }) => `GitHub OIDC (audience ${audience})`,
  obtain: ({ audience }, ctx) =>
    fetchGithubToken({ url: ctx.env.ACTIONS_ID_TOKEN_REQUEST_URL ?? '', bearer: ctx.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN ?? '' }, audience, ctx.timeouts),
};

/** The OIDC flow's token when no other source of a token is selected; its input has a default, so it always reads. */
export function chooseGithubToken(input: InputReader): ChosenTokenSource {
  return bindToken(githubOidc, readAudience(input));
}

function readAudience(input: InputReader): { audience: string } {
  const audience = input('audience') || DEFAULT_AUDIENCE;
  if (/\s/.test(audience))
    throw new InputError('audience', 'must not contain white space.', 'Use one Client ID of the RAM OIDC identity provider, e.g. sts.aliyuncs.com.');
  return { audience };
}

export interface GithubTokenEndpoint {
  readonly url: string; // ACTIONS_ID_TOKEN_REQUEST_URL
  readonly bearer: string; // ACTIONS_ID_TOKEN_REQUEST_TOKEN
}

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
  if (typeof value !== 'string' || !isJwt(value)) {
    throw new ActionError('server', `${SERVICE} answered without a token.`, 'Try again; if it persists, check https://www.githubstatus.com.');
  }
  return value;
}
