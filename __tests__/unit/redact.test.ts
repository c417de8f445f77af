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
});
