// @ts-check
// Controls an emulator running in another process (cli.js, possibly inside a network namespace)
// through its admin API: POST /__emulator/<method> with a JSON array of the method's arguments.
import http from 'node:http';

/** @typedef {import('./types.js').Emulator} Emulator */
/** @typedef {import('./types.js').EmulatorAdmin} EmulatorAdmin */

/**
 * One admin call. A fresh connection each time (agent: false, Connection: close), so that a test
 * process is never kept alive by an idle socket to the emulator.
 * @param {string} baseUrl @param {string} method @param {unknown[]} args
 * @returns {Promise<unknown>}
 */
export function callAdmin(baseUrl, method, args) {
  return adminRequest(baseUrl, 'POST', method, args);
}

/**
 * @param {string} baseUrl @param {'GET' | 'POST'} httpMethod @param {string} method '' lists the methods
 * @param {unknown[]} [args]
 * @returns {Promise<unknown>}
 */
function adminRequest(baseUrl, httpMethod, method, args) {
  const url = new URL(`/__emulator/${method}`, baseUrl);
  const body = Buffer.from(args === undefined ? '' : JSON.stringify(args));
  const what = method || 'methods';
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: httpMethod,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': body.length, connection: 'close' },
        timeout: 10000,
      },
      (res) => {
        /** @type {Buffer[]} */
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          let parsed;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            reject(new Error(`emulator admin ${what}: HTTP ${res.statusCode}, body is not JSON`));
            return;
          }
          if (res.statusCode === 200) resolve(parsed.result);
          else reject(new Error(`emulator admin ${what}: ${parsed?.error ?? `HTTP ${res.statusCode}`}`));
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`emulator admin ${what}: timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Connects to a running emulator; the result has the same fields and async methods as startEmulator's.
 * @param {string} url the emulator's url (http://127.0.0.1:PORT)
 * @returns {Promise<Emulator>}
 */
export async function connectEmulator(url) {
  // The server lists its admin methods (every service's), so a new service's methods need no change here.
  const names = /** @type {string[]} */ (await adminRequest(url, 'GET', ''));
  /** @type {Record<string, (...args: unknown[]) => Promise<unknown>>} */
  const methods = {};
  for (const m of names) methods[m] = (...args) => callAdmin(url, m, args);
  const info = /** @type {import('./types.js').EmulatorInfo} */ (await callAdmin(url, 'info', []));
  return /** @type {Emulator} */ (/** @type {unknown} */ ({ ...methods, ...info }));
}
