// The CLI's side of ingest's MailboxService (`inviteflow mailbox ...`, issue 12).
import { type CallOptions, type Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { ingestV1 } from '@inviteflow/proto-gen';
import { callUnary, clientChannelOptions, clientCredentials, reasonOf } from '@inviteflow/rpc';
import type { AppError } from '@inviteflow/runtime';
import { cliError } from '../cli-output';
import { CLI_DEADLINE_MS, cliErrorFromGrpc, cliGrpcSecurity } from '../grpc-clients';

type Client = ingestV1.MailboxServiceClient;
type Call<Res> = (client: Client, md: Metadata, options: Partial<CallOptions>, cb: (err: ServiceError | null, res: Res) => void) => unknown;

/** One call to MailboxService at `address`, its failure as a CLI error (bad input: exit 2). */
export async function mailboxCall<Res>(address: string, call: Call<Res>): Promise<Res> {
  const security = cliGrpcSecurity();
  const client = new ingestV1.MailboxServiceClient(address, clientCredentials(security), clientChannelOptions(address, security));
  try {
    return await callUnary<Res>((md, o, cb) => call(client, md, o, cb), CLI_DEADLINE_MS);
  } catch (err) {
    throw mailboxCliError(err, address);
  } finally {
    client.close();
  }
}

function mailboxCliError(err: unknown, address: string): AppError {
  const e = err as { code?: number; details?: string };
  if (e.code === status.INVALID_ARGUMENT) return cliError('CLI_USAGE', `ingest refused the mailbox: ${e.details ?? ''} [${reasonOf(err) ?? 'INVALID_ARGUMENT'}]`);
  if (e.code === status.UNIMPLEMENTED) return cliError('CLI_UNAVAILABLE', `ingest at ${address} has no mailbox intake (it runs without MONGO_URL)`);
  return cliErrorFromGrpc(err, 'ingest', address);
}
