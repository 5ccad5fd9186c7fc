import type { eventsV1 } from '@inviteflow/proto-gen';

/** Per From domain: enforce (an unverified sender changes nothing) or record-only (applied, failure recorded). */
export const SENDER_AUTH_MODES = ['enforce', 'record-only'] as const;
export type SenderAuthMode = (typeof SENDER_AUTH_MODES)[number];

export interface SenderAuthSettings {
  defaultMode: SenderAuthMode;
  /** Exceptions by From domain (a subdomain takes its parent's entry unless it has its own). */
  domains: Readonly<Record<string, SenderAuthMode>>;
}

/**
 * Methods an outsider's forged mail could use to change a meeting someone else organised or
 * attends (RFC 5546 §3.2): an attendee's answer, the organizer's cancellation, a proposal.
 */
const GUARDED_METHODS = new Set(['REPLY', 'CANCEL', 'COUNTER']);

export interface SenderCheck {
  /** The sender is authenticated for the From domain. */
  verified: boolean;
  /** "verified", or why not, in Authentication-Results words. */
  reason: string;
  mode: SenderAuthMode;
  /** The message must not change a meeting (unverified, guarded method, enforced). */
  refuse: boolean;
}

/**
 * Pure. RFC 7489 §3.1, §6.6.2: the From domain is authenticated when SPF or DKIM passes for a
 * domain aligned with it. A DMARC fail is unverified whatever else passed (the domain owner
 * said how to judge), and so is a mail whose From domain cannot be told (none or several
 * From addresses, RFC 7489 §6.6.1). Undefined when the mail carries no evaluation (an event
 * from before the parser evaluated authentication).
 */
export function checkSender(method: string, auth: eventsV1.MailAuthentication | undefined, settings: SenderAuthSettings): SenderCheck | undefined {
  if (!auth) return undefined;
  const mode = modeFor(auth.fromDomain, settings);
  const reason = unverifiedReason(auth);
  const verified = reason === undefined;
  const refuse = !verified && mode === 'enforce' && GUARDED_METHODS.has(method.toUpperCase());
  return { verified, reason: reason ?? 'verified', mode, refuse };
}

function unverifiedReason(auth: eventsV1.MailAuthentication): string | undefined {
  if (!auth.fromDomain) return 'no single From domain';
  if (auth.dmarc === 'fail') return `dmarc=fail for ${auth.fromDomain}`;
  const dkimAligned = auth.dkim.some((d) => d.result === 'pass' && d.aligned);
  if (auth.spfAligned || dkimAligned) return undefined;
  return `neither spf (${auth.spf}) nor dkim (${auth.dkim.map((d) => `${d.result} d=${d.domain}`).join(', ') || 'none'}) passes aligned with ${auth.fromDomain}`;
}

export function modeFor(domain: string, settings: SenderAuthSettings): SenderAuthMode {
  for (let d = domain.toLowerCase(); d; d = d.includes('.') ? d.slice(d.indexOf('.') + 1) : '') {
    const mode = settings.domains[d];
    if (mode) return mode;
  }
  return settings.defaultMode;
}

/** The verdict as `explain` shows it. */
export function senderCheckText(check: SenderCheck | undefined): string {
  if (!check) return '';
  if (check.verified) return 'verified';
  return `unverified: ${check.reason}${check.mode === 'record-only' ? ' (record-only)' : ''}`;
}
