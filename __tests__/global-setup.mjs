// Jest global setup:
// - the test tools (Prowler, Alibaba's Python and Go SDKs, …): installed when missing, at the versions that
//   scripts/test-tools.mjs pins, into a cache outside the checkout; a failed install fails the run, naming the tool,
//   the command and its output. Workers find them through CAC_TEST_TOOLS (__tests__/consumers/tools.ts).
// - the end-to-end suites run the bundles that src/ builds now, not the committed dist/ (which .ci/run checks
//   separately). ACTION_DIST, when set, names a build to test instead (e.g. the committed dist/).
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTools } from '../scripts/test-tools.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export default async function globalSetup() {
  // Workers start after this and inherit the variables; global-teardown.mjs removes the bundles' folder.
  process.env.CAC_TEST_TOOLS = JSON.stringify(await ensureTools());
  if (process.env.ACTION_DIST) return;
  const out = mkdtempSync(join(tmpdir(), 'cac-dist-'));
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'package.mjs'), '--out', out], { cwd: ROOT, stdio: 'inherit' });
  process.env.ACTION_DIST = out;
  process.env.CAC_TEST_BUILT_DIST = out;
}
