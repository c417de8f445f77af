// Removes the bundles global-setup.mjs built for this run.
import { rmSync } from 'node:fs';

export default function globalTeardown() {
  if (process.env.CAC_TEST_BUILT_DIST) rmSync(process.env.CAC_TEST_BUILT_DIST, { recursive: true, force: true });
}
