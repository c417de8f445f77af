// Jest's order of test files, with the suites that wait longest first. Jest orders by the durations of its last run,
// which a fresh clone (CI) does not have: it then goes by file size, and a long suite that starts late makes the
// whole run that much longer. These suites mostly wait (on STS sessions expiring, throttling backoffs), so starting
// them first lets everything else run beside them.
import TestSequencer from '@jest/test-sequencer';

const LONGEST_FIRST = ['/e2e/refresh.test.ts', '/e2e/faults.test.ts', '/e2e/faults-matrix.test.ts'];

const rank = (/** @type {string} */ path) => {
  const i = LONGEST_FIRST.findIndex((suffix) => path.replaceAll('\\', '/').endsWith(suffix));
  return i === -1 ? LONGEST_FIRST.length : i;
};

export default class LongestFirst extends TestSequencer {
  /** @param {import('@jest/test-result').Test[]} tests */
  async sort(tests) {
    // Array.prototype.sort is stable: the other suites keep the order Jest chose.
    return [...(await super.sort(tests))].sort((a, b) => rank(a.path) - rank(b.path));
  }
}
