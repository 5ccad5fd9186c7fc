import { status } from '@grpc/grpc-js';
import { IDENTITY_LIMITS } from '@inviteflow/contracts';
import { identityV1 } from '@inviteflow/proto-gen';
import { callUnary, clientChannelOptions, clientCredentials, GrpcClientSecurity, reasonOf } from '@inviteflow/rpc';
import { AppError } from '@inviteflow/runtime';
import type { AssociateDirectory, IdentityPort } from '../domain/identity.port';
import type { ResolutionCache } from '../domain/resolution.cache';

export type IdentityClient = IdentityPort & AssociateDirectory & { close(): void };

const TRANSIENT_STATUSES = new Set<number>([
  status.UNAVAILABLE, status.DEADLINE_EXCEEDED, status.RESOURCE_EXHAUSTED, status.ABORTED, status.INTERNAL, status.UNKNOWN, status.CANCELLED,
]);

/**
 * The identity service over gRPC, every call with a deadline. A failure is retryable
 * (IDENTITY_UNAVAILABLE): the message is redelivered later. Resolutions go through `cache`;
 * `resolveFresh` and everything else go straight to identity. Any number of addresses may be
 * asked: they are sent in chunks of identity's batch limit (IDENTITY_LIMITS, libs/contracts),
 * one call after the other so one invitation never floods identity, each with its deadline.
 * `security`: TLS and appointment's own caller token (issue 15 §2), or plaintext in development.
 */
export function identityClient(address: string, deadlineMs: number, security: GrpcClientSecurity, cache?: ResolutionCache): IdentityClient {
  const client = new identityV1.IdentityServiceClient(address, clientCredentials(security), clientChannelOptions(address, security));
  const call = async <Res>(what: string, invoke: Parameters<typeof callUnary<Res>>[0]): Promise<Res> => {
    try {
      return await callUnary<Res>(invoke, deadlineMs);
    } catch (err) {
      const reason = reasonOf(err);
      const message = `identity service ${what}: ${(err as Error).message}${reason ? ` [${reason}]` : ''}`;
      // Only a failure that may pass is worth the retry table; a refusal (a bad request) would
      // come back the same after every backoff step, so it goes to the dead letters at once.
      const transient = TRANSIENT_STATUSES.has((err as { code?: number }).code ?? status.UNAVAILABLE);
      throw new AppError({ code: transient ? 'IDENTITY_UNAVAILABLE' : 'IDENTITY_REFUSED', message, retryable: transient, cause: err });
    }
  };
  const resolveFresh = (addresses: string[]): Promise<identityV1.Resolution[]> =>
    inChunks(addresses, async (chunk) =>
      (await call<identityV1.ResolveAddressesResponse>('ResolveAddresses', (md, o, cb) => client.resolveAddresses({ addresses: chunk }, md, o, cb))).results);
  return {
    resolveFresh,
    resolve: async (addresses) => {
      if (!cache) return resolveFresh(addresses);
      const generation = cache.generation;
      const cached = addresses.map((a) => cache.get(a));
      const missing = addresses.filter((_, i) => !cached[i]);
      if (missing.length === 0) return cached as identityV1.Resolution[];
      const fetched = await resolveFresh(missing);
      missing.forEach((a, i) => cache.set(a, fetched[i]!, generation));
      let next = 0;
      return cached.map((c) => c ?? fetched[next++]!);
    },
    noteUnresolved: async (sightings) => {
      // Identity resolves the sightings again, so the same batch limit applies.
      await inChunks(sightings, async (chunk) => {
        await call<identityV1.NoteUnresolvedResponse>('NoteUnresolved', (md, o, cb) => client.noteUnresolved({ sightings: chunk }, md, o, cb));
        return [];
      });
    },
    getAssociate: async (owner) => {
      try {
        return (await call<identityV1.GetAssociateResponse>('GetAssociate', (md, o, cb) => client.getAssociate({ owner }, md, o, cb))).associate;
      } catch (err) {
        // Nobody has that id: an answer, not a failure (the caller says NOT_FOUND).
        if (((err as Error).cause as { code?: number } | undefined)?.code === status.NOT_FOUND) return undefined;
        throw err;
      }
    },
    close: () => client.close(),
  };
}

/** Calls `ask` for each chunk of at most IDENTITY_LIMITS.resolveBatchMax items, in order, and joins the answers. */
export async function inChunks<T, R>(items: readonly T[], ask: (chunk: T[]) => Promise<R[]>, size: number = IDENTITY_LIMITS.resolveBatchMax): Promise<R[]> {
  const answers: R[] = [];
  for (let i = 0; i < items.length; i += size) answers.push(...(await ask(items.slice(i, i + size))));
  return answers;
}
