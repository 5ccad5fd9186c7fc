// Benchmarks and load tests: their own command (`./dev bench`), never in the default run.
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['<rootDir>/{libs,services,apps}/**/*.bench.ts'],
  testTimeout: 15 * 60 * 1000,
  maxWorkers: 1,
};
