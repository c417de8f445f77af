// The one caller of Alibaba Cloud's RPC-style products, for sts.ts and resource-manager.ts (each still the only module
// that talks to its product): a request sent through http.ts, its JSON answer, or an ActionError read the same way
// for both. The product gives its name, the inputs of its endpoint (for hints) and its own code table; the gateway's
// codes, a body that is not JSON and a network failure are classified once, here and in acs.ts.

import { describeGatewayCode, type ErrorFields, errorFields, type RpcCall, type RpcProduct, signRequest } from './acs.js';
import type { Endpoint } from './config.js';
import type { Credentials } from './credentials.js';
import { ActionError, type ErrorKind, isRetryableKind } from './errors.js';
import { type Connection, type HttpResponse, parseJsonObject, request, type Timeouts } from './http.js';

export const USER_AGENT = 'configure-alibabacloud-credentials';

export interface RpcProductSettings extends RpcProduct {
  /** What to check when the endpoint's host name does not resolve, if more than `endpointInputs`. */
  readonly unresolvedInputs?: string;
}

export interface RpcSettings extends Timeouts {
  readonly endpoint: Endpoint;
}

export interface RpcRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** An error answer: its checked fields, its status and the whole body (for fields only one product answers). */
export interface ErrorAnswer extends ErrorFields {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** The product's own reading of an error answer; undefined leaves it to the gateway's classification. */
export type DescribeError = (answer: ErrorAnswer) => { readonly kind: ErrorKind; readonly hint?: string } | undefined;

/** A signed request (acs.ts) for `call`, with the headers every RPC request carries. */
export function signedRequest(call: RpcCall, endpoint: Endpoint, credentials: Credentials): RpcRequest {
  const { url, headers } = signRequest(call, endpoint, credentials);
  return { url, headers: { ...headers, accept: 'application/json', 'user-agent': USER_AGENT } };
}

/** One request to `product`: its JSON answer, or an ActionError that says what went wrong and what to change. */
export async function callRpc(
  product: RpcProductSettings,
  action: string,
  settings: RpcSettings,
  req: RpcRequest,
  describe: DescribeError,
  connection?: Connection,
): Promise<Record<string, unknown>> {
  let res: HttpResponse;
  try {
    res = await request({
      ...req,
      method: 'POST',
      service: product.name,
      connection,
      connectTimeoutMs: settings.connectTimeoutMs,
      readTimeoutMs: settings.readTimeoutMs,
    });
  } catch (error) {
    if (!(error instanceof ActionError) || error.kind !== 'network') throw error;
    throw networkError(product, action, error);
  }
  const body = parseJsonObject(res.body);
  if (!body) {
    const kind = describeGatewayCode(undefined, res.status, product).kind;
    const retries = isRetryableKind(kind) ? ' The action retries.' : '';
    throw new ActionError(
      kind,
      `${action}: ${product.name} answered with a body that is not JSON (HTTP ${res.status}, ${String(res.headers['content-type'] ?? 'no content type')}).`,
      `A proxy or load balancer may have answered instead of ${product.name}: check ${product.endpointInputs} and any proxy in between.${retries}`,
      { status: res.status },
    );
  }
  if (res.status === 200) return body;
  const fields = errorFields(body);
  const { code, requestId, message } = fields;
  const { kind, hint } = describe({ ...fields, status: res.status, body }) ?? describeGatewayCode(code, res.status, product);
  throw new ActionError(kind, `${action} failed: ${code ?? `HTTP ${res.status}`}: ${message}`, hint, { code, requestId, status: res.status });
}

/** An answer that is JSON but not what `action` answers. */
export function malformed(product: RpcProduct, action: string, what: string): ActionError {
  return new ActionError(
    'server',
    `${action} answered with ${what}.`,
    `The endpoint may not be ${product.name}: check ${product.endpointInputs} and any proxy in between.`,
  );
}

function networkError(product: RpcProductSettings, action: string, error: ActionError): ActionError {
  const reason = error.message.replace(new RegExp(`^${product.name} did not answer`), `could not reach ${product.name}`);
  const hint = /ENOTFOUND|EAI_AGAIN/.test(reason)
    ? `The ${product.name} host name does not resolve: check ${product.unresolvedInputs ?? product.endpointInputs}.`
    : reason.includes('through the proxy')
      ? (error.hint ?? '')
      : `Check that the runner can reach the ${product.name} endpoint (firewall, proxy, ${product.endpointInputs}).`;
  return new ActionError('network', `${action} ${reason}`, hint);
}
