// Removes secrets from text that is about to be printed, and says what to mask for a secret. Pure: no I/O.
//
// Every step here takes time in proportion to the text's length, whatever the text: error messages quote servers,
// and a pattern that backtracks (a JWT pattern tried at every "eyJ" of a long run of base64) took minutes on a
// message of 256 KiB. The patterns below either cannot fail once started or are tried on short, bounded spans.

import { decoded, hasScheme, parseUrl, userInfoSecrets } from './url.js';

const REDACTED = '***';
// The secret-bearing query or JSON fields of STS requests and answers. Each is a literal field name, at most a few
// characters of white space, then a value that runs to the first delimiter: nothing to backtrack into.
const FIELD_PATTERNS: readonly RegExp[] = [
  /((?:OIDCToken|SecurityToken|AccessKeySecret|Signature|security[-_]token)=)[^&\s"']+/gi,
  /("(?:AccessKeySecret|SecurityToken|OIDCToken|accessKeySecret|securityToken)"\s{0,16}:\s{0,16}")[^"]*/g,
];

/** Removes every known secret, as it is and URL-encoded once or twice, and anything shaped like one. */
export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.replace(encodings(secret), REDACTED);
  }
  out = redactJwts(out);
  for (const pattern of FIELD_PATTERNS) out = out.replace(pattern, (_match, prefix: string) => prefix + REDACTED);
  return out;
}

/**
 * JWTs (OIDC tokens): a header of at least 8 base64url characters starting `eyJ` (`{"`), a payload, a signature,
 * separated by dots. Found in one pass: each run of base64url characters and dots is split at its dots once, and
 * the parts are read left to right, where a regular expression would try again from every `eyJ` of the run.
 */
function redactJwts(text: string): string {
  if (!text.includes('eyJ')) return text;
  return text.replace(/[A-Za-z0-9_.-]+/g, (run) => {
    if (!run.includes('eyJ')) return run;
    const parts = run.split('.');
    const out: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      const at = parts[i].indexOf('eyJ');
      // The first `eyJ` of a part leaves the most characters after it: if it is no header, no later one is.
      if (at >= 0 && parts[i].length - at >= 8 && i + 2 < parts.length && parts[i + 1] !== '') {
        out.push(parts[i].slice(0, at) + REDACTED);
        i += 2; // the payload and the signature
      } else {
        out.push(parts[i]);
      }
    }
    return out.join('.');
  });
}

/**
 * The forms a secret takes in URLs and form bodies: as it is, percent-encoded once or twice (spaces also as '+'),
 * longest first so that no form is cut by a shorter one. Case-insensitive, because encoders differ in the case of
 * their hex digits; hiding a differently cased copy of a secret costs nothing. Literal alternatives only.
 */
function encodings(secret: string): RegExp {
  const once = encodeURIComponent(secret);
  const twice = encodeURIComponent(once);
  const forms = [...new Set([twice, twice.replace(/%2520/g, '+'), once, once.replace(/%20/g, '+'), secret])].sort((a, b) => b.length - a.length);
  return new RegExp(forms.map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
}

/**
 * What to mask for a secret value: the value, and when it is a URL (a credentials URI), the parts that can carry a
 * secret on their own: the password, or a user name without one (as written and percent-decoded), the query, the path and query together, and
 * the path alone when it looks like a token (tokenLikePath), in the parser's form and decoded. Parts shorter than 4
 * characters (a bare `/`) are left out, as in redact().
 */
export function secretValues(value: string): string[] {
  if (!value) return [];
  // Only a value written as scheme://…: a key with a colon in it is no URL.
  const url = hasScheme(value) ? parseUrl(value) : undefined;
  if (!url) return [value];
  const parts = [...(tokenLikePath(url.pathname) ? [url.pathname] : []), ...(url.search ? [url.search, url.search.slice(1), url.pathname + url.search] : [])];
  return [...new Set([value, ...userInfoSecrets(url), ...parts, ...parts.map(decoded)])].filter((part) => part.length >= 4);
}

/**
 * Whether a URL's path may be a secret on its own: one of its segments is at least 16 characters long, or at least
 * 8 and mixes letters and digits. A secret put in a path is a random token (a UUID, 64 bits and more in hex or
 * base64), so it is long or has digits among its letters; the segments of an ordinary path (`credentials`, `api`,
 * `v1`) are short words. A mask covers every later line of the job, so an ordinary path masked alone hides ordinary
 * text: `/credentials` turned `~/.alibabacloud/credentials` into `~/.alibabacloud***`. The whole URI, and the path
 * with its query, are masked whatever the path.
 */
function tokenLikePath(path: string): boolean {
  return decoded(path)
    .split('/')
    .some((segment) => segment.length >= 16 || (segment.length >= 8 && /\p{L}/u.test(segment) && /\d/.test(segment)));
}
