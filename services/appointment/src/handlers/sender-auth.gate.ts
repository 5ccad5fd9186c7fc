import { decision } from '@inviteflow/itip';
import type { eventsV1 } from '@inviteflow/proto-gen';
import type { RecipientOutcome } from '../domain/outcome.summary';
import { checkSender, senderCheckText, type SenderAuthSettings, type SenderCheck } from '../domain/sender-auth';

/** Enforce everywhere: what a deployment gets unless SENDER_AUTH_DEFAULT / SENDER_AUTH_DOMAINS say otherwise. */
export const ENFORCE_SENDER_AUTH: SenderAuthSettings = { defaultMode: 'enforce', domains: {} };

/** What the sender check says about one mail, for the handler and the outcome record. */
export interface SenderVerdict {
  check: SenderCheck | undefined;
  /** Recorded on the outcome: the Authentication-Results value and the verdict. */
  record: { authentication?: string; senderCheck?: string };
}

/**
 * Issue 15 pt 4, before any recipient's copy is looked at: a REPLY, CANCEL or COUNTER whose
 * sender is not authenticated for its From domain changes nothing when that domain is enforced.
 * Whether the From is the iCalendar party the message speaks for is libs/itip's authority check
 * (UNAUTHORISED), fed with the From-derived sender addresses (domain/sender.addresses.ts).
 */
export function senderVerdict(invite: eventsV1.InviteParsed, settings: SenderAuthSettings): SenderVerdict {
  const auth = invite.mail?.authentication;
  const check = checkSender(invite.method, auth, settings);
  const record = auth ? { authentication: auth.results, senderCheck: senderCheckText(check) } : {};
  return { check, record };
}

/** The audit entry of a recipient whose message was kept out: nothing applied, nothing parked. */
export function unverifiedEntry(address: string, associateId: string, check: SenderCheck): RecipientOutcome {
  return {
    address, associateId, meetingId: '', outcome: 'UNVERIFIED_SENDER',
    decisions: [decision('IGNORED', 'UNVERIFIED_SENDER', `the sender is not authenticated for the From domain: ${check.reason}`)],
  };
}

/**
 * Issue 15: turning enforcement off is explicit and said. At boot, one warning naming every
 * record-only scope (the default, or domains), so a deployment that runs without it shows it.
 */
export function warnUnlessEnforced(settings: SenderAuthSettings, log: { warn(o: object, m?: string): void }): void {
  const recordOnly = Object.entries(settings.domains).filter(([, mode]) => mode === 'record-only').map(([domain]) => domain);
  if (settings.defaultMode === 'enforce' && recordOnly.length === 0) return;
  const scope = settings.defaultMode === 'record-only' ? 'every From domain (SENDER_AUTH_DEFAULT=record-only)' : recordOnly.join(', ');
  log.warn({ code: 'SENDER_AUTH_RECORD_ONLY', defaultMode: settings.defaultMode, recordOnly },
    `sender authentication is recorded but not enforced for ${scope}: a forged REPLY/CANCEL/COUNTER from there changes meetings; development or a partner's transition only`);
}
