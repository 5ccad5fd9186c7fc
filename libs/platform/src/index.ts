export * from './service.kit';
export * from './readiness.follower';
