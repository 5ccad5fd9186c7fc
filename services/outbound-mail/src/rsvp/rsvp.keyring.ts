import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { AppError } from '@inviteflow/runtime';
import type { RsvpKey, RsvpKeyring } from './rsvp.token';

export interface KeyringSettings {
  rsvpSecret: { id: string; secret: string }[] | undefined;
  rsvpHttpHost: string;
  rsvpPublicBaseUrl: string | undefined;
}

/** Loopback only: nobody but this machine can reach the endpoint or the links. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/**
 * The keys from RSVP_SECRET. Without one, a key of this process's own is made (id `dev`) — but
 * only while both the listener and the public base URL are loopback: links that leave the machine
 * must survive restarts and verify on every replica, so there a missing secret stops the boot
 * (RSVP_SECRET_REQUIRED). A fixed built-in dev key would let anyone who read the source forge
 * answers on any deployment that forgot the variable; a random one cannot be forged.
 */
export function keyringFrom(s: KeyringSettings, random: (n: number) => Buffer = randomBytes): { keyring: RsvpKeyring; ephemeral: boolean } {
  if (s.rsvpSecret && s.rsvpSecret.length > 0) {
    const keys: RsvpKey[] = s.rsvpSecret.map((k) => ({ id: k.id, secret: Buffer.from(k.secret, 'utf8') }));
    return { keyring: { signing: keys[0]!, byId: new Map(keys.map((k) => [k.id, k])) }, ephemeral: false };
  }
  const publicHost = s.rsvpPublicBaseUrl ? new URL(s.rsvpPublicBaseUrl).hostname : s.rsvpHttpHost;
  if (!isLoopback(s.rsvpHttpHost) || !isLoopback(publicHost)) {
    throw new AppError({
      code: 'RSVP_SECRET_REQUIRED', retryable: false,
      message: `RSVP_SECRET is required when the RSVP endpoint is reachable beyond this machine (RSVP_HTTP_HOST=${s.rsvpHttpHost}, public host ${publicHost}); or set RSVP_ENABLED=false`,
    });
  }
  const key: RsvpKey = { id: 'dev', secret: random(32) };
  return { keyring: { signing: key, byId: new Map([[key.id, key]]) }, ephemeral: true };
}
