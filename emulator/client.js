// @ts-check
// Controls an emulator running in another process (cli.js, possibly inside a network namespace)
// through its admin API: POST /__emulator/<method> with a JSON array of the method's arguments.
import http from 'node:http';

/** @typedef {import('./types.js').Emulator} Emulator */
/** @typedef {import('./types.js').EmulatorAdmin} EmulatorAdmin */

const METHODS = /** @type {const} */ ([
  'addUser',
  'addRootKey',
  'setKeyActive',
  'addRole',
  'addOidcProvider',
  'setTokenClaims',
  'setTokenDelay',
  'mintToken',
  'addInstanceRole',
  'setImds',
  'addCredentialsUri',
  'queueFault',
  'clearFaults',
  'setFlowControl',
  'requests',
  'resetRequests',
  'secrets',
  'applySetup',
  'info',
  'close',
]);

/**
 * One admin call. A fresh connection each time (agent: false, Connection: close), so that a test
 * process is never kept alive by an idle socket to the emulator.
 * @param {string} baseUrl @param {string} method @param {unknown[]} args
 * @returns {Promise<unknown>}
 */
export function callAdmin(baseUrl, method, args) {
  const url = new URL(`/__emulator/${method}`, baseUrl);
  const body = Buffer.from(JSON.stringify(args));
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
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
            reject(new Error(`emulator admin ${method}: HTTP ${res.statusCode}, body is not JSON`));
            return;
          }
          if (res.statusCode === 200) resolve(parsed.result);
          else reject(new Error(`emulator admin ${method}: ${parsed?.error ?? `HTTP ${res.statusCode}`}`));
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`emulator admin ${method}: timed out`)));
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
  /** @type {Record<string, (...args: unknown[]) => Promise<unknown>>} */
  const methods = {};
  for (const m of METHODS) methods[m] = (...args) => callAdmin(url, m, args);
  const info = /** @type {import('./types.js').EmulatorInfo} */ (await callAdmin(url, 'info', []));
  return /** @type {Emulator} */ (/** @type {unknown} */ ({ ...methods, ...info }));
}
