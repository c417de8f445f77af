import { accountIdOf, assumedRoleArn, isAccountId, parseOidcProviderArn, parseRoleArn } from '../../src/arn.js';

describe('arn', () => {
  it('parses role and IdP ARNs, with paths, and rejects other shapes', () => {
    expect(parseRoleArn('acs:ram::123:role/a/b/Name')).toEqual({ arn: 'acs:ram::123:role/a/b/Name', accountId: '123', roleName: 'Name' });
    expect(parseRoleArn('acs:ram::123:user/x')).toBeUndefined();
    expect(parseRoleArn('acs:ram::12x:role/x')).toBeUndefined();
    expect(parseOidcProviderArn('acs:ram::5:oidc-provider/github')).toEqual({ arn: 'acs:ram::5:oidc-provider/github', accountId: '5' });
    expect(parseOidcProviderArn('acs:ram::5:saml-provider/x')).toBeUndefined();
  });
  it('finds the account of any RAM ARN and rewrites assumed-role ARNs', () => {
    expect(accountIdOf('acs:ram::987:role/r/s')).toBe('987');
    expect(accountIdOf('arn:aws:iam::1:role/x')).toBeUndefined();
    expect(assumedRoleArn('acs:ram::987:role/r/s')).toBe('acs:ram::987:assumed-role/r/s');
  });
});

describe('isAccountId', () => {
  it('is the account grammar of the ARNs: 1-20 digits, nothing else', () => {
    for (const id of ['1', '1000000000000001', '9'.repeat(20)]) expect(isAccountId(id)).toBe(true);
    for (const id of ['', '9'.repeat(21), '12a', ' 12', '12\n', 'acs:ram::1:root']) expect(isAccountId(id)).toBe(false);
    expect(accountIdOf(`acs:ram::${'9'.repeat(20)}:root`)).toBe('9'.repeat(20));
  });
});
