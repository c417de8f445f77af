// npm run demo: the action, built, run as the GitHub runner would run it, against the bundled loopback
// emulator (STS + GitHub's OIDC token endpoint). Shows the step's log as GitHub would show it (masked), what a
// later step sees, the job summary, and a later step using the credentials with Alibaba's own SDK.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEmulator } from '../emulator/server.js';
import { jobEnv, readStep, stepEnv } from '../emulator/step.mjs';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;
const bold = (text) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const heading = (text) => console.log(`\n${bold(`== ${text}`)}`);

const emulator = await startEmulator();
const job = mkdtempSync(join(tmpdir(), 'cac-demo-'));
try {
  const account = '1234567890123456';
  const idp = await emulator.addOidcProvider({ accountId: account, name: 'github' });
  // The role trusts one branch of one repository, as docs/SETUP.md recommends; the emulator's tokens are main's.
  const role = await emulator.addRole({
    accountId: account,
    name: 'ProwlerAuditRole',
    oidc: { providerArn: idp.arn, sub: ['repo:octo-org/octo-repo:ref:refs/heads/main'] },
  });

  const workflow = `permissions:
  id-token: write
  contents: read
steps:
  - uses: your-org/configure-alibabacloud-credentials@v1
    with:
      role-to-assume: ${role.arn}
      oidc-provider-arn: ${idp.arn}
      region: cn-hangzhou
      sts-endpoint: http://${emulator.stsHost}   # the emulator; leave out for real STS`;
  heading('The workflow step');
  console.log(workflow);

  const inputs = { 'role-to-assume': role.arn, 'oidc-provider-arn': idp.arn, region: 'cn-hangzhou', 'sts-endpoint': `http://${emulator.stsHost}` };
  const base = jobEnv(job, { ACTIONS_ID_TOKEN_REQUEST_URL: emulator.oidcRequestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: emulator.oidcRequestToken });
  mkdirSync(base.HOME);
  const { env, files } = stepEnv({ dir: job, step: 1, entry: 'main', env: base, inputs });
  const main = await run(process.execPath, [join(process.env.ACTION_DIST ?? join(root, 'dist'), 'main', 'index.js')], { env }).catch((error) => error);

  // What GitHub shows: workflow commands are consumed, masked values print as ***.
  const masks = [...main.stdout.matchAll(/^::add-mask::(.*)$/gm)].map((m) => m[1]).sort((a, b) => b.length - a.length);
  const mask = (text) => masks.reduce((out, secret) => out.split(secret).join('***'), text);
  heading('The step log, as GitHub shows it');
  console.log(
    mask(
      main.stdout
        .split('\n')
        .filter((line) => !line.startsWith('::add-mask::'))
        .join('\n'),
    ).trim(),
  );
  if (main.code) throw new Error(`the step failed (exit ${main.code})`);

  const { exported, outputs, summary } = readStep(files);
  heading('What a later step sees (secrets masked)');
  for (const [name, value] of Object.entries(exported)) console.log(`${name}=${mask(value)}`);
  heading('Step outputs');
  for (const [name, value] of Object.entries(outputs)) console.log(`${name}=${mask(value)}`);
  heading('Job summary (GITHUB_STEP_SUMMARY)');
  console.log(summary.trim());

  heading('A later step: @alicloud/credentials default chain + STS GetCallerIdentity');
  const later = await run(process.execPath, [join(root, '__tests__/e2e/consumer.mjs'), emulator.stsHost], {
    env: { PATH: process.env.PATH, HOME: join(job, 'home'), ...exported },
  });
  const proof = JSON.parse(later.stdout);
  if (!proof.ok) throw new Error(`the later step could not use the credentials: ${proof.error}`);
  console.log(`GetCallerIdentity -> ${proof.calls[0].arn} (${proof.calls[0].identityType}), via the ${proof.provider} provider`);

  heading('Requests the emulator answered');
  for (const request of await emulator.requests()) console.log(`${request.target.padEnd(20)} HTTP ${request.status}`);
  console.log('\nDone: this is what `uses: your-org/configure-alibabacloud-credentials@v1` does in a job. See README.md.');
} finally {
  rmSync(job, { recursive: true, force: true });
  await emulator.close();
}
