// @ts-check
// Loopback emulator of Alibaba Cloud STS 2015-04-01, GitHub's OIDC token endpoint, the ECS metadata
// service and a credentials URI. Plain JavaScript with Node built-ins only: the demo, the benchmark and
// the network-namespace tests run it with bare `node` (see cli.js).
import http from 'node:http';
import https from 'node:https';
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { codes } from './codes.js';

/** @typedef {import('./types.js').StartOptions} StartOptions */
/** @typedef {import('./types.js').Emulator} Emulator */
/** @typedef {import('./types.js').Fault} Fault */
/** @typedef {import('./types.js').FaultTarget} FaultTarget */
/** @typedef {import('./types.js').RequestRecord} RequestRecord */
/** @typedef {import('./types.js').AccessKey} AccessKey */
/** @typedef {import('./types.js').AddRoleOptions} AddRoleOptions */
/** @typedef {import('./types.js').MintTokenOptions} MintTokenOptions */
/** @typedef {import('./types.js').SetupFile} SetupFile */
/** @typedef {import('./types.js').SetupResult} SetupResult */
/** @typedef {import('./types.js').ImdsMode} ImdsMode */

/**
 * @typedef {{ kind: 'user' | 'root', accessKeyId: string, secret: string, accountId: string, name: string,
 *   userId: string, canAssumeRole: boolean, active: boolean }} PermanentKey
 * @typedef {{ accountId: string, name: string, roleId: string, maxSessionDuration: number,
 *   trustedAccounts: string[], externalId?: string, oidc?: import('./types.js').OidcTrust }} Role
 * @typedef {{ kind: 'session', accessKeyId: string, secret: string, token: string, accountId: string,
 *   roleName: string, roleId: string, sessionName: string, expiresAt: number }} Session
 * @typedef {PermanentKey | Session} Principal
 * @typedef {{ accountId: string, name: string, issuerUrl: string, clientIds: string[] }} OidcProvider
 * @typedef {{ status: number, code: string, message: string, extra?: Record<string, unknown> }} StsErrorShape
 * @typedef {{ req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: Buffer,
 *   record: Partial<RequestRecord> }} Ctx
 */

const STS_VERSION = '2015-04-01';
const STS_ACTIONS = new Set(['AssumeRole', 'AssumeRoleWithOIDC', 'GetCallerIdentity']);
const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
const DEFAULT_CLIENT_ID = 'sts.aliyuncs.com';
const GITHUB_TOKEN_PATH = '/_github/idtoken';
const JWKS_PATH = '/oidc/.well-known/jwks';
const ADMIN_PREFIX = '/__emulator/';
const CLOCK_SKEW_MS = 15 * 60 * 1000;
/** Self-signed test certificate (CA:TRUE) for 127.0.0.1, ::1, localhost and 100.100.100.200; trust it with NODE_EXTRA_CA_CERTS. */
export const tlsCertPath = fileURLToPath(new URL('./tls/cert.pem', import.meta.url));
const TLS_KEY_PATH = fileURLToPath(new URL('./tls/key.pem', import.meta.url));
const HTML_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n' +
  '<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n';

/** Thrown inside STS handlers; turned into Alibaba's JSON error body. */
class StsError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {Record<string, unknown>} [extra] more fields of the body (AccessDeniedDetail)
   */
  constructor(code, message, extra) {
    super(message);
    const status = codes.find((c) => c.code === code)?.status;
    // codes.js must list everything the emulator can say: the action's error module is checked against it.
    if (status === undefined) throw new Error(`emulator bug: ${code} is not in codes.js`);
    this.code = code;
    this.status = status;
    this.extra = extra;
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/** Alibaba's percent-encoding (RFC 3986): encodeURIComponent plus ! ' ( ) *. */
export function percentEncode(/** @type {string} */ s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** @param {number} ms */
function isoSeconds(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** @param {number} n */
function randomAlnum(n) {
  const bytes = crypto.randomBytes(n);
  let out = '';
  for (let i = 0; i < n; i++) out += ALNUM[bytes[i] % ALNUM.length];
  return out;
}
/** @param {number} n */
function randomDigits(n) {
  const bytes = crypto.randomBytes(n);
  let out = String(1 + (bytes[0] % 9));
  for (let i = 1; i < n; i++) out += String(bytes[i] % 10);
  return out;
}
function requestId() {
  return crypto.randomUUID().toUpperCase();
}
/** @param {Buffer | string} b */
function b64url(b) {
  return Buffer.from(b).toString('base64url');
}
/** @param {string} pattern StringLike pattern: * any run, ? one character */
function globToRegExp(pattern) {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 's');
}
/** @param {unknown} v @param {string} what */
function checkDelay(v, what) {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`${what} must be a number of milliseconds >= 0`);
  return v;
}
/** @param {unknown} v @param {string} what */
function requireDigits(v, what) {
  if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new Error(`${what} must be a string of digits`);
  return v;
}
/** @param {unknown} v @param {string} what */
function requireName(v, what) {
  if (typeof v !== 'string' || !/^[A-Za-z0-9._@-]{1,128}$/.test(v)) throw new Error(`${what} must be 1-128 of A-Za-z0-9._@-`);
  return v;
}

const ROLE_ARN = /^acs:ram::(\d+):role\/([^/\s]{1,64})$/i;
const PROVIDER_ARN = /^acs:ram::(\d+):oidc-provider\/([^/\s]{1,128})$/i;
const SESSION_NAME = /^[A-Za-z0-9.@_-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** @param {string} policy */
function policyGrammarOk(policy) {
  /** @param {unknown} v */
  const strings = (v) => typeof v === 'string' || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string'));
  let p;
  try {
    p = JSON.parse(policy);
  } catch {
    return false;
  }
  if (!p || typeof p !== 'object' || Array.isArray(p) || p.Version !== '1') return false;
  if (!Array.isArray(p.Statement) || p.Statement.length === 0) return false;
  return p.Statement.every(
    (/** @type {any} */ st) =>
      st &&
      typeof st === 'object' &&
      !Array.isArray(st) &&
      typeof st.Effect === 'string' &&
      /^(allow|deny)$/i.test(st.Effect) &&
      strings(st.Action ?? st.NotAction) &&
      strings(st.Resource ?? st.NotResource),
  );
}

// ---------------------------------------------------------------------------------------------

/**
 * Starts the emulator.
 * @param {StartOptions} [opts]
 * @returns {Promise<Emulator>}
 */
export async function startEmulator(opts = {}) {
  const host = opts.host ?? '127.0.0.1';
  const timeScale = opts.timeScale ?? 1;
  if (!(timeScale > 0)) throw new Error('timeScale must be > 0');

  // --- state ---
  /** @type {Map<string, PermanentKey>} */ const keys = new Map();
  /** @type {Map<string, Session>} */ const sessions = new Map();
  /** @type {Map<string, Session>} */ const sessionsByToken = new Map();
  /** @type {Map<string, Role>} lower-cased ARN -> role */ const roles = new Map();
  /** @type {Map<string, OidcProvider>} lower-cased ARN -> provider */ const providers = new Map();
  /** @type {Map<string, {role: Role, durationSeconds: number, cached?: Session & {lastUpdated: number}}>} */
  const instanceRoles = new Map();
  /** @type {Map<string, {role: Role, durationSeconds: number}>} path -> role */ const credentialsUris = new Map();
  /** @type {Map<string, number>} IMDSv2 token -> expiry */ const imdsTokens = new Map();
  /** @type {Map<string, number>} nonce -> time */ const nonces = new Map();
  /** @type {Map<string, Fault[]>} */ const faults = new Map();
  /** @type {RequestRecord[]} */ let log = [];
  /** @type {Set<string>} */ const secrets = new Set();
  /** @type {Set<NodeJS.Timeout>} */ const timers = new Set();
  /** @type {ImdsMode} */ let imdsMode = 'v2';
  /** @type {Record<string, unknown>} */ let tokenClaimOverrides = {};
  let tokenDelayMs = checkDelay(opts.tokenDelayMs ?? 0, 'tokenDelayMs');

  const oidcRequestToken = randomAlnum(48);
  secrets.add(oidcRequestToken);
  const signingKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = crypto
    .createHash('sha256')
    .update(signingKey.publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64url')
    .slice(0, 32);
  /** @type {crypto.KeyObject | undefined} */ let unknownKey;
  const repoIds = { owner: randomDigits(8), repo: randomDigits(9), actor: randomDigits(8) };

  // --- identities ---
  /** @param {string} accountId @param {string} name */
  const roleArn = (accountId, name) => `acs:ram::${accountId}:role/${name}`;

  /** @param {Role} role @param {string} sessionName @param {number} durationSeconds */
  function issueSession(role, sessionName, durationSeconds) {
    const expiresAt = Math.ceil((Date.now() + durationSeconds * timeScale * 1000) / 1000) * 1000;
    /** @type {Session} */
    const s = {
      kind: 'session',
      accessKeyId: `STS.${randomAlnum(25)}`,
      secret: randomAlnum(44),
      // Real tokens are long base64 (with + / =), which tests URL-encoding on the client side.
      token: `CAIS${crypto.randomBytes(400).toString('base64')}`,
      accountId: role.accountId,
      roleName: role.name,
      roleId: role.roleId,
      sessionName,
      expiresAt,
    };
    sessions.set(s.accessKeyId, s);
    sessionsByToken.set(s.token, s);
    secrets.add(s.secret);
    secrets.add(s.token);
    return s;
  }
  /** @param {Session} s */
  const credentialsOf = (s) => ({
    AccessKeyId: s.accessKeyId,
    AccessKeySecret: s.secret,
    SecurityToken: s.token,
    Expiration: isoSeconds(s.expiresAt),
  });
  /** @param {Session} s */
  const assumedRoleUser = (s) => ({
    Arn: `${roleArn(s.accountId, s.roleName)}/${s.sessionName}`,
    AssumedRoleId: `${s.roleId}:${s.sessionName}`,
  });

  /** @param {{accountId: string, name: string}} o @param {Partial<Role>} [defaults] */
  function ensureRole(o, defaults = {}) {
    const arn = roleArn(o.accountId, o.name).toLowerCase();
    let role = roles.get(arn);
    if (!role) {
      role = { accountId: o.accountId, name: o.name, roleId: randomDigits(17), maxSessionDuration: 43200, trustedAccounts: [o.accountId], ...defaults };
      roles.set(arn, role);
    }
    return role;
  }

  // --- OIDC tokens ---
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
  /** @param {Record<string, unknown>} base @param {Record<string, unknown> | undefined} over */
  function mergeClaims(base, over) {
    const out = { ...base };
    for (const [k, v] of Object.entries(over ?? {})) {
      if (v === null || v === undefined) delete out[k];
      else out[k] = v;
    }
    return out;
  }
  /** @param {MintTokenOptions} [o] */
  function mintToken(o = {}) {
    const iat = Math.floor(Date.now() / 1000);
    // At least 2 s: a token cut to the whole second could otherwise be expired on arrival at small time scales.
    const lifetime = o.expiresInSeconds ?? Math.max(2, Math.round(300 * timeScale));
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
    secrets.add(jwt);
    return jwt;
  }
  function jwks() {
    return { keys: [{ ...signingKey.publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }] };
  }

  /** @type {Map<string, Array<() => void>>} one-shot callbacks of onceRequested(), run when such a request arrives */
  const arrivalHooks = new Map();

  // --- flow control: STS admits so many requests a second per account, and answers Throttling.User above that ---
  // Two ways of counting, since STS does not document which it uses: a token bucket that refused requests do
  // not drain (the default), or, with countRefused, a sliding one-second window that counts every request, so
  // clients that retry too eagerly keep each other out.
  /** @type {{ perSecond: number, countRefused: boolean } | null} */
  let flowControl = null;
  /** @type {Map<string, { tokens: number, at: number }>} */
  const buckets = new Map();
  /** @type {Map<string, number[]>} arrival times within the last second, per account (countRefused) */
  const windows = new Map();
  /** @param {string} accountId */
  function admit(accountId) {
    if (!flowControl) return;
    const now = Date.now();
    if (flowControl.countRefused) {
      const recent = (windows.get(accountId) ?? []).filter((t) => t > now - 1000);
      recent.push(now);
      windows.set(accountId, recent);
      if (recent.length > flowControl.perSecond) throw new StsError('Throttling.User', 'Request was denied due to user flow control.');
      return;
    }
    const bucket = buckets.get(accountId) ?? { tokens: flowControl.perSecond, at: now };
    bucket.tokens = Math.min(flowControl.perSecond, bucket.tokens + ((now - bucket.at) / 1000) * flowControl.perSecond);
    bucket.at = now;
    buckets.set(accountId, bucket);
    if (bucket.tokens < 1) throw new StsError('Throttling.User', 'Request was denied due to user flow control.');
    bucket.tokens -= 1;
  }

  // --- faults and the request log ---
  /** @param {string} target */
  function takeFault(target) {
    for (const t of target === 'AssumeRole' || target === 'AssumeRoleWithOIDC' || target === 'GetCallerIdentity' ? [target, 'sts'] : [target]) {
      const q = faults.get(t);
      if (q?.length) return q.shift();
    }
    return undefined;
  }
  /** @param {Ctx} ctx @param {number} status @param {string} [code] */
  function record(ctx, status, code) {
    /** @type {RequestRecord} */
    const r = { target: 'unknown', method: ctx.req.method ?? 'GET', path: ctx.url.pathname, ...ctx.record, status, time: Date.now() };
    if (code) r.code = code;
    log.push(r);
  }
  /**
   * @param {Ctx} ctx @param {number} status @param {string | Buffer} body
   * @param {Record<string, string | number>} [headers] @param {string} [code]
   */
  function send(ctx, status, body, headers = {}, code) {
    record(ctx, status, code);
    const buf = Buffer.from(body);
    ctx.res.writeHead(status, { 'content-length': buf.length, ...headers });
    ctx.res.end(buf);
  }
  /** @param {Ctx} ctx @param {number} status @param {unknown} obj @param {Record<string, string>} [headers] @param {string} [code] */
  function sendJson(ctx, status, obj, headers = {}, code) {
    send(ctx, status, JSON.stringify(obj), { 'content-type': 'application/json;charset=utf-8', ...headers }, code);
  }
  /**
   * @param {Ctx} ctx @param {string} code @param {string} message @param {number} status
   * @param {Record<string, unknown>} [extra] @param {Record<string, string>} [headers]
   */
  function sendStsError(ctx, code, message, status, extra, headers = {}) {
    const id = requestId();
    sendJson(
      ctx,
      status,
      {
        RequestId: id,
        HostId: 'sts.aliyuncs.com',
        Code: code,
        Message: message,
        Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=Sts&requestId=${id}`,
        ...(extra ?? {}),
      },
      { 'x-acs-request-id': id, ...headers },
      code,
    );
  }

  /**
   * Applies a fault to a request of a target. Returns true when the fault answered (or swallowed) it.
   * @param {Ctx} ctx @param {'sts' | 'oidc-token' | 'metadata' | 'credentials-uri'} family @param {Fault | undefined} fault
   */
  function applyFault(ctx, family, fault) {
    if (!fault) return false;
    ctx.record.fault = fault.kind;
    const { req } = ctx;
    switch (fault.kind) {
      case 'reset': {
        record(ctx, 0, 'ECONNRESET');
        const sock = req.socket;
        if (typeof sock.resetAndDestroy === 'function') sock.resetAndDestroy();
        else sock.destroy();
        return true;
      }
      case 'stall': {
        record(ctx, 0, 'stall');
        req.socket.setTimeout(0);
        const t = setTimeout(
          () => {
            timers.delete(t);
            req.socket.destroy();
          },
          Math.max(0, fault.ms ?? 60000),
        );
        t.unref();
        timers.add(t);
        return true;
      }
      case 'html502':
        send(ctx, 502, HTML_502, { 'content-type': 'text/html' }, 'html502');
        return true;
      case 'truncated': {
        const full =
          family === 'oidc-token'
            ? JSON.stringify({ value: 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ0cnVuY2F0ZWQifQ.truncated' })
            : family === 'sts'
              ? JSON.stringify({
                  RequestId: requestId(),
                  AssumedRoleUser: { Arn: 'acs:ram::0:role/truncated/truncated' },
                  Credentials: { AccessKeyId: 'STS.TRUNCATED', AccessKeySecret: 'TRUNCATED' },
                })
              : JSON.stringify({ Code: 'Success', AccessKeyId: 'STS.TRUNCATED', AccessKeySecret: 'TRUNCATED', SecurityToken: 'TRUNCATED' });
        send(ctx, 200, full.slice(0, Math.floor(full.length / 2)), { 'content-type': 'application/json;charset=utf-8' }, 'truncated');
        return true;
      }
      case 'throttle': {
        /** @type {Record<string, string>} */
        const headers =
          fault.retryAfterSeconds !== undefined
            ? { 'retry-after': String(fault.retryAfterSeconds), 'x-acs-retry-after': String(fault.retryAfterSeconds * 1000) }
            : {};
        if (family === 'sts') sendStsError(ctx, 'Throttling.User', 'Request was denied due to user flow control.', 400, undefined, headers);
        else if (family === 'oidc-token') sendJson(ctx, 429, { message: 'Too Many Requests' }, headers, 'throttle');
        else if (family === 'metadata') send(ctx, 429, 'Too Many Requests', { 'content-type': 'text/plain', ...headers }, 'throttle');
        else sendJson(ctx, 429, { Code: 'Throttling.User', Message: 'Request was denied due to user flow control.' }, headers, 'Throttling.User');
        return true;
      }
      case 'status': {
        const status = fault.status ?? 500;
        const code = status === 500 ? 'InternalError' : 'ServiceUnavailable';
        const message =
          status === 500
            ? 'The request processing has failed due to some unknown error, exception or failure.'
            : 'The request has failed due to a temporary failure of the server.';
        if (family === 'sts') sendStsError(ctx, code, message, status);
        else if (family === 'oidc-token') sendJson(ctx, status, { message: http.STATUS_CODES[status] ?? 'error' }, {}, `http${status}`);
        else if (family === 'metadata') send(ctx, status, http.STATUS_CODES[status] ?? 'error', { 'content-type': 'text/plain' }, `http${status}`);
        else sendJson(ctx, status, { Code: code, Message: message }, {}, code);
        return true;
      }
      case 'answer': {
        // Whatever the test wants STS (or a broker, the token endpoint) to say: malformed, hostile, inconsistent.
        const body = typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body);
        send(ctx, fault.status ?? 200, body, { 'content-type': 'application/json;charset=utf-8' }, 'answer');
        return true;
      }
      case 'oversized': {
        // A body of `bytes` spaces (valid JSON white space) and then {}: the record counts what the client took.
        record(ctx, 200, 'oversized');
        const entry = log[log.length - 1];
        entry.bytesSent = 0;
        ctx.res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => {
          while ((entry.bytesSent ?? 0) < fault.bytes) {
            if (ctx.res.destroyed || ctx.res.writableEnded) return;
            entry.bytesSent = (entry.bytesSent ?? 0) + chunk.length;
            if (!ctx.res.write(chunk)) return void ctx.res.once('drain', pump);
          }
          ctx.res.end('{}');
        };
        pump();
        return true;
      }
      case 'error': {
        const status = fault.status ?? 400;
        const message = fault.message ?? `Injected error ${fault.code}.`;
        if (family === 'sts') sendStsError(ctx, fault.code, message, status);
        else sendJson(ctx, status, { Code: fault.code, Message: message }, {}, fault.code);
        return true;
      }
      default:
        ctx.record.fault = undefined;
        return false;
    }
  }

  // --- STS: authentication ---

  /**
   * Resolves the principal of an AccessKey ID and checks its security token.
   * @param {string} accessKeyId @param {string | undefined} securityToken
   * @returns {Principal}
   */
  function principalOf(accessKeyId, securityToken) {
    const perm = keys.get(accessKeyId);
    if (perm) {
      if (!perm.active) throw new StsError('InvalidAccessKeyId.Inactive', 'Specified access key is disabled.');
      if (securityToken) throw new StsError('InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.');
      return perm;
    }
    const s = sessions.get(accessKeyId);
    if (!s) throw new StsError('InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    if (!securityToken) throw new StsError('MissingSecurityToken', 'SecurityToken is mandatory for this action.');
    const owner = sessionsByToken.get(securityToken);
    if (!owner) throw new StsError('InvalidSecurityToken.Malformed', 'Specified SecurityToken is malformed.');
    if (owner !== s) throw new StsError('InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.');
    if (Date.now() >= s.expiresAt) throw new StsError('InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.');
    return s;
  }

  /** @param {string} ts @param {string} what */
  function checkTimestamp(ts, what) {
    if (!TIMESTAMP.test(ts)) throw new StsError('InvalidTimeStamp.Format', `Specified ${what} is not valid.`);
    if (Math.abs(Date.parse(ts) - Date.now()) > CLOCK_SKEW_MS) throw new StsError('InvalidTimeStamp.Expired', `Specified time stamp or date value is expired.`);
  }
  /** @param {string} nonce */
  function checkNonce(nonce) {
    const now = Date.now();
    for (const [n, t] of nonces) if (now - t > CLOCK_SKEW_MS) nonces.delete(n);
    if (nonces.has(nonce)) throw new StsError('SignatureNonceUsed', 'Specified signature nonce was used already.');
  }

  /**
   * Verifies an ACS3-HMAC-SHA256 request (what @alicloud/openapi-core sends by default).
   * @param {Ctx} ctx @param {string} authorization
   */
  function verifyAcs3(ctx, authorization) {
    const m = /^(\S+)\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)\s*$/.exec(authorization);
    if (!m) throw new StsError('IncompleteSignature', 'The request signature does not conform to Aliyun standards.');
    const [, algorithm, accessKeyId, signedHeaderList, signature] = m;
    ctx.record.accessKeyId = accessKeyId;
    if (algorithm !== 'ACS3-HMAC-SHA256') throw new StsError('InvalidSignatureMethod', `Specified signature method ${algorithm} is not supported.`);
    const headers = ctx.req.headers;
    const signed = signedHeaderList.toLowerCase().split(';');
    const mustSign = ['host', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256'];
    if (headers['x-acs-security-token'] !== undefined) mustSign.push('x-acs-security-token');
    for (const h of mustSign) {
      if (!signed.includes(h) || headers[h] === undefined)
        throw new StsError('IncompleteSignature', `The request signature does not conform to Aliyun standards: header ${h} must be signed.`);
    }
    checkTimestamp(String(headers['x-acs-date']), 'x-acs-date');
    const nonce = String(headers['x-acs-signature-nonce']);
    checkNonce(nonce);
    const token = headers['x-acs-security-token'] === undefined ? undefined : String(headers['x-acs-security-token']);
    const principal = principalOf(accessKeyId, token);

    const rawQuery = ctx.url.search.startsWith('?') ? ctx.url.search.slice(1) : '';
    const canonicalQuery = [...new URLSearchParams(rawQuery)]
      .map(([k, v]) => [k, v])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${percentEncode(v)}`)
      .join('&');
    const sortedSigned = [...signed].sort();
    const canonicalHeaders = sortedSigned.map((h) => `${h}:${String(headers[h] ?? '').trim()}\n`).join('');
    // The payload hash is computed from the body received, so a changed body no longer verifies.
    const payloadHash = crypto.createHash('sha256').update(ctx.body).digest('hex');
    const canonicalRequest = [ctx.req.method, ctx.url.pathname, canonicalQuery, canonicalHeaders, sortedSigned.join(';'), payloadHash].join('\n');
    const stringToSign = `ACS3-HMAC-SHA256\n${crypto.createHash('sha256').update(canonicalRequest).digest('hex')}`;
    const expected = crypto.createHmac('sha256', principal.secret).update(stringToSign).digest('hex');
    if (!timingSafeEqualStr(expected, signature.toLowerCase())) {
      throw new StsError('SignatureDoesNotMatch', `Specified signature does not match our calculation. server string to sign is:${stringToSign}`);
    }
    nonces.set(nonce, Date.now());
    return principal;
  }

  /**
   * Verifies the RPC HMAC-SHA1 signature (aliyun CLI, @alicloud/credentials' STS providers, signatureAlgorithm v2).
   * @param {Ctx} ctx @param {Map<string, string>} params query and form parameters together
   */
  function verifyRpcSha1(ctx, params) {
    const accessKeyId = params.get('AccessKeyId');
    if (!accessKeyId)
      throw new StsError('MissingParameter', 'The input parameter "AccessKeyId" that is mandatory for processing this request is not supplied.');
    ctx.record.accessKeyId = accessKeyId;
    const method = params.get('SignatureMethod');
    if (method !== 'HMAC-SHA1' || (params.get('SignatureVersion') ?? '1.0') !== '1.0') {
      throw new StsError('InvalidSignatureMethod', `Specified signature method ${method ?? '(none)'} is not supported.`);
    }
    const ts = params.get('Timestamp');
    if (!ts) throw new StsError('MissingParameter', 'The input parameter "Timestamp" that is mandatory for processing this request is not supplied.');
    checkTimestamp(ts, 'Timestamp');
    const nonce = params.get('SignatureNonce');
    if (!nonce) throw new StsError('MissingParameter', 'The input parameter "SignatureNonce" that is mandatory for processing this request is not supplied.');
    checkNonce(nonce);
    const principal = principalOf(accessKeyId, params.get('SecurityToken') || undefined);
    const canonical = [...params]
      .filter(([k]) => k !== 'Signature')
      .map(([k, v]) => [percentEncode(k), percentEncode(v)])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const stringToSign = `${ctx.req.method}&${percentEncode('/')}&${percentEncode(canonical)}`;
    const expected = crypto.createHmac('sha1', `${principal.secret}&`).update(stringToSign).digest('base64');
    if (!timingSafeEqualStr(expected, params.get('Signature') ?? '')) {
      // The message format is the one @alicloud/credentials parses to tell a wrong secret apart.
      throw new StsError('SignatureDoesNotMatch', `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`);
    }
    nonces.set(nonce, Date.now());
    return principal;
  }

  // --- STS: actions ---

  /** @param {Map<string, string>} p */
  function sessionName(p) {
    const name = p.get('RoleSessionName');
    if (name === undefined || name === '')
      throw new StsError(
        'MissingParameter.RoleSessionName',
        'The input parameter "RoleSessionName" that is mandatory for processing this request is not supplied.',
      );
    if (!SESSION_NAME.test(name)) throw new StsError('InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is wrongly formed.');
    return name;
  }
  /** @param {Map<string, string>} p */
  function parseRoleArn(p) {
    const arn = p.get('RoleArn');
    if (arn === undefined || arn === '')
      throw new StsError('MissingParameter.RoleArn', 'The input parameter "RoleArn" that is mandatory for processing this request is not supplied.');
    if (!ROLE_ARN.test(arn)) throw new StsError('InvalidParameter.RoleArn', 'The parameter RoleArn is wrongly formed.');
    return arn;
  }
  /** @param {Map<string, string>} p returns the requested duration, default 3600 */
  function durationOf(p) {
    const raw = p.get('DurationSeconds');
    if (raw === undefined || raw === '') return undefined;
    const d = Number(raw);
    if (!/^\d+$/.test(raw) || d < 900) throw new StsError('InvalidParameter.DurationSeconds', 'The Min/Max value of DurationSeconds is 15min/1hr.');
    return d;
  }
  /** @param {Role} role @param {number | undefined} requested */
  function checkDurationForRole(role, requested) {
    const d = requested ?? Math.min(3600, role.maxSessionDuration);
    if (d > role.maxSessionDuration) {
      const max = role.maxSessionDuration;
      throw new StsError(
        'InvalidParameter.DurationSeconds',
        `The Min/Max value of DurationSeconds is 15min/${max % 3600 === 0 ? `${max / 3600}hr` : `${max}s`}.`,
      );
    }
    return d;
  }
  /** @param {Map<string, string>} p */
  function checkPolicy(p) {
    const policy = p.get('Policy');
    if (policy === undefined) return;
    if (Buffer.byteLength(policy) > 2048) throw new StsError('InvalidParameter.PolicySize', 'The size of Policy must be smaller than 2048 bytes.');
    if (!policyGrammarOk(policy)) throw new StsError('InvalidParameter.PolicyGrammar', 'The parameter Policy has not passed grammar check.');
  }
  /** @param {string} arn */
  function findRole(arn) {
    const role = roles.get(arn.toLowerCase());
    if (!role) throw new StsError('EntityNotExist.Role', `The specified Role not exists: ${arn}.`);
    return role;
  }
  /**
   * @param {Principal} principal @param {string} policyType @param {string} action
   */
  function noPermission(principal, policyType, action) {
    const display = principal.kind === 'session' ? `${principal.roleName}:${principal.sessionName}` : principal.name;
    return new StsError('NoPermission', 'You are not authorized to do this action. You should be authorized by RAM.', {
      AccessDeniedDetail: {
        PolicyType: policyType,
        AuthPrincipalOwnerId: principal.accountId,
        EncodedDiagnosticMessage: Buffer.from(JSON.stringify({ action, policyType })).toString('base64'),
        AuthPrincipalType: principal.kind === 'session' ? 'AssumedRoleUser' : principal.kind === 'root' ? 'Account' : 'SubUser',
        AuthPrincipalDisplayName: display,
        NoPermissionType: 'ImplicitDeny',
        AuthAction: action,
      },
    });
  }

  /** @param {Principal} principal */
  function getCallerIdentity(principal) {
    if (principal.kind === 'session') {
      return {
        AccountId: principal.accountId,
        Arn: `acs:ram::${principal.accountId}:assumed-role/${principal.roleName}/${principal.sessionName}`,
        IdentityType: 'AssumedRoleUser',
        PrincipalId: `${principal.roleId}:${principal.sessionName}`,
        RoleId: principal.roleId,
      };
    }
    if (principal.kind === 'root') {
      return {
        AccountId: principal.accountId,
        Arn: `acs:ram::${principal.accountId}:root`,
        IdentityType: 'Account',
        PrincipalId: principal.accountId,
        UserId: principal.accountId,
      };
    }
    return {
      AccountId: principal.accountId,
      Arn: `acs:ram::${principal.accountId}:user/${principal.name}`,
      IdentityType: 'RAMUser',
      PrincipalId: principal.userId,
      UserId: principal.userId,
    };
  }

  /** @param {Principal} principal @param {Map<string, string>} p */
  function assumeRole(principal, p) {
    const arn = parseRoleArn(p);
    const name = sessionName(p);
    const requested = durationOf(p);
    checkPolicy(p);
    const externalId = p.get('ExternalId');
    if (externalId !== undefined && !EXTERNAL_ID.test(externalId))
      throw new StsError('InvalidParameter.ExternalId', 'The parameter ExternalId is wrongly formed.');
    const role = findRole(arn);
    const duration = checkDurationForRole(role, requested);
    if (principal.kind === 'root') throw new StsError('NoPermission', 'Roles may not be assumed by root accounts.');
    if (principal.kind === 'user' && !principal.canAssumeRole) throw noPermission(principal, 'AccountLevelIdentityBasedPolicy', 'sts:AssumeRole');
    if (!role.trustedAccounts.includes(principal.accountId)) throw noPermission(principal, 'AssumeRolePolicy', 'sts:AssumeRole');
    if (role.externalId !== undefined && externalId !== role.externalId) throw noPermission(principal, 'AssumeRolePolicy', 'sts:AssumeRole');
    const s = issueSession(role, name, duration);
    return { AssumedRoleUser: assumedRoleUser(s), Credentials: credentialsOf(s) };
  }

  /** @param {Map<string, string>} p */
  function assumeRoleWithOidc(p) {
    const arn = parseRoleArn(p);
    const providerArn = p.get('OIDCProviderArn');
    if (providerArn === undefined || providerArn === '')
      throw new StsError(
        'MissingParameter.OIDCProviderArn',
        'The input parameter "OIDCProviderArn" that is mandatory for processing this request is not supplied.',
      );
    if (!PROVIDER_ARN.test(providerArn)) throw new StsError('InvalidParameter.OIDCProviderArn', 'The parameter OIDCProviderArn is wrongly formed.');
    const name = sessionName(p);
    const requested = durationOf(p);
    checkPolicy(p);
    const token = p.get('OIDCToken') ?? '';
    if (token === '') throw new StsError('AuthenticationFail.OIDCToken.Invalid', 'The OIDCToken can not empty.');
    const parts = token.split('.');
    if (parts.length !== 3) throw new StsError('AuthenticationFail.OIDCToken.Invalid', "The number of Jwt field should be divided into 3 parts with '.' .");
    /** @type {any} */ let header;
    /** @type {any} */ let claims;
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    } catch {
      throw new StsError('AuthenticationFail.OIDCToken.Invalid', 'Cannot decode base64 encoded response(format invalided).');
    }
    if (!header || typeof header !== 'object' || !claims || typeof claims !== 'object')
      throw new StsError('AuthenticationFail.OIDCToken.Invalid', 'The Jwt content is invalid that cannot be recognized.');
    if (header.alg !== 'RS256')
      throw new StsError('AuthenticationFail.OIDCToken.Invalid', `The algorithm ${header.alg} that be specified in Jwt header is unknown.`);
    if (typeof claims.iss !== 'string' || typeof claims.sub !== 'string' || claims.aud === undefined || typeof claims.exp !== 'number') {
      throw new StsError('AuthenticationFail.OIDCToken.Invalid', 'The Jwt content is invalid that cannot be recognized.');
    }
    const provider = providers.get(providerArn.toLowerCase());
    if (!provider) throw new StsError('AuthenticationFail.NoPermission', 'No such OIDC Provider registered.');
    if (claims.iss !== provider.issuerUrl)
      throw new StsError('AuthenticationFail.OIDCToken.IssuerNotMatch', "The issuer in the OIDC Token doesn't match the OIDC Provider registered.");
    const sigOk =
      header.kid === kid && crypto.verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), signingKey.publicKey, Buffer.from(parts[2], 'base64url'));
    if (!sigOk) throw new StsError('AuthenticationFail.OIDCToken.InvalidSignature', 'OIDC token validate failed: invalid signature.');
    if (Date.now() / 1000 >= claims.exp) throw new StsError('AuthenticationFail.OIDCToken.Expired', 'This JsonWebToken is expired.');
    /** @type {string[]} */
    const auds = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).map(String);
    if (!auds.some((a) => provider.clientIds.includes(a))) throw new StsError('AuthenticationFail.OIDCToken.AudienceNotMatch', 'Invalid audience.');
    const role = findRole(arn);
    const duration = checkDurationForRole(role, requested);
    if (!role.oidc || role.oidc.providerArn.toLowerCase() !== providerArn.toLowerCase()) {
      throw new StsError('AuthenticationFail.NoPermission', 'There is no permission');
    }
    const trust = role.oidc;
    const subOk = !trust.sub || trust.sub.some((pat) => globToRegExp(pat).test(claims.sub));
    const audOk = !trust.aud || auds.some((a) => trust.aud?.includes(a));
    const issOk = !trust.iss || trust.iss === claims.iss;
    if (!subOk || !audOk || !issOk) {
      throw new StsError('NoPermission', 'You are not authorized to do this action. You should be authorized by RAM.', {
        AccessDeniedDetail: {
          PolicyType: 'AssumeRolePolicy',
          AuthPrincipalOwnerId: provider.accountId,
          AuthPrincipalType: 'OIDCProvider',
          AuthPrincipalDisplayName: provider.name,
          NoPermissionType: 'ImplicitDeny',
          AuthAction: 'sts:AssumeRole',
        },
      });
    }
    const s = issueSession(role, name, duration);
    return {
      OIDCTokenInfo: {
        Subject: claims.sub,
        Issuer: claims.iss,
        ClientIds: auds.join(','),
        ExpirationTime: isoSeconds(claims.exp * 1000),
        IssuanceTime: isoSeconds((typeof claims.iat === 'number' ? claims.iat : claims.exp) * 1000),
        VerificationInfo: 'Success',
      },
      AssumedRoleUser: assumedRoleUser(s),
      Credentials: credentialsOf(s),
    };
  }

  /** @param {Ctx} ctx */
  function handleSts(ctx) {
    const { req, url, body } = ctx;
    /** @type {Map<string, string>} */
    const params = new Map(new URLSearchParams(url.search));
    const ctype = String(req.headers['content-type'] ?? '');
    if (body.length && (ctype.startsWith('application/x-www-form-urlencoded') || ctype === '')) {
      for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.set(k, v);
    }
    const action = params.get('Action') ?? (req.headers['x-acs-action'] === undefined ? undefined : String(req.headers['x-acs-action']));
    const target = action && STS_ACTIONS.has(action) ? /** @type {'AssumeRole'} */ (action) : 'sts';
    ctx.record.target = target;
    for (const hook of arrivalHooks.get(target)?.splice(0) ?? []) hook();
    /** @type {Record<string, string>} */
    const logged = {};
    for (const [k, v] of params) if (!['OIDCToken', 'SecurityToken', 'Signature'].includes(k)) logged[k] = v;
    ctx.record.params = logged;
    const authorization = req.headers.authorization;
    ctx.record.auth = authorization ? 'ACS3-HMAC-SHA256' : params.has('Signature') ? 'HMAC-SHA1' : 'anonymous';

    if (applyFault(ctx, 'sts', takeFault(target))) return;
    try {
      if (req.method !== 'GET' && req.method !== 'POST') throw new StsError('UnsupportedHTTPMethod', `Specified HTTP method ${req.method} is not supported.`);
      if (!action) throw new StsError('MissingParameter', 'The input parameter "Action" that is mandatory for processing this request is not supplied.');
      if (!STS_ACTIONS.has(action)) throw new StsError('InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
      const version = params.get('Version') ?? (req.headers['x-acs-version'] === undefined ? undefined : String(req.headers['x-acs-version']));
      if (!version) throw new StsError('MissingParameter', 'The input parameter "Version" that is mandatory for processing this request is not supplied.');
      if (version !== STS_VERSION) throw new StsError('InvalidVersion', 'Specified parameter Version is not valid.');

      /** @type {Record<string, unknown>} */
      let result;
      if (action === 'AssumeRoleWithOIDC') {
        // Anonymous API: a signature, if any, is not looked at; the role's account is the one throttled.
        const roleAccount = ROLE_ARN.exec(params.get('RoleArn') ?? '')?.[1];
        if (roleAccount) admit(roleAccount);
        result = assumeRoleWithOidc(params);
      } else {
        /** @type {Principal} */
        let principal;
        if (authorization) principal = verifyAcs3(ctx, authorization);
        else if (params.has('Signature')) principal = verifyRpcSha1(ctx, params);
        else throw new StsError('MissingParameter', 'The input parameter "AccessKeyId" that is mandatory for processing this request is not supplied.');
        admit(principal.accountId);
        result = action === 'GetCallerIdentity' ? getCallerIdentity(principal) : assumeRole(principal, params);
      }
      const id = requestId();
      sendJson(ctx, 200, { RequestId: id, ...result }, { 'x-acs-request-id': id });
    } catch (e) {
      if (!(e instanceof StsError)) throw e;
      sendStsError(ctx, e.code, e.message, e.status, e.extra);
    }
  }

  // --- GitHub OIDC token endpoint, JWKS ---

  /** @param {Ctx} ctx */
  function handleGithubToken(ctx) {
    ctx.record.target = 'oidc-token';
    const audience = ctx.url.searchParams.get('audience') ?? undefined;
    ctx.record.params = audience === undefined ? {} : { audience };
    if (applyFault(ctx, 'oidc-token', takeFault('oidc-token'))) return;
    if (ctx.req.method !== 'GET') return sendJson(ctx, 405, { message: 'Method Not Allowed' }, {}, 'method');
    if (ctx.req.headers.authorization !== `Bearer ${oidcRequestToken}`) {
      return sendJson(ctx, 401, { message: 'Unauthorized: invalid ACTIONS_ID_TOKEN_REQUEST_TOKEN' }, {}, 'unauthorized');
    }
    const owner = String(mergeClaims(defaultClaims(), tokenClaimOverrides).repository_owner ?? 'octo-org');
    const answer = () => sendJson(ctx, 200, { value: mintToken({ audience: audience ?? `https://github.com/${owner}` }) });
    if (tokenDelayMs === 0) return answer();
    // Minting takes a while at GitHub: the answer (and its record's time) comes tokenDelayMs later.
    const t = setTimeout(() => {
      timers.delete(t);
      if (!ctx.res.destroyed) answer();
    }, tokenDelayMs);
    timers.add(t);
  }

  /** @param {Ctx} ctx */
  function handleDiscovery(ctx) {
    ctx.record.target = 'oidc-discovery';
    if (ctx.url.pathname === JWKS_PATH) return sendJson(ctx, 200, jwks());
    sendJson(ctx, 200, {
      issuer: GITHUB_ISSUER,
      jwks_uri: `${baseUrl}${JWKS_PATH}`,
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

  // --- ECS metadata service ---

  /** @param {ReturnType<typeof instanceRoles.get> & {}} entry */
  function instanceSession(entry) {
    const now = Date.now();
    const c = entry.cached;
    // Like the real service, the same credentials are served until they get old, then rotated.
    if (c && now < c.lastUpdated + (c.expiresAt - c.lastUpdated) / 2) return c;
    const s = Object.assign(issueSession(entry.role, `i-${randomAlnum(20).toLowerCase()}`, entry.durationSeconds), { lastUpdated: now });
    entry.cached = s;
    return s;
  }

  /** @param {Ctx} ctx */
  function handleMetadata(ctx) {
    const { req, url } = ctx;
    ctx.record.target = 'metadata';
    const tokenHeader = req.headers['x-aliyun-ecs-metadata-token'];
    ctx.record.imdsToken = tokenHeader !== undefined;
    if (applyFault(ctx, 'metadata', takeFault('metadata'))) return;
    const text = { 'content-type': 'text/plain' };
    if (url.pathname === '/latest/api/token') {
      if (req.method !== 'PUT') return send(ctx, 405, 'Method Not Allowed', text, 'method');
      if (imdsMode === 'v1-only') return send(ctx, 404, 'Not Found', text, 'not-found');
      const ttl = Number(req.headers['x-aliyun-ecs-metadata-token-ttl-seconds']);
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > 21600)
        return send(ctx, 400, 'Bad Request: X-aliyun-ecs-metadata-token-ttl-seconds must be 1-21600', text, 'bad-ttl');
      const token = b64url(crypto.randomBytes(42));
      imdsTokens.set(token, Date.now() + ttl * timeScale * 1000);
      secrets.add(token);
      return send(ctx, 200, token, { ...text, 'x-aliyun-ecs-metadata-token-ttl-seconds': String(ttl) });
    }
    if (req.method !== 'GET') return send(ctx, 405, 'Method Not Allowed', text, 'method');
    if (imdsMode !== 'v1-only') {
      if (tokenHeader !== undefined) {
        const exp = imdsTokens.get(String(tokenHeader));
        if (exp === undefined || Date.now() >= exp) return send(ctx, 401, 'Unauthorized', text, 'bad-token');
      } else if (imdsMode === 'v2-required') {
        return send(ctx, 403, 'Forbidden', text, 'token-required');
      }
    }
    const prefix = '/latest/meta-data/ram/security-credentials/';
    if (url.pathname === prefix || url.pathname === prefix.slice(0, -1)) {
      if (instanceRoles.size === 0) return send(ctx, 404, 'Not Found', text, 'no-role');
      return send(ctx, 200, [...instanceRoles.keys()].join('\n'), text);
    }
    if (url.pathname.startsWith(prefix)) {
      const entry = instanceRoles.get(decodeURIComponent(url.pathname.slice(prefix.length)));
      if (!entry) return send(ctx, 404, 'Not Found', text, 'no-role');
      const s = instanceSession(entry);
      return send(
        ctx,
        200,
        JSON.stringify(
          {
            AccessKeyId: s.accessKeyId,
            AccessKeySecret: s.secret,
            Expiration: isoSeconds(s.expiresAt),
            SecurityToken: s.token,
            LastUpdated: isoSeconds(s.lastUpdated),
            Code: 'Success',
          },
          null,
          2,
        ),
        text,
      );
    }
    send(ctx, 404, 'Not Found', text, 'not-found');
  }

  // --- credentials URI ---

  /** @param {Ctx} ctx @param {{role: Role, durationSeconds: number}} entry */
  function handleCredentialsUri(ctx, entry) {
    ctx.record.target = 'credentials-uri';
    if (applyFault(ctx, 'credentials-uri', takeFault('credentials-uri'))) return;
    if (ctx.req.method !== 'GET') return sendJson(ctx, 405, { Code: 'MethodNotAllowed', Message: 'GET only' }, {}, 'method');
    const s = issueSession(entry.role, `uri-${randomAlnum(8).toLowerCase()}`, entry.durationSeconds);
    sendJson(ctx, 200, { Code: 'Success', ...credentialsOf(s) });
  }

  // --- admin ---

  /** @type {import('./types.js').EmulatorAdmin} */
  const admin = {
    async addUser(o) {
      const accountId = requireDigits(o?.accountId, 'accountId');
      const name = requireName(o?.name, 'name');
      /** @type {PermanentKey} */
      const k = {
        kind: 'user',
        accessKeyId: `LTAI${randomAlnum(20)}`,
        secret: randomAlnum(30),
        accountId,
        name,
        userId: randomDigits(16),
        canAssumeRole: o.canAssumeRole ?? true,
        active: true,
      };
      keys.set(k.accessKeyId, k);
      secrets.add(k.secret);
      return { accessKeyId: k.accessKeyId, accessKeySecret: k.secret, arn: `acs:ram::${accountId}:user/${name}`, userId: k.userId };
    },
    async addRootKey(o) {
      const accountId = requireDigits(o?.accountId, 'accountId');
      /** @type {PermanentKey} */
      const k = {
        kind: 'root',
        accessKeyId: `LTAI${randomAlnum(20)}`,
        secret: randomAlnum(30),
        accountId,
        name: 'root',
        userId: accountId,
        canAssumeRole: false,
        active: true,
      };
      keys.set(k.accessKeyId, k);
      secrets.add(k.secret);
      return { accessKeyId: k.accessKeyId, accessKeySecret: k.secret, arn: `acs:ram::${accountId}:root`, userId: accountId };
    },
    async setKeyActive(o) {
      const k = keys.get(o?.accessKeyId);
      if (!k) throw new Error(`unknown permanent AccessKey ${o?.accessKeyId}`);
      k.active = Boolean(o.active);
    },
    async addRole(o) {
      const accountId = requireDigits(o?.accountId, 'accountId');
      const name = requireName(o?.name, 'name');
      const arn = roleArn(accountId, name);
      if (o.oidc && !PROVIDER_ARN.test(o.oidc.providerArn ?? '')) throw new Error('oidc.providerArn must be acs:ram::<digits>:oidc-provider/<name>');
      /** @type {Role} */
      const role = {
        accountId,
        name,
        roleId: roles.get(arn.toLowerCase())?.roleId ?? randomDigits(17),
        maxSessionDuration: o.maxSessionDuration ?? 3600,
        trustedAccounts: (o.trustedAccounts ?? [accountId]).map((a) => requireDigits(a, 'trustedAccounts[]')),
        externalId: o.externalId,
        oidc: o.oidc,
      };
      roles.set(arn.toLowerCase(), role);
      return { arn, roleId: role.roleId };
    },
    async addOidcProvider(o) {
      const accountId = requireDigits(o?.accountId, 'accountId');
      const name = requireName(o?.name, 'name');
      const arn = `acs:ram::${accountId}:oidc-provider/${name}`;
      providers.set(arn.toLowerCase(), { accountId, name, issuerUrl: o.issuerUrl ?? GITHUB_ISSUER, clientIds: o.clientIds ?? [DEFAULT_CLIENT_ID] });
      return { arn };
    },
    async setTokenClaims(claims) {
      // null values are kept here so that they remove the default claim when tokens are minted.
      tokenClaimOverrides = { ...tokenClaimOverrides, ...(claims ?? {}) };
    },
    async mintToken(o) {
      return mintToken(o);
    },
    async addInstanceRole(o) {
      const accountId = requireDigits(o?.accountId, 'accountId');
      const name = requireName(o?.name, 'name');
      const role = ensureRole({ accountId, name }, { maxSessionDuration: 43200 });
      instanceRoles.set(name, { role, durationSeconds: o.durationSeconds ?? 21600 });
      return { arn: roleArn(accountId, role.name), roleId: role.roleId };
    },
    async setTokenDelay(ms) {
      tokenDelayMs = checkDelay(ms, 'setTokenDelay(ms)');
    },
    async setImds(o) {
      if (!['v2', 'v1-only', 'v2-required'].includes(o?.mode)) throw new Error("mode must be 'v2', 'v1-only' or 'v2-required'");
      imdsMode = o.mode;
    },
    async addCredentialsUri(o) {
      const accountId = requireDigits(o?.accountId, 'accountId');
      const name = requireName(o?.roleName, 'roleName');
      let path = o.path ?? `/credentials/${randomAlnum(32)}`;
      if (!path.startsWith('/')) path = `/${path}`;
      if (path === '/' || path.startsWith(ADMIN_PREFIX) || path.startsWith('/latest/') || path === GITHUB_TOKEN_PATH) throw new Error(`path ${path} is taken`);
      credentialsUris.set(path, { role: ensureRole({ accountId, name }), durationSeconds: o.durationSeconds ?? 3600 });
      return { url: `${baseUrl}${path}` };
    },
    async queueFault(target, fault, count = 1) {
      const targets = ['AssumeRole', 'AssumeRoleWithOIDC', 'GetCallerIdentity', 'sts', 'oidc-token', 'metadata', 'credentials-uri'];
      if (!targets.includes(target)) throw new Error(`target must be one of ${targets.join(', ')}`);
      const kinds = ['status', 'throttle', 'reset', 'stall', 'truncated', 'html502', 'error', 'answer', 'oversized'];
      if (!fault || !kinds.includes(fault.kind)) throw new Error(`fault.kind must be one of ${kinds.join(', ')}`);
      if (fault.kind === 'error' && (typeof fault.code !== 'string' || !Number.isInteger(fault.status)))
        throw new Error('an error fault needs code and status');
      const q = faults.get(target) ?? [];
      for (let i = 0; i < count; i++) q.push({ ...fault });
      faults.set(target, q);
    },
    async clearFaults() {
      faults.clear();
    },
    /** In-process only: `fn` runs once, when the next request of `target` arrives, before it is answered. */
    onceRequested(target, fn) {
      const hooks = arrivalHooks.get(target) ?? [];
      hooks.push(fn);
      arrivalHooks.set(target, hooks);
    },
    async setFlowControl(o) {
      if (o !== null && !(Number(o?.perSecond) > 0)) throw new Error('setFlowControl takes {perSecond: N, countRefused?: boolean} with N > 0, or null');
      flowControl = o && { perSecond: Number(o.perSecond), countRefused: o.countRefused === true };
      buckets.clear();
      windows.clear();
    },
    async requests() {
      return log.map((r) => ({ ...r }));
    },
    async resetRequests() {
      log = [];
    },
    async secrets() {
      return [...secrets];
    },
    async applySetup(setup) {
      /** @type {SetupResult} */
      const out = { users: [], rootKeys: [], roles: [], oidcProviders: [], instanceRoles: [], credentialsUris: [] };
      for (const p of setup.oidcProviders ?? []) out.oidcProviders.push(await admin.addOidcProvider(p));
      for (const r of setup.roles ?? []) out.roles.push(await admin.addRole(r));
      for (const u of setup.users ?? []) out.users.push(await admin.addUser(u));
      for (const k of setup.rootKeys ?? []) out.rootKeys.push(await admin.addRootKey(k));
      for (const i of setup.instanceRoles ?? []) out.instanceRoles.push(await admin.addInstanceRole(i));
      for (const c of setup.credentialsUris ?? []) out.credentialsUris.push(await admin.addCredentialsUri(c));
      if (setup.tokenClaims) await admin.setTokenClaims(setup.tokenClaims);
      if (setup.imds) await admin.setImds(setup.imds);
      return out;
    },
    async info() {
      return info();
    },
    async close() {
      await close();
    },
  };

  /** @param {Ctx} ctx */
  async function handleAdmin(ctx) {
    const name = ctx.url.pathname.slice(ADMIN_PREFIX.length);
    const reply = (/** @type {number} */ status, /** @type {unknown} */ obj) => {
      const buf = Buffer.from(JSON.stringify(obj ?? null));
      ctx.res.writeHead(status, { 'content-type': 'application/json', 'content-length': buf.length });
      ctx.res.end(buf);
    };
    const fn = Object.hasOwn(admin, name) ? /** @type {(...a: unknown[]) => Promise<unknown>} */ (/** @type {any} */ (admin)[name]) : undefined;
    if (ctx.req.method !== 'POST' || !fn) return reply(404, { error: `no admin method ${name}` });
    let args;
    try {
      const parsed = ctx.body.length ? JSON.parse(ctx.body.toString('utf8')) : [];
      args = Array.isArray(parsed) ? parsed : [parsed];
    } catch {
      return reply(400, { error: 'body must be JSON: an array of arguments' });
    }
    if (name === 'close') {
      // Close only once the reply is out: close() destroys every socket, this one included.
      ctx.res.once('finish', () => void close());
      reply(200, { result: null });
      return;
    }
    try {
      reply(200, { result: (await fn(...args)) ?? null });
    } catch (e) {
      reply(400, { error: e instanceof Error ? e.message : String(e) });
    }
  }

  // --- HTTP plumbing ---

  /**
   * @param {boolean} metadataOnly the dedicated metadata listener serves /latest/ only
   * @returns {http.RequestListener}
   */
  const listener = (metadataOnly) => (req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (/** @type {Buffer} */ c) => {
      size += c.length;
      if (size > 1 << 20) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      /** @type {Ctx} */
      const ctx = { req, res, url: new URL(req.url ?? '/', 'http://emulator.invalid'), body: Buffer.concat(chunks), record: {} };
      Promise.resolve()
        .then(() => route(ctx, metadataOnly))
        .catch((e) => {
          if (!res.headersSent) sendJson(ctx, 500, { Code: 'EmulatorBug', Message: String(e?.stack ?? e) }, {}, 'EmulatorBug');
          else res.destroy();
        });
    });
  };

  /** @param {Ctx} ctx @param {boolean} metadataOnly */
  async function route(ctx, metadataOnly) {
    const path = ctx.url.pathname;
    if (path === '/latest' || path.startsWith('/latest/')) return handleMetadata(ctx);
    if (metadataOnly) return send(ctx, 404, 'Not Found', { 'content-type': 'text/plain' }, 'not-found');
    if (path.startsWith(ADMIN_PREFIX)) return handleAdmin(ctx);
    if (path === '/') return handleSts(ctx);
    if (path === GITHUB_TOKEN_PATH) return handleGithubToken(ctx);
    if (path === JWKS_PATH || path === '/.well-known/openid-configuration' || path === '/oidc/.well-known/openid-configuration') return handleDiscovery(ctx);
    const uri = credentialsUris.get(path);
    if (uri) return handleCredentialsUri(ctx, uri);
    sendJson(ctx, 404, { Code: 'NotFound', Message: `Nothing at ${path}` }, {}, 'not-found');
  }

  /** @param {string} h @param {number} port */
  const hostPort = (h, port) => (h.includes(':') ? `[${h}]:${port}` : `${h}:${port}`);

  /** @param {http.Server | https.Server} server @param {string} h @param {number} port */
  function listen(server, h, port) {
    if (opts.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = opts.keepAliveTimeoutMs;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, h, () => {
        server.off('error', reject);
        const addr = server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  // @alicloud/credentials' RAM role and OIDC providers only speak https to STS: tls serves them.
  const main = opts.tls
    ? https.createServer({ cert: readFileSync(tlsCertPath), key: readFileSync(TLS_KEY_PATH) }, listener(false))
    : http.createServer(listener(false));
  const mainPort = await listen(main, host, opts.port ?? 0);
  const baseUrl = `${opts.tls ? 'https' : 'http'}://${hostPort(host, /** @type {number} */ (mainPort))}`;
  /** @type {http.Server | undefined} */
  let meta;
  /** @type {string | undefined} */
  let metadataUrl;
  if (opts.metadataHost) {
    meta = http.createServer(listener(true));
    try {
      const port = /** @type {number} */ (await listen(meta, opts.metadataHost, opts.metadataPort ?? 80));
      metadataUrl =
        port === 80
          ? `http://${opts.metadataHost.includes(':') ? `[${opts.metadataHost}]` : opts.metadataHost}`
          : `http://${hostPort(opts.metadataHost, port)}`;
    } catch (e) {
      await new Promise((r) => main.close(r));
      main.closeAllConnections();
      throw e;
    }
  }

  function info() {
    return {
      url: baseUrl,
      stsHost: hostPort(host, /** @type {number} */ (mainPort)),
      oidcRequestUrl: `${baseUrl}${GITHUB_TOKEN_PATH}?api-version=2.0`,
      oidcRequestToken,
      ...(metadataUrl ? { metadataUrl } : {}),
      jwksUrl: `${baseUrl}${JWKS_PATH}`,
      ...(opts.tls ? { caFile: tlsCertPath } : {}),
    };
  }

  /** @type {Promise<void> | undefined} */
  let closing;
  function close() {
    closing ??= (async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.all(
        [main, meta]
          .filter((s) => s !== undefined)
          .map(
            (s) =>
              new Promise((resolve) => {
                s.close(() => resolve(undefined));
                s.closeAllConnections();
              }),
          ),
      );
    })();
    return closing;
  }

  return { ...admin, ...info() };
}

/** @param {string} a @param {string} b */
function timingSafeEqualStr(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export { codes };
