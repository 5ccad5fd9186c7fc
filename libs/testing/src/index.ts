export * from './test-env';
export * from './imip-fixture';
