import { identityV1 } from '@inviteflow/proto-gen';

/** An associate whose copy a message reaches, as identity knows them. */
export interface CopyOwner {
  associateId: string;
  /** The envelope address the mail reached them at (or the address a command named). */
  address: string;
  /** Every address they hold (primary and aliases), lowercase: who "they" are in iCalendar. */
  addresses: string[];
  /** IANA zone where floating and unknown-zone times are placed (domain.md §2). */
  timeZone: string;
  /** identity's Associate.group ('' or absent: none): the level "Manage incoming invitations" may be set for. */
  group?: string;
}

/** The zone assumed for an associate the directory gives none. */
export const DEFAULT_OWNER_TIME_ZONE = 'UTC';

/** Pure: the owner an associate resolution describes. */
export function copyOwnerOf(address: string, associate: identityV1.Associate): CopyOwner {
  const addresses = [associate.primaryAddress, ...associate.aliases, address].filter(Boolean).map((a) => a.toLowerCase());
  return { associateId: associate.id, address, addresses: [...new Set(addresses)], timeZone: associate.timeZone || DEFAULT_OWNER_TIME_ZONE, ...(associate.group ? { group: associate.group } : {}) };
}
