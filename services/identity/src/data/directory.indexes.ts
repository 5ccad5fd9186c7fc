import type { IndexSpec } from '@inviteflow/mongo';
import { COLLECTIONS } from './directory.documents';

/** Declared in code, created at start (architecture.md, Storage). */
export const DIRECTORY_INDEXES: IndexSpec[] = [
  { collection: COLLECTIONS.personAddresses, key: { address: 1 }, name: 'address' },
  { collection: COLLECTIONS.addressClaims, key: { ownerId: 1 }, name: 'owner' },
];
