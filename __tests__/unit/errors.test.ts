import { ActionError, formatFailure } from '../../src/errors.js';

describe('errors', () => {
  it('retries only throttling, server and network errors, and an expired OIDC token', () => {
    expect(new ActionError('throttled', 'x').retryable).toBe(true);
    expect(new ActionError('network', 'x').retryable).toBe(true);
    expect(new ActionError('permission', 'x').retryable).toBe(false);
    expect(new ActionError('trust', 'x', undefined, { code: 'AuthenticationFail.OIDCToken.Expired' }).retryable).toBe(true);
    expect(new ActionError('trust', 'x', undefined, { code: 'AuthenticationFail.NoPermission' }).retryable).toBe(false);
  });
  it('formats the failure line with RequestId and hint', () => {
    const line = formatFailure(new ActionError('permission', 'AssumeRole failed: NoPermission: no', 'Grant it.', { requestId: 'REQ-1' }));
    expect(line).toBe('AssumeRole failed: NoPermission: no (RequestId: REQ-1)\nGrant it.');
  });
});
