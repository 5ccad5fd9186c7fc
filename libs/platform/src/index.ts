export * from './service.kit';
export * from './service.main';
export * from './readiness.follower';
