// One Jest configuration for the whole workspace. Unit tests (*.unit.test.ts) have no I/O;
// integration tests (*.int.test.ts) use the NATS and MongoDB that the global set-up
// provides (libs/testing): env URLs, containers, or the project's own local builds.
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  const key = '^' + alias.replace('/*', '/(.*)') + '$';
  moduleNameMapper[key] = '<rootDir>/' + target.replace('*', '$1');
}

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{libs,services,apps,k8s}/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.tools/'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
    // @nats-io/obj loads node:crypto with import() when asked for its native SHA-256
    // (libs/messaging raw-mail.store.ts). A Node process runs that import() as it is; Jest's
    // module sandbox cannot without --experimental-vm-modules, so for tests this one file's
    // import() becomes a require() of the same module.
    '/node_modules/@nats-io/obj/lib/sha256\\.js$': ['@swc/jest', { jsc: { target: 'es2023' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!@nats-io/obj/lib/sha256\\.js$)'],
  moduleNameMapper,
  globalSetup: '<rootDir>/libs/testing/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/jest/global-teardown.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};
