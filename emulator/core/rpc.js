// @ts-check
// Alibaba Cloud's RPC-style OpenAPI, as STS (and any other RPC product the emulator plays) speaks it:
// parameters in the query and/or a form body, Action/Version also from x-acs-action/x-acs-version, the
// ACS3-HMAC-SHA256 and HMAC-SHA1 signatures, the error body {RequestId, HostId, Code, Message, Recommend}, and the
// gateway checks made before an action runs (method, Action, Version, signature, flow control).
import crypto from 'node:crypto';
import { allCodes } from '../codes.js';
import { percentEncode, requestId, timingSafeEqualStr } from './util.js';

/** @typedef {import('./types.js').Ctx} Ctx */
/** @typedef {import('./types.js').Core} Core */
/** @typedef {import('./types.js').Principal} Principal */
/** @typedef {import('./types.js').FaultAnswers} FaultAnswers */

const CLOCK_SKEW_MS = 15 * 60 * 1000;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
/** Parameters the request log never keeps. */
const SECRET_PARAMS = ['OIDCToken', 'SecurityToken', 'Signature'];

/** An API refusal; the RPC handler turns it into Alibaba's JSON error body, with the status codes.js gives the code. */
export class ApiError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {Record<string, unknown>} [extra] more fields of the body (AccessDeniedDetail)
   */
  constructor(code, message, extra) {
    super(message);
    const status = allCodes.find((c) => c.code === code)?.status;
    // codes.js must list everything the emulator can say: the action's error module is checked against it.
    if (status === undefined) throw new Error(`emulator bug: ${code} is not in codes.js`);
    this.code = code;
    this.status = status;
    this.extra = extra;
  }
}

/** The gateway's answer to a missing parameter: `code` is MissingParameter or MissingParameter.<name>. @param {string} name */
export function missingParameter(name, code = 'MissingParameter') {
  return new ApiError(code, `The input parameter "${name}" that is mandatory for processing this request is not supplied.`);
}

/**
 * A parameter an action needs: absent or empty → MissingParameter.<name>, not matching `pattern` →
 * InvalidParameter.<name>.
 * @param {Map<string, string>} params @param {string} name @param {RegExp} pattern
 */
export function requiredParameter(params, name, pattern) {
  const v = params.get(name);
  if (v === undefined || v === '') throw missingParameter(name, `MissingParameter.${name}`);
  return checkParameter(name, v, pattern);
}

/** An optional parameter: absent → undefined; present (even empty) and not matching → InvalidParameter.<name>. @param {Map<string, string>} params @param {string} name @param {RegExp} pattern */
export function optionalParameter(params, name, pattern) {
  const v = params.get(name);
  return v === undefined ? undefined : checkParameter(name, v, pattern);
}

/** @param {string} name @param {string} value @param {RegExp} pattern */
function checkParameter(name, value, pattern) {
  if (!pattern.test(value)) throw new ApiError(`InvalidParameter.${name}`, `The parameter ${name} is wrongly formed.`);
  return value;
}

/**
 * 403 NoPermission with the AccessDeniedDetail Alibaba's gateway adds: which policy denied which action to whom.
 * @param {Principal} principal @param {string} policyType @param {string} action
 */
export function noPermission(principal, policyType, action) {
  const display = principal.kind === 'session' ? `${principal.roleName}:${principal.sessionName}` : principal.name;
  return new ApiError('NoPermission', 'You are not authorized to do this action. You should be authorized by RAM.', {
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

/** Query and form-body parameters together (the body wins), parsed once per request. @param {Ctx} ctx */
export function rpcParams(ctx) {
  if (ctx.params) return ctx.params;
  const { req, url, body } = ctx;
  /** @type {Map<string, string>} */
  const params = new Map(new URLSearchParams(url.search));
  const ctype = String(req.headers['content-type'] ?? '');
  if (body.length && (ctype.startsWith('application/x-www-form-urlencoded') || ctype === '')) {
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.set(k, v);
  }
  ctx.params = params;
  return params;
}

/** A common parameter, or the header the ACS3 signature carries it in. @param {Ctx} ctx @param {string} name @param {string} header */
export function paramOrHeader(ctx, name, header) {
  const h = ctx.req.headers[header];
  return rpcParams(ctx).get(name) ?? (h === undefined ? undefined : String(h));
}

/** @typedef {ReturnType<typeof createVerifier>} Verifier */

/**
 * Signature verification against the identities of the shared state (both signatures, timestamps, nonces and
 * security tokens).
 * @param {import('./state.js').State} state
 */
export function createVerifier(state) {
  /** @type {Map<string, number>} nonce -> time */ const nonces = new Map();

  /**
   * Resolves the principal of an AccessKey ID and checks its security token.
   * @param {string} accessKeyId @param {string | undefined} securityToken
   * @returns {Principal}
   */
  function principalOf(accessKeyId, securityToken) {
    const perm = state.keys.get(accessKeyId);
    if (perm) {
      if (!perm.active) throw new ApiError('InvalidAccessKeyId.Inactive', 'Specified access key is disabled.');
      if (securityToken) throw new ApiError('InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.');
      return perm;
    }
    const s = state.sessions.get(accessKeyId);
    if (!s) throw new ApiError('InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    if (!securityToken) throw new ApiError('MissingSecurityToken', 'SecurityToken is mandatory for this action.');
    const owner = state.sessionsByToken.get(securityToken);
    if (!owner) throw new ApiError('InvalidSecurityToken.Malformed', 'Specified SecurityToken is malformed.');
    if (owner !== s) throw new ApiError('InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.');
    if (Date.now() >= s.expiresAt) throw new ApiError('InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.');
    return s;
  }

  /** @param {string} ts @param {string} what */
  function checkTimestamp(ts, what) {
    if (!TIMESTAMP.test(ts)) throw new ApiError('InvalidTimeStamp.Format', `Specified ${what} is not valid.`);
    if (Math.abs(Date.parse(ts) - Date.now()) > CLOCK_SKEW_MS) throw new ApiError('InvalidTimeStamp.Expired', `Specified time stamp or date value is expired.`);
  }
  /** @param {string} nonce */
  function checkNonce(nonce) {
    const now = Date.now();
    for (const [n, t] of nonces) if (now - t > CLOCK_SKEW_MS) nonces.delete(n);
    if (nonces.has(nonce)) throw new ApiError('SignatureNonceUsed', 'Specified signature nonce was used already.');
  }

  /**
   * Verifies an ACS3-HMAC-SHA256 request (what @alicloud/openapi-core sends by default).
   * @param {Ctx} ctx @param {string} authorization
   */
  function verifyAcs3(ctx, authorization) {
    const m = /^(\S+)\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)\s*$/.exec(authorization);
    if (!m) throw new ApiError('IncompleteSignature', 'The request signature does not conform to Aliyun standards.');
    const [, algorithm, accessKeyId, signedHeaderList, signature] = m;
    ctx.record.accessKeyId = accessKeyId;
    if (algorithm !== 'ACS3-HMAC-SHA256') throw new ApiError('InvalidSignatureMethod', `Specified signature method ${algorithm} is not supported.`);
    const headers = ctx.req.headers;
    const signed = signedHeaderList.toLowerCase().split(';');
    const mustSign = ['host', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256'];
    if (headers['x-acs-security-token'] !== undefined) mustSign.push('x-acs-security-token');
    for (const h of mustSign) {
      if (!signed.includes(h) || headers[h] === undefined)
        throw new ApiError('IncompleteSignature', `The request signature does not conform to Aliyun standards: header ${h} must be signed.`);
    }
    checkTimestamp(String(headers['x-acs-date']), 'x-acs-date');
    const nonce = String(headers['x-acs-signature-nonce']);
    checkNonce(nonce);
    const token = headers['x-acs-security-token'] === undefined ? undefined : String(headers['x-acs-security-token']);
    const principal = principalOf(accessKeyId, token);

    const rawQuery = ctx.url.search.startsWith('?') ? ctx.url.search.slice(1) : '';
    const canonicalQuery = [...new URLSearchParams(rawQuery)]
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
      throw new ApiError('SignatureDoesNotMatch', `Specified signature does not match our calculation. server string to sign is:${stringToSign}`);
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
    if (!accessKeyId) throw missingParameter('AccessKeyId');
    ctx.record.accessKeyId = accessKeyId;
    const method = params.get('SignatureMethod');
    if (method !== 'HMAC-SHA1' || (params.get('SignatureVersion') ?? '1.0') !== '1.0') {
      throw new ApiError('InvalidSignatureMethod', `Specified signature method ${method ?? '(none)'} is not supported.`);
    }
    const ts = params.get('Timestamp');
    if (!ts) throw missingParameter('Timestamp');
    checkTimestamp(ts, 'Timestamp');
    const nonce = params.get('SignatureNonce');
    if (!nonce) throw missingParameter('SignatureNonce');
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
      throw new ApiError('SignatureDoesNotMatch', `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`);
    }
    nonces.set(nonce, Date.now());
    return principal;
  }

  /** The principal that signed the request, whichever signature it carries. @param {Ctx} ctx @returns {Principal} */
  function authenticate(ctx) {
    const authorization = ctx.req.headers.authorization;
    if (authorization) return verifyAcs3(ctx, authorization);
    const params = rpcParams(ctx);
    if (params.has('Signature')) return verifyRpcSha1(ctx, params);
    throw missingParameter('AccessKeyId');
  }

  return { authenticate };
}

/**
 * @typedef {{
 *   anonymous?: false,
 *   run: (params: Map<string, string>, principal: Principal, ctx: Ctx) => Record<string, unknown>,
 * } | {
 *   anonymous: true,
 *   accountOf: (params: Map<string, string>) => string | undefined,
 *   run: (params: Map<string, string>, principal: undefined, ctx: Ctx) => Record<string, unknown>,
 * }} RpcAction
 * An action: signed (the signer's account is throttled), or anonymous (accountOf says which account is throttled).
 */

/**
 * The request handler of an RPC product: gateway checks, faults, flow control, then the action.
 * @param {Core} core
 * @param {{ product: string, host: string, version: string, family: string, actions: Record<string, RpcAction>,
 *   truncated: () => string }} api
 *   `product` and `host` name the product in error bodies; `family` is the fault target of every action and names its
 *   flow control; `truncated` is a whole answer, of which the truncated fault sends half.
 */
export function createRpcHandler(core, { product, host, version, family, actions, truncated }) {
  const { plumbing, verifier } = core;

  /** @param {Ctx} ctx @param {string} code @param {string} message @param {number} status @param {Record<string, unknown>} [extra] @param {Record<string, string>} [headers] */
  function sendError(ctx, code, message, status, extra, headers = {}) {
    const id = requestId();
    plumbing.sendJson(
      ctx,
      status,
      {
        RequestId: id,
        HostId: host,
        Code: code,
        Message: message,
        Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=${product}&requestId=${id}`,
        ...(extra ?? {}),
      },
      { 'x-acs-request-id': id, ...headers },
      code,
    );
  }

  /** @type {FaultAnswers} */
  const faultAnswers = {
    truncated,
    throttle: (ctx, headers) => sendError(ctx, 'Throttling.User', 'Request was denied due to user flow control.', 400, undefined, headers),
    status: (ctx, status, code, message) => sendError(ctx, code, message, status),
    error: (ctx, status, code, message) => sendError(ctx, code, message, status),
  };

  /** Flow control counts each product's requests per account apart. @param {string} accountId */
  function admit(accountId) {
    if (!plumbing.admit(`${family}:${accountId}`)) throw new ApiError('Throttling.User', 'Request was denied due to user flow control.');
  }

  /** @param {Ctx} ctx */
  return function handle(ctx) {
    const { req } = ctx;
    const params = rpcParams(ctx);
    const action = paramOrHeader(ctx, 'Action', 'x-acs-action');
    const target = action && Object.hasOwn(actions, action) ? action : family;
    ctx.record.target = /** @type {import('../types.js').RequestTarget} */ (target);
    plumbing.arrived(target);
    /** @type {Record<string, string>} */
    const logged = {};
    for (const [k, v] of params) if (!SECRET_PARAMS.includes(k)) logged[k] = v;
    ctx.record.params = logged;
    ctx.record.auth = req.headers.authorization ? 'ACS3-HMAC-SHA256' : params.has('Signature') ? 'HMAC-SHA1' : 'anonymous';

    if (plumbing.applyFault(ctx, plumbing.takeFault(target, family), faultAnswers)) return;
    try {
      if (req.method !== 'GET' && req.method !== 'POST') throw new ApiError('UnsupportedHTTPMethod', `Specified HTTP method ${req.method} is not supported.`);
      if (!action) throw missingParameter('Action');
      if (!Object.hasOwn(actions, action)) throw new ApiError('InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
      const v = paramOrHeader(ctx, 'Version', 'x-acs-version');
      if (!v) throw missingParameter('Version');
      if (v !== version) throw new ApiError('InvalidVersion', 'Specified parameter Version is not valid.');

      const spec = actions[action];
      /** @type {Record<string, unknown>} */
      let result;
      if (spec.anonymous) {
        // Anonymous API: a signature, if any, is not looked at.
        const account = spec.accountOf(params);
        if (account) admit(account);
        result = spec.run(params, undefined, ctx);
      } else {
        const principal = verifier.authenticate(ctx);
        // As ActionTrail shows for every action of a role session: the source identity it carries.
        if (principal.kind === 'session' && principal.sourceIdentity !== undefined) ctx.record.sourceIdentity = principal.sourceIdentity;
        admit(principal.accountId);
        result = spec.run(params, principal, ctx);
      }
      const id = requestId();
      plumbing.sendJson(ctx, 200, { RequestId: id, ...result }, { 'x-acs-request-id': id });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      sendError(ctx, e.code, e.message, e.status, e.extra);
    }
  };
}
