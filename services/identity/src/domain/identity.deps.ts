import type { PolicySet } from './address.policy';
import type { Directory } from './directory.ports';

export type { Directory } from './directory.ports';

/**
 * identity.changed.v1: which addresses' resolutions may have changed. `addresses` carries
 * both the normalised spellings and their directory keys, so a caller that keyed its cache
 * or its parked work on either finds them.
 */
export interface IdentityChange {
  addresses: string[];
  entityId: string;
  change: 'associate.created' | 'associate.updated' | 'associate.deleted' | 'alias.added' | 'alias.removed'
    | 'person.created' | 'person.updated' | 'person.deleted';
  /** The entity's version after the change; with entityId and change, the event's msgId. */
  version: number;
}

export type PublishIdentityChanged = (change: IdentityChange) => Promise<void>;

/** What every identity use case is given: repositories, policies, the event port, a clock. */
export interface IdentityDeps {
  dir: Directory;
  policies: PolicySet;
  publishChanged: PublishIdentityChanged;
  now: () => Date;
}
