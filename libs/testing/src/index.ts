export * from './test-env';
export * from './imip-fixture';
export * from './config-docs';
export * from './ics-builders';
export * from './corpus-manifest';
export * from './corpus.location';
export * from './service.in-process';
export * from './private-nats';
