import type { Collection } from 'mongodb';
import { updateIfVersion, type VersionedDocument } from './version-guard.update';

// The guard's argument checks run before the collection is touched, so a bare object stands in.
const untouched = {} as Collection<VersionedDocument & { _id: string }>;

describe('updateIfVersion argument checks', () => {
  test.each([
    ['sets version itself', { $set: { version: 7 } }, /\$set\.version is managed by the guard/],
    ['increments version itself', { $inc: { version: 1 } }, /\$inc\.version is managed by the guard/],
    ['is a replacement document', { title: 'x' }, /replacement document/],
    ['is an aggregation pipeline', [{ $set: { title: 'x' } }], /pipeline updates/],
  ])('When the update %s, then it is refused before any I/O', async (_label, update, message) => {
    await expect(updateIfVersion(untouched, 'm1', 0, update as never)).rejects.toThrow(message);
  });
});
