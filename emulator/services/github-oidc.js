// @ts-check
// GitHub's OIDC side: the token endpoint a job asks (ACTIONS_ID_TOKEN_REQUEST_URL with its bearer token), the
// issuer's JWKS and OpenID discovery document, and the tokens themselves (mintToken, claims, minting delay).
import crypto from 'node:crypto';
import http from 'node:http';
import { DEFAULT_CLIENT_ID, GITHUB_ISSUER } from '../core/state.js';
import { b64url, checkDelay, randomAlnum, randomDigits } from '../core/util.js';

/** @typedef {import('../types.js').MintTokenOptions} MintTokenOptions */

export const GITHUB_TOKEN_PATH = '/_github/idtoken';
export const JWKS_PATH = '/oidc/.well-known/jwks';
const DISCOVERY_PATHS = ['/.well-known/openid-configuration', '/oidc/.well-known/openid-configuration'];

/** @param {Record<string, unknown>} base @param {Record<string, unknown> | undefined} over null or undefined removes a claim */
function mergeClaims(base, over) {
  const out = { ...base };
  for (const [k, v] of Object.entries(over ?? {})) {
    if (v === null || v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** @type {import('../core/types.js').ServiceFactory} */
export function githubOidc(core) {
  const { state, plumbing } = core;
  const { sendJson } = plumbing;
  const oidcRequestToken = randomAlnum(48);
  state.secrets.add(oidcRequestToken);
  const repoIds = { owner: randomDigits(8), repo: randomDigits(9), actor: randomDigits(8) };
  /** @type {Record<string, unknown>} */ let tokenClaimOverrides = {};
  let tokenDelayMs = checkDelay(core.opts.tokenDelayMs, 'tokenDelayMs');
  /** @type {crypto.KeyObject | undefined} */ let unknownKey;

  function defaultClaims() {
    const sha = crypto.randomBytes(20).toString('hex');
    return {
      sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      ref: 'refs/heads/main',
      sha,
      repository: 'octo-org/octo-repo',
      repository_owner: 'octo-org',
      repository_owner_id: repoIds.owner,
      repository_id: repoIds.repo,
      repository_visibility: 'private',
      run_id: '9876543210',
      run_number: '42',
      run_attempt: '1',
      actor: 'octocat',
      actor_id: repoIds.actor,
      workflow: 'CI',
      workflow_ref: 'octo-org/octo-repo/.github/workflows/ci.yml@refs/heads/main',
      workflow_sha: sha,
      job_workflow_ref: 'octo-org/octo-repo/.github/workflows/ci.yml@refs/heads/main',
      job_workflow_sha: sha,
      head_ref: '',
      base_ref: '',
      event_name: 'push',
      ref_type: 'branch',
      ref_protected: 'false',
      runner_environment: 'github-hosted',
      iss: GITHUB_ISSUER,
    };
  }

  /** @param {MintTokenOptions} [o] */
  function mintToken(o = {}) {
    const { signingKey, kid } = state.issuer;
    const iat = Math.floor(Date.now() / 1000);
    // At least 2 s: a token cut to the whole second could otherwise be expired on arrival at small time scales.
    const lifetime = o.expiresInSeconds ?? Math.max(2, Math.round(300 * state.timeScale));
    const claims = mergeClaims(mergeClaims(defaultClaims(), tokenClaimOverrides), {
      jti: crypto.randomUUID(),
      aud: o.audience ?? DEFAULT_CLIENT_ID,
      nbf: iat,
      iat,
      exp: iat + Math.round(lifetime),
      ...(o.claims ?? {}),
    });
    const header = mergeClaims({ alg: 'RS256', typ: 'JWT', kid }, o.header);
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    let key = signingKey.privateKey;
    if (o.signWithUnknownKey) {
      unknownKey ??= crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      key = unknownKey;
    }
    const jwt = `${input}.${crypto.sign('sha256', Buffer.from(input), key).toString('base64url')}`;
    state.secrets.add(jwt);
    return jwt;
  }

  /** @param {import('../core/types.js').Ctx} ctx */
  function handleToken(ctx) {
    ctx.record.target = 'oidc-token';
    const audience = ctx.url.searchParams.get('audience') ?? undefined;
    ctx.record.params = audience === undefined ? {} : { audience };
    if (plumbing.applyFault(ctx, plumbing.takeFault('oidc-token'), faultAnswers)) return;
    if (ctx.req.method !== 'GET') return sendJson(ctx, 405, { message: 'Method Not Allowed' }, {}, 'method');
    if (ctx.req.headers.authorization !== `Bearer ${oidcRequestToken}`) {
      return sendJson(ctx, 401, { message: 'Unauthorized: invalid ACTIONS_ID_TOKEN_REQUEST_TOKEN' }, {}, 'unauthorized');
    }
    const owner = String(mergeClaims(defaultClaims(), tokenClaimOverrides).repository_owner ?? 'octo-org');
    const answer = () => sendJson(ctx, 200, { value: mintToken({ audience: audience ?? `https://github.com/${owner}` }) });
    if (tokenDelayMs === 0) return answer();
    // Minting takes a while at GitHub: the answer (and its record's time) comes tokenDelayMs later.
    const t = setTimeout(() => {
      forget();
      if (!ctx.res.destroyed) answer();
    }, tokenDelayMs);
    const forget = plumbing.keepTimer(t);
  }

  /** @param {import('../core/types.js').Ctx} ctx */
  function handleDiscovery(ctx) {
    ctx.record.target = 'oidc-discovery';
    if (ctx.url.pathname === JWKS_PATH) {
      const { signingKey, kid } = state.issuer;
      return sendJson(ctx, 200, { keys: [{ ...signingKey.publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }] });
    }
    sendJson(ctx, 200, {
      issuer: GITHUB_ISSUER,
      jwks_uri: `${core.baseUrl()}${JWKS_PATH}`,
      subject_types_supported: ['public', 'pairwise'],
      response_types_supported: ['id_token'],
      claims_supported: [
        'sub',
        'aud',
        'exp',
        'iat',
        'iss',
        'jti',
        'nbf',
        'ref',
        'repository',
        'repository_id',
        'repository_owner',
        'run_id',
        'actor',
        'event_name',
        'job_workflow_ref',
      ],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid'],
    });
  }

  /** @type {import('../core/types.js').FaultAnswers} */
  const faultAnswers = {
    ...plumbing.jsonFaultAnswers(() => JSON.stringify({ value: 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ0cnVuY2F0ZWQifQ.truncated' })),
    throttle: (ctx, headers) => sendJson(ctx, 429, { message: 'Too Many Requests' }, headers, 'throttle'),
    status: (ctx, status) => sendJson(ctx, status, { message: http.STATUS_CODES[status] ?? 'error' }, {}, `http${status}`),
  };

  return {
    name: 'github-oidc',
    match: (ctx) => [GITHUB_TOKEN_PATH, JWKS_PATH, ...DISCOVERY_PATHS].includes(ctx.url.pathname),
    handle: (ctx) => (ctx.url.pathname === GITHUB_TOKEN_PATH ? handleToken(ctx) : handleDiscovery(ctx)),
    faultTargets: ['oidc-token'],
    /** The job's side of the token endpoint, for info(). */
    info: () => ({ oidcRequestUrl: `${core.baseUrl()}${GITHUB_TOKEN_PATH}?api-version=2.0`, oidcRequestToken, jwksUrl: `${core.baseUrl()}${JWKS_PATH}` }),
    admin: {
      async setTokenClaims(/** @type {Record<string, unknown>} */ claims) {
        // null values are kept here so that they remove the default claim when tokens are minted.
        tokenClaimOverrides = { ...tokenClaimOverrides, ...(claims ?? {}) };
      },
      async setTokenDelay(/** @type {number} */ ms) {
        tokenDelayMs = checkDelay(ms, 'setTokenDelay(ms)');
      },
      async mintToken(/** @type {MintTokenOptions | undefined} */ o) {
        return mintToken(o);
      },
    },
    setup: [['tokenClaims', 'setTokenClaims', 'once']],
  };
}
