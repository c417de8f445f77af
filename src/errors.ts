// The error type every failure becomes, and the one line (plus hint) a failed step prints. Pure: no I/O.

import { redact } from './redact.js';

export type ErrorKind = 'input' | 'permission' | 'trust' | 'credentials' | 'throttled' | 'server' | 'network';

export interface ErrorDetails {
  readonly code?: string;
  readonly requestId?: string;
  readonly status?: number;
}

// A GitHub OIDC token lives about five minutes; a slow queue can outlive it. A fresh token fixes it.
export const OIDC_TOKEN_EXPIRED = 'AuthenticationFail.OIDCToken.Expired';
const RETRYABLE_KINDS = new Set<ErrorKind>(['throttled', 'server', 'network']);

/** Whether failures of this kind can succeed on another attempt (retry.ts tries them again). */
export function isRetryableKind(kind: ErrorKind): boolean {
  return RETRYABLE_KINDS.has(kind);
}

export class ActionError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly hint?: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = 'ActionError';
  }

  get retryable(): boolean {
    return isRetryableKind(this.kind) || this.details.code === OIDC_TOKEN_EXPIRED;
  }
}

/** Bad input: the message names the input and what to write instead. Raised before any network call. */
export class InputError extends ActionError {
  constructor(
    readonly input: string,
    message: string,
    hint?: string,
  ) {
    super('input', `Input ${input}: ${message}`, hint);
    this.name = 'InputError';
  }
}

/** The failure line (plus hint) of a failed step, with every known secret removed. */
export function formatFailure(error: unknown, secrets: Iterable<string> = []): string {
  if (!(error instanceof ActionError)) {
    const message = error instanceof Error ? error.message : String(error);
    return redact(message, secrets);
  }
  const requestId = error.details.requestId ? ` (RequestId: ${error.details.requestId})` : '';
  const hint = error.hint ? `\n${error.hint}` : '';
  return redact(`${error.message}${requestId}${hint}`, secrets);
}
