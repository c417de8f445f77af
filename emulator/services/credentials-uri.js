// @ts-check
// Credentials URIs (Prowler's --credentials-uri / ALIBABA_CLOUD_CREDENTIALS_URI shape): each GET of an added
// path answers a fresh session {Code:'Success', AccessKeyId, AccessKeySecret, SecurityToken, Expiration}; a path
// added with basicAuth answers only a request with that user and password as HTTP Basic auth, else 401.
import { credentialsOf } from '../core/state.js';
import { randomAlnum, requireDigits, requireName } from '../core/util.js';

/** @type {import('../core/types.js').ServiceFactory} */
export function credentialsUri(core) {
  const { state, plumbing } = core;
  /** @typedef {{role: import('../core/types.js').Role, durationSeconds: number, authorization?: string}} UriEntry */
  /** @type {Map<string, UriEntry>} path -> role, and the Authorization header it requires, if any */
  const uris = new Map();
  const faultAnswers = plumbing.jsonFaultAnswers(() =>
    JSON.stringify({ Code: 'Success', AccessKeyId: 'STS.TRUNCATED', AccessKeySecret: 'TRUNCATED', SecurityToken: 'TRUNCATED' }),
  );

  return {
    name: 'credentials-uri',
    match: (ctx) => uris.has(ctx.url.pathname),
    handle(ctx) {
      ctx.record.target = 'credentials-uri';
      if (plumbing.applyFault(ctx, plumbing.takeFault('credentials-uri'), faultAnswers)) return;
      if (ctx.req.method !== 'GET') return plumbing.sendJson(ctx, 405, { Code: 'MethodNotAllowed', Message: 'GET only' }, {}, 'method');
      const entry = /** @type {UriEntry} */ (uris.get(ctx.url.pathname));
      const authorization = ctx.req.headers.authorization;
      if (authorization?.startsWith('Basic ')) ctx.record.auth = 'Basic';
      if (entry.authorization !== undefined && authorization !== entry.authorization) {
        const code = authorization === undefined ? 'MissingAuthorization' : 'BadCredentials';
        return plumbing.sendJson(ctx, 401, { Code: code, Message: 'Basic auth required' }, { 'www-authenticate': 'Basic realm="credentials-uri"' }, code);
      }
      const s = state.issueSession(entry.role, `uri-${randomAlnum(8).toLowerCase()}`, entry.durationSeconds);
      plumbing.sendJson(ctx, 200, { Code: 'Success', ...credentialsOf(s) });
    },
    faultTargets: ['credentials-uri'],
    admin: {
      async addCredentialsUri(/** @type {import('../types.js').AddCredentialsUriOptions} */ o) {
        const accountId = requireDigits(o?.accountId, 'accountId');
        const name = requireName(o?.roleName, 'roleName');
        let path = o.path ?? `/credentials/${randomAlnum(32)}`;
        if (!path.startsWith('/')) path = `/${path}`;
        if (core.isRouted(path, 'credentials-uri')) throw new Error(`path ${path} is taken`);
        /** @type {UriEntry} */
        const entry = { role: state.ensureRole({ accountId, name }), durationSeconds: o.durationSeconds ?? 3600 };
        if (o.basicAuth) {
          const { user, password } = o.basicAuth;
          if (typeof user !== 'string' || typeof password !== 'string' || user.includes(':'))
            throw new Error('basicAuth needs a user (without ":") and a password');
          entry.authorization = `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
          // With no password, the user name is the secret (https://<token>@host/).
          state.secrets.add(password || user);
          state.secrets.add(entry.authorization.slice('Basic '.length));
        }
        uris.set(path, entry);
        return { url: `${core.baseUrl()}${path}` };
      },
    },
    setup: [['credentialsUris', 'addCredentialsUri', 'each']],
  };
}
