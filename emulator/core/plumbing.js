// @ts-check
// What every service uses to answer: the request log, sending, queued faults, one-shot arrival hooks, flow
// control and the timers close() must clear. Admin methods for these are here too.

/** @typedef {import('./types.js').Ctx} Ctx */
/** @typedef {import('./types.js').FaultAnswers} FaultAnswers */
/** @typedef {import('../types.js').Fault} Fault */
/** @typedef {import('../types.js').RequestRecord} RequestRecord */
/** @typedef {ReturnType<typeof createPlumbing>} Plumbing */

const HTML_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n' +
  '<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n';
const FAULT_KINDS = ['status', 'throttle', 'reset', 'stall', 'truncated', 'html502', 'error', 'answer', 'oversized'];

export function createPlumbing() {
  /** @type {RequestRecord[]} */ let log = [];
  /** @type {Map<string, Fault[]>} */ const faults = new Map();
  /** @type {Set<string>} queueFault targets, filled in by the server from its services */ const faultTargets = new Set();
  /** @type {Map<string, Array<() => void>>} one-shot callbacks of onceRequested(), run when such a request arrives */
  const arrivalHooks = new Map();
  /** @type {Set<NodeJS.Timeout>} */ const timers = new Set();

  // --- the request log and sending ---

  /** @param {Ctx} ctx @param {number} status @param {string} [code] */
  function record(ctx, status, code) {
    /** @type {RequestRecord} */
    const r = { target: 'unknown', method: ctx.req.method ?? 'GET', path: ctx.url.pathname, ...ctx.record, status, time: Date.now() };
    if (code) r.code = code;
    log.push(r);
    return r;
  }
  /**
   * @param {Ctx} ctx @param {number} status @param {string | Buffer} body
   * @param {Record<string, string | number>} [headers] @param {string} [code]
   */
  function send(ctx, status, body, headers = {}, code) {
    record(ctx, status, code);
    const buf = Buffer.from(body);
    ctx.res.writeHead(status, { 'content-length': buf.length, ...headers });
    ctx.res.end(buf);
  }
  /** @param {Ctx} ctx @param {number} status @param {unknown} obj @param {Record<string, string>} [headers] @param {string} [code] */
  function sendJson(ctx, status, obj, headers = {}, code) {
    send(ctx, status, JSON.stringify(obj), { 'content-type': 'application/json;charset=utf-8', ...headers }, code);
  }

  /** @param {NodeJS.Timeout} t a timer close() clears */
  function keepTimer(t) {
    timers.add(t);
    return () => timers.delete(t);
  }

  // --- faults ---

  /** The next fault queued for the first of `targets` that has one (an action's own queue, then its service's). @param {string[]} targets */
  function takeFault(...targets) {
    for (const t of targets) {
      const q = faults.get(t);
      if (q?.length) return q.shift();
    }
    return undefined;
  }

  /**
   * Applies a fault to a request. Returns true when the fault answered (or swallowed) it.
   * @param {Ctx} ctx @param {Fault | undefined} fault @param {FaultAnswers} answers the service's protocol
   */
  function applyFault(ctx, fault, answers) {
    if (!fault) return false;
    ctx.record.fault = fault.kind;
    const { req } = ctx;
    switch (fault.kind) {
      case 'reset': {
        record(ctx, 0, 'ECONNRESET');
        const sock = req.socket;
        if (typeof sock.resetAndDestroy === 'function') sock.resetAndDestroy();
        else sock.destroy();
        return true;
      }
      case 'stall': {
        record(ctx, 0, 'stall');
        req.socket.setTimeout(0);
        const t = setTimeout(
          () => {
            forget();
            req.socket.destroy();
          },
          Math.max(0, fault.ms ?? 60000),
        );
        t.unref();
        const forget = keepTimer(t);
        return true;
      }
      case 'html502':
        send(ctx, 502, HTML_502, { 'content-type': 'text/html' }, 'html502');
        return true;
      case 'truncated': {
        const full = answers.truncated();
        send(ctx, 200, full.slice(0, Math.floor(full.length / 2)), { 'content-type': 'application/json;charset=utf-8' }, 'truncated');
        return true;
      }
      case 'throttle': {
        /** @type {Record<string, string>} */
        const headers =
          fault.retryAfterSeconds !== undefined
            ? { 'retry-after': String(fault.retryAfterSeconds), 'x-acs-retry-after': String(fault.retryAfterSeconds * 1000) }
            : {};
        answers.throttle(ctx, headers);
        return true;
      }
      case 'status': {
        const status = fault.status ?? 500;
        const code = status === 500 ? 'InternalError' : 'ServiceUnavailable';
        const message =
          status === 500
            ? 'The request processing has failed due to some unknown error, exception or failure.'
            : 'The request has failed due to a temporary failure of the server.';
        answers.status(ctx, status, code, message);
        return true;
      }
      case 'answer': {
        // Whatever the test wants STS (or a broker, the token endpoint) to say: malformed, hostile, inconsistent.
        const body = typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body);
        send(ctx, fault.status ?? 200, body, { 'content-type': 'application/json;charset=utf-8' }, 'answer');
        return true;
      }
      case 'oversized': {
        // A body of `bytes` spaces (valid JSON white space) and then {}: the record counts what the client took.
        const entry = record(ctx, 200, 'oversized');
        entry.bytesSent = 0;
        ctx.res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => {
          while ((entry.bytesSent ?? 0) < fault.bytes) {
            if (ctx.res.destroyed || ctx.res.writableEnded) return;
            entry.bytesSent = (entry.bytesSent ?? 0) + chunk.length;
            if (!ctx.res.write(chunk)) return void ctx.res.once('drain', pump);
          }
          ctx.res.end('{}');
        };
        pump();
        return true;
      }
      case 'error':
        answers.error(ctx, fault.status ?? 400, fault.code, fault.message ?? `Injected error ${fault.code}.`);
        return true;
      default:
        ctx.record.fault = undefined;
        return false;
    }
  }

  /**
   * The fault answers of a service that speaks JSON {Code, Message} (credentials URIs, brokers).
   * @param {() => string} truncated the whole body of which the truncated fault sends half
   * @returns {FaultAnswers}
   */
  function jsonFaultAnswers(truncated) {
    return {
      truncated,
      throttle: (ctx, headers) =>
        sendJson(ctx, 429, { Code: 'Throttling.User', Message: 'Request was denied due to user flow control.' }, headers, 'Throttling.User'),
      status: (ctx, status, code, message) => sendJson(ctx, status, { Code: code, Message: message }, {}, code),
      error: (ctx, status, code, message) => sendJson(ctx, status, { Code: code, Message: message }, {}, code),
    };
  }

  /** Runs the onceRequested() callbacks waiting for this target. @param {string} target */
  function arrived(target) {
    for (const hook of arrivalHooks.get(target)?.splice(0) ?? []) hook();
  }

  // --- flow control: so many requests a second per account; above that the service answers Throttling.User ---
  // Two ways of counting, since STS does not document which it uses: a token bucket that refused requests do
  // not drain (the default), or, with countRefused, a sliding one-second window that counts every request, so
  // clients that retry too eagerly keep each other out.
  /** @type {{ perSecond: number, countRefused: boolean } | null} */
  let flowControl = null;
  /** @type {Map<string, { tokens: number, at: number }>} */
  const buckets = new Map();
  /** @type {Map<string, number[]>} arrival times within the last second, per account (countRefused) */
  const windows = new Map();
  /** Whether a request of this account is admitted now (false: answer Throttling.User). @param {string} accountId */
  function admit(accountId) {
    if (!flowControl) return true;
    const now = Date.now();
    if (flowControl.countRefused) {
      const recent = (windows.get(accountId) ?? []).filter((t) => t > now - 1000);
      recent.push(now);
      windows.set(accountId, recent);
      return recent.length <= flowControl.perSecond;
    }
    const bucket = buckets.get(accountId) ?? { tokens: flowControl.perSecond, at: now };
    bucket.tokens = Math.min(flowControl.perSecond, bucket.tokens + ((now - bucket.at) / 1000) * flowControl.perSecond);
    bucket.at = now;
    buckets.set(accountId, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** @type {Pick<import('../types.js').EmulatorAdmin, 'queueFault' | 'clearFaults' | 'onceRequested' | 'setFlowControl' | 'requests' | 'resetRequests'>} */
  const admin = {
    async queueFault(target, fault, count = 1) {
      if (!faultTargets.has(target)) throw new Error(`target must be one of ${[...faultTargets].join(', ')}`);
      if (!fault || !FAULT_KINDS.includes(fault.kind)) throw new Error(`fault.kind must be one of ${FAULT_KINDS.join(', ')}`);
      if (fault.kind === 'error' && (typeof fault.code !== 'string' || !Number.isInteger(fault.status)))
        throw new Error('an error fault needs code and status');
      const q = faults.get(target) ?? [];
      for (let i = 0; i < count; i++) q.push({ ...fault });
      faults.set(target, q);
    },
    async clearFaults() {
      faults.clear();
    },
    /** In-process only: `fn` runs once, when the next request of `target` arrives, before it is answered. */
    onceRequested(target, fn) {
      const hooks = arrivalHooks.get(target) ?? [];
      hooks.push(fn);
      arrivalHooks.set(target, hooks);
    },
    async setFlowControl(o) {
      if (o !== null && !(Number(o?.perSecond) > 0)) throw new Error('setFlowControl takes {perSecond: N, countRefused?: boolean} with N > 0, or null');
      flowControl = o && { perSecond: Number(o.perSecond), countRefused: o.countRefused === true };
      buckets.clear();
      windows.clear();
    },
    async requests() {
      return log.map((r) => ({ ...r }));
    },
    async resetRequests() {
      log = [];
    },
  };

  return { record, send, sendJson, keepTimer, timers, takeFault, applyFault, jsonFaultAnswers, faultTargets, arrived, admit, admin };
}
