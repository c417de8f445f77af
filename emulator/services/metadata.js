// @ts-check
// The ECS instance metadata service: the RAM role credentials of /latest/meta-data/ram/security-credentials/,
// with IMDSv2 tokens (PUT /latest/api/token). Served on the main listener and, with metadataHost, on a listener
// of its own (e.g. 100.100.100.200:80 in a network namespace).
import crypto from 'node:crypto';
import http from 'node:http';
import { roleArn } from '../core/state.js';
import { b64url, isoSeconds, randomAlnum, requireDigits, requireName } from '../core/util.js';

/** @typedef {import('../core/types.js').Ctx} Ctx */
/** @typedef {import('../core/types.js').Role} Role */
/** @typedef {import('../core/types.js').Session} Session */
/** @typedef {import('../types.js').ImdsMode} ImdsMode */

const CREDENTIALS_PREFIX = '/latest/meta-data/ram/security-credentials/';
const TEXT = { 'content-type': 'text/plain' };

/** @type {import('../core/types.js').ServiceFactory} */
export function metadata(core) {
  const { state, plumbing } = core;
  const { send } = plumbing;
  /** @type {Map<string, {role: Role, durationSeconds: number, cached?: Session & {lastUpdated: number}}>} */
  const instanceRoles = new Map();
  /** @type {Map<string, number>} IMDSv2 token -> expiry */ const imdsTokens = new Map();
  /** @type {ImdsMode} */ let imdsMode = 'v2';

  /** @param {{role: Role, durationSeconds: number, cached?: Session & {lastUpdated: number}}} entry */
  function instanceSession(entry) {
    const now = Date.now();
    const c = entry.cached;
    // Like the real service, the same credentials are served until they get old, then rotated.
    if (c && now < c.lastUpdated + (c.expiresAt - c.lastUpdated) / 2) return c;
    const s = Object.assign(state.issueSession(entry.role, `i-${randomAlnum(20).toLowerCase()}`, entry.durationSeconds), { lastUpdated: now });
    entry.cached = s;
    return s;
  }

  /** @param {Ctx} ctx */
  function handle(ctx) {
    const { req, url } = ctx;
    ctx.record.target = 'metadata';
    const tokenHeader = req.headers['x-aliyun-ecs-metadata-token'];
    ctx.record.imdsToken = tokenHeader !== undefined;
    if (plumbing.applyFault(ctx, plumbing.takeFault('metadata'), faultAnswers)) return;
    if (url.pathname === '/latest/api/token') {
      if (req.method !== 'PUT') return send(ctx, 405, 'Method Not Allowed', TEXT, 'method');
      if (imdsMode === 'v1-only') return send(ctx, 404, 'Not Found', TEXT, 'not-found');
      const ttl = Number(req.headers['x-aliyun-ecs-metadata-token-ttl-seconds']);
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > 21600)
        return send(ctx, 400, 'Bad Request: X-aliyun-ecs-metadata-token-ttl-seconds must be 1-21600', TEXT, 'bad-ttl');
      const token = b64url(crypto.randomBytes(42));
      imdsTokens.set(token, Date.now() + ttl * state.timeScale * 1000);
      state.secrets.add(token);
      return send(ctx, 200, token, { ...TEXT, 'x-aliyun-ecs-metadata-token-ttl-seconds': String(ttl) });
    }
    if (req.method !== 'GET') return send(ctx, 405, 'Method Not Allowed', TEXT, 'method');
    if (imdsMode !== 'v1-only') {
      if (tokenHeader !== undefined) {
        const exp = imdsTokens.get(String(tokenHeader));
        if (exp === undefined || Date.now() >= exp) return send(ctx, 401, 'Unauthorized', TEXT, 'bad-token');
      } else if (imdsMode === 'v2-required') {
        return send(ctx, 403, 'Forbidden', TEXT, 'token-required');
      }
    }
    if (url.pathname === CREDENTIALS_PREFIX || url.pathname === CREDENTIALS_PREFIX.slice(0, -1)) {
      if (instanceRoles.size === 0) return send(ctx, 404, 'Not Found', TEXT, 'no-role');
      return send(ctx, 200, [...instanceRoles.keys()].join('\n'), TEXT);
    }
    if (url.pathname.startsWith(CREDENTIALS_PREFIX)) {
      const entry = instanceRoles.get(decodeURIComponent(url.pathname.slice(CREDENTIALS_PREFIX.length)));
      if (!entry) return send(ctx, 404, 'Not Found', TEXT, 'no-role');
      const s = instanceSession(entry);
      const body = {
        AccessKeyId: s.accessKeyId,
        AccessKeySecret: s.secret,
        Expiration: isoSeconds(s.expiresAt),
        SecurityToken: s.token,
        LastUpdated: isoSeconds(s.lastUpdated),
        Code: 'Success',
      };
      return send(ctx, 200, JSON.stringify(body, null, 2), TEXT);
    }
    send(ctx, 404, 'Not Found', TEXT, 'not-found');
  }

  /** @type {import('../core/types.js').FaultAnswers} */
  const faultAnswers = {
    ...plumbing.jsonFaultAnswers(() =>
      JSON.stringify({ Code: 'Success', AccessKeyId: 'STS.TRUNCATED', AccessKeySecret: 'TRUNCATED', SecurityToken: 'TRUNCATED' }),
    ),
    throttle: (ctx, headers) => send(ctx, 429, 'Too Many Requests', { ...TEXT, ...headers }, 'throttle'),
    status: (ctx, status) => send(ctx, status, http.STATUS_CODES[status] ?? 'error', TEXT, `http${status}`),
  };

  return {
    name: 'metadata',
    match: (ctx) => ctx.url.pathname === '/latest' || ctx.url.pathname.startsWith('/latest/'),
    handle,
    faultTargets: ['metadata'],
    admin: {
      async addInstanceRole(/** @type {import('../types.js').AddInstanceRoleOptions} */ o) {
        const accountId = requireDigits(o?.accountId, 'accountId');
        const name = requireName(o?.name, 'name');
        const role = state.ensureRole({ accountId, name }, { maxSessionDuration: 43200 });
        instanceRoles.set(name, { role, durationSeconds: o.durationSeconds ?? 21600 });
        return { arn: roleArn(accountId, role.name), roleId: role.roleId };
      },
      async setImds(/** @type {{ mode: ImdsMode }} */ o) {
        if (!['v2', 'v1-only', 'v2-required'].includes(o?.mode)) throw new Error("mode must be 'v2', 'v1-only' or 'v2-required'");
        imdsMode = o.mode;
      },
    },
    setup: [
      ['instanceRoles', 'addInstanceRole', 'each'],
      ['imds', 'setImds', 'once'],
    ],
  };
}
