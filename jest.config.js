/** Jest runs TypeScript through SWC (no type-check here; `npm run typecheck` does that). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  rootDir: '.',
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testTimeout: 60000,
  // Integration tests start real servers on loopback; two workers keep a 2-core box responsive.
  maxWorkers: 2,
  setupFiles: ['<rootDir>/test/setupEnv.js'],
};
