import { credentials } from '@grpc/grpc-js';
import { identityV1 } from '@inviteflow/proto-gen';
import { callUnary } from '@inviteflow/rpc';
import { AppError } from '@inviteflow/runtime';
import type { IdentityLookup } from '../handlers/invite-parsed.handler';

/** The identity service over gRPC, every call with a deadline. Unavailability is retryable. */
export function identityClient(address: string, deadlineMs: number): IdentityLookup & { close(): void } {
  const client = new identityV1.IdentityServiceClient(address, credentials.createInsecure());
  return {
    async resolve(addresses) {
      try {
        const res = await callUnary<identityV1.ResolveAddressesResponse>(
          (md, o, cb) => client.resolveAddresses({ addresses }, md, o, cb), deadlineMs);
        return res.results;
      } catch (err) {
        throw new AppError({ code: 'IDENTITY_UNAVAILABLE', message: `identity service: ${(err as Error).message}`, retryable: true, cause: err });
      }
    },
    close: () => client.close(),
  };
}
