// Types of the emulator's public API (server.js, client.js, codes.js).

export interface ErrorCodeInfo {
  code: string;
  status: number;
  /** 'emulator': decided by the emulator itself; 'fault': only produced through queueFault. */
  source: 'emulator' | 'fault';
  when: string;
}

export interface StartOptions {
  /** Main listener (STS, ResourceManager, GitHub token endpoint, JWKS, metadata paths, credentials URIs, admin API). Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Also serve the ECS metadata service on this address (e.g. 100.100.100.200 inside a network namespace). */
  metadataHost?: string;
  /** Default 80. */
  metadataPort?: number;
  /** Real seconds per emulated second for issued sessions, OIDC tokens and IMDS tokens. Default 1. */
  timeScale?: number;
  /** Idle keep-alive timeout of the listeners in ms (Node's default, 5000, unless set). */
  keepAliveTimeoutMs?: number;
  /**
   * Serve the main listener over HTTPS with the bundled self-signed certificate (tls/cert.pem, for 127.0.0.1,
   * ::1, localhost). Needed by @alicloud/credentials' ram_role_arn / oidc_role_arn providers, which only use https.
   * The metadata listener stays plain HTTP, like the real service.
   */
  tls?: boolean;
  /**
   * GitHub's token endpoint answers a token request this many ms after it arrived, as GitHub takes a while to mint
   * a token (failures and faults answer at once). Default 0; setTokenDelay changes it.
   */
  tokenDelayMs?: number;
}

export interface AccessKey {
  accessKeyId: string;
  accessKeySecret: string;
  arn: string;
  /** The RAM user's ID (the account ID for a root key). */
  userId: string;
}

export interface AddUserOptions {
  accountId: string;
  name: string;
  /** Whether the user's policies allow sts:AssumeRole. Default true. */
  canAssumeRole?: boolean;
  /** RAM actions the user's policies do not allow, e.g. ['resourcemanager:ListAccounts'] (403 NoPermission). */
  deniedActions?: string[];
}

export interface OidcTrust {
  /** The OIDC provider ARN the role trusts. */
  providerArn: string;
  /** `oidc:sub` StringLike patterns (`*` any run of characters, `?` one). Absent: any sub. */
  sub?: string[];
  /** `oidc:aud` values. Absent: any aud accepted by the provider. */
  aud?: string[];
  /** `oidc:iss` value. */
  iss?: string;
}

export interface AddRoleOptions {
  accountId: string;
  name: string;
  /** Default 3600. */
  maxSessionDuration?: number;
  /** Accounts whose RAM users and role sessions may AssumeRole. Default [accountId]. */
  trustedAccounts?: string[];
  /** If set, AssumeRole must pass this ExternalId. */
  externalId?: string;
  oidc?: OidcTrust;
  /** RAM actions the role's policies do not allow its sessions, e.g. ['sts:AssumeRole', 'resourcemanager:ListAccounts']. */
  deniedActions?: string[];
}

export interface AddOidcProviderOptions {
  accountId: string;
  name: string;
  /** Default 'https://token.actions.githubusercontent.com'. */
  issuerUrl?: string;
  /** Default ['sts.aliyuncs.com']. */
  clientIds?: string[];
}

export interface MintTokenOptions {
  /** Merged over the token endpoint's claims (defaults + setTokenClaims); null removes a claim. */
  claims?: Record<string, unknown>;
  /** aud; default 'sts.aliyuncs.com'. */
  audience?: string | string[];
  /** Lifetime in REAL seconds (not scaled); negative gives an already expired token. Default 300 * timeScale. */
  expiresInSeconds?: number;
  /** Sign with a key that is not in the JWKS (same kid): STS answers AuthenticationFail.OIDCToken.InvalidSignature. */
  signWithUnknownKey?: boolean;
  /** Merged over the JWT header ({alg:'RS256', typ:'JWT', kid}); e.g. {alg:'HS256'} for a negative test. */
  header?: Record<string, unknown>;
}

export interface AddInstanceRoleOptions {
  accountId: string;
  name: string;
  /** Session length served by the metadata service (scaled by timeScale). Default 21600. */
  durationSeconds?: number;
}

export type ImdsMode = 'v2' | 'v1-only' | 'v2-required';

/** What setRamAccount sets of an account's RAM (services/ram.js); a login profile of `null` removes it. */
export interface RamAccountOptions {
  accountId: string;
  alias?: string;
  /** Fields of GetPasswordPolicy's PasswordPolicy, e.g. {MinimumPasswordLength: 14}. */
  passwordPolicy?: Record<string, unknown>;
  /** Console logins of the account's RAM users, by user name. */
  loginProfiles?: Record<string, { mfaBindRequired?: boolean } | null>;
}

export interface AddCredentialsUriOptions {
  accountId: string;
  roleName: string;
  /** Path on the main listener; default /credentials/<random>. */
  path?: string;
  /** Session length of each answer (scaled by timeScale). Default 3600. */
  durationSeconds?: number;
  /**
   * Require HTTP Basic auth with this user and password (as a URI's user information sends it); any other request is
   * answered 401 with a `WWW-Authenticate: Basic` challenge. The password counts among secrets().
   */
  basicAuth?: { user: string; password: string };
}

/** The API actions of STS and ResourceManager, and each service as a whole, that faults and onceRequested() target. */
export type ApiTarget =
  | 'AssumeRole'
  | 'AssumeRoleWithOIDC'
  | 'GetCallerIdentity'
  /** Any STS action (consulted after the action's own queue). */
  | 'sts'
  | 'ListAccounts'
  | 'ListAccountsForParent'
  | 'ListFoldersForParent'
  | 'GetResourceDirectory'
  /** Any ResourceManager action (consulted after the action's own queue). */
  | 'resourcemanager';

export type FaultTarget = ApiTarget | 'oidc-token' | 'metadata' | 'credentials-uri';

export type Fault =
  | { kind: 'status'; status: number }
  | { kind: 'throttle'; retryAfterSeconds?: number }
  | { kind: 'reset' }
  | { kind: 'stall'; ms: number }
  | { kind: 'truncated' }
  | { kind: 'html502' }
  | { kind: 'error'; code: string; status: number; message?: string }
  /** Any answer: `body` is sent as it is (a string) or as JSON. */
  | { kind: 'answer'; status?: number; body: unknown }
  /** 200 with a body of `bytes` bytes; the request record's `bytesSent` says how many the client took. */
  | { kind: 'oversized'; bytes: number };

export type RequestTarget =
  | 'AssumeRole'
  | 'AssumeRoleWithOIDC'
  | 'GetCallerIdentity'
  | 'sts'
  | 'ListAccounts'
  | 'ListAccountsForParent'
  | 'ListFoldersForParent'
  | 'GetResourceDirectory'
  | 'resourcemanager'
  | 'oidc-token'
  | 'oidc-discovery'
  | 'metadata'
  | 'credentials-uri'
  | 'unknown';

export interface RequestRecord {
  target: RequestTarget;
  method: string;
  /** Path without the query string (queries may carry secrets). */
  path: string;
  /** HTTP status answered; 0 when the fault answered nothing (reset, stall). */
  status: number;
  /** Kind of the fault consumed by this request. */
  fault?: Fault['kind'];
  /** Error code answered (STS Code, or a short reason for non-STS targets). */
  code?: string;
  /**
   * The source identity the request carries: that of the role session that signed it (as ActionTrail shows for every
   * action of the session), or for AssumeRole the one of the session it issued (set by SourceIdentity or kept from the
   * calling session).
   */
  sourceIdentity?: string;
  /** How an STS or ResourceManager request was authenticated; for credentials-uri, 'Basic' when it sent Basic auth. */
  auth?: 'ACS3-HMAC-SHA256' | 'HMAC-SHA1' | 'anonymous' | 'Basic';
  /** AccessKey ID that signed it. */
  accessKeyId?: string;
  /** STS API parameters, without OIDCToken, SecurityToken and Signature. For oidc-token: {audience}. */
  params?: Record<string, string>;
  /** For metadata requests: whether an IMDSv2 token header was sent. */
  imdsToken?: boolean;
  /** For an `oversized` fault: the bytes sent before the client stopped reading. */
  bytesSent?: number;
  /** Date.now() when the request was answered (or the fault applied). */
  time: number;
}

export interface SetupFile {
  users?: AddUserOptions[];
  rootKeys?: { accountId: string }[];
  roles?: AddRoleOptions[];
  oidcProviders?: AddOidcProviderOptions[];
  instanceRoles?: AddInstanceRoleOptions[];
  credentialsUris?: AddCredentialsUriOptions[];
  ramAccounts?: RamAccountOptions[];
  tokenClaims?: Record<string, unknown>;
  imds?: { mode: ImdsMode };
  resourceDirectory?: ResourceDirectorySetup;
}

export interface SetupResult {
  users: AccessKey[];
  rootKeys: AccessKey[];
  roles: { arn: string; roleId: string }[];
  oidcProviders: { arn: string }[];
  instanceRoles: { arn: string; roleId: string }[];
  credentialsUris: { url: string }[];
  /** With setup.resourceDirectory. */
  resourceDirectory?: ResourceDirectorySetupResult;
}

/** One member account to create; every field has a default. */
export interface MemberSpec {
  /** Default: a fresh 16-digit ID. */
  accountId?: string;
  /** Default `<displayNamePrefix>-<NNN>`. */
  displayName?: string;
  /** Default 'ResourceAccount' (or the group's); the API's other value is 'CloudAccount'. */
  type?: string;
  /** Default 'CreateSuccess' (or the group's); e.g. 'InviteSuccess', 'PromoteVerifying', 'PromoteFailed'. */
  status?: string;
  /** Default 'created' (or the group's); the API's other value is 'invited'. */
  joinMethod?: string;
  /** Create ResourceDirectoryAccountAccessRole in it, trusting the management account. Default: the group's, true. */
  accessRole?: boolean;
}

export interface AddMemberAccountsOptions {
  /** The folder the members join: createResourceDirectory's rootFolderId or an addFolder folderId. */
  folderId: string;
  /** How many members (ignored with `accounts`). Default 1. */
  count?: number;
  /** Members one by one. */
  accounts?: MemberSpec[];
  /** Default 'member'. */
  displayNamePrefix?: string;
  type?: string;
  status?: string;
  joinMethod?: string;
  /** Default true. */
  accessRole?: boolean;
  /** MaxSessionDuration of the access roles. Default 3600. */
  accessRoleMaxSessionDuration?: number;
}

export interface MemberAccount {
  accountId: string;
  displayName: string;
  folderId: string;
  /** acs:ram::<accountId>:role/ResourceDirectoryAccountAccessRole, when the member has the role. */
  roleArn?: string;
}

export interface FolderSetup {
  name: string;
  members?: Omit<AddMemberAccountsOptions, 'folderId'>;
  folders?: FolderSetup[];
}

export interface ResourceDirectorySetup {
  managementAccountId: string;
  /** The management account is listed as a member of the root folder (Type CloudAccount). Default true. */
  includeManagementAccount?: boolean;
  managementDisplayName?: string;
  /** Members of the root folder. */
  members?: Omit<AddMemberAccountsOptions, 'folderId'>;
  folders?: FolderSetup[];
  /** Member account IDs (give them in `accounts`) that may list the directory too. */
  delegatedAdministrators?: string[];
}

export interface ResourceDirectorySetupResult {
  resourceDirectoryId: string;
  rootFolderId: string;
  /** Folder path ('prod', 'prod/eu') -> folder ID. */
  folders: Record<string, string>;
  accounts: MemberAccount[];
}

export interface EmulatorInfo {
  url: string;
  stsHost: string;
  oidcRequestUrl: string;
  oidcRequestToken: string;
  metadataUrl?: string;
  jwksUrl: string;
  /** With tls: the certificate to trust (SDK config `ca`, or NODE_EXTRA_CA_CERTS for child processes). */
  caFile?: string;
}

/** The admin methods, the same in-process (Emulator) and over HTTP (connectEmulator). */
export interface EmulatorAdmin {
  addUser(opts: AddUserOptions): Promise<AccessKey>;
  addRootKey(opts: { accountId: string }): Promise<AccessKey>;
  setKeyActive(opts: { accessKeyId: string; active: boolean }): Promise<void>;
  addRole(opts: AddRoleOptions): Promise<{ arn: string; roleId: string }>;
  addOidcProvider(opts: AddOidcProviderOptions): Promise<{ arn: string }>;
  setTokenClaims(claims: Record<string, unknown>): Promise<void>;
  /** How long the token endpoint takes to mint a token, in ms (see StartOptions.tokenDelayMs). */
  setTokenDelay(ms: number): Promise<void>;
  mintToken(opts?: MintTokenOptions): Promise<string>;
  addInstanceRole(opts: AddInstanceRoleOptions): Promise<{ arn: string; roleId: string }>;
  setImds(opts: { mode: ImdsMode }): Promise<void>;
  addCredentialsUri(opts: AddCredentialsUriOptions): Promise<{ url: string }>;
  /** A Resource Directory whose management account is `managementAccountId` (one per account). */
  createResourceDirectory(opts: {
    managementAccountId: string;
    includeManagementAccount?: boolean;
    managementDisplayName?: string;
  }): Promise<{ resourceDirectoryId: string; rootFolderId: string }>;
  addFolder(opts: { parentFolderId: string; name: string }): Promise<{ folderId: string }>;
  addMemberAccounts(opts: AddMemberAccountsOptions): Promise<{ accounts: MemberAccount[] }>;
  /** A member account that may list the directory (ListAccounts and the rest) as the management account does. */
  addDelegatedAdministrator(opts: { accountId: string }): Promise<void>;
  /** createResourceDirectory, addFolder, addMemberAccounts and addDelegatedAdministrator in one call. */
  setupResourceDirectory(opts: ResourceDirectorySetup): Promise<ResourceDirectorySetupResult>;
  /** RAM (services/ram.js): an account's alias, password policy and users' console logins. */
  setRamAccount(opts: RamAccountOptions): Promise<Record<string, never>>;
  queueFault(target: FaultTarget, fault: Fault, count?: number): Promise<void>;
  clearFaults(): Promise<void>;
  /** In-process only (not over the admin API): `fn` runs once, when the next STS request of `target` arrives. */
  onceRequested(target: ApiTarget, fn: () => void): void;
  /**
   * STS flow control: above `perSecond` requests a second for one account, 400 Throttling.User; null turns it off.
   * By default a token bucket that refused requests do not drain; `countRefused` counts every request in a
   * sliding one-second window instead, so eager retries keep each other out.
   */
  setFlowControl(opts: { perSecond: number; countRefused?: boolean } | null): Promise<void>;
  requests(): Promise<RequestRecord[]>;
  resetRequests(): Promise<void>;
  secrets(): Promise<string[]>;
  applySetup(setup: SetupFile): Promise<SetupResult>;
  info(): Promise<EmulatorInfo>;
  /** Stops the emulator: every listener and socket. */
  close(): Promise<void>;
}

export interface Emulator extends EmulatorAdmin, EmulatorInfo {}
