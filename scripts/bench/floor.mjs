// The floor of `npm run bench`: the least a process must do for the OIDC flow, with Node's built-ins only and no
// checks, retries, masking or messages. It reads the step's INPUT_* and ACTIONS_ID_TOKEN_REQUEST_* variables, GETs
// GitHub's OIDC token, POSTs AssumeRoleWithOIDC (the form src/sts.ts sends), writes the three keys to GITHUB_ENV as
// @actions/core does, and exits. HTTPS only, one request per connection.
//
//   node scripts/bench/floor.mjs             sequential: connects to STS once the token is there
//   node scripts/bench/floor.mjs --overlap   opens the STS connection (TCP + TLS) while the token is fetched

import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { request } from 'node:https';
import { isIP } from 'node:net';
import { connect } from 'node:tls';

const env = process.env;
/** An input as the runner passes it: INPUT_ and the upper-cased name, hyphens kept. */
const input = (name) => env[`INPUT_${name.toUpperCase()}`] ?? '';
const sts = new URL(input('sts-endpoint') || 'https://sts.aliyuncs.com');
const early = process.argv[2] === '--overlap' ? secureSocket(sts) : undefined;
early?.catch(() => {}); // reported when the POST takes it

const audience = encodeURIComponent(input('audience') || 'sts.aliyuncs.com');
const token = JSON.parse(
  await send(`${env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=${audience}`, { headers: { authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` } }),
).value;

const form = new URLSearchParams({
  Action: 'AssumeRoleWithOIDC',
  Version: '2015-04-01',
  Format: 'JSON',
  Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  SignatureNonce: randomUUID(),
  RoleArn: input('role-to-assume'),
  OIDCProviderArn: input('oidc-provider-arn'),
  OIDCToken: token,
  RoleSessionName: input('role-session-name') || `github-actions-${env.GITHUB_RUN_ID}`,
  DurationSeconds: input('role-session-expiration') || '3600',
});
const answer = await send(`${sts.origin}/`, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: form.toString(),
  socket: await early,
});
const { AccessKeyId, AccessKeySecret, SecurityToken } = JSON.parse(answer).Credentials;

const delimiter = `ghadelimiter_${randomUUID()}`;
const exported = { ALIBABA_CLOUD_ACCESS_KEY_ID: AccessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: AccessKeySecret, ALIBABA_CLOUD_SECURITY_TOKEN: SecurityToken };
appendFileSync(
  env.GITHUB_ENV,
  Object.entries(exported)
    .map(([name, value]) => `${name}<<${delimiter}\n${value}\n${delimiter}\n`)
    .join(''),
);

/** A TLS connection to `url`'s origin, resolved once the handshake is done. */
function secureSocket(url) {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const socket = connect({ host, port: Number(url.port || 443), servername: isIP(host) ? undefined : host });
  return new Promise((resolve, reject) => {
    socket.once('secureConnect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** One HTTPS request on a new connection (or on `socket`); the body of a 200 answer. */
function send(url, { method = 'GET', headers = {}, body, socket }) {
  return new Promise((resolve, reject) => {
    const options = { method, headers: { ...headers, connection: 'close' }, ...(socket ? { createConnection: () => socket } : { agent: false }) };
    const req = request(url, options, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`${method} ${new URL(url).host}: HTTP ${res.statusCode} ${text}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}
