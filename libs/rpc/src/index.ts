export * from './grpc-errors';
export * from './grpc-server';
export * from './grpc-client';
