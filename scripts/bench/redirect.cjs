// For `npm run bench` only: how the official action is pointed at the emulator. Its SDK (@alicloud/credentials'
// oidc_role_arn provider) always speaks https to sts.aliyuncs.com (sts.<region>.aliyuncs.com with
// ALIBABA_CLOUD_STS_REGION); the action has no endpoint input. Loaded with `node --require`, this replaces
// tls.connect, which Node's https agent calls for each new connection: a connection to BENCH_REDIRECT's FROM
// (host:port) goes to its TO (127.0.0.1:port) instead, without SNI, and the server's certificate is checked
// against TO, where the emulator's certificate is valid (trusted through NODE_EXTRA_CA_CERTS).
// Everything else (GitHub's token endpoint) connects as asked. A CommonJS preload: with `--import`, Node 20 would load
// the action's CommonJS bundle through the ESM loader, which lexes its 1.1 MB for exports (~70 ms).
//
//   BENCH_REDIRECT=sts.aliyuncs.com:443=127.0.0.1:PORT node --require ./redirect.cjs action/dist/main/index.js

const tls = require('node:tls');

const [from, to] = (process.env.BENCH_REDIRECT ?? '').split('=');
if (!from || !to) throw new Error('BENCH_REDIRECT must be FROM_HOST:PORT=TO_HOST:PORT');
const [toHost, toPort] = to.split(':');
const original = tls.connect;

tls.connect = function connect(...args) {
  const options = args[0];
  if (typeof options !== 'object' || options === null || `${options.host}:${options.port ?? 443}` !== from) return original.apply(this, args);
  const redirected = {
    ...options,
    host: toHost,
    port: Number(toPort),
    servername: undefined,
    checkServerIdentity: (_name, cert) => tls.checkServerIdentity(toHost, cert),
  };
  return original.call(this, redirected, ...args.slice(1));
};
