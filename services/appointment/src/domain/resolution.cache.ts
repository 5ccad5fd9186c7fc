import type { identityV1 } from '@inviteflow/proto-gen';

interface Entry {
  resolution: identityV1.Resolution;
  expiresAt: number;
  /** Other spellings this entry answers to (normalised, directory key), for invalidation. */
  aliases: string[];
}

export interface CacheStats {
  hits: number;
  misses: number;
  evictions: number;
  invalidations: number;
  size: number;
}

/**
 * Resolutions by asked-for address, bounded in size (least recently used evicted first) and
 * in age (a TTL as a safety net for a missed identity.changed event).
 *
 * Hand-written on a Map (insertion order = recency order: a hit is deleted and re-set) rather
 * than `lru-cache`: the bound and the TTL are ten lines, and what we need around them is ours
 * anyway — invalidation by any spelling (the event names normalised addresses and directory
 * keys, the cache is keyed by what mail said) and a generation counter so a look-up that
 * raced with an invalidation is not cached.
 */
export class ResolutionCache {
  private readonly entries = new Map<string, Entry>();
  /** normalised address or directory key → cache keys answering for it. */
  private readonly spellings = new Map<string, Set<string>>();
  private gen = 0;
  private readonly counters = { hits: 0, misses: 0, evictions: 0, invalidations: 0 };

  constructor(private readonly maxEntries: number, private readonly ttlMs: number, private readonly now: () => number = Date.now) {}

  /** Bumped by every invalidation; a caller stores only what it looked up in one generation. */
  get generation(): number {
    return this.gen;
  }

  get(address: string): identityV1.Resolution | undefined {
    const key = cacheKey(address);
    const entry = this.entries.get(key);
    if (!entry || entry.expiresAt <= this.now()) {
      if (entry) this.remove(key);
      this.counters.misses++;
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.counters.hits++;
    return entry.resolution;
  }

  /** Stores `resolution` unless an invalidation happened since `generation` was read. */
  set(address: string, resolution: identityV1.Resolution, generation: number): void {
    if (this.maxEntries === 0 || generation !== this.gen) return;
    const key = cacheKey(address);
    this.remove(key);
    const aliases = [...new Set([resolution.normalizedAddress, resolution.canonicalAddress].filter((s) => s && s !== key))];
    this.entries.set(key, { resolution, expiresAt: this.now() + this.ttlMs, aliases });
    for (const a of aliases) this.spellings.set(a, (this.spellings.get(a) ?? new Set()).add(key));
    while (this.entries.size > this.maxEntries) {
      this.remove(this.entries.keys().next().value!);
      this.counters.evictions++;
    }
  }

  /** Forgets every entry asked as, normalised to or keyed by any of `addresses`. */
  invalidate(addresses: string[]): void {
    this.gen++;
    this.counters.invalidations++;
    for (const address of addresses) {
      const key = cacheKey(address);
      this.remove(key);
      for (const k of this.spellings.get(key) ?? []) this.remove(k);
    }
  }

  clear(): void {
    this.gen++;
    this.entries.clear();
    this.spellings.clear();
  }

  stats(): CacheStats {
    return { ...this.counters, size: this.entries.size };
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    for (const a of entry.aliases) {
      const keys = this.spellings.get(a);
      keys?.delete(key);
      if (keys && keys.size === 0) this.spellings.delete(a);
    }
  }
}

/** Case and surrounding space never change a resolution; anything else is identity's call. */
function cacheKey(address: string): string {
  return address.trim().toLowerCase();
}
