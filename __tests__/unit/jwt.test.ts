import { printableClaims } from '../../src/jwt.js';

describe('printableClaims', () => {
  it('shows only the non-secret claims', () => {
    const payload = Buffer.from(JSON.stringify({ sub: 'repo:o/r:ref:refs/heads/main', aud: ['a', 'b'], iss: 'https://i', secret: 'no' })).toString('base64url');
    expect(printableClaims(`x.${payload}.y`)).toEqual({ sub: 'repo:o/r:ref:refs/heads/main', aud: 'a,b', iss: 'https://i' });
    expect(printableClaims('garbage')).toEqual({});
  });
});
