import { isIP } from 'node:net';

export const REVERSE_DNS_MODES = ['auto', 'on', 'off'] as const;
export type ReverseDnsMode = (typeof REVERSE_DNS_MODES)[number];

/**
 * Whether to look up the client's host name (PTR) before the greeting. It only decorates
 * logs and the EHLO reply, and a look-up that cannot succeed (no resolver, no PTR) delays
 * every greeting, up to smtp-server's 1.5 s bound. `auto` turns it off when the listener is
 * bound to loopback (local cluster, tests), where every client is this machine anyway.
 */
export function reverseLookupEnabled(mode: ReverseDnsMode, listenHost: string): boolean {
  if (mode !== 'auto') return mode === 'on';
  return !isLoopbackHost(listenHost);
}

function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1' || bare.startsWith('::ffff:127.');
}
