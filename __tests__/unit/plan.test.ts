import { readConfig } from '../../src/config.js';
import { ActionError, InputError } from '../../src/errors.js';
import { makePlan, type Plan } from '../../src/plan.js';

const ROLE = 'acs:ram::123456789012:role/ProwlerAuditRole';
const IDP = 'acs:ram::123456789012:oidc-provider/github';
const KEYS = { 'access-key-id': 'LTAI12345678', 'access-key-secret': 'secret' };

function planOf(inputs: Record<string, string>, canRequestIdToken = true): Plan {
  return makePlan(
    readConfig((name) => inputs[name] ?? '', {}),
    { idTokenRequest: { url: canRequestIdToken, token: canRequestIdToken } },
  );
}

function errorOf(inputs: Record<string, string>, canRequestIdToken = true): ActionError {
  try {
    planOf(inputs, canRequestIdToken);
  } catch (error) {
    if (error instanceof ActionError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('makePlan', () => {
  it('maps each source of the table in DESIGN.md §1', () => {
    expect(planOf({ 'role-to-assume': ROLE, 'oidc-provider-arn': IDP }).source).toEqual({ kind: 'github-oidc', audience: 'sts.aliyuncs.com' });
    expect(planOf({ 'role-to-assume': ROLE, 'oidc-provider-arn': IDP, 'oidc-token-file': '/t' }, false).source).toEqual({
      kind: 'oidc-token-file',
      path: '/t',
    });
    expect(planOf(KEYS).source.kind).toBe('access-key');
    expect(planOf({ 'role-chaining': 'true', 'role-to-assume': ROLE }).source).toEqual({ kind: 'environment' });
    expect(planOf({ 'ecs-ram-role': 'EcsRole' }).source).toEqual({ kind: 'ecs-ram-role', roleName: 'EcsRole' });
    expect(planOf({ 'credentials-uri': 'https://b.example.com/c' }).source).toEqual({ kind: 'credentials-uri', uri: 'https://b.example.com/c' });
  });

  it('assumes the role with the OIDC provider only in the OIDC flows', () => {
    expect(planOf({ 'role-to-assume': ROLE, 'oidc-provider-arn': IDP }).assume).toMatchObject({ roleArn: ROLE, oidcProviderArn: IDP, durationSeconds: 3600 });
    expect(planOf({ ...KEYS, 'role-to-assume': ROLE, 'role-external-id': 'ext-1' }).assume).toMatchObject({
      roleArn: ROLE,
      externalId: 'ext-1',
      oidcProviderArn: undefined,
    });
    expect(planOf(KEYS).assume).toBeUndefined();
  });

  it('refuses two sources, naming both', () => {
    const error = errorOf({ ...KEYS, 'role-to-assume': ROLE, 'oidc-provider-arn': IDP });
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain('access-key-id');
    expect(error.message).toContain('oidc-provider-arn');
    expect(errorOf({ 'ecs-ram-role': 'R', 'credentials-uri': 'https://b.example.com' }).message).toContain('ecs-ram-role');
  });

  it('asks for oidc-provider-arn when the job can request a token, and for permissions when it cannot', () => {
    expect((errorOf({ 'role-to-assume': ROLE }, true) as InputError).input).toBe('oidc-provider-arn');
    const noPermission = errorOf({ 'role-to-assume': ROLE }, false);
    expect(noPermission.hint).toContain('id-token: write');
    const oidcWithout = errorOf({ 'role-to-assume': ROLE, 'oidc-provider-arn': IDP }, false);
    expect(oidcWithout.kind).toBe('permission');
    expect(oidcWithout.hint).toContain('permissions:\n  id-token: write');
    expect(oidcWithout.message).toContain('ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set');
    const config = readConfig((name) => ({ 'role-to-assume': ROLE, 'oidc-provider-arn': IDP })[name] ?? '', {});
    expect(() => makePlan(config, { idTokenRequest: { url: true, token: false } })).toThrow('ACTIONS_ID_TOKEN_REQUEST_TOKEN is not set');
  });

  it('needs a role for role chaining and something to refresh', () => {
    expect((errorOf({ 'role-chaining': 'true' }) as InputError).input).toBe('role-chaining');
    expect((errorOf({ ...KEYS, 'refresh-credentials': 'true' }) as InputError).input).toBe('refresh-credentials');
    expect((errorOf({}) as InputError).input).toBe('role-to-assume');
  });
});
