// What Alibaba Cloud's RPC-style OpenAPI products share (STS 2015-04-01, ResourceManager 2020-03-31): the
// ACS3-HMAC-SHA256 signature, computed exactly as Alibaba's SDK computes it (a test compares the two for both
// products), and the fields of an error answer. Pure: no I/O; sts.ts and resource-manager.ts send the requests.

import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { Endpoint } from './config.js';
import { type Credentials, isoSeconds } from './credentials.js';
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
