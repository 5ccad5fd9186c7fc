// The Delivery block of outbound-mail's config (spread into config.ts): the SMTP relay mail is
// handed to, and the defer table temporary failures are retried on (docs/outbound.md, Delivery).
import { z } from 'zod';
import { envVar } from '@inviteflow/runtime';
import { DEFAULT_DEFER_TABLE, parseDeferTable, type DeferPolicy } from './defer.table';

const flag = z.stringbool();
const ms = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const deliveryConfig = {
  // Secret: a URL may carry the relay's user and password.
  smtpRelayUrl: envVar('SMTP_RELAY_URL', z.string().regex(/^smtps?:\/\/\S+$/).optional(), {
    doc: 'The relay outbound mail is handed to, as smtp://[user:password@]host[:port] (STARTTLS when offered) or smtps:// (TLS from the start); overrides SMTP_RELAY_HOST and friends. Neither set: delivery is off and mail stays queued.',
    expected: 'an smtp:// or smtps:// URL', secret: true,
  }),
  smtpRelayHost: envVar('SMTP_RELAY_HOST', z.string().optional(), { doc: 'The relay\'s host when SMTP_RELAY_URL is not set; empty turns delivery off.', expected: 'a host or IP' }),
  smtpRelayPort: envVar('SMTP_RELAY_PORT', z.coerce.number().int().min(1).max(65535), { default: 587, doc: 'The relay\'s port (587 submission with STARTTLS, 465 with SMTP_RELAY_SECURE).', expected: 'a port 1-65535' }),
  smtpRelaySecure: envVar('SMTP_RELAY_SECURE', flag, { default: false, doc: 'true: TLS from the first byte (port 465, RFC 8314); false: plain, upgraded with STARTTLS when the relay offers it.', expected: 'true|false' }),
  smtpRelayRequireTls: envVar('SMTP_RELAY_REQUIRE_TLS', flag, { default: false, doc: 'true: refuse to send unless STARTTLS succeeds (a relay that does not offer it is a temporary failure).', expected: 'true|false' }),
  smtpRelayTlsRejectUnauthorized: envVar('SMTP_RELAY_TLS_REJECT_UNAUTHORIZED', flag, { default: true, doc: 'false accepts a relay certificate that does not verify (a local test relay only).', expected: 'true|false' }),
  smtpRelayUser: envVar('SMTP_RELAY_USER', z.string().optional(), { doc: 'User for SMTP AUTH at the relay; empty: no authentication.', expected: 'a user name' }),
  smtpRelayPassword: envVar('SMTP_RELAY_PASSWORD', z.string().optional(), { doc: 'Password for SMTP AUTH at the relay.', expected: 'a password', secret: true }),
  smtpPoolSize: envVar('SMTP_POOL_SIZE', z.coerce.number().int().min(1).max(100), { default: 5, doc: 'Connections to the relay kept open and used at once (nodemailer pool); also how many deliveries one process runs at once.', expected: 'an integer 1-100' }),
  smtpPoolMaxMessages: envVar('SMTP_POOL_MAX_MESSAGES', z.coerce.number().int().min(1).max(100_000), { default: 100, doc: 'Messages sent over one pooled connection before it is replaced.', expected: 'an integer 1-100000' }),
  smtpTimeoutMs: envVar('SMTP_TIMEOUT_MS', ms(100, 600_000), { default: 30_000, doc: 'Bound on connecting, on the greeting and on each wait for the relay; past it the attempt is a temporary failure.', expected: 'milliseconds' }),
  // Kept as written (parsed by deferPolicy()), so the docs show it as an operator writes it.
  deliveryDeferTable: envVar('DELIVERY_DEFER_TABLE', z.string().refine(validTable, { message: 'durations with units ms, s, m, h or d, comma-separated' }), {
    default: DEFAULT_DEFER_TABLE,
    doc: 'Delays before the 2nd, 3rd, ... attempt after temporary failures (4xx, connection errors), comma-separated with units ms, s, m, h, d; when they run out the delivery fails as DELIVERY_EXPIRED.',
    expected: 'durations such as 1m,5m,1h',
  }),
  deliveryMaxAgeMs: envVar('DELIVERY_MAX_AGE_MS', ms(1, 30 * 86_400_000), { default: 3 * 86_400_000, doc: 'A delivery is not retried past this age (since it was queued): it fails as DELIVERY_EXPIRED.', expected: 'milliseconds' }),
  deliveryPollMs: envVar('DELIVERY_POLL_MS', ms(10, 600_000), { default: 5000, doc: 'How often due deliveries (deferred, or queued and not yet tried) are looked for in MongoDB.', expected: 'milliseconds' }),
  deliveryClaimMs: envVar('DELIVERY_CLAIM_MS', ms(100, 3_600_000), { default: 120_000, doc: 'How long a process holds a delivery it is sending; a process that dies meanwhile leaves it due again after this (the same mail is resent: same Message-ID).', expected: 'milliseconds' }),
  deliveryBatchSize: envVar('DELIVERY_BATCH_SIZE', z.coerce.number().int().min(1).max(10_000), { default: 100, doc: 'Due deliveries read per poll.', expected: 'an integer 1-10000' }),
};

function validTable(text: string): boolean {
  try {
    parseDeferTable(text);
    return true;
  } catch {
    return false;
  }
}

/** The defer policy the config describes. */
export function deferPolicy(c: { deliveryDeferTable: string; deliveryMaxAgeMs: number }): DeferPolicy {
  return { delaysMs: parseDeferTable(c.deliveryDeferTable), maxAgeMs: c.deliveryMaxAgeMs };
}
