// A later workflow step, as a real consumer writes it: Alibaba's own @alicloud/credentials default chain finds
// the credentials in the environment (or the CLI profile, or ALIBABA_CLOUD_CREDENTIALS_URI), and
// @alicloud/sts20150401 calls GetCallerIdentity with them. With --uri, the client is built from
// ALIBABA_CLOUD_CREDENTIALS_URI instead, as docs/CONSUMERS.md tells code that should renew. It gets nothing from the
// test but the STS endpoint (and, for https, its CA through NODE_EXTRA_CA_CERTS).
// Usage: node consumer.mjs <stsHost | https://stsHost> [calls=1] [pauseMs=0] [--uri]
// Prints one JSON line: {ok, provider, accessKeyId, calls: [{accountId, arn, identityType, accessKeyId}] } or {ok:false, error}.
import Credential, { Config } from '@alicloud/credentials';
import Sts from '@alicloud/sts20150401';

const [endpoint, callsArg = '1', pauseArg = '0', mode] = process.argv.slice(2);
const protocol = endpoint.startsWith('https://') ? 'https' : 'http';
const stsHost = endpoint.replace(/^https?:\/\//, '');
const CredentialClass = Credential.default ?? Credential;
const ConfigClass = Config ?? Credential.Config;
const StsClient = Sts.default ?? Sts;

try {
  const credential =
    mode === '--uri'
      ? new CredentialClass(new ConfigClass({ type: 'credentials_uri', credentialsURI: process.env.ALIBABA_CLOUD_CREDENTIALS_URI }))
      : new CredentialClass();
  const first = await credential.getCredential();
  const client = new StsClient({ credential, endpoint: stsHost, protocol, readTimeout: 5000, connectTimeout: 5000 });
  const calls = [];
  for (let i = 0; i < Number(callsArg); i++) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, Number(pauseArg)));
    const { body } = await client.getCallerIdentity();
    const now = await credential.getCredential();
    calls.push({ accountId: body.accountId, arn: body.arn, identityType: body.identityType, accessKeyId: now.accessKeyId });
  }
  process.stdout.write(`${JSON.stringify({ ok: true, provider: first.providerName ?? first.type, accessKeyId: first.accessKeyId, calls })}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ ok: false, error: `${String(error?.code ?? '')} ${String(error?.message ?? error)}` })}\n`);
}
