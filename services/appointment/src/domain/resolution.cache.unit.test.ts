import { identityV1 } from '@inviteflow/proto-gen';
import { ResolutionCache } from './resolution.cache';

const associate = (id: string, address: string, canonical = address): identityV1.Resolution =>
  identityV1.Resolution.fromPartial({ address, normalizedAddress: address.toLowerCase(), canonicalAddress: canonical, kind: identityV1.ResolutionKind.RESOLUTION_KIND_ASSOCIATE, associate: { id } });

describe('ResolutionCache', () => {
  test('When more entries are stored than the bound, then the least recently used go first', () => {
    // Arrange
    const cache = new ResolutionCache(2, 60_000);
    cache.set('a@x.example', associate('A', 'a@x.example'), cache.generation);
    cache.set('b@x.example', associate('B', 'b@x.example'), cache.generation);
    cache.get('a@x.example'); // a is now the most recently used
    // Act
    cache.set('c@x.example', associate('C', 'c@x.example'), cache.generation);
    // Assert
    expect(cache.get('b@x.example')).toBeUndefined();
    expect(cache.get('a@x.example')?.associate?.id).toBe('A');
    expect(cache.stats()).toMatchObject({ size: 2, evictions: 1 });
  });

  test('When an entry is older than the TTL, then it is not used', () => {
    let now = 0;
    const cache = new ResolutionCache(10, 1000, () => now);
    cache.set('a@x.example', associate('A', 'a@x.example'), cache.generation);
    now = 999;
    expect(cache.get('a@x.example')).toBeDefined();
    now = 1000;
    expect(cache.get('a@x.example')).toBeUndefined();
  });

  test('When an event names the normalised address or the directory key, then every spelling asked is forgotten', () => {
    // Arrange: asked as written in mail; identity normalised and keyed it
    const cache = new ResolutionCache(10, 60_000);
    const r = associate('A', 'John.Doe+crm@Contoso.com', 'john.doe@contoso.com');
    cache.set('John.Doe+crm@Contoso.com', r, cache.generation);
    cache.set('JOHN.DOE@contoso.com', associate('A', 'JOHN.DOE@contoso.com'), cache.generation);
    // Act
    cache.invalidate(['john.doe@contoso.com']);
    // Assert
    expect(cache.get('john.doe+crm@contoso.com')).toBeUndefined();
    expect(cache.get('JOHN.DOE@contoso.com')).toBeUndefined();
    expect(cache.stats().size).toBe(0);
  });

  test('When a look-up raced with an invalidation, then its answer is not cached', () => {
    const cache = new ResolutionCache(10, 60_000);
    const before = cache.generation;
    cache.invalidate(['a@x.example']); // the event arrived while identity was answering
    cache.set('a@x.example', associate('OLD', 'a@x.example'), before);
    expect(cache.get('a@x.example')).toBeUndefined();
  });

  test('When the bound is 0, then nothing is cached', () => {
    const cache = new ResolutionCache(0, 60_000);
    cache.set('a@x.example', associate('A', 'a@x.example'), cache.generation);
    expect(cache.get('a@x.example')).toBeUndefined();
  });
});
