import { identityV1 } from '@inviteflow/proto-gen';
import { AppError } from '@inviteflow/runtime';
import { copyOwnerOf, type CopyOwner } from '../domain/copy-owner';
import type { AssociateDirectory, IdentityLookup } from '../domain/identity.port';

/** What the API asks of identity: resolve addresses (cached) and look associates up by id. */
export type OwnerDirectory = IdentityLookup & AssociateDirectory;

const invalid = (message: string): AppError => new AppError({ code: 'INVALID_ARGUMENT', message, retryable: false });
const notFound = (message: string): AppError => new AppError({ code: 'NOT_FOUND', message, retryable: false });

/**
 * The associate id an API caller means: an id is taken as is (copies are keyed by it, so a
 * wrong one simply finds nothing, and reading a diary needs no identity call); an address is
 * resolved through identity, aliases and address policies included.
 */
export async function associateIdOf(identity: IdentityLookup, associate: string, field = 'associate'): Promise<string> {
  const who = associate.trim();
  if (!who) throw invalid(`${field} is required`);
  if (!who.includes('@')) return who;
  const [r] = await identity.resolve([who]);
  if (r?.kind === identityV1.ResolutionKind.RESOLUTION_KIND_ASSOCIATE && r.associate) return r.associate.id;
  throw notFound(`${who} is not an associate's address`);
}

/**
 * The full owner of a copy to write (every address, time zone), as the applier needs it: an
 * address through identity's resolution, an id through GetAssociate.
 */
export async function resolveOwner(identity: OwnerDirectory, owner: string): Promise<CopyOwner> {
  const who = owner.trim();
  if (!who) throw invalid('owner is required');
  if (who.includes('@')) {
    const [r] = await identity.resolve([who]);
    if (r?.kind === identityV1.ResolutionKind.RESOLUTION_KIND_ASSOCIATE && r.associate) return copyOwnerOf(who.toLowerCase(), r.associate);
    throw notFound(`${who} is not an associate's address`);
  }
  const associate = await identity.getAssociate(who);
  if (!associate) throw notFound(`no associate with id ${who}`);
  return copyOwnerOf(associate.primaryAddress.toLowerCase(), associate);
}
