import { readConfig } from '../../src/config.js';
import { ActionError, InputError } from '../../src/errors.js';
import { describePlan, makePlan, type Plan } from '../../src/plan.js';

const ROLE = 'acs:ram::123456789012:role/ProwlerAuditRole';
const IDP = 'acs:ram::123456789012:oidc-provider/github';
const KEYS = { 'access-key-id': 'LTAI12345678', 'access-key-secret': 'secret' };

function planOf(inputs: Record<string, string>, canRequestIdToken = true): Plan {
  const input = (name: string) => inputs[name] ?? '';
  return makePlan(readConfig(input, {}), input, { idTokenRequest: { url: canRequestIdToken, token: canRequestIdToken } });
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
  it('maps each source of the table "Which flow runs" to its source and STS call', () => {
    const shape = (plan: Plan) => [plan.kind, plan.source.gives, plan.source.input, plan.source.description];
    expect(shape(planOf({ 'role-to-assume': ROLE, 'oidc-provider-arn': IDP }))).toEqual([
      'oidc',
      'oidc-token',
      'oidc-provider-arn',
      'GitHub OIDC (audience sts.aliyuncs.com)',
    ]);
    expect(shape(planOf({ 'role-to-assume': ROLE, 'oidc-provider-arn': IDP, 'oidc-token-file': '/t' }, false))).toEqual([
      'oidc',
      'oidc-token',
      'oidc-token-file',
      'OIDC token file /t',
    ]);
    expect(shape(planOf(KEYS))).toEqual(['as-is', 'credentials', 'access-key-id', 'AccessKey (inputs)']);
    expect(shape(planOf({ 'role-chaining': 'true', 'role-to-assume': ROLE }))).toEqual([
      'assume',
      'credentials',
      'role-chaining',
      'the ALIBABA_CLOUD_* credentials of an earlier step',
    ]);
    expect(shape(planOf({ 'ecs-ram-role': 'EcsRole' }))).toEqual(['as-is', 'credentials', 'ecs-ram-role', 'ECS instance RAM role EcsRole']);
    expect(shape(planOf({ 'credentials-uri': 'https://b.example.com/c' }))).toEqual(['as-is', 'credentials', 'credentials-uri', 'a credentials URI']);
  });

  it('assumes the role with the OIDC provider only in the OIDC flows', () => {
    const oidc = planOf({ 'role-to-assume': ROLE, 'oidc-provider-arn': IDP });
    expect(oidc.kind === 'oidc' && oidc.role).toEqual({ roleArn: ROLE, oidcProviderArn: IDP, durationSeconds: 3600, sessionName: expect.any(String) });
    const assume = planOf({ ...KEYS, 'role-to-assume': ROLE, 'role-external-id': 'ext-1', 'source-identity': 'octocat' });
    expect(assume.kind === 'assume' && assume.role).toMatchObject({ roleArn: ROLE, externalId: 'ext-1', sourceIdentity: 'octocat' });
    expect(describePlan(assume, { host: 'sts.aliyuncs.com', protocol: 'https' })).toMatch(/-> AssumeRole \S+ as \S+ for octocat \(STS/);
    expect(assume.kind === 'assume' && assume.role).not.toHaveProperty('oidcProviderArn');
  });

  it('proves static keys used as they are, and looks up other sources only for allowed-account-ids', () => {
    const verify = (plan: Plan) => plan.kind === 'as-is' && plan.verify;
    expect(verify(planOf(KEYS))).toBe(true);
    expect(verify(planOf({ 'ecs-ram-role': 'EcsRole' }))).toBe(false);
    expect(verify(planOf({ 'ecs-ram-role': 'EcsRole', 'allowed-account-ids': '123456789012' }))).toBe(true);
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
    const input = (name: string) => ({ 'role-to-assume': ROLE, 'oidc-provider-arn': IDP })[name] ?? '';
    expect(() => makePlan(readConfig(input, {}), input, { idTokenRequest: { url: true, token: false } })).toThrow('ACTIONS_ID_TOKEN_REQUEST_TOKEN is not set');
  });

  it('needs a role for role chaining and something to refresh', () => {
    expect((errorOf({ 'role-chaining': 'true' }) as InputError).input).toBe('role-chaining');
    expect((errorOf({ ...KEYS, 'refresh-credentials': 'true' }) as InputError).input).toBe('refresh-credentials');
    expect((errorOf({}) as InputError).input).toBe('role-to-assume');
  });
});
