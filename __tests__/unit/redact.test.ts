import { redact, secretValues } from '../../src/redact.js';

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

// Server text can be up to the 1 MiB answer cap. Redaction must take time in proportion to its length: each case
// below took from seconds to minutes with a backtracking JWT pattern (figures in `npm run bench`-style notes of the
// change, never timed here). These only check that the result is produced, and redacted.
describe('redact on long, hostile text', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
  const shapes: Array<[string, (bytes: number) => string]> = [
    ['"eyJ" repeated (one run of base64url with a JWT start every 3 characters)', (bytes) => 'eyJ'.repeat(bytes / 3)],
    ['JWT-like segments with no second dot', (bytes) => `eyJaaaaaaaa.${'eyJbbbbbbbb'.repeat(bytes / 11)}`],
    ['white space after a secret field name, without its colon', (bytes) => `"AccessKeySecret"${' '.repeat(bytes)}x`],
    ['a known secret cut short, repeated', (bytes) => 'Secret0123456789abcdef'.slice(0, 21).repeat(bytes / 21)],
  ];
  for (const size of [256 * 1024, 1024 * 1024]) {
    it.each(shapes)(`${size / 1024} KiB of %s, with a JWT and a secret at the end`, (_name, make) => {
      const text = `${make(size)} ${jwt} Secret0123456789abcdef`;
      const out = redact(text, ['Secret0123456789abcdef']);
      expect(out.endsWith(' *** ***')).toBe(true);
      expect(out).not.toContain(jwt);
    });
  }
});

describe('redact: what counts as a JWT', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
  it.each([
    ['after a space', ` ${jwt} `, ' *** '],
    ['URL-encoded after a quote or =', `%22${jwt}%22 token%3D${jwt}`, '%22***%22 token%3D***'],
    ['glued to base64 before it', `abc${jwt}`, 'abc***'],
    ['followed by a dot and more', `${jwt}.next`, '***.next'],
    ['two in a row, dot-separated', `${jwt}.${jwt}`, '***.***'],
    ['an empty signature', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', '***'],
  ])('redacts one %s', (_name, text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it.each([
    ['a header shorter than a JWT header', 'eyJab.c.d'],
    ['no payload', 'eyJhbGciOiJSUzI1NiJ9..sig'],
    ['only two parts', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0'],
    ['a host name', 'sts.cn-hangzhou.aliyuncs.com'],
  ])('leaves %s alone', (_name, text) => {
    expect(redact(text)).toBe(text);
  });
});

describe('secretValues: what is masked for a secret value', () => {
  it('a value that is no URL: itself', () => {
    expect(secretValues('Xq7/secretValue+LooksLike=Base64Secret')).toEqual(['Xq7/secretValue+LooksLike=Base64Secret']);
    expect(secretValues('broker.internal/c?token=abc')).toEqual(['broker.internal/c?token=abc']);
    expect(secretValues('')).toEqual([]);
  });

  it('a URL: itself, its password (as written and decoded), its token-like path, its query, and both together', () => {
    const uri = 'https://ci:p%40ss-word@broker.internal:8443/creds/path-token-7f3a9c?token=query-token&x=1#frag';
    expect(secretValues(uri).sort()).toEqual(
      [
        uri,
        'p%40ss-word',
        'p@ss-word',
        '/creds/path-token-7f3a9c',
        '?token=query-token&x=1',
        '/creds/path-token-7f3a9c?token=query-token&x=1',
        'token=query-token&x=1',
      ].sort(),
    );
  });

  it('a URL with a user name and no password (https://<token>@host/): the user name, as written and decoded', () => {
    const uri = 'https://tok%2Fen-7f3a9c@broker.internal/credentials';
    expect(secretValues(uri).sort()).toEqual([uri, 'tok%2Fen-7f3a9c', 'tok/en-7f3a9c'].sort());
  });

  it('leaves out parts too short to be secrets (a bare / path, a one-letter query)', () => {
    expect(secretValues('https://broker.internal/?a')).toEqual(['https://broker.internal/?a']);
  });

  it('a path written with characters the URL parser encodes: both forms', () => {
    expect(secretValues('https://b.internal/tok en-7f3a9c')).toEqual(expect.arrayContaining(['/tok%20en-7f3a9c', '/tok en-7f3a9c']));
  });

  // A mask hides the text in every later line of the job: an ordinary path masked alone hid ordinary text
  // (`/credentials` turned `~/.alibabacloud/credentials` into `~/.alibabacloud***`).
  it.each([
    ['a word', 'https://127.0.0.1:9/credentials'],
    ['words and a short version', 'https://broker.internal/api/v1/credentials'],
    ['a name of 15 characters', 'https://broker.internal/security-tokens'],
  ])('an ordinary path (%s): the URI is masked, the path alone is not', (_name, uri) => {
    expect(secretValues(uri)).toEqual([uri]);
  });

  it.each([
    ['a 32-character token', '/credentials/Qm9Ct2xlZ0ZyZWVkb20xMjM0NTY3ODkw', '/credentials/Qm9Ct2xlZ0ZyZWVkb20xMjM0NTY3ODkw'],
    ['a UUID', '/c/0b5e43c2-8f1d-4d6a-9c3e-2a7b1e9f4d10', '/c/0b5e43c2-8f1d-4d6a-9c3e-2a7b1e9f4d10'],
    ['16 letters', '/abcdefghijklmnop', '/abcdefghijklmnop'],
    ['8 characters, letters and digits', '/t/a1b2c3d4', '/t/a1b2c3d4'],
    ['a token percent-encoded', '/tok%2Fen-7f3a9c01', '/tok/en-7f3a9c01'],
  ])('a token-like path (%s) is masked on its own, as written and decoded', (_name, path, plain) => {
    const uri = `https://broker.internal${path}`;
    expect(secretValues(uri)).toEqual([...new Set([uri, path, plain])]);
  });

  it('an ordinary path with a query: the query, and the path with the query, not the path alone', () => {
    const uri = 'https://broker.internal/credentials?token=query-token';
    expect(secretValues(uri).sort()).toEqual([uri, '?token=query-token', 'token=query-token', '/credentials?token=query-token'].sort());
  });
});
