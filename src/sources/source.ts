// What a credential source is. Each source is one file in this folder that describes itself with one of the two
// shapes below, and one line in the registry (index.ts); plan.ts, flow.ts, main.ts and the refresh helper reach
// sources only through these shapes. docs/ARCHITECTURE.md shows how to add one.

import type { Config } from '../config.js';
import type { Credentials } from '../credentials.js';
import type { Timeouts } from '../http.js';
import type { Env, InputReader } from '../inputs.js';

/** Which of the two variables that let a job ask GitHub for an OIDC token (`permissions: id-token: write`) are set. */
export interface JobContext {
  readonly idTokenRequest: { readonly url: boolean; readonly token: boolean };
}

/** What obtain() may use; nothing else reaches a source. */
export interface SourceContext {
  /** Only the variables the source declares in `variables`. */
  readonly env: Env;
  readonly timeouts: Timeouts;
  /** Runs one step with the action's retry policy; `step` names it in the log. */
  readonly retry: <T>(step: string, attempt: (n: number) => Promise<T>) => Promise<T>;
  /** A line for the step log (and the refresh helper's log); never a secret. */
  readonly log: (message: string) => void;
}

interface SourceShape<Settings> {
  /** The input that selects this source; conflicts name it. */
  readonly selectedBy: string;
  /** Every input this source reads (`selectedBy` among them unless the source is the OIDC flow's default). */
  readonly inputs: readonly string[];
  /** Inputs whose values are secrets: masked before anything else runs. */
  readonly secretInputs?: readonly string[];
  /**
   * Environment variables obtain() reads, and whether each is a secret. Only these reach obtain() and the refresh
   * helper; the secret ones are masked before anything is printed.
   */
  readonly variables?: Readonly<Record<string, 'secret' | 'plain'>>;
  /** Reads and validates this source's inputs: undefined when it is not selected. Pure; throws InputError. */
  read(input: InputReader): Settings | undefined;
  /** Checks that need the shared config or the job (after all inputs are read; before any request). */
  check?(settings: Settings, config: Config, job: JobContext): void;
  /** Names the source in the log and the job summary; never a secret. */
  describe(settings: Settings): string;
}

/** A source of an OIDC token, exchanged through AssumeRoleWithOIDC (needs `oidc-provider-arn` and `role-to-assume`). */
export interface TokenSource<Settings> extends SourceShape<Settings> {
  readonly gives: 'oidc-token';
  /** A fresh token: called once per attempt, since tokens are short-lived. */
  obtain(settings: Settings, ctx: SourceContext): Promise<string>;
}

/** A source of credentials, used as they are or to sign AssumeRole. */
export interface CredentialSource<Settings> extends SourceShape<Settings> {
  readonly gives: 'credentials';
  /** Without `role-to-assume`: prove the credentials with GetCallerIdentity before exporting them (static keys). */
  readonly verifyUnassumed: boolean;
  /** Whether obtaining again gives fresher credentials, so that `refresh-credentials` has something to renew. */
  renews(settings: Settings): boolean;
  obtain(settings: Settings, ctx: SourceContext): Promise<Credentials>;
}

/** What the plan holds of a chosen source: its settings bound, so that nothing outside needs to know their type. */
interface Chosen {
  readonly input: string;
  readonly description: string;
  readonly variables: Readonly<Record<string, 'secret' | 'plain'>>;
  check(config: Config, job: JobContext): void;
}

export interface ChosenTokenSource extends Chosen {
  readonly gives: 'oidc-token';
  obtain(ctx: SourceContext): Promise<string>;
}

export interface ChosenCredentialSource extends Chosen {
  readonly gives: 'credentials';
  readonly verifyUnassumed: boolean;
  readonly renews: boolean;
  obtain(ctx: SourceContext): Promise<Credentials>;
}

export type ChosenSource = ChosenTokenSource | ChosenCredentialSource;

/** A registry entry: reads its inputs and, when selected, binds its settings. */
export interface SourceEntry {
  readonly inputs: readonly string[];
  readonly secretInputs: readonly string[];
  select(input: InputReader): ChosenSource | undefined;
}

export function defineSource<Settings>(source: TokenSource<Settings> | CredentialSource<Settings>): SourceEntry {
  return {
    inputs: source.inputs,
    secretInputs: source.secretInputs ?? [],
    select(input) {
      const settings = source.read(input);
      if (settings === undefined) return undefined;
      return source.gives === 'oidc-token' ? bindToken(source, settings) : bindCredentials(source, settings);
    },
  };
}

export function bindToken<Settings>(source: TokenSource<Settings>, settings: Settings): ChosenTokenSource {
  return { ...chosen(source, settings), gives: 'oidc-token', obtain: (ctx) => source.obtain(settings, ctx) };
}

export function bindCredentials<Settings>(source: CredentialSource<Settings>, settings: Settings): ChosenCredentialSource {
  return {
    ...chosen(source, settings),
    gives: 'credentials',
    verifyUnassumed: source.verifyUnassumed,
    renews: source.renews(settings),
    obtain: (ctx) => source.obtain(settings, ctx),
  };
}

function chosen<Settings>(source: SourceShape<Settings>, settings: Settings): Chosen {
  return {
    input: source.selectedBy,
    description: source.describe(settings),
    variables: source.variables ?? {},
    check: (config, job) => source.check?.(settings, config, job),
  };
}

/** Which of the variables that let a job ask GitHub for an OIDC token are set. */
export function jobContext(env: Env): JobContext {
  return { idTokenRequest: { url: Boolean(env.ACTIONS_ID_TOKEN_REQUEST_URL), token: Boolean(env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) } };
}
