// Internal types of the emulator: the shared state, the request context and the shape of a service.
// The public API's types are in ../types.d.ts.
import type http from 'node:http';
import type { EmulatorAdmin, Fault, OidcTrust, RequestRecord } from '../types.js';
import type { Plumbing } from './plumbing.js';
import type { Verifier } from './rpc.js';
import type { State } from './state.js';

export interface PermanentKey {
  kind: 'user' | 'root';
  accessKeyId: string;
  secret: string;
  accountId: string;
  name: string;
  userId: string;
  canAssumeRole: boolean;
  active: boolean;
  /** RAM actions its policies do not allow (e.g. resourcemanager:ListAccounts). */
  deniedActions: string[];
}

export interface Role {
  accountId: string;
  name: string;
  roleId: string;
  maxSessionDuration: number;
  trustedAccounts: string[];
  externalId?: string;
  oidc?: OidcTrust;
  /** RAM actions the role's policies do not allow (its sessions are refused them). */
  deniedActions: string[];
}

export interface Session {
  kind: 'session';
  accessKeyId: string;
  secret: string;
  token: string;
  accountId: string;
  roleName: string;
  roleId: string;
  sessionName: string;
  expiresAt: number;
  /** Set by AssumeRole's SourceIdentity, or inherited from the session that assumed the role; never changes. */
  sourceIdentity?: string;
}

export type Principal = PermanentKey | Session;

export interface OidcProvider {
  accountId: string;
  name: string;
  issuerUrl: string;
  clientIds: string[];
}

/** One request being answered. */
export interface Ctx {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  body: Buffer;
  /** What the request log will say about it; services fill in target, params, auth, ... */
  record: Partial<RequestRecord>;
  /** RPC parameters (query and form body), parsed once by core/rpc.js. */
  params?: Map<string, string>;
}

/**
 * How a service answers the faults that depend on its protocol (the others, reset, stall, html502, answer and
 * oversized, are the same everywhere).
 */
export interface FaultAnswers {
  /** A whole answer body, of which the `truncated` fault sends the first half. */
  truncated(): string;
  throttle(ctx: Ctx, headers: Record<string, string>): void;
  /** A 5xx of queueFault({kind:'status'}): code is InternalError (500) or ServiceUnavailable. */
  status(ctx: Ctx, status: number, code: string, message: string): void;
  error(ctx: Ctx, status: number, code: string, message: string): void;
}

/** What the server gives a service when it creates it. */
export interface Core {
  state: State;
  plumbing: Plumbing;
  /** Checks the signature of an RPC request (either kind) and gives its principal; one nonce cache for every product. */
  verifier: Verifier;
  opts: { timeScale: number; tokenDelayMs: number };
  /** The main listener's base URL (http(s)://host:port); known once it listens. */
  baseUrl(): string;
  /** Whether a service other than `except` answers this path (credentials URIs must not shadow one). */
  isRouted(path: string, except: string): boolean;
  /** Every admin method of every service (the admin API calls them by name). */
  admin: EmulatorAdmin;
  close(): Promise<void>;
}

/** A setup entry: key of the setup file, admin method, 'each' (a list, one call per element) or 'once'. */
export type SetupStep = [key: string, method: string, how: 'each' | 'once'];

export interface Service {
  /** Names it in the code; the dedicated metadata listener serves only the service named 'metadata'. */
  name: string;
  /** Whether this request is for this service. The router asks the services in order; the first one that says yes answers. */
  match(ctx: Ctx): boolean;
  handle(ctx: Ctx): void | Promise<void>;
  /** Admin methods it adds (merged into the Emulator and served by the admin API). */
  admin?: Record<string, (...args: never[]) => unknown>;
  /** queueFault targets it consumes. */
  faultTargets?: string[];
  /** Fields it adds to info() (the GitHub token endpoint's URL and bearer token). */
  info?(): Record<string, string>;
  /** What applySetup reads from the setup file for it, in order. */
  setup?: SetupStep[];
}

export type ServiceFactory = (core: Core) => Service;

export type { Fault };
