export * from './paths';
export * from './child-process';
export * from './local-nats';
export * from './local-mongo';
export * from './containers';
export * from './provision';
export * from './health-check';
export * from './infra.errors';
