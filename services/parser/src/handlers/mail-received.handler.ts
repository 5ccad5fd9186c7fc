import { SUBJECTS } from '@inviteflow/contracts';
import type { RawMailStore } from '@inviteflow/messaging';
import { eventsV1 } from '@inviteflow/proto-gen';
import { AppError } from '@inviteflow/runtime';
import { ParseLimits, ParseOutcome } from '@inviteflow/parser-core';

export type ParseMail = (raw: Buffer, ctx: { mailId: string; envelopeFrom: string; envelopeTo: string[] }, limits: ParseLimits) => Promise<ParseOutcome>;

export interface MailReceivedDeps {
  rawMail: RawMailStore;
  parseMail: ParseMail;
  limits: ParseLimits;
  publish: (subject: string, payload: Uint8Array, msgId: string) => Promise<unknown>;
  onOutcome?: (outcome: ParseOutcome) => void;
}

/**
 * mail.received.v1 → exactly one recorded outcome: invite.parsed.v1 (one per UID),
 * mail.ignored.v1 or mail.rejected.v1. Expected bad input is an outcome, never a handler
 * error, so it does not go to the dead-letter subject. Publishes carry msgIDs derived from
 * the mail id, so a redelivery publishes nothing new.
 */
export function onMailReceived(deps: MailReceivedDeps) {
  return async (data: Uint8Array): Promise<void> => {
    const received = decode(data);
    const raw = Buffer.from(await deps.rawMail.get(received.objectName, received.sha256));
    const outcome = await deps.parseMail(raw, { mailId: received.mailId, envelopeFrom: received.envelopeFrom, envelopeTo: received.envelopeTo }, deps.limits);
    deps.onOutcome?.(outcome);
    switch (outcome.kind) {
      case 'parsed':
        for (const invite of outcome.invites) {
          await deps.publish(SUBJECTS.inviteParsedV1, eventsV1.InviteParsed.encode(invite).finish(), `parsed:${received.mailId}:${invite.uid}`);
        }
        return;
      case 'ignored':
      case 'rejected': {
        const subject = outcome.kind === 'ignored' ? SUBJECTS.mailIgnoredV1 : SUBJECTS.mailRejectedV1;
        const payload = eventsV1.MailOutcome.encode({
          mailId: received.mailId, reasonCode: outcome.reasonCode, detail: outcome.detail, objectName: received.objectName, sha256: received.sha256,
        }).finish();
        await deps.publish(subject, payload, `${outcome.kind}:${received.mailId}`);
        return;
      }
      default: {
        const never: never = outcome;
        throw new Error(`unhandled outcome ${JSON.stringify(never)}`);
      }
    }
  };
}

function decode(data: Uint8Array): eventsV1.MailReceived {
  try {
    return eventsV1.MailReceived.decode(data);
  } catch (err) {
    throw new AppError({ code: 'EVENT_UNDECODABLE', message: 'mail.received.v1 payload is not a valid MailReceived', retryable: false, cause: err });
  }
}
