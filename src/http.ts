// A small HTTP client for the non-STS calls (GitHub's token endpoint, the metadata service, a credentials URI):
// node:http with connect and read timeouts, no keep-alive, and errors that are ActionErrors.

import type { IncomingHttpHeaders } from 'node:http';
import { ActionError } from './errors.js';

export interface Timeouts {
  readonly connectTimeoutMs: number;
  readonly readTimeoutMs: number;
}

export interface HttpRequest extends Timeouts {
  readonly url: string;
  readonly method?: 'GET' | 'PUT' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Names the service in error messages, e.g. "GitHub's OIDC token endpoint". */
  readonly service: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

const MAX_BODY_BYTES = 1 << 20;

export async function request(req: HttpRequest): Promise<HttpResponse> {
  const url = new URL(req.url);
  const { request: send } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise<HttpResponse>((resolve, reject) => {
    const fail = (message: string) =>
      reject(new ActionError('network', `${req.service} did not answer: ${message}`, `Check that the runner can reach ${url.host}.`));
    const headers = { ...req.headers, connection: 'close', ...(req.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(req.body)) }) };
    const outgoing = send(url, { method: req.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) outgoing.destroy(new Error('answer too large'));
        else chunks.push(chunk);
      });
      res.on('end', () => {
        clearTimeout(readTimer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (error) => fail(error.message));
    });
    const connectTimer = setTimeout(
      () => outgoing.destroy(new Error(`connect timeout: no connection within ${req.connectTimeoutMs} ms`)),
      req.connectTimeoutMs,
    );
    let readTimer: NodeJS.Timeout | undefined;
    outgoing.on('socket', (socket) => {
      const started = () => {
        clearTimeout(connectTimer);
        readTimer = setTimeout(() => outgoing.destroy(new Error(`read timeout: no answer within ${req.readTimeoutMs} ms`)), req.readTimeoutMs);
      };
      if (socket.connecting) socket.once('connect', started);
      else started();
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(connectTimer);
      clearTimeout(readTimer);
      fail(error.code ? `${error.code} ${error.message}` : error.message);
    });
    outgoing.on('close', () => {
      clearTimeout(connectTimer);
      clearTimeout(readTimer);
    });
    outgoing.end(req.body);
  });
}

/** Parses a JSON object body; anything else (an HTML error page, a cut body) is a retryable server error. */
export function jsonObject(res: HttpResponse, service: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(res.body);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  const type = String(res.headers['content-type'] ?? 'no content type');
  throw new ActionError(
    'server',
    `${service} answered HTTP ${res.status} with a body that is not a JSON object (${type}).`,
    'A proxy may have answered instead; the action retries.',
  );
}

/** A non-2xx answer: 5xx and 429 are worth another try, anything else is for the user to fix. */
export function statusError(res: HttpResponse, service: string, hint: string): ActionError {
  const retryable = res.status >= 500 || res.status === 429;
  const kind = retryable ? (res.status === 429 ? 'throttled' : 'server') : res.status === 401 || res.status === 403 ? 'permission' : 'credentials';
  return new ActionError(kind, `${service} answered HTTP ${res.status}.`, hint, { status: res.status });
}
