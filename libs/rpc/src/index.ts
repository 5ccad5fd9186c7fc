export * from './grpc-errors';
export * from './grpc-server';
export * from './grpc-client';
export * from './grpc-callers';
export * from './grpc-security';
