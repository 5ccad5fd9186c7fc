/** Documents of the identity service's own database (no other service reads them). */
export interface AssociateDoc {
  _id: string;
  name: string;
  primaryAddress: string;
  aliases: string[];
  timeZone: string;
  locale: string;
  group: string;
  updatedAt: Date;
}

/**
 * One document per address an associate holds. The address is the _id, so uniqueness across
 * the whole directory is the primary key's, and a look-up is a single-key equality.
 */
export interface AddressClaimDoc {
  _id: string;
  ownerId: string;
  kind: 'primary' | 'alias';
}

export interface PersonDoc {
  _id: string;
  name: string;
  company: string;
  addresses: string[];
  updatedAt: Date;
}

/** Several persons may share an address (an info@ mailbox): one row per (address, person). */
export interface PersonAddressDoc {
  _id: string;
  address: string;
  personId: string;
}

export const COLLECTIONS = {
  associates: 'associates',
  addressClaims: 'address_claims',
  persons: 'persons',
  personAddresses: 'person_addresses',
} as const;
