import { promises as dns } from 'node:dns';
import { readFileSync } from 'node:fs';
import type { DNSResolver } from 'mailauth';
import { AppError } from '@inviteflow/runtime';

/**
 * The DNS look-ups of sender authentication (SPF, DKIM keys, DMARC and ARC records) go
 * through one injectable function, mailauth's `resolver(name, rrtype)`. In production it is
 * the system resolver with a bound per look-up; tests and the local cluster pass a zone of
 * their own (no network). A look-up that runs out of time answers ETIMEOUT, which mailauth
 * records as temperror (RFC 7208 §2.6.6, RFC 6376 §6.1.2) instead of holding the message.
 */
export function systemResolver(timeoutMs: number): DNSResolver {
  const resolver = new dns.Resolver({ timeout: timeoutMs, tries: 2 });
  return (name, rrtype) => resolver.resolve(name, rrtype) as Promise<string[][] | string[]>;
}

/** Records by "TYPE name": TXT values are arrays of strings, as dns.resolveTxt gives them. */
export type DnsZone = Record<string, string[][] | string[]>;

/**
 * NXDOMAIN as node:dns reports it. Not an AppError: it is the resolver contract mailauth reads
 * (`err.code === 'ENOTFOUND'` means "no record", RFC 7208 §4.3 / RFC 7489 §6.6.3), never ours to log.
 */
class DnsNotFound extends Error {
  readonly code = 'ENOTFOUND';
}

/** Answers from a fixed zone; any other name is NXDOMAIN (ENOTFOUND, as the system resolver says). */
export function zoneResolver(zone: DnsZone): DNSResolver {
  const records = new Map(Object.entries(zone).map(([key, value]) => [normaliseKey(key), value]));
  return async (name, rrtype) => {
    const hit = records.get(normaliseKey(`${rrtype} ${name}`));
    if (hit) return hit;
    throw notFound(`no ${rrtype} record for ${name}`);
  };
}

/**
 * Without a stack: a name missing from the zone is an answer, not a fault (most mails have no
 * DKIM key or DMARC record to find), and capturing a stack per miss was ~1.7 % of the
 * parser's CPU under ./dev load (issue 14).
 */
function notFound(message: string): DnsNotFound {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new DnsNotFound(message);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** MAIL_AUTH_DNS: "system", or the path of a JSON zone file (the local cluster's example domains). */
export function resolverFromSetting(setting: string, timeoutMs: number): DNSResolver {
  if (setting === 'system') return systemResolver(timeoutMs);
  try {
    return zoneResolver(JSON.parse(readFileSync(setting, 'utf8')) as DnsZone);
  } catch (cause) {
    throw new AppError({ code: 'CONFIG_INVALID', message: `MAIL_AUTH_DNS: cannot read the zone file ${setting}`, retryable: false, cause });
  }
}

function normaliseKey(key: string): string {
  const [type = '', name = ''] = key.trim().split(/\s+/, 2);
  return `${type.toUpperCase()} ${name.toLowerCase().replace(/\.$/, '')}`;
}
