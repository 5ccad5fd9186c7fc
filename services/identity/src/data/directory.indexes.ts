import type { IndexSpec } from '@inviteflow/mongo';

/**
 * Declared in code, created at start (architecture.md, Storage). The directory needs no
 * secondary index: every look-up is an equality on `_id` (address keys, ids, name keys),
 * which is indexed on every backend, including the local stand-in where a secondary
 * non-unique index would never answer a query (docs/mongo-stand-in.md). Uniqueness of
 * associate addresses is the `_id` of address_claims. Add an entry here before adding a
 * query on any other field.
 */
export const DIRECTORY_INDEXES: IndexSpec[] = [];
