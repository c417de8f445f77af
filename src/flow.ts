// Runs a Plan: the source gives the first credentials (or an OIDC token), STS turns them into the final ones.
// Shared by the main step and the refresh helper; it prints nothing itself and reports secrets as they appear.

import type { Env } from './config.js';
import { secretsOf, type Credentials, type Identity } from './credentials.js';
import { ActionError } from './errors.js';
import { printableClaims } from './jwt.js';
import type { AssumeRoleParams, Plan, Source } from './plan.js';
import { withRetry, type RetryEvent, type RetryPolicy } from './retry.js';
import { credentialsFromEnvironment } from './sources/environment.js';
import { fetchFromCredentialsUri } from './sources/credentials-uri.js';
import { fetchFromEcsMetadata } from './sources/ecs-metadata.js';
import { fetchGithubToken } from './sources/github-oidc.js';
import type { Timeouts } from './sources/timeouts.js';
import { readTokenFile } from './sources/token-file.js';
import { assumeRole, assumeRoleWithOidc, getCallerIdentity, type StsSettings } from './sts.js';

export interface FlowContext {
  readonly env: Env;
  readonly sts: StsSettings;
  readonly timeouts: Timeouts;
  readonly retry: RetryPolicy;
  /** Called with each new secret before anything else is done with it, so it can be masked. */
  readonly onSecret: (secret: string) => void;
  readonly onRetry: (step: string, event: RetryEvent) => void;
  /** Look up the account of credentials that were not assumed (costs one GetCallerIdentity). */
  readonly identifyUnassumed: boolean;
}

export interface FlowResult {
  readonly credentials: Credentials;
  /** Undefined only for unassumed ECS or credentials-URI credentials when no lookup was asked for. */
  readonly identity?: Identity;
}

export async function runPlan(plan: Plan, ctx: FlowContext): Promise<FlowResult> {
  const result = await obtain(plan, ctx);
  for (const secret of secretsOf(result.credentials)) ctx.onSecret(secret);
  return result;
}

async function obtain(plan: Plan, ctx: FlowContext): Promise<FlowResult> {
  const retry = <T>(step: string, attempt: (n: number) => Promise<T>) => withRetry(ctx.retry, attempt, { onRetry: (event) => ctx.onRetry(step, event) });

  if (plan.assume?.oidcProviderArn) {
    const getToken = oidcTokenGetter(plan.source, ctx);
    const params = plan.assume;
    return retry('AssumeRoleWithOIDC', async () => {
      // A GitHub token lives about five minutes: every attempt gets a fresh one.
      const token = await getToken();
      ctx.onSecret(token);
      try {
        return await assumeRoleWithOidc(ctx.sts, token, params);
      } catch (error) {
        throw withClaims(error, token);
      }
    });
  }

  const source = await sourceCredentials(plan.source, ctx, retry);
  const assume: AssumeRoleParams | undefined = plan.assume;
  if (assume) return retry('AssumeRole', () => assumeRole(ctx.sts, source, assume));
  if (plan.source.kind === 'access-key' || plan.source.kind === 'environment' || ctx.identifyUnassumed) {
    // Static keys are exported as they are, once STS has shown they work and whose they are.
    const identity = await retry('GetCallerIdentity', () => getCallerIdentity(ctx.sts, source));
    return { credentials: source, identity };
  }
  return { credentials: source };
}

function oidcTokenGetter(source: Source, ctx: FlowContext): () => Promise<string> {
  if (source.kind === 'oidc-token-file') return () => readTokenFile(source.path);
  if (source.kind !== 'github-oidc') throw new Error(`no OIDC token from a ${source.kind} source`);
  const url = ctx.env.ACTIONS_ID_TOKEN_REQUEST_URL ?? '';
  const bearer = ctx.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN ?? '';
  ctx.onSecret(bearer);
  return () => fetchGithubToken({ url, bearer }, source.audience, ctx.timeouts);
}

async function sourceCredentials(
  source: Source,
  ctx: FlowContext,
  retry: <T>(step: string, attempt: (n: number) => Promise<T>) => Promise<T>,
): Promise<Credentials> {
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
