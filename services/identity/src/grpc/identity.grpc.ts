import type { ServerUnaryCall } from '@grpc/grpc-js';
import { identityV1 } from '@inviteflow/proto-gen';
import { RpcLogger, unaryHandler } from '@inviteflow/rpc';
import type { IdentityService } from '../domain/identity.service';
import { fieldError, IDENTITY_ERROR_CODES } from '../domain/identity.errors';
import { pageLimit } from '../domain/identity.service';
import { fromAssociate, fromImportRow, fromPerson, IMPORT_OUTCOME, toAssociate, toPerson, toResolution, toUnresolved } from './identity.mappers';
import { withGrpcStatus } from './identity.status';

/**
 * An import stops before the caller's deadline, to answer with what it did: a fifth of the
 * call's budget, at least 250 ms and at most 2 s. A fixed margin was too thin for a large
 * import on a busy machine: one more row plus encoding thousands of results outlasted it.
 */
const DEADLINE_MARGIN = { share: 0.2, minMs: 250, maxMs: 2000 } as const;

/** Maps the identity use cases onto the generated gRPC contract. */
export function identityGrpcImplementation(service: IdentityService, log: RpcLogger): identityV1.IdentityServiceServer {
  const rpc = <Req, Res>(name: string, fn: (req: Req, call: ServerUnaryCall<Req, Res>) => Promise<Res>) =>
    unaryHandler<Req, Res>(log, name, (req, call) => fn(req, call).catch((err: unknown) => Promise.reject(withGrpcStatus(err))));
  return {
    resolveAddresses: rpc('ResolveAddresses', async (req: identityV1.ResolveAddressesRequest) => ({
      results: (await service.resolve(req.addresses)).map(toResolution),
    })),
    upsertAssociate: rpc('UpsertAssociate', async (req: identityV1.UpsertAssociateRequest) => {
      const r = await service.associates.upsert(fromAssociate(required(req.associate, 'associate')));
      return { associate: toAssociate(r.associate), outcome: r.outcome };
    }),
    upsertPerson: rpc('UpsertPerson', async (req: identityV1.UpsertPersonRequest) => {
      const r = await service.persons.upsert(fromPerson(required(req.person, 'person')));
      return { person: toPerson(r.person), outcome: r.outcome };
    }),
    addAlias: rpc('AddAlias', async (req: identityV1.AddAliasRequest) => {
      const r = await service.associates.addAlias(req.owner, req.alias);
      return { associate: toAssociate(r.associate), outcome: r.outcome };
    }),
    removeAlias: rpc('RemoveAlias', async (req: identityV1.RemoveAliasRequest) => ({
      associate: toAssociate(await service.associates.removeAlias(req.alias, req.owner)),
    })),
    getAssociate: rpc('GetAssociate', async (req: identityV1.GetAssociateRequest) => ({
      associate: toAssociate(await service.resolver.associateOf(req.owner)),
    })),
    deleteAssociate: rpc('DeleteAssociate', async (req: identityV1.DeleteAssociateRequest) => ({
      associate: toAssociate(await service.associates.delete(req.owner)),
    })),
    getPerson: rpc('GetPerson', async (req: identityV1.GetPersonRequest) => ({ person: toPerson(await service.persons.get(req.id)) })),
    deletePerson: rpc('DeletePerson', async (req: identityV1.DeletePersonRequest) => ({ person: toPerson(await service.persons.delete(req.id)) })),
    listAssociates: rpc('ListAssociates', async (req: identityV1.ListAssociatesRequest) => {
      const page = await service.listAssociates(req.pageSize, req.pageToken);
      return { associates: page.items.map(toAssociate), nextPageToken: page.next };
    }),
    listPersons: rpc('ListPersons', async (req: identityV1.ListPersonsRequest) => {
      const page = await service.listPersons(req.pageSize, req.pageToken);
      return { persons: page.items.map(toPerson), nextPageToken: page.next };
    }),
    importDirectory: rpc('ImportDirectory', async (req: identityV1.ImportDirectoryRequest, call) => {
      const options = { moveAddresses: req.moveAddresses, replaceAliases: req.replaceAliases };
      const { results, complete } = await service.imports.importRows(req.rows.map(fromImportRow), stopCheck(call), options);
      return { complete, results: results.map((r) => ({ ...r, outcome: IMPORT_OUTCOME[r.outcome] })) };
    }),
    noteUnresolved: rpc('NoteUnresolved', async (req: identityV1.NoteUnresolvedRequest) => ({
      recorded: await service.unresolved.note(req.sightings.map((s) => ({ address: s.address, displayName: s.displayName, mailId: s.mailId, seenAt: s.seenAt }))),
    })),
    listUnresolved: rpc('ListUnresolved', async (req: identityV1.ListUnresolvedRequest) => {
      const { entries, totalOpen } = await service.unresolved.list(pageLimit(req.limit, 'limit'), req.includeResolved);
      return { addresses: entries.map((e) => toUnresolved(e.doc, e.suggestions)), totalOpen };
    }),
  };
}

/** Says why an import must stop before its next row: the caller left, or its deadline is near. */
function stopCheck(call: ServerUnaryCall<unknown, unknown>): () => string | undefined {
  const deadline = call.getDeadline();
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  const budget = at - Date.now();
  const margin = Math.min(DEADLINE_MARGIN.maxMs, Math.max(DEADLINE_MARGIN.minMs, budget * DEADLINE_MARGIN.share));
  return () => {
    if (call.cancelled) return IDENTITY_ERROR_CODES.cancelled;
    return Number.isFinite(at) && at - Date.now() < margin ? IDENTITY_ERROR_CODES.deadlineExceeded : undefined;
  };
}

function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw fieldError(IDENTITY_ERROR_CODES.invalidArgument, field, 'is required');
  return value;
}
