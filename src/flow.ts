// Runs a Plan: the source gives the first credentials (or an OIDC token), STS turns them into the final ones.
// Shared by the main step and the refresh helper; it reports secrets as they appear and prints only through `log`.

import type { Config } from './config.js';
import { secretsOf, type Credentials, type Identity } from './credentials.js';
import { ActionError } from './errors.js';
import { API_TIMEOUTS, type Timeouts } from './http.js';
import { type Env, pickSet } from './inputs.js';
import { printableClaims } from './jwt.js';
import type { Plan } from './plan.js';
import { DEFAULT_RETRY_POLICY, describeRetry, withRetry, type RetryPolicy } from './retry.js';
import type { ChosenCredentialSource, ChosenSource, SourceContext } from './sources/source.js';
import { assumeRole, assumeRoleWithOidc, connectSts, getCallerIdentity, type StsSettings } from './sts.js';

/** What the flow needs besides the plan, derived from the config alone (so the refresh helper derives the same). */
export interface FlowSettings {
  readonly sts: StsSettings;
  readonly timeouts: Timeouts;
  readonly retry: RetryPolicy;
}

export interface FlowContext extends FlowSettings {
  /** The job's environment; each source sees only the variables it declares. */
  readonly env: Env;
  /** Called with each new secret before anything else is done with it, so it can be masked. */
  readonly onSecret: (secret: string) => void;
  readonly log: (message: string) => void;
}

export interface FlowResult {
  readonly credentials: Credentials;
  /** Undefined only for credentials used as they are when no lookup was asked for. */
  readonly identity?: Identity;
}

export function flowSettings(config: Config): FlowSettings {
  return {
    sts: { endpoint: config.endpoint, ...API_TIMEOUTS },
    timeouts: API_TIMEOUTS,
    retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: config.retryMaxAttempts },
  };
}

/** The variables of `env` that `source` declares: all it may read, and all the refresh helper is given. */
export function sourceEnv(source: ChosenSource, env: Env): Record<string, string> {
  return pickSet(env, Object.keys(source.variables));
}

export async function runPlan(plan: Plan, ctx: FlowContext): Promise<FlowResult> {
  const result = await obtain(plan, ctx);
  for (const secret of secretsOf(result.credentials)) ctx.onSecret(secret);
  return result;
}

async function obtain(plan: Plan, ctx: FlowContext): Promise<FlowResult> {
  const retry = <T>(step: string, attempt: (n: number) => Promise<T>) =>
    withRetry(ctx.retry, attempt, {
      onRetry: (event) => ctx.log(describeRetry(step, event)),
    });
  const sourceCtx: SourceContext = { env: sourceEnv(plan.source, ctx.env), timeouts: ctx.timeouts, retry, log: ctx.log };

  if (plan.kind === 'as-is' && !plan.verify) return { credentials: await credentialsOf(plan.source, sourceCtx, ctx) };
  // Every other flow ends at STS: its connection (DNS, TCP, TLS, a proxy's tunnel) is opened now, while the source
  // works, and the first STS request is sent on it. No request reaches STS before the source has answered.
  const sts = connectSts(ctx.sts);
  try {
    switch (plan.kind) {
      case 'oidc':
        return await retry('AssumeRoleWithOIDC', async (n) => {
          // A GitHub token lives about five minutes: every attempt gets a fresh one.
          const token = await plan.source.obtain(sourceCtx);
          ctx.onSecret(token);
          try {
            return await assumeRoleWithOidc(ctx.sts, token, plan.role, n === 1 ? sts : undefined);
          } catch (error) {
            throw withClaims(error, token);
          }
        });
      case 'assume': {
        const source = await credentialsOf(plan.source, sourceCtx, ctx);
        return await retry('AssumeRole', (n) => assumeRole(ctx.sts, source, plan.role, n === 1 ? sts : undefined));
      }
      case 'as-is': {
        const credentials = await credentialsOf(plan.source, sourceCtx, ctx);
        const identity = await retry('GetCallerIdentity', (n) => getCallerIdentity(ctx.sts, credentials, n === 1 ? sts : undefined));
        return { credentials, identity };
      }
    }
  } finally {
    sts.close();
  }
}

async function credentialsOf(source: ChosenCredentialSource, sourceCtx: SourceContext, ctx: FlowContext): Promise<Credentials> {
  const credentials = await source.obtain(sourceCtx);
  for (const secret of secretsOf(credentials)) ctx.onSecret(secret);
  return credentials;
}

/** A trust failure is fixed in the trust policy; show the claims it was compared with (never the token). */
function withClaims(error: unknown, token: string): unknown {
  if (!(error instanceof ActionError) || error.kind !== 'trust') return error;
  const claims = Object.entries(printableClaims(token))
    .map(([name, value]) => `  ${name}: ${value}`)
    .join('\n');
  if (!claims) return error;
  return new ActionError(error.kind, `${error.message}\nClaims of the OIDC token:\n${claims}`, error.hint, error.details);
}
