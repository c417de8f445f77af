// @ts-check
// The admin API: POST /__emulator/<method> with a JSON array of arguments calls that admin method (client.js
// is its client) and answers {result} or {error}; GET /__emulator/ lists the methods. Admin calls are not
// requests to an emulated service, so the request log never shows them.

export const ADMIN_PREFIX = '/__emulator/';

/** @type {import('../core/types.js').ServiceFactory} */
export function adminApi(core) {
  /** @param {import('../core/types.js').Ctx} ctx */
  async function handle(ctx) {
    const name = ctx.url.pathname.slice(ADMIN_PREFIX.length);
    const reply = (/** @type {number} */ status, /** @type {unknown} */ obj) => {
      const buf = Buffer.from(JSON.stringify(obj ?? null));
      ctx.res.writeHead(status, { 'content-type': 'application/json', 'content-length': buf.length });
      ctx.res.end(buf);
    };
    const methods = /** @type {Record<string, (...a: unknown[]) => unknown>} */ (/** @type {unknown} */ (core.admin));
    // onceRequested takes a function: it cannot cross a process boundary.
    const remote = Object.keys(methods).filter((m) => m !== 'onceRequested');
    if (name === '' && ctx.req.method === 'GET') return reply(200, { result: remote });
    const fn = remote.includes(name) ? methods[name] : undefined;
    if (ctx.req.method !== 'POST' || !fn) return reply(404, { error: `no admin method ${name}` });
    let args;
    try {
      const parsed = ctx.body.length ? JSON.parse(ctx.body.toString('utf8')) : [];
      args = Array.isArray(parsed) ? parsed : [parsed];
    } catch {
      return reply(400, { error: 'body must be JSON: an array of arguments' });
    }
    if (name === 'close') {
      // Close only once the reply is out: close() destroys every socket, this one included.
      ctx.res.once('finish', () => void core.close());
      reply(200, { result: null });
      return;
    }
    try {
      reply(200, { result: (await fn(...args)) ?? null });
    } catch (e) {
      reply(400, { error: e instanceof Error ? e.message : String(e) });
    }
  }

  return { name: 'admin', match: (ctx) => ctx.url.pathname.startsWith(ADMIN_PREFIX), handle };
}
