// What Alibaba Cloud's RPC-style OpenAPI products share (STS 2015-04-01, ResourceManager 2020-03-31): the
// ACS3-HMAC-SHA256 signature, computed exactly as Alibaba's SDK computes it (a test compares the two for both
// products), the fields of an error answer, and the kind of the codes the API gateway answers for every product.
// Pure: no I/O; rpc.ts sends the requests for sts.ts and resource-manager.ts.

import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { Endpoint } from './config.js';
import { type Credentials, isoSeconds } from './credentials.js';
import type { ErrorKind } from './errors.js';
import { clip } from './text.js';

/** One call: the product's API version, the action and its parameters. */
export interface RpcCall {
  readonly version: string;
  readonly action: string;
  readonly query: Readonly<Record<string, string>>;
}

export interface SignedRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
}

const EMPTY_BODY_SHA256 = createHash('sha256').update('').digest('hex');

/**
 * An ACS3-HMAC-SHA256 signed RPC request with an empty body, as @alicloud/openapi-core builds it: the API parameters
 * in the query, the action and version in x-acs-* headers, every x-acs-* header and host signed.
 */
export function signRequest(call: RpcCall, endpoint: Endpoint, credentials: Credentials, now = new Date(), nonce: string = randomUUID()): SignedRequest {
  const headers: Record<string, string> = {
    host: endpoint.host,
    'x-acs-action': call.action,
    'x-acs-version': call.version,
    'x-acs-date': isoSeconds(now),
    'x-acs-signature-nonce': nonce,
    'x-acs-content-sha256': EMPTY_BODY_SHA256,
  };
  if (credentials.securityToken) {
    headers['x-acs-accesskey-id'] = credentials.accessKeyId;
    headers['x-acs-security-token'] = credentials.securityToken;
  }
  const { query } = call;
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((key) => `${key}=${percentEncode(query[key])}`)
    .join('&');
  const signedNames = Object.keys(headers).sort();
  const canonicalHeaders = signedNames.map((name) => `${name}:${headers[name].trim()}\n`).join('');
  const canonicalRequest = ['POST', '/', canonicalQuery, canonicalHeaders, signedNames.join(';'), EMPTY_BODY_SHA256].join('\n');
  const stringToSign = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
  const signature = createHmac('sha256', credentials.accessKeySecret).update(stringToSign).digest('hex');
  headers.authorization = `ACS3-HMAC-SHA256 Credential=${credentials.accessKeyId},SignedHeaders=${signedNames.join(';')},Signature=${signature}`;
  return { url: `${endpoint.protocol}://${endpoint.host}/${canonicalQuery ? `?${canonicalQuery}` : ''}`, headers };
}

/** RFC 3986 percent-encoding, as Alibaba Cloud's signatures use it. */
function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The fields of an error answer (`{RequestId, Code, Message, …}`), each checked before it is quoted anywhere. */
export interface ErrorFields {
  /** A short token, or undefined when the answer's Code is missing or not one. */
  readonly code?: string;
  readonly requestId?: string;
  /** At most a few hundred characters (text.ts clip): a service may echo a long request back, in up to 1 MiB. */
  readonly message: string;
}

export function errorFields(body: Record<string, unknown>): ErrorFields {
  const text = (name: string, grammar: RegExp) => {
    const value = body[name];
    return typeof value === 'string' && grammar.test(value) ? value : undefined;
  };
  // Codes and RequestIds are short tokens; anything else is not quoted, so an answer cannot write into the log.
  return {
    code: text('Code', /^[A-Za-z0-9._-]{1,128}$/),
    requestId: text('RequestId', /^[A-Za-z0-9-]{1,64}$/),
    message: clip(typeof body.Message === 'string' ? body.Message : ''),
  };
}

/** What hints need to know of a product: how to name it, and the inputs that choose its endpoint. */
export interface RpcProduct {
  /** As messages name it: STS, ResourceManager. */
  readonly name: string;
  /** The inputs that choose its endpoint, as hints name them ("`region`, `sts-endpoint`"). */
  readonly endpointInputs: string;
}

/**
 * The codes Alibaba Cloud's API gateway answers before the product sees the request, the same for every RPC product:
 * the common error codes STS documents (sts-codes.ts gives each its STS hint; a unit test keeps the two kinds equal).
 * A replayed nonce is retried: every attempt is signed with a new one.
 */
export const GATEWAY_CODES: Readonly<Record<string, ErrorKind>> = {
  MissingParameter: 'input',
  'InvalidAction.NotFound': 'input',
  InvalidVersion: 'input',
  UnsupportedHTTPMethod: 'input',
  IncompleteSignature: 'credentials',
  InvalidSignatureMethod: 'credentials',
  SignatureDoesNotMatch: 'credentials',
  SignatureNonceUsed: 'server',
  'InvalidTimeStamp.Format': 'credentials',
  'InvalidTimeStamp.Expired': 'credentials',
  'InvalidAccessKeyId.NotFound': 'credentials',
  'InvalidAccessKeyId.Inactive': 'credentials',
  MissingSecurityToken: 'credentials',
  'InvalidSecurityToken.Expired': 'credentials',
  'InvalidSecurityToken.Malformed': 'credentials',
  'InvalidSecurityToken.MismatchWithAccessKey': 'credentials',
  Throttling: 'throttled',
  'Throttling.User': 'throttled',
  'Throttling.Api': 'throttled',
  InternalError: 'server',
  ServiceUnavailable: 'server',
};

/** Families of codes, by prefix: a code the tables do not know takes its family's kind. */
const GATEWAY_FAMILIES: readonly (readonly [string, ErrorKind])[] = [
  ['Throttling', 'throttled'],
  ['InvalidAccessKeyId', 'credentials'],
  ['InvalidSecurityToken', 'credentials'],
  ['InvalidTimeStamp', 'credentials'],
  ['NoPermission', 'permission'],
  ['Forbidden', 'permission'],
  ['InvalidParameter', 'input'],
  ['MissingParameter', 'input'],
];

/**
 * The kind of an error answer neither product's own table knows: the gateway's code, else its family, else the HTTP
 * status (a body that is not JSON has no code). A 403 is a refusal; anything else unexpected may be a proxy or a
 * load balancer answering instead, and is tried again.
 */
export function gatewayKind(code: string | undefined, status: number): ErrorKind {
  const known = code === undefined ? undefined : (GATEWAY_CODES[code] ?? GATEWAY_FAMILIES.find(([prefix]) => code.startsWith(prefix))?.[1]);
  if (known) return known;
  if (status === 403) return 'permission';
  if (status === 429) return 'throttled';
  return 'server';
}

/** The kind of an error answer and a hint that names only `product` and its inputs, for codes its own table lacks. */
export function describeGatewayCode(code: string | undefined, status: number, product: RpcProduct): { kind: ErrorKind; hint: string } {
  const kind = gatewayKind(code, status);
  const { name, endpointInputs } = product;
  const hint =
    code === 'SignatureNonceUsed'
      ? `${name} saw the same request twice (a replayed nonce): a proxy may be retrying requests. The action retries with a fresh nonce.`
      : code?.startsWith('InvalidTimeStamp')
        ? `${name} refused the request's timestamp: check the runner's clock (NTP).`
        : code === 'InvalidAction.NotFound' || code === 'InvalidVersion' || code === 'UnsupportedHTTPMethod'
          ? `The endpoint does not speak ${name}: check ${endpointInputs} and any proxy in between.`
          : kind === 'input'
            ? `${name} rejected a parameter; the message above names it. Check the matching input.`
            : kind === 'credentials'
              ? `${name} refused the credentials; the message above says why. Check the step or inputs that give them.`
              : kind === 'permission'
                ? `${name} refused the request: the credentials may not call this action, or something in front of ${name} refused it.`
                : kind === 'throttled'
                  ? `${name} throttled the request. The action retries with backoff; raise \`retry-max-attempts\` or spread out parallel jobs.`
                  : status >= 500
                    ? `${name} is busy or failing; the action retries.`
                    : `Unexpected answer from ${name}; the action retries. If it persists, quote the RequestId to Alibaba Cloud support.`;
  return { kind, hint };
}
