// The RSVP settings (issue 11 §4), a fragment spread into outbound-mail's config schema.
import { z } from 'zod';
import { envVar } from '@inviteflow/runtime';

const port = z.coerce.number().int().min(0).max(65535);

/** `id:secret[,id:secret...]`, or one bare secret (id `1`). The first signs; all verify (rotation). */
const secretList = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean).map((entry, i) => {
    const colon = entry.indexOf(':');
    return colon > 0 && colon <= 16 ? { id: entry.slice(0, colon), secret: entry.slice(colon + 1) } : { id: String(i + 1), secret: entry };
  }))
  .pipe(z.array(z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,16}$/), secret: z.string().min(32) })).min(1))
  .refine((keys) => new Set(keys.map((k) => k.id)).size === keys.length, 'key ids must differ');

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const rsvpConfig = {
  rsvpEnabled: envVar('RSVP_ENABLED', flag, {
    default: true, doc: 'Put Accept / Tentative / Decline links into every REQUEST to an external attendee, and serve them.', expected: 'true|false',
  }),
  rsvpSecret: envVar('RSVP_SECRET', secretList.optional(), {
    doc: 'HMAC-SHA256 keys of the RSVP links: `id:secret` (secret at least 32 characters), comma-separated; the first signs, every one verifies, so a key is rotated by putting a new one first and dropping the old one after RSVP_LINK_TTL_DAYS. Required unless the endpoint is loopback-only (then each process makes a random key: links die with it; docs/outbound.md).',
    expected: 'id:secret[,id:secret...], each secret 32+ characters',
    secret: true,
  }),
  rsvpHttpHost: envVar('RSVP_HTTP_HOST', z.string().min(1), {
    default: '127.0.0.1', doc: 'Interface of the RSVP link endpoint (0.0.0.0 behind an ingress in Kubernetes).', expected: 'a host or IP',
  }),
  rsvpHttpPort: envVar('RSVP_HTTP_PORT', port, { default: 8480, doc: 'Port of the RSVP link endpoint; 0 picks a free one (tests).', expected: 'a port 0-65535' }),
  rsvpPublicBaseUrl: envVar('RSVP_PUBLIC_BASE_URL', z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, '')).optional(), {
    doc: 'The endpoint as recipients reach it, e.g. https://rsvp.example.com; links are `<base>/rsvp/<token>`. Unset: http://RSVP_HTTP_HOST:<bound port> (local use only).',
    expected: 'an http(s) URL',
  }),
  rsvpLinkTtlDays: envVar('RSVP_LINK_TTL_DAYS', z.coerce.number().int().min(1).max(730), {
    default: 30, doc: 'Days a link stays valid after its REQUEST was made; never less than until a day after the meeting (its first instance) ends.', expected: 'days 1-730',
  }),
  appointmentGrpcAddr: envVar('APPOINTMENT_GRPC_ADDR', z.string().regex(/^(dns:(\/\/\/)?)?[^:\s/]+:\d+$/).optional(), {
    doc: 'The appointment service, asked (GetMeeting) before a click is applied, so an outdated link or a cancelled meeting gets its own page and an answer already recorded is not sent again. Unset: clicks are applied unchecked (the scheduling agent still refuses stale ones).',
    expected: 'host:port or dns:///host:port',
  }),
  appointmentDeadlineMs: envVar('APPOINTMENT_DEADLINE_MS', z.coerce.number().int().min(50).max(60_000), {
    default: 2000, doc: 'Deadline of the GetMeeting check; past it the click is applied unchecked.', expected: 'milliseconds',
  }),
};
