// Jest runs in its native ESM mode (npm test passes --experimental-vm-modules): @actions/core 3.x
// is ESM only, and the sources are ESM. swc strips the TypeScript without type-checking; `npm run typecheck` checks types.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'es6' } }] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  testTimeout: 60000,
  // The e2e suites mostly wait on child processes and timers (the refresh suite on whole STS sessions, the throttled
  // matrix on flow control): four workers overlap those waits even on two cores, so that `npm test` stays within
  // three minutes there.
  maxWorkers: 4,
  // The refresh suite's concurrent tests wait through whole STS sessions; all of them wait at once.
  maxConcurrency: 12,
  // The suites that wait longest start first, also in a fresh clone without Jest's record of durations.
  testSequencer: '<rootDir>/__tests__/sequencer.mjs',
  globalSetup: '<rootDir>/__tests__/global-setup.mjs',
  globalTeardown: '<rootDir>/__tests__/global-teardown.mjs',
};
