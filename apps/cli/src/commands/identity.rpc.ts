import type { CallOptions, Metadata, ServiceError } from '@grpc/grpc-js';
import { identityV1 } from '@inviteflow/proto-gen';
import { callUnary } from '@inviteflow/rpc';
import { CLI_DEADLINE_MS, cliErrorFromGrpc, identityClient } from '../grpc-clients';

type Invoke<Res> = (metadata: Metadata, options: Partial<CallOptions>, callback: (err: ServiceError | null, res: Res) => void) => unknown;

/** One identity client for the duration of `fn`; failures become CLI errors with exit codes. */
export async function withIdentity<T>(address: string, fn: (call: <Res>(invoke: (c: identityV1.IdentityServiceClient) => Invoke<Res>) => Promise<Res>) => Promise<T>): Promise<T> {
  const client = identityClient(address);
  try {
    return await fn((invoke) => callUnary(invoke(client), CLI_DEADLINE_MS).catch((err: unknown) => {
      throw cliErrorFromGrpc(err, 'identity', address);
    }));
  } finally {
    client.close();
  }
}
