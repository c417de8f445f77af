export const id = 157;
export const ids = [157];
export const modules = {

/***/ 8564:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DM: () => (/* binding */ parseRoleArn),
/* harmony export */   Ow: () => (/* binding */ accountIdOf),
/* harmony export */   as: () => (/* binding */ assumedRoleArn),
/* harmony export */   df: () => (/* binding */ parseOidcProviderArn)
/* harmony export */ });
// Alibaba Cloud Resource Names (ARNs) as RAM and STS write them. Pure: no I/O.
const ACCOUNT = '(\\d{1,20})';
// RAM allows role and IdP names of 1-64 letters, digits, '.', '-' and '_'; a role may sit under a path.
const NAME = '([A-Za-z0-9._-]{1,64})';
const ROLE_ARN = new RegExp(`^acs:ram::${ACCOUNT}:role/((?:[A-Za-z0-9._-]+/)*)${NAME}$`, 'i');
const OIDC_PROVIDER_ARN = new RegExp(`^acs:ram::${ACCOUNT}:oidc-provider/${NAME}$`, 'i');
// An assumed session reads `acs:ram::<account>:role/<role>/<session>` in AssumeRole answers and
// `acs:ram::<account>:assumed-role/<role>/<session>` in GetCallerIdentity; users read `:user/<name>`.
const ANY_RAM_ARN = new RegExp(`^acs:ram::${ACCOUNT}:`, 'i');
function parseRoleArn(value) {
    const match = ROLE_ARN.exec(value);
    if (!match)
        return undefined;
    return { arn: value, accountId: match[1], roleName: match[3] };
}
function parseOidcProviderArn(value) {
    const match = OIDC_PROVIDER_ARN.exec(value);
    return match ? { arn: value, accountId: match[1] } : undefined;
}
/** The account ID of any RAM ARN (role, assumed role, user, IdP), or undefined if it is not one. */
function accountIdOf(arn) {
    return ANY_RAM_ARN.exec(arn)?.[1];
}
/** `acs:ram::<account>:role/<role>/<session>` (AssumeRole's form) → the `assumed-role` form users see elsewhere. */
function assumedRoleArn(assumedRoleUserArn) {
    return assumedRoleUserArn.replace(/^(acs:ram::\d+:)role\//i, '$1assumed-role/');
}


/***/ }),

/***/ 3029:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F: () => (/* binding */ secretsOf),
/* harmony export */   n: () => (/* binding */ isoSeconds)
/* harmony export */ });
// What every source and every STS call produces.
function secretsOf(credentials) {
    return [credentials.accessKeyId, credentials.accessKeySecret, credentials.securityToken].filter((value) => Boolean(value));
}
/** ISO 8601 UTC to the second, as STS writes it: 2026-04-23T10:00:00Z. */
function isoSeconds(date) {
    return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}


/***/ }),

/***/ 3916:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   M3: () => (/* binding */ formatFailure),
/* harmony export */   Nk: () => (/* binding */ describeStsCode),
/* harmony export */   dz: () => (/* binding */ InputError),
/* harmony export */   lZ: () => (/* binding */ ActionError)
/* harmony export */ });
/* unused harmony exports OIDC_TOKEN_EXPIRED, STS_ERROR_CODES, redact */
// Error kinds, STS error codes with what to change, and redaction. Pure: no I/O.
class ActionError extends Error {
    kind;
    hint;
    details;
    constructor(kind, message, hint, details = {}) {
        super(message);
        this.kind = kind;
        this.hint = hint;
        this.details = details;
        this.name = 'ActionError';
    }
    get retryable() {
        return RETRYABLE_KINDS.has(this.kind) || this.details.code === OIDC_TOKEN_EXPIRED;
    }
}
/** Bad input: the message names the input and what to write instead. Raised before any network call. */
class InputError extends ActionError {
    input;
    constructor(input, message, hint) {
        super('input', `Input ${input}: ${message}`, hint);
        this.input = input;
        this.name = 'InputError';
    }
}
const RETRYABLE_KINDS = new Set(['throttled', 'server', 'network']);
// A GitHub OIDC token lives about five minutes; a slow queue can outlive it. A fresh token fixes it.
const OIDC_TOKEN_EXPIRED = 'AuthenticationFail.OIDCToken.Expired';
const TRUST_POLICY = "Check the role's trust policy: the Federated principal must be `oidc-provider-arn`, and the oidc:iss, oidc:aud " +
    'and oidc:sub conditions must match the token claims printed above.';
/**
 * Every STS error code the action can meet, with what to change. docs/TROUBLESHOOTING.md lists the same codes;
 * a test keeps the two in step.
 */
const STS_ERROR_CODES = {
    'AuthenticationFail.OIDCToken.Expired': {
        kind: 'trust',
        hint: 'The OIDC token expired before STS checked it. The action fetches a fresh one on retry; if this persists, check the runner clock and the token file refresh (`oidc-token-file`).',
    },
    'AuthenticationFail.OIDCToken.Invalid': {
        kind: 'trust',
        hint: "STS could not verify the OIDC token. Check the RAM OIDC identity provider: its issuer URL must be the token's `iss` (https://token.actions.githubusercontent.com for GitHub) and its fingerprint must be current.",
    },
    'AuthenticationFail.OIDCToken.IssuerNotMatch': {
        kind: 'trust',
        hint: "The token's issuer is not the issuer URL of the OIDC identity provider named by `oidc-provider-arn`. Set the IdP's issuer URL to the token's `iss`, or use the IdP made for this issuer.",
    },
    'AuthenticationFail.OIDCToken.AudienceNotMatch': {
        kind: 'trust',
        hint: "The token's audience is not a Client ID of the OIDC identity provider. Add the value of `audience` (default sts.aliyuncs.com) to the IdP's Client IDs, or set `audience` to one of them; the trust policy's oidc:aud must match too.",
    },
    'AuthenticationFail.OIDCToken.InvalidSignature': {
        kind: 'trust',
        hint: "The token's signature does not verify against the issuer's keys. Check the IdP's issuer URL; if you use `oidc-token-file`, the file must hold a token from that issuer.",
    },
    'AuthenticationFail.OIDCToken.PublicKeyFingerprintMismatch': {
        kind: 'trust',
        hint: "The issuer's TLS certificate no longer matches the IdP's fingerprint. Update the fingerprint of the OIDC identity provider in RAM (docs/SETUP.md shows how to compute it).",
    },
    'AuthenticationFail.OIDCToken.IssuerConfigurationBroken': {
        kind: 'trust',
        hint: "STS could not read the issuer's OpenID configuration or keys. Check the IdP's issuer URL; for a self-hosted issuer, its /.well-known/openid-configuration must be reachable from the internet.",
    },
    'AuthenticationFail.NoPermission': {
        kind: 'trust',
        hint: `The role does not trust this token. ${TRUST_POLICY}`,
    },
    'EntityNotExist.Role': {
        kind: 'permission',
        hint: 'No such role. Check `role-to-assume` (acs:ram::<account-id>:role/<name>): the account ID and the role name as shown in the RAM console.',
    },
    'EntityNotExist.OIDCProvider': {
        kind: 'trust',
        hint: 'No such OIDC identity provider. Check `oidc-provider-arn` (acs:ram::<account-id>:oidc-provider/<name>) against RAM > SSO > OIDC.',
    },
    NoPermission: {
        kind: 'permission',
        hint: 'The source identity may not assume this role. Grant it sts:AssumeRole (for example the AliyunSTSAssumeRoleAccess policy) and make the role trust its account or principal; with `role-external-id`, the value must match the trust policy.',
    },
    'NoPermission.AssumeRole': {
        kind: 'permission',
        hint: 'The source identity may not assume this role. Grant it sts:AssumeRole and make the role trust its account or principal.',
    },
    'InvalidParameter.RoleArn': {
        kind: 'input',
        hint: 'STS rejected the role ARN. Write `role-to-assume` as acs:ram::<account-id>:role/<name>.',
    },
    'InvalidParameter.OIDCProviderArn': {
        kind: 'input',
        hint: 'STS rejected the OIDC provider ARN. Write `oidc-provider-arn` as acs:ram::<account-id>:oidc-provider/<name>.',
    },
    'InvalidParameter.RoleSessionName': {
        kind: 'input',
        hint: 'Set `role-session-name` to 2-64 characters of A-Z a-z 0-9 . @ - _.',
    },
    'InvalidParameter.DurationSeconds': {
        kind: 'input',
        hint: "Lower `role-session-expiration` to at most the role's maximum session duration (RAM console > role > Maximum session duration), or raise that maximum.",
    },
    'InvalidParameter.PolicyGrammar': {
        kind: 'input',
        hint: 'Fix `inline-session-policy`: it must be a RAM policy document ({"Version":"1","Statement":[...]}).',
    },
    'InvalidParameter.ExternalId': {
        kind: 'input',
        hint: "Set `role-external-id` to the ExternalId required by the role's trust policy.",
    },
    'InvalidParameter.PolicySize': {
        kind: 'input',
        hint: 'Shorten `inline-session-policy`: STS limits its length (2048 characters). Use wildcards or fewer statements.',
    },
    MissingParameter: {
        kind: 'input',
        hint: 'A required parameter did not reach STS. Check `role-to-assume`, `oidc-provider-arn` and the token source.',
    },
    'MissingParameter.RoleArn': { kind: 'input', hint: 'Set `role-to-assume`.' },
    'MissingParameter.RoleSessionName': { kind: 'input', hint: 'Set `role-session-name`, or leave it out for the default.' },
    'MissingParameter.OIDCProviderArn': { kind: 'input', hint: 'Set `oidc-provider-arn`.' },
    MissingSecurityToken: {
        kind: 'credentials',
        hint: 'STS AccessKeys (STS.…) need their security token: pass `security-token` (or ALIBABA_CLOUD_SECURITY_TOKEN with `role-chaining`).',
    },
    IncompleteSignature: {
        kind: 'credentials',
        hint: 'STS found the request signature incomplete. A proxy may be rewriting requests; otherwise report it with the RequestId.',
    },
    InvalidSignatureMethod: {
        kind: 'credentials',
        hint: 'STS does not accept the signature method. A proxy may be rewriting requests; otherwise report it with the RequestId.',
    },
    SignatureNonceUsed: {
        kind: 'credentials',
        hint: 'STS saw the same request twice (a replayed nonce). A proxy may be retrying requests; the action sends a fresh nonce each attempt.',
    },
    'InvalidTimeStamp.Format': {
        kind: 'credentials',
        hint: "STS could not read the request's timestamp. Check the runner's clock and locale settings.",
    },
    'InvalidAction.NotFound': {
        kind: 'server',
        hint: 'The endpoint does not know this STS action: `sts-endpoint` may point at another service.',
    },
    InvalidVersion: {
        kind: 'server',
        hint: 'The endpoint does not speak STS 2015-04-01: `sts-endpoint` may point at another service.',
    },
    UnsupportedHTTPMethod: {
        kind: 'server',
        hint: 'The endpoint refused the HTTP method: `sts-endpoint` may point at another service, or a proxy rewrites requests.',
    },
    'InvalidAccessKeyId.NotFound': {
        kind: 'credentials',
        hint: 'The AccessKey ID does not exist. Check the secret behind `access-key-id` (or the ALIBABA_CLOUD_ACCESS_KEY_ID of the earlier step with `role-chaining`).',
    },
    'InvalidAccessKeyId.Inactive': {
        kind: 'credentials',
        hint: 'The AccessKey is disabled. Enable it in the RAM console or use an active one.',
    },
    SignatureDoesNotMatch: {
        kind: 'credentials',
        hint: 'The AccessKey secret does not belong to the AccessKey ID. Check the secret behind `access-key-secret`.',
    },
    'InvalidSecurityToken.Expired': {
        kind: 'credentials',
        hint: 'The source STS credentials have expired. Get fresh ones (run the earlier step again, or lower the time between the steps).',
    },
    'InvalidSecurityToken.MismatchWithAccessKey': {
        kind: 'credentials',
        hint: 'The security token does not belong to the AccessKey ID. Pass the three values of one STS session (`security-token` with its own keys).',
    },
    'InvalidSecurityToken.Malformed': {
        kind: 'credentials',
        hint: 'The security token is malformed or missing. STS AccessKeys (STS.…) need `security-token`.',
    },
    'InvalidTimeStamp.Expired': {
        kind: 'credentials',
        hint: "The request's timestamp is too far from STS's clock. Check the runner's clock (NTP).",
    },
    Throttling: { kind: 'throttled', hint: 'STS throttled the request. The action retries with backoff; raise `retry-max-attempts` or spread out parallel jobs.' },
    'Throttling.User': { kind: 'throttled', hint: 'STS throttled the requests of this account. The action retries with backoff; raise `retry-max-attempts` or spread out parallel jobs.' },
    'Throttling.Api': { kind: 'throttled', hint: 'STS throttled this API. The action retries with backoff; raise `retry-max-attempts` or spread out parallel jobs.' },
    InternalError: { kind: 'server', hint: 'STS failed on its side. The action retries; if it persists, try another `region` endpoint and quote the RequestId to Alibaba Cloud support.' },
    ServiceUnavailable: { kind: 'server', hint: 'STS is unavailable. The action retries; if it persists, try another `region` endpoint.' },
};
/** Kind and hint for an STS error code: the code itself, else its family, else the HTTP status. */
function describeStsCode(code, status) {
    if (code && STS_ERROR_CODES[code])
        return STS_ERROR_CODES[code];
    if (code?.startsWith('Throttling'))
        return STS_ERROR_CODES.Throttling;
    if (code?.startsWith('AuthenticationFail.'))
        return STS_ERROR_CODES['AuthenticationFail.NoPermission'];
    if (code?.startsWith('InvalidAccessKeyId'))
        return STS_ERROR_CODES['InvalidAccessKeyId.NotFound'];
    if (code?.startsWith('InvalidSecurityToken'))
        return STS_ERROR_CODES['InvalidSecurityToken.Malformed'];
    if (code?.startsWith('EntityNotExist'))
        return STS_ERROR_CODES['EntityNotExist.Role'];
    if (code?.startsWith('NoPermission') || status === 403)
        return STS_ERROR_CODES.NoPermission;
    if (code?.startsWith('InvalidParameter') || code?.startsWith('MissingParameter')) {
        return { kind: 'input', hint: 'STS rejected a parameter; the message above names it. Check the matching input.' };
    }
    if (status === 429)
        return STS_ERROR_CODES.Throttling;
    if (status !== undefined && status >= 500)
        return STS_ERROR_CODES.ServiceUnavailable;
    return { kind: 'server', hint: 'Unexpected answer from STS; quote the RequestId to Alibaba Cloud support.' };
}
const REDACTED = '***';
// Values that must never be printed, even when no list of secrets is at hand: JWTs (OIDC tokens), and the
// secret-bearing query or JSON fields of STS requests and answers.
const SECRET_PATTERNS = [
    /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g,
    /((?:OIDCToken|SecurityToken|AccessKeySecret|Signature|security[-_]token)=)[^&\s"']+/gi,
    /("(?:AccessKeySecret|SecurityToken|OIDCToken|accessKeySecret|securityToken)"\s*:\s*")[^"]*/g,
];
/** Removes every known secret, in plain and URL-encoded form, and anything shaped like one. */
function redact(text, secrets = []) {
    let out = text;
    for (const secret of secrets) {
        if (secret.length < 4)
            continue;
        for (const form of new Set([secret, encodeURIComponent(secret)]))
            out = out.split(form).join(REDACTED);
    }
    for (const pattern of SECRET_PATTERNS) {
        out = out.replace(pattern, (_match, prefix) => (typeof prefix === 'string' ? prefix + REDACTED : REDACTED));
    }
    return out;
}
/** The one line (plus hint) a failed step prints. */
function formatFailure(error, secrets = []) {
    if (!(error instanceof ActionError)) {
        const message = error instanceof Error ? error.message : String(error);
        return redact(message, secrets);
    }
    const requestId = error.details.requestId ? ` (RequestId: ${error.details.requestId})` : '';
    const hint = error.hint ? `\n${error.hint}` : '';
    return redact(`${error.message}${requestId}${hint}`, secrets);
}


/***/ }),

/***/ 4157:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  F: () => (/* binding */ runPlan)
});

// EXTERNAL MODULE: ./src/credentials.ts
var src_credentials = __webpack_require__(3029);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
;// CONCATENATED MODULE: ./src/jwt.ts
// Reads the claims of a JWT without verifying it: only to show the user which claims STS compared with the
// role's trust policy. Pure: no I/O.
/** Claims that identify the workflow and are safe to print. The token itself never is. */
const PRINTABLE_CLAIMS = ['iss', 'aud', 'sub', 'job_workflow_ref', 'repository', 'ref', 'environment'];
function printableClaims(token) {
    const payload = token.split('.')[1];
    if (!payload)
        return {};
    let claims;
    try {
        claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    }
    catch {
        return {};
    }
    if (typeof claims !== 'object' || claims === null)
        return {};
    const out = {};
    for (const name of PRINTABLE_CLAIMS) {
        const value = claims[name];
        if (typeof value === 'string')
            out[name] = value;
        else if (Array.isArray(value))
            out[name] = value.join(',');
    }
    return out;
}

// EXTERNAL MODULE: ./src/retry.ts
var src_retry = __webpack_require__(9809);
;// CONCATENATED MODULE: ./src/sources/environment.ts
// Role chaining: the credentials an earlier step exported (this action or another) are the source.

function credentialsFromEnvironment(env) {
    const accessKeyId = env.ALIBABA_CLOUD_ACCESS_KEY_ID;
    const accessKeySecret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
    if (!accessKeyId || !accessKeySecret) {
        throw new errors/* InputError */.dz('role-chaining', 'found no ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET in the environment.', 'Run a step that exports credentials first (for example this action with the OIDC flow), then this one with `role-chaining: true`.');
    }
    return { accessKeyId, accessKeySecret, securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN || undefined };
}

;// CONCATENATED MODULE: ./src/http.ts
// A small HTTP client for the non-STS calls (GitHub's token endpoint, the metadata service, a credentials URI):
// node:http with connect and read timeouts, no keep-alive, and errors that are ActionErrors.

const MAX_BODY_BYTES = 1 << 20;
async function request(req) {
    const url = new URL(req.url);
    const { request: send } = url.protocol === 'https:' ? await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 4708, 23)) : await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 7067, 23));
    return new Promise((resolve, reject) => {
        const fail = (message) => reject(new errors/* ActionError */.lZ('network', `${req.service} did not answer: ${message}`, `Check that the runner can reach ${url.host}.`));
        const outgoing = send(url, { method: req.method ?? 'GET', headers: { ...req.headers, connection: 'close' }, agent: false }, (res) => {
            const chunks = [];
            let size = 0;
            res.on('data', (chunk) => {
                size += chunk.length;
                if (size > MAX_BODY_BYTES)
                    outgoing.destroy(new Error('answer too large'));
                else
                    chunks.push(chunk);
            });
            res.on('end', () => {
                clearTimeout(readTimer);
                resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
            });
            res.on('error', (error) => fail(error.message));
        });
        const connectTimer = setTimeout(() => outgoing.destroy(new Error(`no connection within ${req.connectTimeoutMs} ms`)), req.connectTimeoutMs);
        let readTimer;
        outgoing.on('socket', (socket) => {
            const started = () => {
                clearTimeout(connectTimer);
                readTimer = setTimeout(() => outgoing.destroy(new Error(`no answer within ${req.readTimeoutMs} ms`)), req.readTimeoutMs);
            };
            if (socket.connecting)
                socket.once('connect', started);
            else
                started();
        });
        outgoing.on('error', (error) => {
            clearTimeout(connectTimer);
            clearTimeout(readTimer);
            fail(error.code ? `${error.code} ${error.message}` : error.message);
        });
        outgoing.on('close', () => {
            clearTimeout(connectTimer);
            clearTimeout(readTimer);
        });
        outgoing.end();
    });
}
/** Parses a JSON object body; anything else (an HTML error page, a cut body) is a retryable server error. */
function jsonObject(res, service) {
    try {
        const value = JSON.parse(res.body);
        if (typeof value === 'object' && value !== null && !Array.isArray(value))
            return value;
    }
    catch {
        // reported below
    }
    const type = String(res.headers['content-type'] ?? 'no content type');
    throw new errors/* ActionError */.lZ('server', `${service} answered HTTP ${res.status} with a body that is not a JSON object (${type}).`, 'A proxy may have answered instead; the action retries.');
}
/** A non-2xx answer: 5xx and 429 are worth another try, anything else is for the user to fix. */
function statusError(res, service, hint) {
    const retryable = res.status >= 500 || res.status === 429;
    const kind = retryable ? (res.status === 429 ? 'throttled' : 'server') : res.status === 401 || res.status === 403 ? 'permission' : 'credentials';
    return new errors/* ActionError */.lZ(kind, `${service} answered HTTP ${res.status}.`, hint, { status: res.status });
}

;// CONCATENATED MODULE: ./src/sources/sts-json.ts
// The JSON shape in which the metadata service and credentials URIs hand out STS credentials.

function credentialsFromJson(body, service, hint) {
    const { Code, AccessKeyId, AccessKeySecret, SecurityToken, Expiration } = body;
    if (Code !== undefined && Code !== 'Success') {
        throw new errors/* ActionError */.lZ('credentials', `${service} answered Code ${JSON.stringify(Code)} instead of "Success".`, hint);
    }
    const expiration = typeof Expiration === 'string' ? new Date(Expiration) : undefined;
    const missing = [
        typeof AccessKeyId === 'string' && AccessKeyId ? '' : 'AccessKeyId',
        typeof AccessKeySecret === 'string' && AccessKeySecret ? '' : 'AccessKeySecret',
        typeof SecurityToken === 'string' && SecurityToken ? '' : 'SecurityToken',
        expiration && !Number.isNaN(expiration.getTime()) ? '' : 'Expiration',
    ].filter(Boolean);
    if (missing.length > 0) {
        throw new errors/* ActionError */.lZ('credentials', `${service} answered without ${missing.join(', ')}.`, `${hint} The answer must be JSON with Code "Success", AccessKeyId, AccessKeySecret, SecurityToken and Expiration (ISO 8601).`);
    }
    if (expiration.getTime() <= Date.now()) {
        throw new errors/* ActionError */.lZ('credentials', `${service} handed out credentials that expired at ${Expiration}.`, hint);
    }
    return { accessKeyId: AccessKeyId, accessKeySecret: AccessKeySecret, securityToken: SecurityToken, expiration };
}

;// CONCATENATED MODULE: ./src/sources/credentials-uri.ts
// A credential broker: GET the URI, which answers STS credentials as JSON (Prowler's --credentials-uri shape).


const SERVICE = 'The credentials URI';
const HINT = 'Check `credentials-uri` and the broker behind it.';
async function fetchFromCredentialsUri(uri, timeouts) {
    const res = await request({ url: uri, headers: { accept: 'application/json' }, service: SERVICE, ...timeouts });
    if (res.status !== 200)
        throw statusError(res, SERVICE, HINT);
    return credentialsFromJson(jsonObject(res, SERVICE), SERVICE, HINT);
}

;// CONCATENATED MODULE: ./src/sources/ecs-metadata.ts
// The ECS instance RAM role, from the metadata service. IMDSv2 first: a session token from
// PUT /latest/api/token, sent with every read. Only a service with no token endpoint at all (404/405)
// is read the v1 way. @alicloud/credentials' provider falls back to v1 on any token failure, which would
// quietly downgrade on an instance that enforces v2, so this reads the service itself.



const METADATA_ORIGIN = 'http://100.100.100.200';
const ecs_metadata_SERVICE = 'The ECS metadata service';
const TOKEN_TTL_SECONDS = '300';
// On a runner outside ECS nothing answers at 100.100.100.200; give up quickly.
const TIMEOUTS = { connectTimeoutMs: 1000, readTimeoutMs: 2000 };
async function fetchFromEcsMetadata(roleName, origin = METADATA_ORIGIN) {
    const token = await metadataToken(origin);
    const res = await get(`${origin}/latest/meta-data/ram/security-credentials/${encodeURIComponent(roleName)}`, token);
    if (res.status === 404) {
        const roles = await get(`${origin}/latest/meta-data/ram/security-credentials/`, token);
        const attached = roles.status === 200 ? roles.body.trim().split(/\s+/).filter(Boolean) : [];
        throw new errors/* ActionError */.lZ('credentials', `The instance has no RAM role named ${roleName}.`, attached.length > 0 ? `Set \`ecs-ram-role\` to the attached role: ${attached.join(', ')}.` : 'Attach a RAM role to the ECS instance (ECS console > instance > Instance RAM role), then set `ecs-ram-role` to its name.');
    }
    if (res.status !== 200)
        throw statusError(res, ecs_metadata_SERVICE, 'Check the instance RAM role in the ECS console.');
    return credentialsFromJson(jsonObject(res, ecs_metadata_SERVICE), ecs_metadata_SERVICE, 'Check the instance RAM role in the ECS console.');
}
async function metadataToken(origin) {
    let res;
    try {
        res = await request({ url: `${origin}/latest/api/token`, method: 'PUT', headers: { 'x-aliyun-ecs-metadata-token-ttl-seconds': TOKEN_TTL_SECONDS }, service: ecs_metadata_SERVICE, ...TIMEOUTS });
    }
    catch (error) {
        // Not worth retrying: on a machine outside ECS the address never answers.
        throw new errors/* ActionError */.lZ('input', `No ECS metadata service answered at ${origin} (${error.message}).`, '`ecs-ram-role` works only on a self-hosted runner on an ECS instance. On GitHub-hosted runners use the OIDC flow (`role-to-assume` + `oidc-provider-arn`).');
    }
    if (res.status === 200 && res.body.trim())
        return res.body.trim();
    if (res.status === 404 || res.status === 405)
        return undefined;
    throw statusError(res, ecs_metadata_SERVICE, 'The metadata service refused a session token (IMDSv2).');
}
function get(url, token) {
    return request({ url, headers: token ? { 'x-aliyun-ecs-metadata-token': token } : {}, service: ecs_metadata_SERVICE, ...TIMEOUTS });
}

;// CONCATENATED MODULE: ./src/sources/github-oidc.ts
// GitHub's OIDC token for this job, from the endpoint the runner exposes with `permissions: id-token: write`.


const github_oidc_SERVICE = "GitHub's OIDC token endpoint";
async function fetchGithubToken(endpoint, audience, timeouts) {
    // The runner's URL already carries a query (api-version), so the audience is appended with '&'.
    const separator = endpoint.url.includes('?') ? '&' : '?';
    const res = await request({
        url: `${endpoint.url}${separator}audience=${encodeURIComponent(audience)}`,
        headers: { authorization: `Bearer ${endpoint.bearer}`, accept: 'application/json' },
        service: github_oidc_SERVICE,
        ...timeouts,
    });
    if (res.status !== 200) {
        throw statusError(res, github_oidc_SERVICE, 'GitHub did not issue an OIDC token. Check that the job has `permissions: id-token: write`; a retry follows for server errors.');
    }
    const value = jsonObject(res, github_oidc_SERVICE).value;
    if (typeof value !== 'string' || value.split('.').length !== 3) {
        throw new errors/* ActionError */.lZ('server', `${github_oidc_SERVICE} answered without a token.`, 'Try again; if it persists, check https://www.githubstatus.com.');
    }
    return value;
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
;// CONCATENATED MODULE: ./src/sources/token-file.ts
// An OIDC token from a file that something else keeps fresh (ACK RRSA mounts one into the pod).


async function readTokenFile(path) {
    let token;
    try {
        token = (await (0,promises_.readFile)(path, 'utf8')).trim();
    }
    catch (error) {
        const code = error.code ?? 'error';
        throw new errors/* InputError */.dz('oidc-token-file', `cannot read ${path} (${code}).`, 'Give the path of the token file mounted on this runner, e.g. the value of ALIBABA_CLOUD_OIDC_TOKEN_FILE in an ACK RRSA pod.');
    }
    if (token.split('.').length !== 3) {
        throw new errors/* InputError */.dz('oidc-token-file', `${path} does not hold a JWT.`, 'The file must contain the OIDC token alone (three dot-separated parts).');
    }
    return token;
}

// EXTERNAL MODULE: ./src/arn.ts
var arn = __webpack_require__(8564);
;// CONCATENATED MODULE: ./src/sts.ts
// The only module that talks to STS, through Alibaba's own SDK (@alicloud/sts20150401).
// It is loaded on first use, so a run that never calls STS (or the post step) does not pay for it.


let sdk;
function loadSdk() {
    // Node hands over module.exports as `default`; a bundler that honours `__esModule` hands over the exports
    // themselves, whose `default` is then the class.
    sdk ??= __webpack_require__.e(/* import() */ 979).then(__webpack_require__.t.bind(__webpack_require__, 4979, 23)).then((mod) => (typeof mod.default === 'function' ? mod : mod.default));
    return sdk;
}
async function client(settings, credentials) {
    const mod = await loadSdk();
    const Client = mod.default;
    // The SDK reads its Config and RuntimeOptions as plain fields, so plain objects do; this keeps the
    // SDK's own base package out of our imports.
    const config = {
        endpoint: settings.endpoint.host,
        protocol: settings.endpoint.protocol,
        accessKeyId: credentials?.accessKeyId,
        accessKeySecret: credentials?.accessKeySecret,
        securityToken: credentials?.securityToken,
        connectTimeout: settings.connectTimeoutMs,
        readTimeout: settings.readTimeoutMs,
    };
    return { sts: new Client(config), mod };
}
// retryOptions stays unset: the SDK then never retries, and retry.ts owns every attempt.
function runtime(settings) {
    return { connectTimeout: settings.connectTimeoutMs, readTimeout: settings.readTimeoutMs };
}
async function assumeRoleWithOidc(settings, token, params) {
    const { sts, mod } = await client(settings);
    const request = new mod.AssumeRoleWithOIDCRequest({
        roleArn: params.roleArn,
        OIDCProviderArn: params.oidcProviderArn,
        OIDCToken: token,
        roleSessionName: params.sessionName,
        durationSeconds: params.durationSeconds,
        policy: params.policy,
    });
    const response = await call('AssumeRoleWithOIDC', () => sts.assumeRoleWithOIDCWithOptions(request, runtime(settings)));
    return assumed('AssumeRoleWithOIDC', response.body?.credentials, response.body?.assumedRoleUser?.arn);
}
async function assumeRole(settings, source, params) {
    const { sts, mod } = await client(settings, source);
    const request = new mod.AssumeRoleRequest({
        roleArn: params.roleArn,
        roleSessionName: params.sessionName,
        durationSeconds: params.durationSeconds,
        policy: params.policy,
        externalId: params.externalId,
    });
    const response = await call('AssumeRole', () => sts.assumeRoleWithOptions(request, runtime(settings)));
    return assumed('AssumeRole', response.body?.credentials, response.body?.assumedRoleUser?.arn);
}
async function getCallerIdentity(settings, credentials) {
    const { sts } = await client(settings, credentials);
    const response = await call('GetCallerIdentity', () => sts.getCallerIdentityWithOptions(runtime(settings)));
    const { accountId, arn } = response.body ?? {};
    if (!accountId || !arn)
        throw malformed('GetCallerIdentity');
    return { accountId, arn };
}
function assumed(action, credentials, userArn) {
    const accountId = userArn && (0,arn/* accountIdOf */.Ow)(userArn);
    const expiration = credentials?.expiration ? new Date(credentials.expiration) : undefined;
    if (!credentials?.accessKeyId || !credentials.accessKeySecret || !credentials.securityToken || !userArn || !accountId || !expiration || Number.isNaN(expiration.getTime())) {
        throw malformed(action);
    }
    return {
        credentials: { accessKeyId: credentials.accessKeyId, accessKeySecret: credentials.accessKeySecret, securityToken: credentials.securityToken, expiration },
        identity: { accountId, arn: (0,arn/* assumedRoleArn */.as)(userArn) },
    };
}
function malformed(action) {
    return new errors/* ActionError */.lZ('server', `${action} answered without the expected fields.`, 'The endpoint may not be STS: check `sts-endpoint`, `region` and any proxy in between.');
}
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED', 'UND_ERR_SOCKET']);
async function call(action, send) {
    try {
        return await send();
    }
    catch (error) {
        throw toActionError(action, error);
    }
}
/** Maps whatever the SDK throws to an ActionError. Messages may carry request URLs; main.ts redacts them. */
function toActionError(action, error) {
    const e = (error ?? {});
    const message = typeof e.message === 'string' ? e.message : String(error);
    const errno = typeof e.code === 'string' ? e.code : undefined;
    if ((errno && NETWORK_CODES.has(errno)) || e.name === 'RequestTimeoutError' || /timeout|socket hang up/i.test(message)) {
        const hint = errno === 'ENOTFOUND' || errno === 'EAI_AGAIN'
            ? 'The STS host name does not resolve: check `region`, `use-vpc-endpoint` (VPC endpoints resolve only inside a VPC) and `sts-endpoint`.'
            : 'Check that the runner can reach the STS endpoint (firewall, proxy, `region`, `sts-endpoint`).';
        return new errors/* ActionError */.lZ('network', `${action} could not reach STS: ${message}`, hint);
    }
    if (error instanceof SyntaxError) {
        return new errors/* ActionError */.lZ('server', `${action}: STS answered with a body that is not JSON (${message}).`, 'A proxy or load balancer may have answered instead of STS; the action retries.');
    }
    const code = typeof e.data?.Code === 'string' ? e.data.Code : errno;
    const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
    const requestId = typeof e.data?.RequestId === 'string' ? e.data.RequestId : typeof e.requestId === 'string' && e.requestId !== 'undefined' ? e.requestId : undefined;
    const stsMessage = typeof e.data?.Message === 'string' ? e.data.Message : message;
    // STS answers a failed trust-policy condition (oidc:sub, oidc:aud, oidc:iss, or an untrusted account) with
    // plain NoPermission; its AccessDeniedDetail names the trust policy.
    const deniedBy = e.data?.AccessDeniedDetail?.PolicyType;
    const trustDenied = code === 'NoPermission' && (action === 'AssumeRoleWithOIDC' || deniedBy === 'AssumeRolePolicy');
    const { kind, hint } = trustDenied ? (0,errors/* describeStsCode */.Nk)('AuthenticationFail.NoPermission', status) : (0,errors/* describeStsCode */.Nk)(code, status);
    return new errors/* ActionError */.lZ(kind, `${action} failed: ${code ?? `HTTP ${status ?? '?'}`}: ${stsMessage}`, hint, { code, requestId, status });
}

;// CONCATENATED MODULE: ./src/flow.ts
// Runs a Plan: the source gives the first credentials (or an OIDC token), STS turns them into the final ones.
// Shared by the main step and the refresh helper; it prints nothing itself and reports secrets as they appear.










async function runPlan(plan, ctx) {
    const result = await obtain(plan, ctx);
    for (const secret of (0,src_credentials/* secretsOf */.F)(result.credentials))
        ctx.onSecret(secret);
    return result;
}
async function obtain(plan, ctx) {
    const retry = (step, attempt) => (0,src_retry/* withRetry */.b)(ctx.retry, attempt, { onRetry: (event) => ctx.onRetry(step, event) });
    if (plan.assume?.oidcProviderArn) {
        const getToken = oidcTokenGetter(plan.source, ctx);
        const params = plan.assume;
        return retry('AssumeRoleWithOIDC', async () => {
            // A GitHub token lives about five minutes: every attempt gets a fresh one.
            const token = await getToken();
            ctx.onSecret(token);
            try {
                return await assumeRoleWithOidc(ctx.sts, token, params);
            }
            catch (error) {
                throw withClaims(error, token);
            }
        });
    }
    const source = await sourceCredentials(plan.source, ctx, retry);
    const assume = plan.assume;
    if (assume)
        return retry('AssumeRole', () => assumeRole(ctx.sts, source, assume));
    if (plan.source.kind === 'access-key' || plan.source.kind === 'environment' || ctx.identifyUnassumed) {
        // Static keys are exported as they are, once STS has shown they work and whose they are.
        const identity = await retry('GetCallerIdentity', () => getCallerIdentity(ctx.sts, source));
        return { credentials: source, identity };
    }
    return { credentials: source };
}
function oidcTokenGetter(source, ctx) {
    if (source.kind === 'oidc-token-file')
        return () => readTokenFile(source.path);
    if (source.kind !== 'github-oidc')
        throw new Error(`no OIDC token from a ${source.kind} source`);
    const url = ctx.env.ACTIONS_ID_TOKEN_REQUEST_URL ?? '';
    const bearer = ctx.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN ?? '';
    ctx.onSecret(bearer);
    return () => fetchGithubToken({ url, bearer }, source.audience, ctx.timeouts);
}
async function sourceCredentials(source, ctx, retry) {
    const credentials = await (async () => {
        switch (source.kind) {
            case 'access-key':
                return source.accessKey;
            case 'environment':
                return credentialsFromEnvironment(ctx.env);
            case 'ecs-ram-role':
                return retry('ECS metadata', () => fetchFromEcsMetadata(source.roleName));
            case 'credentials-uri':
                return retry('credentials URI', () => fetchFromCredentialsUri(source.uri, ctx.timeouts));
            default:
                throw new Error(`a ${source.kind} source gives a token, not credentials`);
        }
    })();
    for (const secret of (0,src_credentials/* secretsOf */.F)(credentials))
        ctx.onSecret(secret);
    return credentials;
}
/** A trust failure is fixed in the trust policy; show the claims it was compared with (never the token). */
function withClaims(error, token) {
    if (!(error instanceof errors/* ActionError */.lZ) || error.kind !== 'trust')
        return error;
    const claims = Object.entries(printableClaims(token)).map(([name, value]) => `  ${name}: ${value}`).join('\n');
    if (!claims)
        return error;
    return new errors/* ActionError */.lZ(error.kind, `${error.message}\nClaims of the OIDC token:\n${claims}`, error.hint, error.details);
}


/***/ }),

/***/ 9809:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   b: () => (/* binding */ withRetry),
/* harmony export */   c: () => (/* binding */ DEFAULT_RETRY_POLICY)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
// Classified retries: only what can succeed on a second try is tried again, with full-jitter exponential
// backoff, an attempt cap and an overall deadline so a failing step ends in about a minute.

const DEFAULT_RETRY_POLICY = { deadlineMs: 60_000, baseDelayMs: 500, maxDelayMs: 8_000 };
const sleepFor = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Runs `attempt` (given the attempt number, from 1) until it succeeds, fails for good, or time runs out. */
async function withRetry(policy, attempt, hooks = {}) {
    const { sleep = sleepFor, random = Math.random, now = Date.now } = hooks;
    const start = now();
    for (let n = 1;; n++) {
        try {
            return await attempt(n);
        }
        catch (error) {
            if (!(error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ) || !error.retryable || n >= policy.maxAttempts)
                throw error;
            const waitMs = Math.round(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1)));
            if (now() + waitMs - start >= policy.deadlineMs)
                throw error;
            hooks.onRetry?.({ attempt: n, maxAttempts: policy.maxAttempts, error, waitMs });
            await sleep(waitMs);
        }
    }
}


/***/ })

};
