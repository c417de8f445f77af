// @ts-check
// Credentials URIs (Prowler's --credentials-uri / ALIBABA_CLOUD_CREDENTIALS_URI shape): each GET of an added
// path answers a fresh session {Code:'Success', AccessKeyId, AccessKeySecret, SecurityToken, Expiration}.
import { credentialsOf } from '../core/state.js';
import { randomAlnum, requireDigits, requireName } from '../core/util.js';

/** @type {import('../core/types.js').ServiceFactory} */
export function credentialsUri(core) {
  const { state, plumbing } = core;
  /** @type {Map<string, {role: import('../core/types.js').Role, durationSeconds: number}>} path -> role */
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
      const entry = /** @type {{role: import('../core/types.js').Role, durationSeconds: number}} */ (uris.get(ctx.url.pathname));
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
        uris.set(path, { role: state.ensureRole({ accountId, name }), durationSeconds: o.durationSeconds ?? 3600 });
        return { url: `${core.baseUrl()}${path}` };
      },
    },
    setup: [['credentialsUris', 'addCredentialsUri', 'each']],
  };
}
