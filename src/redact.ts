// Removes secrets from text that is about to be printed. Pure: no I/O.

const REDACTED = '***';
// Values that must never be printed, even when no list of secrets is at hand: JWTs (OIDC tokens), and the
// secret-bearing query or JSON fields of STS requests and answers.
const SECRET_PATTERNS: readonly RegExp[] = [
  /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g,
  /((?:OIDCToken|SecurityToken|AccessKeySecret|Signature|security[-_]token)=)[^&\s"']+/gi,
  /("(?:AccessKeySecret|SecurityToken|OIDCToken|accessKeySecret|securityToken)"\s*:\s*")[^"]*/g,
];

/** Removes every known secret, as it is and URL-encoded once or twice, and anything shaped like one. */
export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.replace(encodings(secret), REDACTED);
  }
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (_match, prefix?: unknown) => (typeof prefix === 'string' ? prefix + REDACTED : REDACTED));
  }
  return out;
}

/**
 * The forms a secret takes in URLs and form bodies: as it is, percent-encoded once or twice (spaces also as '+'),
 * longest first so that no form is cut by a shorter one. Case-insensitive, because encoders differ in the case of
 * their hex digits; hiding a differently cased copy of a secret costs nothing.
 */
function encodings(secret: string): RegExp {
  const once = encodeURIComponent(secret);
  const twice = encodeURIComponent(once);
  const forms = [...new Set([twice, twice.replace(/%2520/g, '+'), once, once.replace(/%20/g, '+'), secret])].sort((a, b) => b.length - a.length);
  return new RegExp(forms.map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
}
