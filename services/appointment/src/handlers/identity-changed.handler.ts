import { eventsV1 } from '@inviteflow/proto-gen';
import { decodeEvent } from '@inviteflow/messaging';
import type { ResolutionCache } from '../domain/resolution.cache';
import type { ParkedInvites } from './parked-invite.service';

export interface IdentityChangedDeps {
  cache: ResolutionCache;
  parked: ParkedInvites;
}

/**
 * identity.changed.v1 on the durable `appointment-identity` consumer (one replica gets each
 * event): drops this replica's cached resolutions for the addresses, then applies invites
 * parked for any of them that now resolves to an associate. Idempotent (see ParkedInvites).
 */
export function onIdentityChanged(deps: IdentityChangedDeps) {
  return async ({ data }: { data: Uint8Array }): Promise<void> => {
    const change = decodeEvent(eventsV1.IdentityChanged, data, 'identity.changed.v1 payload is not a valid IdentityChanged');
    deps.cache.invalidate(change.addresses);
    await deps.parked.drain(change.addresses);
  };
}

/**
 * The same events on a plain subscription that every replica has: each replica keeps its
 * own cache, and a durable consumer would reach only one of them.
 */
export function invalidateOnIdentityChanged(cache: ResolutionCache) {
  return (data: Uint8Array): void => {
    try {
      cache.invalidate(eventsV1.IdentityChanged.decode(data).addresses);
    } catch {
      // An undecodable event cannot name addresses: forget everything rather than serve stale.
      cache.clear();
    }
  };
}
