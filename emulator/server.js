// @ts-check
// Loopback emulator of Alibaba Cloud STS 2015-04-01, ResourceManager 2020-03-31 (the Resource Directory), GitHub's
// OIDC token endpoint, the ECS metadata service and a credentials URI. Plain JavaScript with Node built-ins only: the demo, the benchmark and
// the network-namespace tests run it with bare `node` (see cli.js).
//
// This file is the router and the listeners. Each service is a module of services/ (see README.md, "Adding a
// service"); what they share is in core/: the identities (state.js), answering, faults, flow control and the
// request log (plumbing.js), and Alibaba's RPC protocol (rpc.js).
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { codes } from './codes.js';
import { createPlumbing } from './core/plumbing.js';
import { createVerifier } from './core/rpc.js';
import { createState } from './core/state.js';
import { adminApi } from './services/admin.js';
import { credentialsUri } from './services/credentials-uri.js';
import { githubOidc } from './services/github-oidc.js';
import { metadata } from './services/metadata.js';
import { ram } from './services/ram.js';
import { resourceManager } from './services/resource-manager.js';
import { sts } from './services/sts.js';

/** @typedef {import('./types.js').StartOptions} StartOptions */
/** @typedef {import('./types.js').Emulator} Emulator */
/** @typedef {import('./types.js').EmulatorAdmin} EmulatorAdmin */
/** @typedef {import('./types.js').SetupResult} SetupResult */
/** @typedef {import('./core/types.js').Ctx} Ctx */
/** @typedef {import('./core/types.js').Core} Core */
/** @typedef {import('./core/types.js').Service} Service */

/** Self-signed test certificate (CA:TRUE) for 127.0.0.1, ::1, localhost and 100.100.100.200; trust it with NODE_EXTRA_CA_CERTS. */
export const tlsCertPath = fileURLToPath(new URL('./tls/cert.pem', import.meta.url));
const TLS_KEY_PATH = fileURLToPath(new URL('./tls/key.pem', import.meta.url));

// The router: asked in this order, the first service whose match() says yes answers.
const SERVICES = [metadata, adminApi, resourceManager, ram, sts, githubOidc, credentialsUri];

/**
 * Starts the emulator.
 * @param {StartOptions} [opts]
 * @returns {Promise<Emulator>}
 */
export async function startEmulator(opts = {}) {
  const host = opts.host ?? '127.0.0.1';
  const timeScale = opts.timeScale ?? 1;
  if (!(timeScale > 0)) throw new Error('timeScale must be > 0');

  const state = createState({ timeScale });
  const plumbing = createPlumbing();
  /** @type {string} */ let baseUrl = '';
  /** @type {Core} */
  const core = {
    state,
    plumbing,
    verifier: createVerifier(state),
    opts: { timeScale, tokenDelayMs: opts.tokenDelayMs ?? 0 },
    baseUrl: () => baseUrl,
    isRouted: (path, except) => {
      const ctx = /** @type {Ctx} */ ({ url: new URL(path, 'http://emulator.invalid'), req: { method: 'GET', headers: {} }, body: Buffer.alloc(0) });
      return services.some((s) => s.name !== except && s.match(ctx));
    },
    admin: /** @type {EmulatorAdmin} */ (/** @type {unknown} */ ({})),
    close: () => close(),
  };
  /** @type {Service[]} */
  const services = SERVICES.map((create) => create(core));
  const metadataService = /** @type {Service} */ (services.find((s) => s.name === 'metadata'));
  const github = /** @type {Service & { info(): Record<string, string> }} */ (services.find((s) => s.name === 'github-oidc'));
  for (const s of services) for (const t of s.faultTargets ?? []) plumbing.faultTargets.add(t);
  const setupSteps = [...state.setup, ...services.flatMap((s) => s.setup ?? [])];

  /** @type {Record<string, unknown>} */
  const admin = Object.assign(core.admin, state.admin, plumbing.admin, ...services.map((s) => s.admin ?? {}), {
    /** @param {Record<string, unknown>} setup */
    async applySetup(setup) {
      /** @type {Record<string, unknown>} */
      const out = {};
      /** @type {Record<string, unknown[]>} */
      const lists = {};
      for (const [key, , how] of setupSteps) if (how === 'each') out[key] = lists[key] = [];
      const call = /** @param {string} method @param {unknown} arg */ (method, arg) =>
        /** @type {(a: unknown) => Promise<unknown>} */ (/** @type {Record<string, unknown>} */ (admin)[method])(arg);
      for (const [key, method, how] of setupSteps) {
        const value = setup?.[key];
        if (how === 'once') {
          // A one-off setting answers nothing; a one-off structure (the Resource Directory) answers what it made.
          const made = value ? await call(method, value) : undefined;
          if (made !== undefined) out[key] = made;
        } else for (const arg of /** @type {unknown[]} */ (value ?? [])) lists[key].push(await call(method, arg));
      }
      return /** @type {SetupResult} */ (/** @type {unknown} */ (out));
    },
    async info() {
      return info();
    },
    async close() {
      await close();
    },
  });

  // --- HTTP plumbing ---

  /**
   * @param {boolean} metadataOnly the dedicated metadata listener serves /latest/ only
   * @returns {http.RequestListener}
   */
  const listener = (metadataOnly) => (req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (/** @type {Buffer} */ c) => {
      size += c.length;
      if (size > 1 << 20) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      /** @type {Ctx} */
      const ctx = { req, res, url: new URL(req.url ?? '/', 'http://emulator.invalid'), body: Buffer.concat(chunks), record: {} };
      Promise.resolve()
        .then(() => route(ctx, metadataOnly))
        .catch((e) => {
          if (!res.headersSent) plumbing.sendJson(ctx, 500, { Code: 'EmulatorBug', Message: String(e?.stack ?? e) }, {}, 'EmulatorBug');
          else res.destroy();
        });
    });
  };

  /** @param {Ctx} ctx @param {boolean} metadataOnly */
  async function route(ctx, metadataOnly) {
    if (metadataOnly) {
      if (metadataService.match(ctx)) return metadataService.handle(ctx);
      return plumbing.send(ctx, 404, 'Not Found', { 'content-type': 'text/plain' }, 'not-found');
    }
    const service = services.find((s) => s.match(ctx));
    if (service) return service.handle(ctx);
    plumbing.sendJson(ctx, 404, { Code: 'NotFound', Message: `Nothing at ${ctx.url.pathname}` }, {}, 'not-found');
  }

  /** @param {string} h @param {number} port */
  const hostPort = (h, port) => (h.includes(':') ? `[${h}]:${port}` : `${h}:${port}`);

  /** @param {http.Server | https.Server} server @param {string} h @param {number} port */
  function listen(server, h, port) {
    if (opts.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = opts.keepAliveTimeoutMs;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, h, () => {
        server.off('error', reject);
        const addr = server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  // @alicloud/credentials' RAM role and OIDC providers only speak https to STS: tls serves them.
  const main = opts.tls
    ? https.createServer({ cert: readFileSync(tlsCertPath), key: readFileSync(TLS_KEY_PATH) }, listener(false))
    : http.createServer(listener(false));
  const mainPort = /** @type {number} */ (await listen(main, host, opts.port ?? 0));
  baseUrl = `${opts.tls ? 'https' : 'http'}://${hostPort(host, mainPort)}`;
  /** @type {http.Server | undefined} */
  let meta;
  /** @type {string | undefined} */
  let metadataUrl;
  if (opts.metadataHost) {
    meta = http.createServer(listener(true));
    try {
      const port = /** @type {number} */ (await listen(meta, opts.metadataHost, opts.metadataPort ?? 80));
      metadataUrl =
        port === 80
          ? `http://${opts.metadataHost.includes(':') ? `[${opts.metadataHost}]` : opts.metadataHost}`
          : `http://${hostPort(opts.metadataHost, port)}`;
    } catch (e) {
      await new Promise((r) => main.close(r));
      main.closeAllConnections();
      throw e;
    }
  }

  function info() {
    const { oidcRequestUrl, oidcRequestToken, jwksUrl } = github.info();
    return {
      url: baseUrl,
      stsHost: hostPort(host, mainPort),
      oidcRequestUrl,
      oidcRequestToken,
      ...(metadataUrl ? { metadataUrl } : {}),
      jwksUrl,
      ...(opts.tls ? { caFile: tlsCertPath } : {}),
    };
  }

  /** @type {Promise<void> | undefined} */
  let closing;
  function close() {
    closing ??= (async () => {
      for (const t of plumbing.timers) clearTimeout(t);
      plumbing.timers.clear();
      await Promise.all(
        [main, meta]
          .filter((s) => s !== undefined)
          .map(
            (s) =>
              new Promise((resolve) => {
                s.close(() => resolve(undefined));
                s.closeAllConnections();
              }),
          ),
      );
    })();
    return closing;
  }

  return /** @type {Emulator} */ ({ ...admin, ...info() });
}

export { percentEncode } from './core/util.js';
export { codes };
