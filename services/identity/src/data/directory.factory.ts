import type { Db } from 'mongodb';
import type { Directory } from '../domain/directory.ports';
import { AddressClaimRepository } from './address-claim.repository';
import { AssociateRepository } from './associate.repository';
import { PersonRepository } from './person.repository';
import { UnresolvedRepository } from './unresolved.repository';

/** The directory's repositories: the domain's ports, plus what re-keying scans with. */
export interface DirectoryRepositories extends Directory {
  claims: AddressClaimRepository;
  associates: AssociateRepository;
  persons: PersonRepository;
  unresolved: UnresolvedRepository;
}

/** The directory's repositories over one database. */
export function openDirectory(db: Db): DirectoryRepositories {
  return {
    claims: new AddressClaimRepository(db),
    associates: new AssociateRepository(db),
    persons: new PersonRepository(db),
    unresolved: new UnresolvedRepository(db),
  };
}
