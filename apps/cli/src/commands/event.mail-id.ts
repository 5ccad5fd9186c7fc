import { SUBJECTS } from '@inviteflow/contracts';
import { eventsV1 } from '@inviteflow/proto-gen';

/** The payload schemas that carry the delivered mail's id, by the subject they travel on. */
const MAIL_ID_OF: Partial<Record<string, (data: Uint8Array) => string>> = {
  [SUBJECTS.mailReceivedV1]: (d) => eventsV1.MailReceived.decode(d).mailId,
  [SUBJECTS.inviteParsedV1]: (d) => eventsV1.InviteParsed.decode(d).mailId,
  [SUBJECTS.mailIgnoredV1]: (d) => eventsV1.MailOutcome.decode(d).mailId,
  [SUBJECTS.mailRejectedV1]: (d) => eventsV1.MailOutcome.decode(d).mailId,
  [SUBJECTS.appointmentScheduledV1]: (d) => eventsV1.AppointmentScheduled.decode(d).mailId,
};

/**
 * The mail id inside an event payload published on `subject`, or undefined when that subject's
 * schema has none or the payload does not decode (a dead letter is often exactly that).
 */
export function mailIdOf(subject: string, data: Uint8Array): string | undefined {
  const decode = MAIL_ID_OF[subject];
  if (!decode) return undefined;
  try {
    return decode(data) || undefined;
  } catch {
    return undefined;
  }
}

/** Message-IDs compare without their angle brackets and surrounding space. */
export function bareMessageId(value: string): string {
  return value.trim().replace(/^<(.*)>$/, '$1').trim();
}
