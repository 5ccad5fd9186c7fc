export * from './test-env';
export * from './imip-fixture';
export * from './config-docs';
