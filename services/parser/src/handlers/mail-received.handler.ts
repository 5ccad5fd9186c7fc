import { assertNever, SUBJECTS } from '@inviteflow/contracts';
import { decodeEvent, inlineRawMail, type RawMailStore } from '@inviteflow/messaging';
import { eventsV1 } from '@inviteflow/proto-gen';
import { DeliveryReport, ParseLimits, ParseOutcome } from '@inviteflow/parser-core';

/** Must leave `raw` readable: sender authentication reads it at the same time. `deliveryCount` is JetStream's (1 = first). */
export type ParseMail = (
  raw: Buffer, ctx: { mailId: string; envelopeFrom: string; envelopeTo: string[] }, limits: ParseLimits, deliveryCount: number,
) => Promise<ParseOutcome>;

export interface MailReceivedDeps {
  rawMail: RawMailStore;
  parseMail: ParseMail;
  limits: ParseLimits;
  publish: (subject: string, payload: Uint8Array, msgId: string) => Promise<unknown>;
  onOutcome?: (outcome: ParseOutcome) => void;
  /** Sender authentication (SPF/DKIM/DMARC/ARC, issue 15 pt 4); recorded on every invite of the mail. */
  authenticate?: (raw: Buffer, received: eventsV1.MailReceived) => Promise<eventsV1.MailAuthentication>;
}

/**
 * mail.received.v1 → exactly one recorded outcome: invite.parsed.v1 (one per UID),
 * mail.ignored.v1 or mail.rejected.v1. Expected bad input is an outcome, never a handler
 * error, so it does not go to the dead-letter subject. Publishes carry msgIDs derived from
 * the mail id, so a redelivery publishes nothing new.
 */
export function onMailReceived(deps: MailReceivedDeps) {
  return async (data: Uint8Array, deliveryCount = 1): Promise<void> => {
    const received = decodeEvent(eventsV1.MailReceived, data, 'mail.received.v1 payload is not a valid MailReceived');
    // Inline (object_name empty: issue 14) or by reference; checked against the event's sha256
    // either way. Each buffer is ours alone.
    const bytes = received.objectName === ''
      ? inlineRawMail(received.mailId, received.rawInline, received.sha256)
      : await deps.rawMail.get(received.objectName, received.sha256);
    const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // Authentication runs beside the parse (its DNS look-ups overlap the parse) on the same
    // bytes: parseMail only reads them (a parse in a worker thread gets its own copy).
    const authentication = deps.authenticate?.(raw, received);
    authentication?.catch(() => undefined);
    const ctx = { mailId: received.mailId, envelopeFrom: received.envelopeFrom, envelopeTo: received.envelopeTo };
    const outcome = await deps.parseMail(raw, ctx, deps.limits, deliveryCount);
    deps.onOutcome?.(outcome);
    switch (outcome.kind) {
      case 'parsed': {
        const auth = await authentication;
        for (const parsed of outcome.invites) {
          const invite = auth ? { ...parsed, mail: { ...(parsed.mail ?? emptyMail()), authentication: auth } } : parsed;
          await deps.publish(SUBJECTS.inviteParsedV1, eventsV1.InviteParsed.encode(invite).finish(), `parsed:${received.mailId}:${invite.uid}`);
        }
        return;
      }
      case 'ignored':
      case 'rejected': {
        const subject = outcome.kind === 'ignored' ? SUBJECTS.mailIgnoredV1 : SUBJECTS.mailRejectedV1;
        const payload = eventsV1.MailOutcome.encode({
          mailId: received.mailId, reasonCode: outcome.reasonCode, detail: outcome.detail, objectName: received.objectName, sha256: received.sha256,
        }).finish();
        await deps.publish(subject, payload, `${outcome.kind}:${received.mailId}`);
        if (outcome.kind === 'ignored' && outcome.bounce) await publishBounces(deps, received.mailId, outcome.bounce);
        return;
      }
      default:
        return assertNever(outcome, 'parse outcome');
    }
  };
}

/**
 * A bounce (DSN) of one of our mails: one mail.bounced.v1 naming every failed recipient, after
 * the DSN's own outcome. A report naming neither a Message-ID nor a UID cannot be tied to
 * anything we sent, and one that fails nobody (delayed, relayed) changes nothing.
 */
async function publishBounces(deps: MailReceivedDeps, mailId: string, report: DeliveryReport): Promise<void> {
  const { original } = report;
  if ((!original.messageId && !original.uid) || report.failed.length === 0) return;
  const payload = eventsV1.MailBounced.encode({
    mailId, originalMessageId: original.messageId, uid: original.uid, method: original.method, sequence: original.sequence,
    failed: report.failed, reportingMta: report.reportingMta,
  }).finish();
  await deps.publish(SUBJECTS.mailBouncedV1, payload, `bounced:${mailId}`);
}

function emptyMail(): eventsV1.MailContext {
  return { envelopeFrom: '', envelopeTo: [], from: '', sender: '', to: [], cc: [], messageId: '', subject: '', date: undefined };
}
