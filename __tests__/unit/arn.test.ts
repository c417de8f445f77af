import { accountIdOf, assumedRoleArn, parseOidcProviderArn, parseRoleArn } from '../../src/arn.js';

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
