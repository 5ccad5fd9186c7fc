// gRPC security for tests (issue 15): defined in libs/infra (libs/rpc's own tests use it too),
// offered here beside the rest of the test kit.
export { testGrpcSecurity, TEST_GRPC_CALLERS, TEST_GRPC_SERVER_NAME, TEST_GRPC_STRANGER } from '@inviteflow/infra';
export type { TestGrpcSecurity, TestClientSecurity, TestServerSecurity } from '@inviteflow/infra';
