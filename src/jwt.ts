// Reads the claims of a JWT without verifying it: only to show the user which claims STS compared with the
// role's trust policy. Pure: no I/O.

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
/** More than any OIDC token takes (GitHub's are about 1 KiB); also the most the action reads from a token file. */
export const MAX_JWT_BYTES = 64 * 1024;

/** The shape of a compact JWS: three base64url parts. Anything else is no token (and is never printed or masked). */
export function isJwt(value: string): boolean {
  return value.length <= MAX_JWT_BYTES && JWT.test(value);
}

/** Claims that identify the workflow and are safe to print. The token itself never is. */
const PRINTABLE_CLAIMS = ['iss', 'aud', 'sub', 'job_workflow_ref', 'repository', 'ref', 'environment'] as const;

export function printableClaims(token: string): Record<string, string> {
  const payload = token.split('.')[1];
  if (!payload) return {};
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return {};
  }
  if (typeof claims !== 'object' || claims === null) return {};
  const out: Record<string, string> = {};
  for (const name of PRINTABLE_CLAIMS) {
    const value = (claims as Record<string, unknown>)[name];
    if (typeof value === 'string') out[name] = value;
    else if (Array.isArray(value)) out[name] = value.join(',');
  }
  return out;
}
