export * from './service.kit';
export * from './service.main';
export * from './readiness.follower';
export { grpcServerSecurity, grpcClientSecurity } from './grpc.security';
export type { GrpcServerSecuritySettings, GrpcClientSecuritySettings } from './grpc.security';
