// Jest global setup: the end-to-end suites run the bundles that src/ builds now, not the committed dist/ (which
// .ci/run checks separately). ACTION_DIST, when set, names a build to test instead (e.g. the committed dist/).
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export default function globalSetup() {
  if (process.env.ACTION_DIST) return;
  const out = mkdtempSync(join(tmpdir(), 'cac-dist-'));
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'package.mjs'), '--out', out], { cwd: ROOT, stdio: 'inherit' });
  // Workers start after this and inherit the variable; global-teardown.mjs removes the folder.
  process.env.ACTION_DIST = out;
  process.env.CAC_TEST_BUILT_DIST = out;
}
