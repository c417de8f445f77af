import { redact } from '../../src/redact.js';

describe('redact', () => {
  it('redacts secrets in plain and URL-encoded form, and anything shaped like one', () => {
    const secret = 'a+b/c=d';
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const text = `POST http://h/?OIDCToken=${encodeURIComponent('tok+en')}&x=1 secret ${secret} ${encodeURIComponent(secret)} ${jwt} {"AccessKeySecret":"zzz"}`;
    const out = redact(text, [secret]);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(encodeURIComponent(secret));
    expect(out).not.toContain('tok');
    expect(out).not.toContain(jwt);
    expect(out).not.toContain('zzz');
    expect(out).toContain('&x=1');
  });
  it('redacts a secret URL-encoded twice, with lower-case hex digits, or with + for spaces', () => {
    const secret = 'p@ss w/rd+1';
    const once = encodeURIComponent(secret);
    const twice = encodeURIComponent(once);
    const forms = [twice, once.toLowerCase(), twice.toLowerCase(), once.replace(/%20/g, '+'), secret.toUpperCase()];
    const out = redact(`redirect=${forms.join(' | ')}`, [secret]);
    expect(out).toBe(`redirect=${forms.map(() => '***').join(' | ')}`);
  });
  it('leaves short values and unrelated text alone', () => {
    expect(redact('a:b and 123 stay', [':', '123'])).toBe('a:b and 123 stay');
  });
});
