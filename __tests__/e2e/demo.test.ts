// `npm run demo` is the first thing a newcomer runs: it must work on a fresh clone and show masked secrets only.
import { join } from 'node:path';
import { ROOT, runNode } from './runner.js';

it('npm run demo runs the built action end to end and prints no secret', async () => {
  const { code, stdout, stderr } = await runNode(join(ROOT, 'scripts/demo.mjs'), { PATH: process.env.PATH ?? '' });
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  expect(stdout).toMatch(/GetCallerIdentity -> acs:ram::\d+:assumed-role\/ProwlerAuditRole\/\S+ \(AssumedRoleUser\)/);
  expect(stdout).toMatch(/^ALIBABA_CLOUD_ACCESS_KEY_SECRET=\*\*\*$/m);
  expect(stdout).toMatch(/^ALIBABA_CLOUD_SECURITY_TOKEN=\*\*\*$/m);
  expect(stdout).not.toMatch(/::add-mask::|STS\.[A-Za-z0-9]{8,}|eyJ[A-Za-z0-9_-]{10,}/);
});
