import type { Db } from 'mongodb';
import type { Directory } from '../domain/identity.deps';
import { AddressClaimRepository } from './address-claim.repository';
import { AssociateRepository } from './associate.repository';
import { PersonRepository } from './person.repository';
import { UnresolvedRepository } from './unresolved.repository';

/** The directory's repositories over one database. */
export function openDirectory(db: Db): Directory {
  return {
    claims: new AddressClaimRepository(db),
    associates: new AssociateRepository(db),
    persons: new PersonRepository(db),
    unresolved: new UnresolvedRepository(db),
  };
}
