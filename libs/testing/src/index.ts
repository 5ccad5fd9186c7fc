export * from './test-env';
export * from './imip-fixture';
export * from './config-docs';
export * from './ics-builders';
export * from './corpus-manifest';
