import { identityV1 } from '@inviteflow/proto-gen';
import { RpcLogger, unaryHandler } from '@inviteflow/rpc';
import { AppError } from '@inviteflow/runtime';
import type { AssociateDoc, PersonDoc } from '../data/directory.documents';
import type { IdentityService } from '../domain/identity.service';
import type { ResolutionResult } from '../domain/resolution';

const { ResolutionKind, MatchedBy } = identityV1;

/** Maps the IdentityService use cases onto the generated gRPC contract. */
export function identityGrpcImplementation(service: IdentityService, log: RpcLogger): identityV1.IdentityServiceServer {
  return {
    resolveAddresses: unaryHandler(log, 'ResolveAddresses', async (req: identityV1.ResolveAddressesRequest) => ({
      results: (await service.resolve(req.addresses)).map(toResolution),
    })),
    upsertAssociate: unaryHandler(log, 'UpsertAssociate', async (req: identityV1.UpsertAssociateRequest) => {
      const a = required(req.associate, 'associate');
      const result = await service.upsertAssociate({
        id: a.id || undefined, name: a.name, primaryAddress: a.primaryAddress, aliases: a.aliases,
        timeZone: a.timeZone || 'UTC', locale: a.locale, group: a.group,
      });
      return { associate: toAssociate(result.associate), outcome: result.outcome };
    }),
    upsertPerson: unaryHandler(log, 'UpsertPerson', async (req: identityV1.UpsertPersonRequest) => {
      const p = required(req.person, 'person');
      const result = await service.upsertPerson({ id: p.id || undefined, name: p.name, company: p.company, addresses: p.addresses });
      return { person: toPerson(result.person), outcome: result.outcome };
    }),
    addAlias: unaryHandler(log, 'AddAlias', async (req: identityV1.AddAliasRequest) => ({
      associate: toAssociate(await service.addAlias(req.owner, req.alias)),
    })),
  };
}

function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new AppError({ code: 'INVALID_ARGUMENT', message: `${field} is required`, retryable: false });
  return value;
}

export function toAssociate(a: AssociateDoc): identityV1.Associate {
  return { id: a._id, name: a.name, primaryAddress: a.primaryAddress, aliases: a.aliases, timeZone: a.timeZone, locale: a.locale, group: a.group };
}

export function toPerson(p: PersonDoc): identityV1.Person {
  return { id: p._id, name: p.name, company: p.company, addresses: p.addresses };
}

function toResolution(r: ResolutionResult): identityV1.Resolution {
  const base = { address: r.address, normalizedAddress: r.normalized, candidates: [] as identityV1.Person[] };
  switch (r.kind) {
    case 'associate':
      return { ...base, kind: ResolutionKind.RESOLUTION_KIND_ASSOCIATE, associate: toAssociate(r.associate),
        matchedBy: r.matchedBy === 'primary' ? MatchedBy.MATCHED_BY_PRIMARY : MatchedBy.MATCHED_BY_ALIAS };
    case 'person':
      return { ...base, kind: ResolutionKind.RESOLUTION_KIND_PERSON, matchedBy: MatchedBy.MATCHED_BY_PRIMARY, person: toPerson(r.person) };
    case 'ambiguous':
      return { ...base, kind: ResolutionKind.RESOLUTION_KIND_AMBIGUOUS, matchedBy: MatchedBy.MATCHED_BY_UNSPECIFIED, candidates: r.candidates.map(toPerson) };
    case 'unknown':
      return { ...base, kind: ResolutionKind.RESOLUTION_KIND_UNKNOWN, matchedBy: MatchedBy.MATCHED_BY_UNSPECIFIED };
    default: {
      const never: never = r;
      throw new Error(`unhandled resolution ${JSON.stringify(never)}`);
    }
  }
}
